"""What "it" and "the last one" stand for in a follow-up: what the turn before asked about.

    resolved("who sits on it?", "they set up some kind of board - what was it for?", quotes)
    -> "who sits on the board?"          # the board is what the question before and its answer share
    resolved("and the last one?", "how do outsourcing, managed services and partnerships differ?", quotes)
    -> "and partnerships?"               # the last of the things the question before named

A follow-up that ends on "it" ("who sits on it?", "did they charge the customer for running it?") asks
about something it leaves unsaid. Its own words then come far from every passage, however plainly the
passage answers it ("The board is staffed with system architects..."), and are judged so. Said in full,
the question is searched and judged on what it asks about.
"""

from __future__ import annotations

import re

from assistant.route import PLACE_WORDS, PLACES
from ingest.text import STOPWORDS, tokenize

# "it" that ends a clause is an object ("who sits on it?", "for running it?"), not a subject ("is it binding?").
OBJECT_IT = re.compile(r"\bit\b(?=\s*(?:[?.!,;]|$))", re.I)
MIN_WORD_CHARS = 3
# "It" is one thing: "the customers" the question before offered to is not what "paying for it" is about.
PLURAL = re.compile(r"[^su]s$")
# Words that are no thing "it" can stand for: questions, pointers, verbs of asking and doing.
NOT_A_THING = {
    "what", "which", "who", "how", "why", "when", "where", "case", "cases", "example", "story", "kind", "sort",
    "set", "get", "got", "make", "made", "does", "did", "doing", "done", "say", "says", "said", "tell", "about",
    "they", "them", "their", "this", "that", "these", "those", "there", "here", "then", "also", "some", "any",
    "should", "would", "could", "actually", "really", "just", "like", "look", "looks", "need", "needs",
}  # fmt: skip


def antecedent(question_before: str, quotes: list[str]) -> str | None:
    """The thing the question before spoke of last that its answer's quotes speak of too ("board" of "they
    set up some kind of board - what was it for?"); None when the quotes use none of its words."""
    quoted = set().union(*(tokenize(q) for q in quotes))
    things = [w for w in tokenize(question_before) if len(w) >= MIN_WORD_CHARS and w not in NOT_A_THING]
    return next((w for w in reversed(things) if w in quoted and not PLURAL.search(w)), None)


# Things a question names in a row ("outsourcing, managed services and partnerships"): two or more before
# "and" or "or", each of up to three words.
ITEM = r"[\w'’-]+(?: [\w'’-]+){0,2}"
LISTED = re.compile(rf"(?P<first>{ITEM}),\s+(?P<middle>(?:{ITEM},\s+)*{ITEM}),?\s+(?:and|or)\s+(?P<last>{ITEM})", re.I)
# Where an item begins and ends: after the word that introduces the row, before the words that follow it.
ITEM_OPENS = re.compile(r".*\b(?:between|of|about|among|compare|comparing|like|including|are|is)\s+", re.I)
ITEM_ENDS = re.compile(
    r"\s+(?:in|on|for|from|at|within|according|under|when|as|to|compare|differ|work|stack|fit|rank)\b.*$", re.I
)
ARTICLES = {"a", "an", "the"}
BY_PLACE = re.compile(rf"\bthe ({PLACE_WORDS})(?: one)?\b", re.I)


def named_in_a_row(question: str) -> list[str]:
    """The things a question names in a row, in its order; [] when it names none so."""
    m = LISTED.search(question)
    if m is None:
        return []
    middle = [i.strip() for i in m.group("middle").split(",") if i.strip()]
    last = ITEM_ENDS.sub("", m.group("last"))
    # the first item is as long as the last ("pick a reseller, ... or a distributor": "a reseller")
    first = ITEM_OPENS.sub("", m.group("first")).split()[-len(last.split()) :]
    while len(first) > 1 and first[0].lower() in STOPWORDS - ARTICLES:  # "do leasing": "leasing"
        first.pop(0)
    return [" ".join(first), *middle, last]


def resolved(question: str, question_before: str, quotes: list[str]) -> str:
    """The question with what it points back at said in full: "the last one" as the last of the things the
    question before named in a row, a closing "it" as the thing the turn before spoke of; the question as
    it is when it points at nothing the turn before names."""
    if (place := BY_PLACE.search(question)) and (row := named_in_a_row(question_before)):
        at = PLACES[place.group(1).lower()]
        if -len(row) <= at < len(row):
            return question[: place.start()] + row[at] + question[place.end() :]
    if not OBJECT_IT.search(question) or (thing := antecedent(question_before, quotes)) is None:
        return question
    return OBJECT_IT.sub(f"the {thing}", question, count=1)
