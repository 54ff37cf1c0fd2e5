"""What to offer when a question is not covered: the nearest units of the guidance, each as a question
that the guidance answers.

    topics = nearest_topics(assistant, passages)   # [(label, question)], at most SUGGESTIONS

A unit is asked for in the form its kind takes: a framework step by its name, a case part by its case
and part, another document's section by its document and heading. Each question is answered before it
is offered, from the unit it names (a refusal never suggests what would be refused again), and a section whose
heading is not a topic (a page's running mark, a sentence fragment) is never offered.
"""

from __future__ import annotations

from typing import Any

from assistant.route import route
from ingest.text import own_heading
from ingest.types import Chunk

# How a stage is named in a question ("in the manage and deliver stage").
STAGE_WORDS = {"manage_deliver": "manage and deliver"}

SUGGESTIONS = 3  # topics offered with a refusal
CANDIDATES = 8  # passages looked through for them
MIN_HEADING_WORDS = 2  # "CAMBRIDGE" is a mark, not a topic


def heading_text(section: str) -> str:
    """A section's own heading as a reader says it: numbering off, capitals lowered."""
    heading = own_heading(section)
    return heading.capitalize() if heading.isupper() else heading


def topic_question(chunk: Chunk, steps: set[tuple[str, str]] | None = None) -> str | None:
    """The question that asks for this chunk's unit, or None when its heading names no topic. `steps`:
    the index's (stage, step) names; a step whose name is part of another's ("Structure", "Management
    structure") is asked for with its stage."""
    heading = heading_text(chunk.section)
    if chunk.step:
        name = chunk.step.lower()
        shared = any(name in other.lower() and other != chunk.step for _, other in steps or set())
        stage = f" in the {STAGE_WORDS.get(chunk.stage or '', chunk.stage)} stage" if shared and chunk.stage else ""
        return f"What should we consider for {name}{stage}?"
    if chunk.case:
        return f"What does case {chunk.case} say about {heading.lower()}?" if " > " in chunk.section else None
    if len(heading.split()) < MIN_HEADING_WORDS or heading == chunk.title or not heading[:1].isupper():
        return None
    return f"What does {chunk.title} say about {heading}?"


def nearest_topics(assistant: Any, passages: list[Any]) -> list[tuple[str, str]]:
    """The nearest units as (label, question), each question answered by the guidance."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for p in passages[:CANDIDATES]:
        if len(out) == SUGGESTIONS or p.unit_key in seen:
            continue
        seen.add(p.unit_key)
        question = topic_question(p.chunk, assistant.retriever.steps)
        if question is None:
            continue
        answer = assistant.answer(question, route(question, assistant.retriever), suggest=False)
        first = answer.citations[0].chunk if answer.citations else None
        if answer.status == "answered" and first is not None and (first.doc_id, first.section) == p.unit_key:
            out.append((p.chunk.label, question))  # answered, and from the unit it names
    return out
