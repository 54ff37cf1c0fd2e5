"""The onboarding tour: the framework's stages in order, each drawn from and cited to the corpus, and a self-check.

stops = tour(retriever)            # one Stop per stage: its purpose, and every step with its points and case
questions = self_check(retriever)  # questions whose answers come from the index's own metadata
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from assistant.draft import Drafter, cite
from assistant.pieces import overlap, pieces_of
from assistant.retrieve import HybridRetriever
from assistant.suggest import topic_question
from assistant.types import Citation, Passage
from ingest.text import terms
from ingest.types import STAGE_TITLES, STAGES, Chunk


def quote(chunk: Chunk, items: bool = False) -> Citation | None:
    """The chunk's first sentence (or first list item), as a citation."""
    found = [u for u in pieces_of(Passage(chunk, 0.0)) if u.is_item == items]
    return Citation(1, chunk, found[0].text) if found else None


@dataclass
class StepStop:
    """One step of a stage as the tour teaches it: what it is, its points, and the case the briefing
    itself links to it ("(see case N)"), with the question that asks about it in the chat."""

    name: str
    definition: Citation | None
    points: list[Citation]
    ask: str
    case: int | None = None
    case_point: Citation | None = None  # the step's point that names the case
    case_lesson: Citation | None = None  # the case's lesson closest to the step


@dataclass
class Stop:
    stage: str
    title: str
    purpose: Citation | None
    steps: list[StepStop] = field(default_factory=list)
    points: list[Citation] = field(default_factory=list)  # a stage told without steps (the customer's)

    @property
    def step_names(self) -> list[str]:
        return [s.name for s in self.steps]


def points_of(chunks: list[Chunk]) -> list[Citation]:
    """Every point of these chunks, in order; a point that only announces sub-points gives way to them."""
    found = [p for c in chunks for p in pieces_of(Passage(c, 0.0)) if p.is_item and not p.lead_in]
    return [Citation(1, p.chunk, p.text) for p in found]


def step_stop(drafter: Drafter, name: str, chunks: list[Chunk]) -> StepStop:
    definition = next(filter(None, (quote(c) for c in chunks)), None)
    asked = topic_question(chunks[0], drafter.retriever.steps) or f"What is {name}?"
    stop = StepStop(name, definition, points_of(chunks), asked)
    links = Counter(n for c in chunks for n in c.see_cases)
    if links:
        n = links.most_common(1)[0][0]
        mark = f"see case {n}"
        stop.case = n
        stop.case_point = next((p for p in stop.points if mark in p.quote.lower()), None)
        about = terms(" ".join(c.text for c in chunks))
        if lessons := drafter.lessons(n):
            stop.case_lesson = cite(max(lessons, key=lambda u: overlap(about, u.text)))
    return stop


def tour(retriever: HybridRetriever) -> list[Stop]:
    """The stages in the briefing's order, each with its purpose and every step."""
    drafter = Drafter(retriever)
    stops = []
    for stage in STAGES:
        groups = drafter.steps(stage)
        intro = [c for step, cs in groups if not step for c in cs]
        purpose = next(filter(None, (quote(c) for c in intro)), None)
        stop = Stop(stage, STAGE_TITLES[stage], purpose)
        stop.steps = [step_stop(drafter, step, cs) for step, cs in groups if step]
        if not stop.steps:
            stop.points = points_of(intro)
        stops.append(stop)
    return stops


# A lesson asked about in the self-check says something on its own, and reads at a glance.
MIN_LESSON_WORDS, MAX_LESSON_WORDS = 8, 30


@dataclass
class Question:
    prompt: str
    options: list[str]
    answer: str
    evidence: Citation


def self_check(retriever: HybridRetriever, n: int = 5, seed: int = 7) -> list[Question]:
    """Which stage a step belongs to, and which case learnt a lesson: answers from the index's metadata."""
    rng = random.Random(seed)
    drafter = Drafter(retriever)
    questions = []
    steps = [(stage, step, cs[0]) for stage in STAGES for step, cs in drafter.steps(stage) if step]
    for stage, step, chunk in rng.sample(steps, min(len(steps), n - n // 2)):
        evidence = quote(chunk) or quote(chunk, True)
        if evidence:
            titles = [STAGE_TITLES[s] for s in STAGES]
            questions.append(
                Question(
                    f"Which stage does the step “{step}” belong to?", titles, titles[STAGES.index(stage)], evidence
                )
            )
    cases = sorted(retriever.cases)
    short = [u for case in cases for u in drafter.lessons(case) if len(u.text.split()) >= MIN_LESSON_WORDS]
    lessons = [cite(u) for u in short if len(u.text.split()) <= MAX_LESSON_WORDS]
    for lesson in rng.sample(lessons, min(len(lessons), n // 2)):
        options = [f"Case {c}" for c in cases]
        questions.append(
            Question(f"Which case learnt this: “{lesson.quote}”", options, f"Case {lesson.chunk.case}", lesson)
        )
    return questions
