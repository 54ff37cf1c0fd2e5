"""A stage's introduction answered with the steps it introduces, and the stage next to one.

    answer = with_its_steps(answer, retriever)   # the same answer, or it and the stage's steps
    neighbour_stage("What comes after the design stage?", plan)  # ("design", "manage_deliver")

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
from assistant.route import Route
from assistant.types import Answer
from ingest.types import STAGE_TITLES, STAGES

MARKER = re.compile(r"\[(\d+)\]")
# A stage as a reader names it after "after" or "before": the word its title ends on, in its forms.
STAGE_NAMES = {
    "customer": r"customer",
    "internal": r"internal",
    "propose": r"propos(?:e|al|ing)",
    "design": r"design(?:ing)?",
    "manage_deliver": r"manag(?:e|ing) and deliver(?:y|ing)?|delivery",
}


def neighbour_stage(question: str, plan: Route) -> tuple[str, str] | None:
    """For "what comes after the design stage?" or "and after design, what's left?", the stage named and the
    one after it in the framework's order (before it, for "before"). The name is a stage's when "stage" or
    "phase" follows it or it ends what is asked after ("after the customer signs" names no stage); None
    when the question names none, or a step or a case (the step next to a step is the overview's); a case
    guessed from the question's story ("design" is a word of case 3's) is no case named."""
    if plan.step or (plan.case is not None and plan.named):
        return None
    for stage, name in STAGE_NAMES.items():
        pattern = rf"\b(after|before)\s+(?:the\s+)?(?:{name})(?:\s+(?:stage|phase)\b|\s*(?:[,?.!]|$))"
        if found := re.search(pattern, question, re.I):
            there = STAGES.index(stage) + (-1 if found.group(1).lower() == "before" else 1)
            return (stage, STAGES[there]) if 0 <= there < len(STAGES) else None
    return None


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
