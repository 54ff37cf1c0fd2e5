"""Figures a question asks for, and whether a passage states them: "how many partners?", "what share?",
"the usual notice period", "how often does the board meet?".

    figure_stated_in("how many partners should we exit from?", passages, 0.39)  # None: asks for none
    frequency_stated_in("how often does the board meet?", passages, 0.39)       # where "monthly" is said

The coverage judge (`assistant.judge`) refuses a question after a figure no close passage states, and
answers from the passage that states it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.route import CASE_NUMBER
from assistant.types import Passage
from ingest.text import stem, terms
from ingest.types import Chunk

COUNT_ASKED = re.compile(r"\bhow many (\w+)", re.I)
COPULA = r"(?:is|are|was|were)"
FIGURE_NOUNS = r"(?:percentage|proportion|share|fraction|amount|split|rate|ratio)\b"
# What the figure is of, or a figure of a kind ("what's a usual profit split?").
OWNED = (
    r"(?:the|its|their|our|your|his|her|this|that|each|\w+['’]s"
    r"|an? (?:usual|typical|normal|standard|fair|reasonable|good|common|sensible|realistic))\b"
)
AMOUNT_ASKED = re.compile(
    r"\bhow much\b|\bhow long\b"
    # "What share of the gains...?", "what was the split?", "what's their revenue?": a figure of something
    # the question sets out with an article or an owner; "what is gain share?", "what is value slippage?"
    # ask what a term means.
    rf"|\bwhat (?!{COPULA}\b)(?:[\w-]+ ){{0,3}}{FIGURE_NOUNS}"
    rf"|\bwhat(?:['’]?s| {COPULA}) (?:[\w-]+ ){{0,2}}{OWNED} (?:[\w-]+ ){{0,3}}{FIGURE_NOUNS}"
    r"|\bas an? (?:percentage|proportion|fraction)\b|\bin per ?cent\b"
    rf"|\bwhat(?:['’]?s| {COPULA}) (?:\w+ ){{0,2}}{OWNED} (?:\w+(?:'s)? ){{0,3}}"
    r"(?:revenue|turnover|profit|salary|market share|budget|headcount|value|worth)\b"
    # "is there a standard notice period?", "what's the usual contract length?": a duration asked for
    r"|\b(?:is there|what(?:['’]?s| is| are)?) (?:an? |the )?"
    r"(?:standard|typical|usual|normal|minimum|maximum|set|fixed) (?:[\w-]+ ){0,2}(?:period|duration|length)\b"
    # ... or named first ("what notice period is normal?", "what contract length is typical for this?")
    r"|\bwhat (?:[\w-]+ ){0,2}(?:period|duration|length|term)s? (?:is|are|would be) "
    r"(?:standard|typical|usual|normal|customary)\b",
    re.I,
)
# A limit asked for ("what minimum score do we need?") is a figure even when put as advice.
LIMIT_ASKED = re.compile(
    r"\bwhat(?:['’]?s| is| are| was| were)? (?:the )?(?:\w+ )?(?:minimum|maximum|threshold|cut-?off)\b", re.I
)
# A sum of money asked for ("how much should we budget for year one?", "what salary (range) should we offer?") is a
# figure even when put as advice: the guidance would have to state a sum. "How much should we charge?" is left
# to the guidance, which says what to charge for.
MONEY_ASKED = re.compile(
    r"\bhow much (?:[\w'’-]+ ){0,3}(?:pay|paid|spend|spent|budget|cost|costs)\b"
    r"|\bwhat (?:[\w'’-]+ ){0,2}(?:salary|salaries|wages?|fees?|budget)(?: (?:range|level|band|bracket)s?)? "
    r"(?:should|would|could|do|does|is|are|to)\b",
    re.I,
)
# A question after a name ("what was the company called?", "what's the name of the partner?") is
# answered only where a close piece names something: a capitalised word inside a sentence.
NAME_ASKED = re.compile(
    r"\bnames? of\b|\bwhat (?:is|was|are|were) (?:it|they|the \w+(?: \w+)?) called\b|\bcalled what\b"
    r"|\bwhich (?:[\w-]+ )?(?:company|companies|firm|manufacturer|organi[sz]ation|supplier|vendor|provider|country"
    r"|countries|system|tool|software|platform|product|brand)s? (?:is|was|are|were|did|do|does)\b"
    # "who was the foundation client?": who one party was is its name ("who were the end customers?" is told)
    r"|\bwho was the\b",
    re.I,
)
# "Which country's law should govern it?", "which arbitration body should we name?": a law, court or forum by
# its name, asked even as advice; it is stated only where a close piece names one (the word and a name).
# "Which competition law issues come up?" asks about issues, not for a law: the law or forum ends what is asked.
LEGAL_NAME_ASKED = re.compile(
    r"\bwhich (?:[\w-]+(?:['’]s)? )?"
    r"(laws?|jurisdictions?|courts?|arbitrat\w*(?: (?:body|bodies|institution|centre|forum))?)"
    r"(?= (?:should|would|does|do|did|is|are|applies|apply|governs?|will|must|can|could|to|we|our)\b|\s*[?,.;]|\s*$)",
    re.I,
)
# "Which project management software would you recommend?": a product by its name, asked even as advice; the
# guidance names software only where a close piece names a product.
SOFTWARE_ASKED = re.compile(
    r"\bwhich (?:[\w-]+ ){0,3}(?:software|apps?|packages?)\b(?= (?:would|should|could|can|do|does|is|are|to|we|you)\b)",
    re.I,
)
UNIT = r"(?:days?|weeks?|months?|years?|hours?)\b"
# Figures offered as the answer's alternatives ("30, 60 or 90 days?", "a 50/50 or 60/40 split?"): the
# question asks which figure, however it is put, even as advice ("should we give 30 or 60 days?").
OPTIONS_ASKED = re.compile(
    r"\b\d[\d,./]*\s?%?(?:\s*,\s*\d[\d,./]*\s?%?)*,?\s+or\s+\d"
    # ... each put as a question of its own ("90 days? 6 months?", "50/50? 60/40?")
    rf"|\b\d[\d,./]*\s?(?:%|{UNIT})?\s*\?\s*(?:or\s+)?\d[\d,./]*\s?(?:%|{UNIT})?\s*\?"
    # ... or one figure put up to be confirmed ("is 30/70 the standard?", "is 20% fair?")
    r"|\b(?:is|are|was|were)\s+(?:a\s+)?\d{1,3}(?:\s?/\s?\d{1,3}|\s?%|\s?per ?cent)\s+(?:\w+\s+){0,2}"
    r"(?:standard|normal|typical|usual|fair|reasonable|right|enough)\b",
    re.I,
)
PROPER_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
ADVICE = re.compile(r"\b(?:should|shall|could|would|can|must|need|ought|best|supposed to|meant to)\b", re.I)
NUMBER = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|dozens?|hundreds|thousands?|millions?|billions?)"
)
AMOUNT = re.compile(
    rf"[£$€]\s?\d|\b{NUMBER}\s?(?:%|percent\b|per cent\b|(?:years?|months?|weeks?|days?|hours?)\b)"
    r"|\b\d[\d,.]*\s?(?:m|bn|k)\b",
    re.I,
)

DURATION = re.compile(r"(?:years?|months?|weeks?|days?|hours?|minutes?)['’]?", re.I)
YEAR_ASKED = re.compile(r"\bwhat year\b|\bin which year\b|\bwhen did\b", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


# Where a question's sentences, and the clauses of one ("Which firm should we hire, and how many days does
# a check take?"), part.
CLAUSES = re.compile(r"(?<=[.?!])\s+|[,;]\s+(?=(?:and|but|or)\s+(?:how|what|which|when|who)\b)", re.I)


FIGURE_ASKED = (COUNT_ASKED, AMOUNT_ASKED, LIMIT_ASKED, OPTIONS_ASKED, MONEY_ASKED, YEAR_ASKED)


def asks_for_figure(question: str) -> bool:
    """Whether the question asks for a figure: a count, an amount or share, a limit, one of figures offered,
    a year ("what notice period is standard, 90 days?")."""
    return any(p.search(question) for p in FIGURE_ASKED)


def asking_sentence(question: str) -> str:
    """The sentence (or clause) of a question that asks after a figure ("What share is fair? I need a
    number." -> the first; "Which firm should we hire, and how many days does it take?" -> the second):
    only there does "should" or "need" make it a request for advice."""
    for sentence in CLAUSES.split(question):
        if asks_for_figure(sentence) or NAME_ASKED.search(sentence):
            return sentence
    return question


# "How many should we track?" counts what the question counted before ("Sixty KPIs for one partnership").
AUXILIARY = {"should", "would", "could", "can", "do", "does", "did", "are", "is", "will", "must", "of"}
COUNTED = re.compile(rf"\b{NUMBER}\s+([A-Za-z][\w-]*s)\b", re.I)


# The words after "how many" that may name what it counts ("how many performance metrics to ...": the
# noun is the phrase's last word, and English puts up to two before it); the phrase ends at a word of these.
COUNTED_WORDS = 3
PHRASE_ENDS = AUXILIARY | {"to", "in", "for", "on", "at", "with", "we", "you", "they", "i", "there", "per", "that"}


def counted_nouns(question: str, at: int) -> list[str]:
    """What "how many" (ending at `at`) counts: the words of the phrase after it, or, when that opens on a
    verb ("how many should we track?"), the plural the question gives a number of; the word after it when
    it gives none."""
    words = re.findall(r"[\w'’-]+", question[at:])[:COUNTED_WORDS]
    if words and words[0].lower() in AUXILIARY:
        return [m.group(1) if (m := COUNTED.search(question)) else words[0]]
    phrase = []
    for word in words:
        if word.lower() in PHRASE_ENDS:
            break
        phrase.append(word)
    return phrase or words[:1]


DURATION_OF = re.compile(r"\b([a-z]+)\s+(?:period|duration|length|term)\b", re.I)
DURATION_WORDS = {"standard", "typical", "usual", "normal", "minimum", "maximum", "set", "fixed", "the", "a", "an"}


def names_something(text: str, common: frozenset[str]) -> bool:
    """The text names something: a word capitalised inside a sentence that is not one of `common`."""
    return any(m.group().lower() not in common for m in PROPER_NAME.finditer(text))


def figure_stated_in(
    question: str,
    passages: list[Passage],
    min_closest: float,
    as_advice: bool = False,
    common: frozenset[str] = frozenset(),
) -> list[Passage] | None:
    """The passages that state the kind of figure a question after a figure asks for; None when it asks
    for none. A figure asked for as advice ("how many metrics should we set?") asks for none, unless
    `as_advice`: then the passages that state one are still found, for the answer to lead with.

    The figure must sit in a piece (sentence or point) that is itself close to the question in meaning
    (`min_closest`, the judge's own bar), in a chunk that mentions one of the names the question
    mentions, if any. "How many X" needs a number just before an X; "how much" and the like need an
    amount: a sum, a percentage, a duration, a year. A law or a product is named by a word the corpus
    never writes in lower case (`common`: the words it does): "People" of a table's "...; People &
    processes" names nothing."""
    if legal := LEGAL_NAME_ASKED.search(question):
        noun = legal.group(1).lower()[:5]  # "law", "juris", "court", "arbit"
        return stating(
            passages, min_closest, lambda chunk, text: noun in text.lower() and names_something(text, common)
        )
    if SOFTWARE_ASKED.search(question):
        return stating(passages, min_closest, lambda chunk, text: names_something(text, common))
    duration = (m := COUNT_ASKED.search(question)) and DURATION.fullmatch(m.group(1))
    # a limit, figures offered, a sum: each a figure even when asked as advice
    firm = LIMIT_ASKED.search(question) or OPTIONS_ASKED.search(question) or MONEY_ASKED.search(question)
    if ADVICE.search(asking_sentence(question)) and not firm and not duration and not as_advice:
        return None
    asked = CASE_NUMBER.sub("", question)
    names = terms(" ".join(re.findall(r"(?<!^)\b[A-Z]\w*", asked)))
    of_what = ""  # what a duration asked for is of, which the stating sentence names
    if count := COUNT_ASKED.search(question):
        counted = "|".join(re.escape(stem(w.lower())) for w in counted_nouns(question, count.start(1)))
        figure = re.compile(rf"\b{NUMBER}\s+(?:[\w'’-]+\s+){{0,2}}(?:{counted})", re.I)
    elif YEAR_ASKED.search(question):
        figure = YEAR
    elif AMOUNT_ASKED.search(question) or firm:
        figure = AMOUNT
        # A duration of something ("the usual notice period") is stated where that something is named too:
        # "covered a period of roughly four years" is no notice period.
        if (of := DURATION_OF.search(asked)) and of.group(1).lower() not in DURATION_WORDS:
            of_what = stem(of.group(1).lower())
    elif NAME_ASKED.search(question):
        figure = PROPER_NAME
    else:
        return None

    def says(chunk: Chunk, text: str) -> bool:
        return bool(
            figure.search(text) and (not names or names & terms(chunk.text)) and (not of_what or of_what in terms(text))
        )

    return stating(passages, min_closest, says)


# How often something happens, asked ("how often does the board meet?"), and stated ("on a monthly basis").
FREQUENCY_ASKED = re.compile(r"\bhow (?:often|frequently|regularly)\b", re.I)
FREQUENCY = re.compile(
    r"\b(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly|every (?:\w+ )?(?:day|week|month|quarter|year)s?"
    r"|(?:once|twice) an? (?:day|week|month|quarter|year)|on an? (?:daily|weekly|monthly|quarterly|yearly) basis)\b",
    re.I,
)


def frequency_stated_in(question: str, passages: list[Passage], min_closest: float) -> list[Passage]:
    """The passages (as found where they say it) with a piece close to a question asking how often that
    states a frequency. A frequency no passage states is not a reason to refuse: how often to review may be
    answered by what a review is for."""
    if not FREQUENCY_ASKED.search(question):
        return []
    return stating(passages, min_closest, lambda _, text: bool(FREQUENCY.search(text)))


STATING_PASSAGES = 5  # of the passages found, those a figure asked for may be stated in


def stating(passages: list[Passage], min_closest: float, says: Callable[[Chunk, str], bool]) -> list[Passage]:
    """The passages, each as found where it says it (its chunk, for the answer to quote), with a piece
    close to the question (`min_closest`) that says what is asked (`says`: a figure, a frequency)."""
    out = []
    for p in passages[:STATING_PASSAGES]:
        chunk = next(
            (
                c
                for c in p.unit
                for pid, text, _ in c.keyed_pieces()
                if p.fit.get(pid, 0.0) >= min_closest and says(c, text)
            ),
            None,
        )
        if chunk is not None:
            out.append(replace(p, chunk=chunk, chunks=[chunk]))
    return out


def states_figure(question: str, passages: list[Passage], min_closest: float) -> bool:
    """Whether a passage states the figure the question asks for (or it asks for none)."""
    return figure_stated_in(question, passages, min_closest) != []
