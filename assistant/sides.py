"""The sides a comparison question names: "how is X different from Y?", "X vs Y", "compare X with Y",
quoted terms taken for the same thing, or "the two" named in the question's other sentences or the turns
before it.

    sides = comparison_sides("What's the difference between governance and management?")
    # [("governance", "governance"), ("management", "management")]

Each side comes with the question put about it alone, which `assistant.compare` answers on its own.
"""

from __future__ import annotations

import re

from assistant.route import CASE_NUMBER, expand, step_phrases
from ingest.text import stems, terms

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
RECIPROCAL = re.compile(r"^(?:one another|each other)\b", re.I)


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
            if len(a.split()) < MIN_SIDE_WORDS or len(b.split()) < MIN_SIDE_WORDS or RECIPROCAL.match(b):
                continue  # "how do A, B and C differ from one another?": the sides are listed before "differ"
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
