"""Comparisons: "how is X different from Y?" answered with both units side by side.

    sides = comparison_sides("What's the difference between governance and management?")
    answer = side_by_side(question, [answer_x, answer_y])

The sides are read from the question's form (difference between X and Y, X vs Y, how does X differ
from Y, compare X with Y); each side is routed, retrieved, judged and composed on its own, and the two
answers are joined with their citations renumbered, so each side keeps its own grounding.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import takewhile

from assistant.compose import CARRIED_ON, Places
from assistant.pieces import leans_back
from assistant.route import CASE_NUMBER, expand, step_phrases
from assistant.types import Answer
from ingest.text import stems, terms
from ingest.types import Chunk

# A thing a side can name: a case by number, or a phrase ending in what it is ("the machine-manufacturer
# case", "the strategic partnerships article", "the governance side").
KIND = r"(?:case|example|guide|paper|article|blog|piece|post|briefing|stage|phase|side)"
NAMED = rf"(?:case \d|the (?:[\w'’-]+ ){{0,4}}{KIND}|[\w-]+['’]s? {KIND})"
# A term the question quotes: its marks are not an apostrophe inside a word ("the partner's change").
QUOTED = r"(?<!\w)['‘\"“][\w' -]{3,40}?['’\"”](?!\w)"
# What a quoted term may be called, and said of the next ("a 'renew' step and a separate 'dynamic change' step").
PART_NOUN = r"(?:step|stage|phase|part|bit|idea|term|thing)s?"
QUALIFIER = r"(?:(?:a|an|the|another|separate|different|whole)\s+){0,2}"
TERM = r"[a-z][\w'-]*(?: [a-z][\w'-]*){0,2}?"  # a term the question lists unquoted: a word or three
SIDES = [
    re.compile(r"\bdifferen(?:ce|ces|t) between (?P<a>.+?) and (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    re.compile(r"\bhow (?:is|are|was|were|does|do|did) (?P<a>.+?) differ(?:ent)? from (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    # "How do the TM Forum guide and the strategic partnerships article differ in ...?"
    re.compile(r"\bhow (?:do|did|does) (?P<a>.+?) and (?P<b>.+?) differ\b", re.I),
    # "How does the Partner Everywhere paper's view of governance compare with what the TM Forum guide says?"
    re.compile(
        rf"\b(?P<a>{NAMED})(?:['’]s)?(?P<topic>\b.{{0,60}}?)\bcompares? (?:with|to|against) (?:what )?(?P<b>{NAMED})",
        re.I,
    ),
    re.compile(rf"\b(?P<a>{NAMED}) (?:and|vs\.?|versus) (?P<b>{NAMED})\b", re.I),
    re.compile(
        rf"\b(?P<a>{NAMED}) (?:see|treat|view|describe)s? (?P<topic>[\w'’ -]{{1,40}}?) differently "
        rf"(?:from|than|to) (?P<b>{NAMED})",
        re.I,
    ),
    re.compile(r"\bcompare (?P<a>.+?) (?:and|with|to) (?P<b>.+?)(?=[?.!,;]|$)", re.I),
    # "explain how managed services are different from outsourcing", "whether X really differs from Y"
    re.compile(
        r"\b(?:how|whether|if) (?P<a>[\w'’ -]+?) (?:(?:is|are) (?:really |actually )?(?:different|distinct)|"
        r"(?:really |actually )?differs?) from (?P<b>.+?)(?=[?.!,;]|$)",
        re.I,
    ),
    # "people treat 'outsourcing', 'managed service' and 'partnership' as the same thing": the terms quoted
    re.compile(
        rf"(?P<a>{QUOTED})(?:\s+{PART_NOUN}(?:\s*,\s*|\s+and\s+|\s+or\s+){QUALIFIER}|\s*,\s*|\s+and\s+|\s+or\s+)"
        rf"(?P<b>{QUOTED}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){QUALIFIER}{QUOTED})*)"
        r"(?=.*\b(?:the same|interchangeabl\w*|tell (?:\w+ )?apart|differ\w*)\b)",
        re.I,
    ),
    # ... or listed unquoted after the verb that uses them ("people use outsourcing, managed services and
    # partnership as if they mean the same thing"): each term a word or three, the list closed by what is said of it
    re.compile(
        rf"\b(?:use|uses|using|say|says|saying|call|calls|treat|treats|confuse|confuses|mix up|lump together)\s+"
        rf"(?P<a>{TERM}),\s+(?P<b>{TERM}(?:,\s+{TERM})*,?\s+(?:and|or)\s+{TERM})"
        r"(?=\s+(?:as (?:if|though)|as (?:the same|one|interchangeabl\w*)|interchangeabl\w*|like they)\b)",
        re.I,
    ),
    re.compile(r"(?P<a>\b[\w' /-]{3,60}?) (?:vs\.?|versus) (?P<b>[\w' /-]{3,60})", re.I),
]
# "What's the difference between the two?", "how do they differ?": the sides are named elsewhere in
# the question (or in the turns before it), as cases by number or as stages by their one-word names.
BACK_REFERENCE = re.compile(
    r"\b(?:differen\w*|differ|compare[sd]?|contrast)\b.{0,40}\b(?:the two|both|them|they|these|those|each other)\b"
    r"|\b(?:the two|both|they|these|those)\b.{0,40}\b(?:differ\w*|compare|contrast)\b"
    # "Aren't those really the same thing?", "are the two just the same?"
    r"|\b(?:are|aren't|aren’t|is|isn't|isn’t)(?: not)? (?:the two|both|they|these|those|them)\b"
    r".{0,25}\bthe same(?: thing)?\b",
    re.I,
)
# A stage named by its one-word name: after a preposition ("in design and then again in delivery"), or as
# "the ... stage/phase". Customer and internal are everyday words, so they count only with "stage".
STAGE_NAMES = {
    "customer": ("customer", r"customer"),
    "internal": ("internal", r"internal"),
    "propose": ("proposal", r"propos(?:e|al|ing)"),
    "design": ("design", r"design(?:ing)?"),
    "manage_deliver": ("delivery", r"deliver(?:y|ing)?|manag(?:e|ing) and deliver(?:y|ing)?"),
}
BARE_STAGES = ("propose", "design", "manage_deliver")
STAGE_MENTION = re.compile(
    rf"\b(?:the (?P<staged>{'|'.join(p for _, p in STAGE_NAMES.values())}) (?:stage|phase)"
    rf"|(?:in|at|during) (?:the )?(?P<bare>{'|'.join(STAGE_NAMES[s][1] for s in BARE_STAGES)}))\b",
    re.I,
)
# Two stages named side by side by their one-word names ("propose or design", "design vs delivery").
BARE = "|".join(STAGE_NAMES[s][1] for s in BARE_STAGES)
PAIRED_STAGES = re.compile(rf"\b({BARE}) (?:or|and|vs\.?|versus|then) ({BARE})\b", re.I)
COMPARING = re.compile(r"\b(?:compare[sd]?|contrast|differen\w*|differ|between|vs\.?|versus)\b", re.I)
MIN_SIDE_WORDS = 1


def comparison_sides(
    question: str, earlier: tuple[str, ...] | list[str] = (), steps: list[tuple[str, str]] | None = None
) -> list[tuple[str, str]] | None:
    """The two sides a question compares, each as (its name, the question put about it alone): the
    side's name with the rest of the question, its topic, outside the comparison ("Compare how case 2
    and case 3 charged" -> ("case 2", "case 2 how charged"))."""
    for pattern in SIDES:
        if m := pattern.search(question):
            a, b = re.sub(r"^how\s+", "", m.group("a").strip(), flags=re.I), m.group("b").strip()
            a, b = (quoted_term(side) for side in (a, b))
            if len(a.split()) < MIN_SIDE_WORDS or len(b.split()) < MIN_SIDE_WORDS:
                continue
            topic = m.groupdict().get("topic") or ""  # "does A see governance differently from B?"
            rest = plain(COMPARING.sub(" ", f"{question[: m.start()]} {topic} {question[m.end() :]}"))
            return [(side, f"{side} {rest}".strip()) for side in (a, b)]
    return referred_sides(question, list(earlier), steps or [])


