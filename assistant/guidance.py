"""An MoU clause's guidance: the framework points, case lessons and other documents' items that bear on it.

    citations = ClauseGuidance(drafter).of(clause, context="dealer network service partnership")

For each thing the clause says (each sentence of its wording, and what its guidance is about) the unit
closest in meaning among the passages retrieved for it, the clause's own step first when one of its points
comes as close; a linked case's lesson for a point that sends the reader to it; and the clause's own step's
points closest to what it says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.clauses import Clause
from assistant.pieces import Piece, pieces_of
from assistant.route import Route, case_by_story
from assistant.types import Citation

if TYPE_CHECKING:
    from assistant.draft import Drafter

SLOT = re.compile(r"\{\w+\}")
LIST_NUMBER = re.compile(r"^\(?[a-z0-9]{1,2}[.)]\s+(?=\S)", re.I)  # "2. ", "b) ": a list's numbering


def cite(unit: Piece) -> Citation:
    """A unit's citation; its quote (still verbatim) without the list number it opens with, which reads as
    a fragment once the quote stands beside a clause or an item."""
    return Citation(1, unit.chunk, LIST_NUMBER.sub("", unit.text))


# An MoU clause's guidance: for each thing the clause says, the unit closest in meaning among the passages
# retrieved for it. Set on the dev clause gold (evals/drafting_gold.yaml): 6 passages a facet gave
# guidance precision 0.70 and recall 0.44, 3 passages 0.68 and 0.40; the best unit of the clause's whole
# wording, up to 3 within 0.08 of it, gave 0.65 and 0.37. A facet's runner-up as well, when within 0.02
# to 0.06 of its best, cost more precision (0.69 to 0.67) than it gained recall (0.49 to 0.53); the slots'
# hints as the facets' words, 0.74 and 0.47.
GUIDANCE_PASSAGES = 6
GUIDANCE_FLOOR = 0.3  # below this, nothing in the guidance bears on the clause
# The clause's own framework step speaks to it first: up to STEP_POINTS more of its points (with their
# sub-points), each as close as STEP_POINT_FLOOR to one thing the clause says. On the dev clause gold,
# 2 or 3 points at 0.5 took recall from 0.45 to 0.53 at the same precision (0.73); at 0.45, 0.55 and 0.72;
# at 0.4, 0.53 and 0.67.
STEP_POINTS, STEP_POINT_FLOOR = 2, 0.5
# ... and a thing the clause says is backed by its own step's point over another document's item up to this much
# closer in cosine. On the dev clause gold: 0.05 gave precision 0.77 and recall 0.54; 0 and 0.02 gave 0.74 and
# 0.53 (Partner Everywhere's "How to manage governance across executives..." over the review board point);
# 0.1, 0.78 and 0.49.
OWN_STEP_MARGIN = 0.05


def closest(scored: list[tuple[float, list[Piece]]], step: str | None) -> tuple[float, list[Piece]]:
    """Of the entries scored by their closeness to a thing the clause says, the closest; the clause's own
    step's closest instead when it comes within OWN_STEP_MARGIN of that."""
    best = max(scored, key=lambda x: x[0])
    own = max((x for x in scored if step and x[1][0].chunk.step == step), key=lambda x: x[0], default=None)
    return own if own is not None and own[0] >= best[0] - OWN_STEP_MARGIN else best


def entry_key(entry: list[Piece]) -> tuple[str, str]:
    """A guidance entry by its chunk and opening text, however many passages retrieved it."""
    return entry[0].chunk.id, entry[0].text


def facets(clause: Clause) -> list[str]:
    """What a clause says, one thing at a time: each sentence of its wording (slots left out) under its
    heading, and what its guidance is about."""
    said = re.split(r"(?<=\.)\s+", SLOT.sub("", clause.body))
    return [f"{clause.heading}: {s}" for s in said if len(s.split()) > 2] + [clause.query]


@dataclass
class ClauseGuidance:
    drafter: Drafter  # the units of the index, as the drafter reads them (points, lessons, their vectors)

    def of(self, clause: Clause, context: str | None) -> list[Citation]:
        """The units that bear on a clause: for each thing the clause says (its sentences, and what its
        guidance is about), the framework point (whole, with its sub-points), definition sentence, case
        lesson or other document's list item closest in meaning among the passages retrieved for it; a
        lesson of the case closest to the user's situation competes with them."""
        stage = next((st for st, sp in self.drafter.retriever.steps if sp == clause.step), None)
        lessons: list[list[Piece]] = []
        if context and (n := case_by_story(f"{context} {clause.query}", self.drafter.retriever, among_cases=True)):
            lessons = [[u] for u in self.drafter.lessons(n)]
        chosen: list[list[Piece]] = []
        said = {f: np.asarray(self.drafter.retriever.embedder.embed_query(f)) for f in facets(clause)}
        for facet, target in said.items():
            entries = self.entries(Route(query=facet, step=clause.step, stage=stage)) + lessons
            if not entries:
                continue
            vectors = self.drafter.entry_vectors(entries)
            scored = [(float(np.dot(target, vectors[" ".join(u.text for u in e)])), e) for e in entries]
            score, best = closest(scored, clause.step)
            # A unit that backs two things the clause says is cited once (found again in another passage).
            if score >= GUIDANCE_FLOOR and entry_key(best) not in {entry_key(e) for e in chosen}:
                chosen.append(best)
        # A framework point marked "(see case N)" brings the linked case's lesson that backs it.
        quoted = {u.text for e in chosen for u in e}
        linked = {
            lesson.text: [lesson]
            for e in chosen
            if (lesson := self.drafter.lesson_for(e[0])) and lesson.text not in quoted
        }
        chosen += list(linked.values())
        return [cite(u) for e in chosen + self.step_points(clause, stage, chosen, list(said.values())) for u in e]

    def step_points(
        self, clause: Clause, stage: str | None, chosen: list[list[Piece]], said: list[np.ndarray]
    ) -> list[list[Piece]]:
        """The points of the clause's own step, not chosen yet, that are closest to what the clause says (`said`:
        the vectors of its facets)."""
        framework = dict(self.drafter.steps(stage)).get(clause.step, []) if clause.step and stage else []
        quoted = {u.text for e in chosen for u in e}
        points = [e for e in self.drafter.points_of(framework) if not any(u.text in quoted for u in e)]
        if not points:
            return []
        vectors = self.drafter.entry_vectors(points)
        scored = [(max(float(np.dot(v, vectors[" ".join(u.text for u in e)])) for v in said), e) for e in points]
        close = sorted((x for x in scored if x[0] >= STEP_POINT_FLOOR), key=lambda x: -x[0])
        return [e for _, e in close[:STEP_POINTS]]

    def entries(self, plan: Route) -> list[list[Piece]]:
        """The points (with their sub-points) and guidance sentences of the passages retrieved for a plan."""
        entries: list[list[Piece]] = []
        for p in self.drafter.retriever.search(plan, GUIDANCE_PASSAGES):
            entries += [e for e in self.drafter.points_of(p.chunks) if len(e) > 1 or not e[0].lead_in]
            entries += [
                [u]
                for u in pieces_of(p)
                if not u.is_item and not u.lead_in and len(u.text.split()) >= 6 and (u.chunk.step or u.chunk.case)
            ]
        return list({entry_key(e): e for e in entries}.values())
