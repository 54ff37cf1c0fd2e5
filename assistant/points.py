"""A follow-up about one point of the answer before: "what should the exit bit cover?" after the
contract step's points, one of which is "Include an exit strategy in the contract detailing the following:".

    point = point_asked("and the exit part of it?", unit)   # the point with its sub-points, or None

The point is the one of the unit's points (each with its sub-points) that alone uses a word the question
uses: a word of the question no other sentence or point of the unit uses singles it out. A question
whose words several points share, or none, asks about no one point.
"""

from __future__ import annotations

import re

from assistant.answer import CASE_LINE
from assistant.compose import MEANING, ExtractiveComposer, Selection, topic_terms
from assistant.pieces import Piece, overlap, pieces_of
from assistant.route import Route
from assistant.types import Answer, Passage
from ingest.text import terms
from ingest.types import Chunk

MIN_TERM_CHARS = 3  # "re" of "you're" names nothing; a shorter word in capitals does ("IP", "HR")


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
    """The point of the unit (with its sub-points, but no lead-in whose list is not among them) the question
    singles out by a word only it uses; None when it singles out none, or when the point has no sub-points
    and is a sentence of prose."""
    if not unit:
        return None
    asked = asked_terms if asked_terms is not None else terms(question)
    words = {t for t in asked if len(t) >= MIN_TERM_CHARS or re.search(rf"\b{re.escape(t.upper())}\b", question)}
    words -= terms(unit[0].section)  # the unit's own name is no one point's
    pieces = pieces_of(Passage(unit[0], 0.0, chunks=unit, unit=unit), whole_unit=True)
    groups = grouped(pieces)
    said = [terms(" ".join(p.text for p in g)) for g in groups]
    singled = []
    for n, (group, here) in enumerate(zip(groups, said, strict=True)):
        elsewhere = set().union(*(s for m, s in enumerate(said) if m != n))
        if group[0].is_item and words & here - elsewhere:
            singled.append(group)
    # A sub-point that ends on the lead-in of the next point ("...And finally, if things don't work out:")
    # is quoted without its last sentence's list only by leaving it out.
    return Selection.with_their_items(pieces, singled[0]) if len(singled) == 1 else None


NARROW_POINTS = 3  # of the unit answered just before, the points a follow-up on it is answered with at most
# ... those within this of the best point's match (its share of the question's words plus half its meaning,
# as the composer weighs them): a follow-up about one thing gets that thing, not its neighbours. Both set
# by reading the answers to dev follow-ups, not swept.
NARROW_MARGIN = 0.15


def narrowed(question: str, plan: Route, answer: Answer) -> Answer | None:
    """A follow-up answered from the unit the answer before came from, with the points (or sentences) of it
    that answer the follow-up, not the whole unit again ("who should be on it?" after the review step);
    None when the answer is not from one passage's unit."""
    unit = unit_passage(answer)
    if unit is None:
        return None
    pieces = pieces_of(unit, whole_unit=True)
    asked = topic_terms(plan, [unit])

    def match(group: list[Piece]) -> float:
        return max(overlap(asked, p.text) + MEANING * p.fit for p in group)

    ranked = sorted(grouped(pieces), key=match, reverse=True)
    if not ranked:
        return None
    best = match(ranked[0])
    kept = [p for g in ranked[:NARROW_POINTS] if match(g) >= best - NARROW_MARGIN for p in g]
    # A sentence that points back ("This may be done in a risk management process") is read with the one
    # it points to, as an answer's sentences are.
    prose = Selection.read_with_before([p for p in pieces if not p.is_item], [p for p in kept if not p.is_item])
    chosen = Selection.with_their_items(pieces, sorted(prose + [p for p in kept if p.is_item], key=lambda p: p.order))
    if not chosen:
        return None
    shown = ExtractiveComposer.render(question, plan, unit, chosen, answer.passages)
    if CASE_LINE.match(first := answer.text.split("\n", 1)[0]):  # "Case 1 of ...:" still names its case
        shown.text = f"{first}\n{shown.text}"
    return shown


REST_SENTENCES = 6  # of a prose unit's sentences not yet shown, those a request for more is answered with
# A request for more of what was said ("what else?", "any other lessons?"); "again" asks for the same.
MORE_ASKED = re.compile(r"\b(?:else|more|other|others|rest|further)\b", re.I)


MORE_POINTS = re.compile(r"\n\(\d+ more points? in [^\n]*\.\)$")  # the composer's count of points not shown


def more_of(question: str, plan: Route, answer: Answer, said: set[str]) -> Answer | None:
    """ "What else?": of the units the answer's passages come from, in their order, the first with points
    (or sentences) not said yet in the conversation, those; led by a word that the units before it have
    been said in full. None when every unit found has been."""
    done: list[Passage] = []
    units: dict[tuple[str, str], Passage] = {}
    for p in answer.passages:
        units.setdefault(p.unit_key, p)
    for unit in units.values():
        pieces = pieces_of(unit, whole_unit=True)
        groups = [g for g in grouped(pieces) if not (len(g) == 1 and g[0].lead_in)]
        left = [g for g in groups if not any(p.text in said for p in g)]
        points = [g for g in left if g[0].is_item]
        chosen = [p for g in (points or left[:REST_SENTENCES]) for p in g]
        if not chosen:
            done.append(unit)
            continue
        chosen = Selection.with_their_items(pieces, chosen)
        rest = ExtractiveComposer.render(question, plan, unit, chosen, answer.passages)
        rest.text = MORE_POINTS.sub("", rest.text)  # every point not said before is shown now
        if done:
            names = "; ".join(d.chunk.label for d in done)
            rest.text = f"That was all of {names}. Beyond it, {unit.chunk.label}:\n{rest.text}"
        return rest
    return None


def unit_passage(answer: Answer) -> Passage | None:
    """The passage of the unit an answer's first quote comes from."""
    if not answer.citations:
        return None
    lead = answer.citations[0].chunk
    return next((p for p in answer.passages if p.unit_key == (lead.doc_id, lead.section)), None)
