"""Comparisons: "how is X different from Y?" answered with both units side by side.

    sides = comparison_sides("What's the difference between governance and management?")
    answer = side_by_side(question, [answer_x, answer_y])

The sides are read from the question's form (difference between X and Y, X vs Y, how does X differ
from Y, compare X with Y); each side is routed, retrieved, judged and composed on its own, and the two
answers are joined with their citations renumbered, so each side keeps its own grounding.
"""

from __future__ import annotations

import re

from assistant.compose import place_of
from assistant.types import Answer, Citation

# A thing a side can name: a case by number, or a phrase ending in what it is ("the machine-manufacturer
# case", "the strategic partnerships article", "the governance side").
KIND = r"(?:case|example|guide|paper|article|blog|piece|post|briefing|stage|phase|side)"
NAMED = rf"(?:case \d|the (?:[\w'’-]+ ){{0,4}}{KIND}|[\w-]+['’]s? {KIND})"
SIDES = [
    re.compile(r"\bdifferen(?:ce|ces|t) between (?P<a>.+?) and (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    re.compile(r"\bhow (?:is|are|does|do) (?P<a>.+?) differ(?:ent)? from (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    re.compile(rf"\b(?P<a>{NAMED}) (?:and|vs\.?|versus) (?P<b>{NAMED})\b", re.I),
    re.compile(
        rf"\b(?P<a>{NAMED}) (?:see|treat|view|describe)s? (?:it|this|that|them) differently "
        rf"(?:from|than|to) (?P<b>{NAMED})",
        re.I,
    ),
    re.compile(r"\bcompare (?P<a>.+?) (?:and|with|to) (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    re.compile(r"(?P<a>\b[\w' /-]{3,60}?) (?:vs\.?|versus) (?P<b>[\w' /-]{3,60})", re.I),
]
COMPARING = re.compile(r"\b(?:compare[sd]?|contrast|differen\w*|differ|between|vs\.?|versus)\b", re.I)
MIN_SIDE_WORDS = 1


def comparison_sides(question: str) -> list[tuple[str, str]] | None:
    """The two sides a question compares, each as (its name, the question put about it alone): the
    side's name with the rest of the question, its topic, outside the comparison ("Compare how case 2
    and case 3 charged" -> ("case 2", "case 2 how charged"))."""
    for pattern in SIDES:
        if m := pattern.search(question):
            a, b = m.group("a").strip(), m.group("b").strip()
            if len(a.split()) < MIN_SIDE_WORDS or len(b.split()) < MIN_SIDE_WORDS:
                continue
            rest = COMPARING.sub(" ", f"{question[: m.start()]} {question[m.end() :]}")
            rest = re.sub(r"\s+", " ", rest).strip(" ?.!,;-")
            return [(side, f"{side} {rest}".strip()) for side in (a, b)]
    return None


def side_by_side(question: str, sides: list[tuple[str, Answer]]) -> Answer:
    """The sides' answers joined under their names, one marker per cited place across both."""
    cited: list[tuple[str, str, int]] = []
    citations: list[Citation] = []
    parts = []
    for name, answer in sides:
        renumber: dict[int, int] = {}
        for c in answer.citations:
            place = place_of(c.chunk, c.quote)
            if place not in cited:
                cited.append(place)
            renumber[c.marker] = cited.index(place) + 1
            citations.append(Citation(renumber[c.marker], c.chunk, c.quote))
        text = re.sub(r"\[(\d+)\]", lambda m, r=renumber: f"[{r.get(int(m.group(1)), int(m.group(1)))}]", answer.text)
        parts.append(f"On {name}:\n{text}")
    passages = [p for _, a in sides for p in a.passages]
    first = sides[0][1]
    return Answer(question, "answered", "\n\n".join(parts), citations, passages, first.stage, first.case)
