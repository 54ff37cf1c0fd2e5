"""Comparisons: "how is X different from Y?" answered with both units side by side.

    sides = comparison_sides("What's the difference between governance and management?")
    answer = side_by_side(question, [answer_x, answer_y])

The sides are read from the question's form (difference between X and Y, X vs Y, how does X differ
from Y, compare X with Y); each side is routed, retrieved, judged and composed on its own, and the two
answers are joined with their citations renumbered, so each side keeps its own grounding.
"""

from __future__ import annotations

import re

from assistant.types import Answer, Citation

SIDES = [
    re.compile(r"\bdifferen(?:ce|ces|t) between (?P<a>.+?) and (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    re.compile(r"\bhow (?:is|are|does|do) (?P<a>.+?) differ(?:ent)? from (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    re.compile(r"\bcompare (?P<a>.+?) (?:and|with|to) (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    re.compile(r"(?P<a>\b[\w' /-]{3,60}?) (?:vs\.?|versus) (?P<b>[\w' /-]{3,60})", re.I),
]
MIN_SIDE_WORDS = 1


def comparison_sides(question: str) -> tuple[str, str] | None:
    for pattern in SIDES:
        if m := pattern.search(question):
            a, b = m.group("a").strip(), m.group("b").strip()
            if len(a.split()) >= MIN_SIDE_WORDS and len(b.split()) >= MIN_SIDE_WORDS:
                return a, b
    return None


def side_by_side(question: str, sides: list[tuple[str, Answer]]) -> Answer:
    """The sides' answers joined under their names, one marker per cited chunk across both."""
    cited: list[str] = []
    citations: list[Citation] = []
    parts = []
    for name, answer in sides:
        renumber: dict[int, int] = {}
        for c in answer.citations:
            if c.chunk.id not in cited:
                cited.append(c.chunk.id)
            renumber[c.marker] = cited.index(c.chunk.id) + 1
            citations.append(Citation(renumber[c.marker], c.chunk, c.quote))
        text = re.sub(r"\[(\d+)\]", lambda m, r=renumber: f"[{r.get(int(m.group(1)), int(m.group(1)))}]", answer.text)
        parts.append(f"On {name}:\n{text}")
    passages = [p for _, a in sides for p in a.passages]
    first = sides[0][1]
    return Answer(question, "answered", "\n\n".join(parts), citations, passages, first.stage, first.case)
