"""Comparisons: "how is X different from Y?" answered with both units side by side.

    answer = side_by_side(question, [answer_x, answer_y])

The sides are read from the question's form (`assistant.sides`); each side is routed, retrieved, judged
and composed on its own, and the two answers are joined with their citations renumbered, so each side
keeps its own grounding.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import takewhile

from assistant.compose import CARRIED_ON, Places
from assistant.pieces import leans_back
from assistant.route import expand
from assistant.sides import KIND
from assistant.types import Answer
from ingest.text import terms
from ingest.types import Chunk

# Words by which a sentence sets one thing against another ("The main difference is that dynamic change is
# driven by the partnership ..., while renewal ... by one partner").
CONTRAST = re.compile(
    r"\b(?:differen\w*|differs?|unlike|whereas|as opposed to|in contrast|compared (?:to|with)|rather than)\b"
    r"|\b(?:more|less|fewer|greater|smaller)\b[\w ,'’-]{1,60}\bthan\b",  # "has more implications for scale than"
    re.I,
)


def contrasts(sides: list[tuple[str, str]], answers: list[tuple[str, Answer]]) -> list[tuple[Chunk, str]]:
    """The sentences of each side's unit that set it against another side: a contrast word and a word of
    another side's question that this side's question does not have. The guidance's own comparison,
    which a side answered on its own words alone leaves out; none already quoted by a side."""
    quoted = {c.quote for _, a in answers for c in a.citations}
    # A side is named by its question's words and by the heading of the unit that answered it ("just
    # adapting as we go" was answered from "Dynamic change").
    named = [
        terms(asked) | (terms(a.citations[0].chunk.section.split(" > ")[-1]) if a.citations else set())
        for (_, asked), (_, a) in zip(sides, answers, strict=True)
    ]
    found: list[tuple[Chunk, str]] = []
    for i, (_, answer) in enumerate(answers):
        if not answer.citations:
            continue
        own = named[i]
        others = set().union(*(named[j] for j in range(len(sides)) if j != i)) - own
        lead = answer.citations[0].chunk
        unit = unit_of(lead, [answer])
        for c in unit:
            pieces = c.pieces()
            for at, (text, item) in enumerate(pieces):
                sets_apart = not item and CONTRAST.search(text) and terms(text) & others
                if sets_apart and text not in quoted and (c, text) not in found:
                    found.append((c, text))
                    # What it goes on to ("...different reasons than dynamic change. One would be...") with it.
                    after = takewhile(lambda p: not p[1] and leans_back(p[0]), pieces[at + 1 : at + 1 + CARRIED_ON])
                    found.extend((c, t) for t, _ in after if t not in quoted and (c, t) not in found)
    return found


def side_by_side(question: str, sides: list[tuple[str, Answer]], lead: list[tuple[Chunk, str]] | None = None) -> Answer:
    """The sides' answers joined under their names (a side named "" is not headed), one marker per cited
    place across both; `lead`: the guidance's own sentences comparing them (`contrasts`), quoted first."""
    places = Places()
    parts = []
    if lead:
        said = [places.cite(chunk, quote) for chunk, quote in lead]
        parts.append("How the guidance tells them apart:\n" + " ".join(said))
        # Each side is then summed up by its opening, the one the comparison was made in too: the comparison
        # already says how they differ, and the whole of either (the Renew step's points on case 3) would
        # bury that.
        sides = [(name, opening_of(a)) for name, a in sides]
    for name, answer in sides:
        renumber: dict[int, int] = {}
        for c in answer.citations:
            renumber[c.marker] = places.marker(c.chunk, c.quote)
        text = re.sub(r"\[(\d+)\]", lambda m, r=renumber: f"[{r.get(int(m.group(1)), int(m.group(1)))}]", answer.text)
        parts.append(f"On {name}:\n{text}" if name else text)  # an unnamed side follows on from the one before
    passages = [p for _, a in sides for p in a.passages]
    first = sides[0][1]
    return Answer(question, "answered", "\n\n".join(parts), places.citations, passages, first.stage, first.case)


def unit_of(chunk: Chunk, answers: list[Answer]) -> list[Chunk]:
    """The unit of the answers' passages that holds `chunk`."""
    return next((p.unit for a in answers for p in a.passages if chunk in p.unit), [chunk])


def opening_of(answer: Answer) -> Answer:
    """The answer's first paragraph that quotes (after a heading such as "Case 3 of ...:"), with the
    citations it uses."""
    lines = answer.text.split("\n")
    upto = next((i for i, line in enumerate(lines) if re.search(r"\[\d+\]", line)), 0)
    first = "\n".join(lines[: upto + 1])
    used = {int(m) for m in re.findall(r"\[(\d+)\]", first)}
    return replace(answer, text=first, citations=[c for c in answer.citations if c.marker in used])


# A side that lists several ideas ("outsourcing, managed services"): each is a side of its own.
IDEA_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|vs\.?|versus)\s+", re.I)
ARTICLE = re.compile(r"^(?:(?:a|an|the|plain|simple|straight|proper|real)\s+)+", re.I)
# Where the question looks, after an idea: "partnerships in the TM Forum guide", "... according to Willetts".
PLACE = re.compile(rf"\s+(?:in|from|according to|by)\s+(?:the\s+)?(?=[\w'’ -]*(?:\b[A-Z]|\b{KIND}\b))[\w'’ -]*$")
SUBJECT_WORDS = 16  # a sentence defines an idea it names among its first words (`defines`)


