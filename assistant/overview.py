"""Overviews answered from the index's structure: the framework's stages in order, or one stage's steps.

    answer = overview(question, plan, retriever)    # None when the question does not ask for one

A question asks for an overview by its form: it asks for the stages (or phases) of the process, or
for the steps of a stage, in the plural ("what are the stages...", "which steps make up design?").
Each stage or step is listed in the briefing's order with its opening sentence, quoted and cited to
its page, so the overview is as grounded as any answer.
"""

from __future__ import annotations

import re

from assistant.retrieve import HybridRetriever
from assistant.route import Route
from assistant.types import Answer, Citation, Passage
from ingest.types import STAGE_TITLES, STAGES, Chunk

STAGES_ASKED = re.compile(r"\b(?:the|main|five|its) (?:stages|phases)\b|\b(?:stages|phases) (?:of|in)\b", re.I)
STEPS_ASKED = re.compile(r"\b(?:the|which|what|every|all|its) steps\b|\bsteps (?:of|in|that)\b", re.I)
LISTING = re.compile(r"\b(?:what|which|list|name|outline|walk|give|show|how many)\b", re.I)


def opening(chunks: list[Chunk]) -> tuple[Chunk, str] | None:
    """The first quotable sentence of a run of chunks, with its chunk."""
    for c in chunks:
        for text, item in c.pieces():
            if not item and not text.rstrip().endswith(":"):
                return c, text
    return None


def overview(question: str, plan: Route, retriever: HybridRetriever, passages: list[Passage]) -> Answer | None:
    if not LISTING.search(question) or plan.case is not None:
        return None
    by_place = sorted(retriever.chunks, key=lambda c: (c.doc_id, c.position))
    if STEPS_ASKED.search(question):
        stage = plan.stage or next((p.chunk.stage for p in passages if p.chunk.stage and p.chunk.step), None)
        if stage is None:
            return None
        steps: dict[str, list[Chunk]] = {}
        for c in by_place:
            if c.stage == stage and c.step:
                steps.setdefault(c.step, []).append(c)
        title = f"The steps of {STAGE_TITLES[stage]}, in the briefing's order:"
        entries = list(steps.items())
    elif STAGES_ASKED.search(question):
        stages: dict[str, list[Chunk]] = {}
        for c in by_place:
            if c.stage and c.doc_id == next((x.doc_id for x in by_place if x.step), None):
                stages.setdefault(c.stage, []).append(c)
        title = "The partnership framework's stages, in order:"
        entries = [(STAGE_TITLES[s], stages[s]) for s in STAGES if s in stages]
    else:
        return None
    if not entries:
        return None
    lines, citations, cited = [title], [], []
    for name, chunks in entries:
        found = opening(chunks)
        if found is None:
            lines.append(f"- {name}")
            continue
        chunk, sentence = found
        if chunk not in cited:
            cited.append(chunk)
        n = cited.index(chunk) + 1
        citations.append(Citation(n, chunk, sentence))
        lines.append(f"- {name}: {sentence} [{n}]")
    shown = [Passage(c, 1.0) for c in cited]
    return Answer(question, "answered", "\n".join(lines), citations, shown, plan.stage, None)
