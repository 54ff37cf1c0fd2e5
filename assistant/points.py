"""A follow-up about one point of the answer before: "what should the exit bit cover?" after the
contract step's points, one of which is "Include an exit strategy in the contract detailing the following:".

    point = point_asked("and the exit part of it?", unit)   # the point with its sub-points, or None

The point is the one of the unit's points (each with its sub-points) that alone uses a word the question
uses: a word of the question no other sentence or point of the unit uses singles it out. A question
whose words several points share, or none, asks about no one point.
"""

from __future__ import annotations

from assistant.compose import Piece, pieces_of
from assistant.types import Passage
from ingest.text import terms
from ingest.types import Chunk

MIN_TERM_CHARS = 3  # "re" of "you're" names nothing


def grouped(pieces: list[Piece]) -> list[list[Piece]]:
    """The unit's pieces as groups: a point with its sub-points, or one sentence."""
    groups: list[list[Piece]] = []
    for p in pieces:
        if p.sub and groups and groups[-1][0].is_item:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def point_asked(question: str, unit: list[Chunk], asked_terms: set[str] | None = None) -> list[Piece] | None:
    """The point of the unit (with its sub-points) the question singles out by a word only it uses; None
    when it singles out none, or when the point has no sub-points and is a sentence of prose."""
    if not unit:
        return None
    words = {t for t in (asked_terms if asked_terms is not None else terms(question)) if len(t) >= MIN_TERM_CHARS}
    words -= terms(unit[0].section)  # the unit's own name is no one point's
    groups = grouped(pieces_of(Passage(unit[0], 0.0, chunks=unit, unit=unit), whole_unit=True))
    said = [terms(" ".join(p.text for p in g)) for g in groups]
    singled = []
    for n, (group, here) in enumerate(zip(groups, said, strict=True)):
        elsewhere = set().union(*(s for m, s in enumerate(said) if m != n))
        if group[0].is_item and words & here - elsewhere:
            singled.append(group)
    return singled[0] if len(singled) == 1 else None
