"""The onboarding tour: the framework's stages in order, each drawn from and cited to the corpus, and a self-check.

stops = tour(retriever)            # one Stop per stage: purpose, steps, key points, an illustrating case
questions = self_check(retriever)  # questions whose answers come from the index's own metadata
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from assistant.compose import overlap, pieces_of
from assistant.draft import Drafter, cite
from assistant.retrieve import HybridRetriever
from assistant.types import Citation, Passage
from ingest.text import terms
from ingest.types import STAGE_TITLES, STAGES, Chunk


def quote(chunk: Chunk, items: bool = False) -> Citation | None:
    """The chunk's first sentence (or first list item), as a citation."""
    found = [u for u in pieces_of(Passage(chunk, 0.0)) if u.is_item == items]
    return Citation(1, chunk, found[0].text) if found else None


@dataclass
class Stop:
    stage: str
    title: str
    purpose: Citation | None
    steps: list[str]
    points: list[Citation] = field(default_factory=list)
    case: int | None = None
    case_story: Citation | None = None
    case_lesson: Citation | None = None


def tour(retriever: HybridRetriever) -> list[Stop]:
    drafter = Drafter(retriever)
    stops = []
    for stage in STAGES:
        groups = drafter.steps(stage)
        chunks = [c for _, cs in groups for c in cs]
        intro = next((c for c in chunks if c.kind == "text"), None)
        points = [q for _, cs in groups if (q := next(filter(None, (quote(c, True) for c in cs)), None))]
        links = Counter(n for c in chunks for n in c.see_cases)
        stop = Stop(stage, STAGE_TITLES[stage], quote(intro) if intro else None, [s for s, _ in groups if s])
        stop.points = points[:8]
        if links:
            n = links.most_common(1)[0][0]
            case = [c for c in retriever.chunks if c.case == n]
            story = next((c for c in case if c.part == "background"), case[0] if case else None)
            stop.case, stop.case_story = n, quote(story) if story else None
            lessons = drafter.lessons(n)
            about = terms(" ".join(c.text for c in chunks))
            if lessons:
                stop.case_lesson = cite(max(lessons, key=lambda u: overlap(about, u.text)))
        stops.append(stop)
    return stops


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
    lessons = [cite(u) for case in cases for u in drafter.lessons(case) if len(u.text.split()) >= 8]
    for lesson in rng.sample(lessons, min(len(lessons), n // 2)):
        options = [f"Case {c}" for c in cases]
        questions.append(
            Question(f"Which case learnt this: “{lesson.quote}”", options, f"Case {lesson.chunk.case}", lesson)
        )
    return questions