def ideas(names: list[str]) -> list[str]:
    """The ideas the sides name, one each ("outsourcing, managed services" is two), without what follows
    a dash ("partnership - what's the real difference")."""
    parts = [p for name in names for p in IDEA_SEPARATOR.split(re.split(r"\s+[-–—]\s+|[?!.]", name)[0])]
    out = [PLACE.sub("", ARTICLE.sub("", p.strip(" '‘’\"“”"))).strip() for p in parts]
    return [i for i in dict.fromkeys(out) if terms(i)]


def opens_on(idea: str, text: str) -> bool:
    """The sentence's first word is the idea's (its plural too): "Outsourcing (as opposed to ...) is"."""
    first = re.findall(r"\w+", idea)[:1]
    return bool(first) and bool(re.match(rf"\W*{re.escape(first[0])}", text, re.I))


def defines(idea: str, text: str) -> int | None:
    """How far after naming the idea the sentence says "is" or "are", when it names it among its first
    words: it says what the idea is ("managed services are usually ...", "Outsourcing (as opposed to
    in-sourcing ...) is an approach"); None when it does not."""
    words = [re.escape(w) for w in re.findall(r"\w+", idea)]
    said = rf"\b{words[0]}\w*" + "".join(rf"\W+{w}\w*" for w in words[1:])
    m = re.search(said, text, re.I)
    if not m or len(text[: m.start()].split()) >= SUBJECT_WORDS:
        return None
    verb = re.search(r"\b(?:is|are)\b", text[m.end() : m.end() + 80])
    return verb.start() if verb else None


GOES_ON = re.compile(r"^(?:it|they|this|these|such)\b", re.I)  # a sentence that goes on about the one before


def continued(said: list[tuple[Chunk, str, bool]], sentence: str) -> tuple[Chunk, str] | None:
    """The sentence after this one in its section, when it goes on about the same thing ("Outsourcing is
    an approach best used in ... It is often an arms-length relationship"), not a list item."""
    at = next((n for n, (_, text, _) in enumerate(said) if text == sentence), None)
    if at is None or at + 1 >= len(said):
        return None
    chunk, text, is_item = said[at + 1]
    return (chunk, text) if not is_item and GOES_ON.match(text) else None


def from_the_idea(idea: str, text: str) -> str:
    """The sentence from where it opens on the idea, past a lead-in run into it ("Figure 1 shows some of
    these key differences among the 3 types of relationships: Outsourcing (as opposed to ...) is ...")."""
    parts = text.split(": ")
    rest = next((": ".join(parts[n:]) for n in range(1, len(parts)) if opens_on(idea, ": ".join(parts[n:]))), None)
    return rest if rest is not None and not opens_on(idea, text) else text


# "Sell To: ...": up to four capitalised words and a colon
LABEL = re.compile(r"^\W*([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}):\s")


def labelled(sentence: str) -> str | None:
    """The label a sentence opens on ("sell to" of "Sell To: You are the supplier"), lower-cased, or None."""
    return m.group(1).lower() if (m := LABEL.match(sentence)) else None


def defined_apart(question: str, names: list[str], unit: list[Chunk]) -> Answer | None:
    """Ideas one section sets apart ("outsourcing vs managed services vs a partnership"), each with the
    sentence of that section that defines it: one that names it among its first words and no other idea
    (else the first that names it), then the section's sentences that set two of them against each other.
    None when an idea has no sentence there."""
    pieces = [(c, text, is_item) for c in unit for text, is_item in c.pieces()]
    said = [(c, text) for c, text, _ in pieces]
    asked = ideas(names)
    wanted = [terms(expand(i)) for i in asked]
    chosen: list[tuple[str, Chunk, str]] = []
    for idea, words in zip(asked, wanted, strict=True):
        others = set().union(*(w for w in wanted if w is not words)) - words
        own = idea.lower()
        # a sentence that opens on a label ("Sell To: You are the supplier...") defines what the label names
        naming = [(c, t) for c, t in said if words <= terms(t) and labelled(t) in (None, own)]
        if not naming:
            return None
        # The sentence that says soonest what the idea is, one naming no other idea first among equals.
        # A sentence that opens on the idea ("Partnerships take this ... and are") before one naming it later, and
        # one labelled as the idea ("Sell With: ...") before both.
        defining = [
            (labelled(t) != own, not opens_on(idea, t), d, bool(terms(t) & others), c, t)
            for c, t in naming
            if (d := defines(idea, t)) is not None
        ]
        named_first = min(naming, key=lambda ct: labelled(ct[1]) != own)  # stable: else the first
        *_, c, text = min(defining, key=lambda x: x[:4]) if defining else (True, True, 0, False, *named_first)
        chosen.append((idea, c, from_the_idea(idea, text)))
        if more := continued(pieces, text):
            chosen.append(("", *more))
    quoted = {t for _, _, t in chosen}
    apart = [
        (c, t)
        for c, t in said
        if t not in quoted and CONTRAST.search(t) and sum(bool(w & terms(t)) for w in wanted) >= 2
    ][:2]
    places = Places()
    lines = [f"How {unit[0].title} tells them apart:"]
    for idea, c, text in chosen:
        if idea and labelled(text) == idea.lower():  # it names itself: "Sell With: You and your partner..."
            lines.append(f"- {places.cite(c, text)}")
        elif idea:
            lines.append(f"- {idea[:1].upper()}{idea[1:]}: {places.cite(c, text)}")
        else:  # the sentence that goes on about the idea defined just before
            lines[-1] += f" {places.cite(c, text)}"

    lines += [places.cite(c, t) for c, t in apart]
    return Answer(question, "answered", "\n".join(lines), places.citations, [], None, None)
