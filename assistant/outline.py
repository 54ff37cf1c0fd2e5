"""The framework document's own outline of its process: "We defined a four-stage process: 1. ... 2. ...".

    outline(retriever.chunks, framework)    # [(chunk, "We defined a four-stage process:"), (chunk, "1. ..."), ...]

A briefing often sums its process up once, in its summary, as a sentence that announces the stages and
the numbered paragraphs after it. Asked for the stages, a reader wants that summary first, in the
author's words, before each stage's own opening; it is found by its form, not by its words: a line that
announces a number of stages (or phases, steps) and ends on a colon, then lines numbered 1, 2, 3... in
order, in the same section.
"""

from __future__ import annotations

import re

from ingest.types import Chunk

ANNOUNCES = re.compile(
    r"\b(?:two|three|four|five|six|seven|\d)[- ](?:stage|phase|step)s?\b|\b(?:stages|phases|steps)\b", re.I
)
NUMBERED = re.compile(r"^(\d{1,2})\.\s+\S")
MIN_NUMBERED = 3  # a summary of two numbered lines is no outline of a process


# A sentence that sums a list up opens on one of these ("Overall, the process should be reviewed and renewed").
SUMMING_UP = re.compile(r"^(?:overall|in all|in short|in summary|to sum up|altogether|above all)\b", re.I)
CLOSING_LINES = 2  # lines after the list looked at for the sentence that sums it up


def outline(chunks: list[Chunk], doc: str | None, closed: bool = False) -> list[tuple[Chunk, str]]:
    """The announcing line and its numbered lines, each with its chunk; [] when the document has none.
    `closed`: and the sentence that sums them up, when one of the lines after them in the section opens so."""
    lines: list[tuple[Chunk, str]] = [
        (c, line.strip())
        for c in sorted((c for c in chunks if c.doc_id == doc), key=lambda c: c.position)
        for line in c.text.split("\n")
        if line.strip()
    ]
    for n, (chunk, line) in enumerate(lines):
        if not (line.endswith(":") and ANNOUNCES.search(line)):
            continue
        numbered: list[tuple[Chunk, str]] = []
        for c, text in lines[n + 1 :]:
            m = NUMBERED.match(text)
            if not m or int(m.group(1)) != len(numbered) + 1 or c.section != chunk.section:
                break
            numbered.append((c, text))
        if len(numbered) >= MIN_NUMBERED:
            rest = [(c, t) for c, t in lines[n + 1 + len(numbered) :][:CLOSING_LINES] if c.section == chunk.section]
            close = [(c, text) for c, t in rest for text, _ in c.pieces() if text in t and SUMMING_UP.match(text)]
            return [(chunk, line), *numbered, *(close[:1] if closed else [])]
    return []
