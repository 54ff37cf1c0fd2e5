"""Where what was just said came from: "which case was that?", "where does that come from?", and a question
that asks it and more ("which case was that, and how did they get unstuck?").

    answer = came_from(chat, "which case was that, and what did they learn from it?")
    # "That was Case 3. ..." then case 3's lessons learnt, one marker per cited place across both

The case is the one the turn before was about or answered from alone; what the question asks after naming
it is asked in that case, routed and judged for coverage as any question is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer import CAME_FROM, WHICH_CASE_ASKED
from assistant.compare import side_by_side
from assistant.parts import ASKING, MIN_PART_WORDS
from assistant.route import Route
from assistant.types import Answer, Citation, Passage

if TYPE_CHECKING:
    from assistant.conversation import Conversation

# What a question asks after asking which case it was: an asking clause joined by "and" ("which case was that,
# and why did the integrator need that partner?").
ASKED_THEN = re.compile(rf"(?:\?\s*|,\s*|\s+)(?:and|also|plus)\b,?\s*(?P<then>\b{ASKING}\b[^?]*)\??\s*$", re.I)


def source_of(citation: Citation) -> str:
    """Where a quote came from, as an answer names it: its section and its document."""
    return f"{citation.chunk.label} ({citation.chunk.title})"


def asked_then(question: str) -> str | None:
    """The question a "which case was that?" goes on to ask, as its own question; None when it asks no more."""
    which = WHICH_CASE_ASKED.search(question)
    then = ASKED_THEN.search(question, which.end()) if which else None
    if then is None or len(then.group("then").split()) < MIN_PART_WORDS:
        return None
    return then.group("then").strip() + "?"


def came_from(chat: Conversation, question: str) -> Answer | None:
    """ "Which case was that?": the case the turn before was about or answered from alone, by its number,
    then what the question goes on to ask, answered in that case; for an answer drawn from no case that
    sends the reader to none, where it came from. None when the answer before sent the reader to cases
    ("see case 2"), which the question is then searched among, or when the question asks more than which
    case and the turn before was in none ("which case had that board, and who sits on it?")."""
    before = chat.turns[-1][1]
    if told := before.case or before.told:
        plan = replace(before, case=told)
        chat.turns.append((question, plan))
        return and_then(chat, question, chat.assistant.name_case(question, plan))
    cases = list(dict.fromkeys(n for n, _ in before.links))
    asks_where = bool(CAME_FROM.search(question))  # "where does that come from?" asks where, whatever its words
    if asks_where and cases and chat.cited:
        return linked_cases(chat, question, before, cases)
    if before.links or not chat.cited or (chat.content(question) and not asks_where):
        return None  # "which case had that board, and who sits on it?"
    first = chat.cited[0]
    came = f"it came from {source_of(first)}."
    came = f"I{came[1:]}" if asks_where else f"That was not from one of the case studies: {came}"
    text = f"{came} {first.quote} [1]"  # the quote it opened on, as "That was Case 3." is followed
    chat.turns.append((question, before))
    return Answer(question, "answered", text, [replace(first, marker=1)], [], before.stage, None)


def and_then(chat: Conversation, question: str, named: Answer) -> Answer:
    """The case named, then the answer to what the question goes on to ask, asked in that case; the case
    alone when the question asks no more, or when the case does not cover what it asks."""
    then = asked_then(question)
    if then is None or named.case is None:
        return named
    plan = replace(chat.plan(then, case=named.case), case=named.case, named=True, follows=True)
    own = chat.assistant.answer(then, plan, suggest=False)
    if own.status != "answered":
        return named
    both = side_by_side(question, [("", named), ("", own)])
    both.case = named.case
    return both


def linked_cases(chat: Conversation, question: str, before: Route, cases: list[int]) -> Answer:
    """ "Where does that lesson come from?" after an answer whose points say "(see case 3)": the section it
    came from, and each point that sends the reader to a case; one case also by its opening."""
    said = [f"Case {n}" for n in cases]
    named = " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)
    lines = [f"It came from {source_of(chat.cited[0])}, which points to {named}:"]
    citations: list[Citation] = []
    for n in cases:
        link = next(c for c in chat.cited if f"case {n}" in c.quote.lower())
        citations.append(replace(link, marker=len(citations) + 1))
        lines.append(f"- {link.quote} [{len(citations)}]")
    passages = []
    if len(cases) == 1:
        opening, told = chat.assistant.case_opening(cases[0])
        citations.append(Citation(len(citations) + 1, opening, told))
        lines.append(f"Case {cases[0]}: {told} [{len(citations)}]")
        passages = [Passage(opening, 1.0)]
    chat.turns.append((question, replace(before, case=cases[0]) if len(cases) == 1 else before))
    return Answer(question, "answered", "\n".join(lines), citations, passages, before.stage, None)