def quoted_term(side: str) -> str:
    """A side named in quotes is the term quoted ("'dynamic change' in the partnership framework" -> "dynamic
    change"): the words after it say where the term is used, not what it is."""
    m = re.fullmatch(r"\s*['‘\"“](?P<term>[^'’\"”]+)['’\"”](?:\s+(?:in|of|from|within)\s+.*)?", side)
    return m["term"].strip() if m else side


# A comparison's scaffolding, which is no side's topic: "what's the ... of the two", "both talk about".
SCAFFOLDING = re.compile(
    r"\b(?:what(?:'s|’s| is| are)?(?: the)?|the two|both|each other|(?:talks?|says?|speaks?) about)\b"
    r"|\bhow (?:do|does|did|is|are|was|were)\b|\b(?:in )?how they\b|\btells? (?:you|us) to\b|\bsays?\b"
    r"|\b(?:it|this|that|them|they)\b(?= ?[?.!]|$)",
    re.I,
)


def plain(rest: str) -> str:
    rest = SCAFFOLDING.sub(" ", rest)
    rest = re.sub(r"\s+([?.!,;:])", r"\1", re.sub(r"\s+", " ", rest))
    return re.sub(r"(?:^|(?<=[.?!] ))[?.!,;:]\s*", "", rest).strip(" ?.!,;:-")


