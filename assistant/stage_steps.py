"""A stage's introduction answered with the steps it introduces.

    answer = with_its_steps(answer, retriever)   # the same answer, or it and the stage's steps

The briefing opens each stage with a section of its own that says what the stage is for and then that
"this section details the different steps" of it. An answer quoted from that introduction alone ("what
does the design stage involve?") would stop where the reader is sent on to the steps; it goes on to list
them, each with its opening sentence, quoted and cited as an overview's entries are.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.case_list import Quotes, steps_of
from assistant.overview import entry_line  # the overview's entries, told the same way
from assistant.retrieve import HybridRetriever
from assistant.types import Answer
from ingest.types import STAGE_TITLES

MARKER = re.compile(r"\[(\d+)\]")


def stage_introduced(answer: Answer) -> str | None:
    """The stage whose introduction the answer is quoted from alone: every quote from one stage's own
    section, none from a step or a case."""
    cited = [c.chunk for c in answer.citations]
    stages = {c.stage for c in cited}
    if answer.status != "answered" or len(stages) != 1 or any(c.step or c.case is not None for c in cited):
        return None
    stage = next(iter(stages))
    return stage if stage and all(c.section == STAGE_TITLES.get(stage) for c in cited) else None


def with_its_steps(answer: Answer, retriever: HybridRetriever) -> Answer:
    stage = stage_introduced(answer)
    if stage is None:
        return answer
    steps = steps_of(retriever.chunks, stage)
    if not steps:
        return answer
    quotes, offset = Quotes(), max(c.marker for c in answer.citations)
    lines = [entry_line(quotes, name, chunks) for name, chunks in steps.items()]
    # The steps' markers go on from the answer's own.
    lines = [MARKER.sub(lambda m: f"[{int(m.group(1)) + offset}]", line) for line in lines]
    cited = [replace(c, marker=c.marker + offset) for c in quotes.citations]
    text = f"{answer.text}\nIts steps, in the briefing's order:\n" + "\n".join(lines)
    return replace(
        answer,
        text=text,
        citations=[*answer.citations, *cited],
        passages=[*answer.passages, *quotes.passages],
        listed=[(chunks[0].doc_id, chunks[0].section) for chunks in steps.values()],  # "and the second one?"
    )
