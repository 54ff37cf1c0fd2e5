"""What "it" stands for in a follow-up: the thing the turn before asked about and its answer spoke of.

    resolved("who sits on it?", "they set up some kind of board - what was it for?", quotes)
    -> "who sits on the board?"          # the board is what the question before and its answer share

A follow-up that ends on "it" ("who sits on it?", "did they charge the customer for running it?") asks
about something it leaves unsaid. Its own words then come far from every passage, however plainly the
passage answers it ("The board is staffed with system architects..."), and are judged so. Said in full,
the question is searched and judged on what it asks about.
"""

from __future__ import annotations

import re

from ingest.text import tokenize

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


def resolved(question: str, question_before: str, quotes: list[str]) -> str:
    """The question with its closing "it" said in full, as the thing the turn before spoke of; the question
    as it is when it has no such "it", or the turn before names no thing."""
    if not OBJECT_IT.search(question) or (thing := antecedent(question_before, quotes)) is None:
        return question
    return OBJECT_IT.sub(f"the {thing}", question, count=1)