def referred_sides(question: str, earlier: list[str], steps: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The sides of "what's the difference between the two?", read from the question's other sentences
    or, failing that, from the turns before it (most recent first): two cases by number or two stages.
    Each side is asked as the topic (the question's and the mentions' remaining words) in that case or
    stage."""
    if not BACK_REFERENCE.search(question):
        return None
    for text in [question, " ".join([*earlier[-2:], question])]:
        named = mentions(text)
        if len(named) == 2:
            rest = CASE_OR_STAGE.sub(" ", text)
            rest = COMPARING.sub(" ", BACK_REFERENCE.sub(" ", rest))
            rest = re.sub(r"\s+", " ", rest).strip(" ?.!,;-")
            return [(side, f"{rest} in {side}".strip()) for side in named]
    for text in [question, " ".join([*earlier[-2:], question])]:
        found = named_steps(text, steps)  # "the go/no-go decision or the MoU? ... the difference between them"
        if len(found) == 2:
            rest = COMPARING.sub(" ", BACK_REFERENCE.sub(" ", without_phrases(expand(text), found)))
            rest = re.sub(r"\s+", " ", rest).strip(" ?.!,;-")
            # nothing asked of them but what they are, once the words that say where they are go
            if not terms(plain(STEP_WORD.sub(" ", CASE_OR_STAGE.sub(" ", rest)))):
                return [(step, f"What is the {step} step?") for step in found]
            return [(step, f"{rest} {step}".strip()) for step in found]
    return None


def named_steps(text: str, steps: list[tuple[str, str]]) -> list[str]:
    """The distinct framework steps a text names by their headings or short forms, in the text's order."""
    said = " " + " ".join(stems(expand(text))) + " "  # "renewal" names the step "Renew"
    at: dict[str, tuple[int, int]] = {}
    for _, sp in steps:
        for p in step_phrases(sp):
            words = stems(p)
            if len(words) == 1 and len(p.split()) > 1:  # "why partnering" is not "partnering"
                continue
            phrase = f" {' '.join(words)} "
            if words and (i := said.find(phrase)) >= 0 and (sp not in at or i < at[sp][0]):
                at[sp] = (i, i + len(phrase))
    # a step named inside another's name is not named: "management structure" is not also "Structure"
    inside = {
        a for a, (i, j) in at.items() for b, (k, m) in at.items() if a != b and k <= i and j <= m and m - k > j - i
    }
    return sorted((sp for sp in at if sp not in inside), key=lambda sp: at[sp][0])


def without_phrases(text: str, steps: list[str]) -> str:
    for p in (p for sp in steps for p in step_phrases(sp)):
        words = r"\w*\W+".join(map(re.escape, re.findall(r"\w+", p)))  # as written or inflected ("renewal")
        text = re.sub(rf"\b{words}\w*", " ", text, flags=re.I)
    return text


# Words that tell where steps are ("the design stage has a governance step and a ... step"), not what is compared.
STEP_WORD = re.compile(r"\b(?:steps?|stages?|phases?|has|have|had)\b", re.I)
CASE_OR_STAGE = re.compile(rf"{CASE_NUMBER.pattern}|{STAGE_MENTION.pattern}", re.I)


def mentions(text: str) -> list[str]:
    """The distinct cases ("case 2") or stages ("the design stage") a text names, in order; cases and
    stages are not mixed (a case is compared with a case)."""
    cases = list(dict.fromkeys(f"case {m.group(1)}" for m in CASE_NUMBER.finditer(text)))
    if cases:
        return cases
    stages = []
    words = [(m.group("staged") or m.group("bare")).lower() for m in STAGE_MENTION.finditer(text)]
    if not words and (pair := PAIRED_STAGES.search(text)):  # "propose or design - which comes first?"
        words = [pair.group(1).lower(), pair.group(2).lower()]
    for word in words:
        spoken = next(name for name, pattern in STAGE_NAMES.values() if re.fullmatch(pattern, word))
        stages.append(f"the {spoken} stage")
    return list(dict.fromkeys(stages))


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
