"""Drafting asked for in words: "draft an MoU between Acme Ltd and Dealer plc to offer uptime services".

    draft = draft_for_request(drafter, question)   # a Draft, or None when the question asks for none

The request's own details go into the draft: the parties it names (capitalised names joined by
"and", after "between", "for" or "with"), the purpose it states ("to offer ...", "teaming up to ...",
"about ...") and the request itself as the context that picks the closest case.
"""

from __future__ import annotations

import re

from assistant.actions import VERBS
from assistant.clauses import purpose_phrase
from assistant.draft import Drafter
from assistant.drafts import Draft
from assistant.route import route

DRAFT_REQUEST = re.compile(r"\b(checklist|check-list|tick-?list|to-?do list|mou|memorandum|clauses?)\b", re.I)
DRAFT_VERB = re.compile(
    r"\b(draft|write|create|make|give|prepare|build|knock up|put together|checklist|to-?do)\b", re.I
)
MOU_REQUEST = re.compile(r"\b(mou|memorandum|clauses?)\b", re.I)
# An MoU is asked for with a verb in the form of a request: opening a sentence ("Draft an MoU ..."), after
# "you", "me" or "to" ("could you write", "help me draft", "I'd like to prepare"), or "give me/us ...",
# or as "I/we need an MoU". "What should a clause give?" or "how do partners create the memorandum?"
# ask about one.
MOU_ACTION = r"(?:draft|write|create|prepare|knock up|put together|throw together|produce)"
MOU_VERB = re.compile(
    rf"(?:^|[.?!:]\s+|\b(?:please|pls|you|me|us|to)\s+)(?:\w+ly\s+)?{MOU_ACTION}\b"
    r"|\bgive (?:me|us)\b|\b(?:i|we) (?:need|want|would like|'d like)\s+(?:a|an|the|our)\b",
    re.I,
)
# A stage named in a drafting request, even without the word "stage".
STAGE_NAMES = {
    "customer": r"\bcustomers?\b",
    "internal": r"\binternal\b",
    "propose": r"\bpropos",
    "design": r"\bdesign",
    "manage_deliver": r"\bmanag\w* and deliver|\bdeliver(?:y|ing)?\b",
}
# A company name as people type it: capitalised words, with "&", "of", "and Sons"-style joiners inside.
WORD = r"[A-Z][\w&.'’-]*"
SUFFIX = r"(?:plc|ltd|llc|inc|gmbh|ag|sa|bv|nv|co|oy|ab|as|spa|srl)\b\.?"
NAME = rf"{WORD}(?:\s+(?:{WORD}|{SUFFIX}|&|of|de|la|du|von|van|der)(?=\s+{WORD}|\b))*"
PARTIES = re.compile(rf"\b(?:between|for|with|of)\s+(?P<a>{NAME})(?:,\s*(?P<b>{NAME}))?\s+(?:and|&)\s+(?P<c>{NAME})")
PURPOSE = re.compile(
    r"\b(?:teaming up|partnering|working together|joining forces|collaborating|want(?:s)? to|plan(?:s|ning)? to|"
    r"aim(?:s|ing)? to|going to|in order to|so (?:that )?we can|purpose (?:is|of|:))\s+(?:to\s+)?"
    r"(?P<what>[^.?!;\n]{4,})",
    re.I,
)
ABOUT = re.compile(r"\b(?:about|on|covering|for the purpose of)\s+(?P<what>[^.?!;\n]{4,})", re.I)
TO_VERB = re.compile(r"\s+to\s+(?P<verb>\w+)\b(?P<rest>[^.?!;\n]*)")
STAGE_WORD = re.compile(r"\b(stage|phase)\b", re.I)
ENUMERATION = re.compile(r"\w+(?:\s+\w+)?,\s*\w+(?:\s+\w+)?,\s*(?:and\s+)?\w+|\b(?:etc|and so on)\b", re.I)
NOT_A_NAME = {"The", "Our", "We", "I", "An", "A", "MoU", "MOU", "Memorandum", "Draft", "Please", "Case"}


def parties_in(request: str) -> list[str]:
    """The parties a request names ("between Acme Ltd and Dealer plc"), in order; [] when it names none."""
    m = PARTIES.search(request)
    if not m:
        return []
    names = [n.strip(" .,'’") for n in (m["a"], m["b"], m["c"]) if n]
    return [] if any(n.split()[0] in NOT_A_NAME for n in names) else names


def purpose_in(request: str) -> str | None:
    """The purpose a request states, phrased to follow "The partnership's purpose is ..."."""
    m = PURPOSE.search(request)
    if m:
        return purpose_phrase(m["what"])
    named = PARTIES.search(request)
    after = request[named.end() :] if named else ""
    if (m := TO_VERB.match(after)) and m["verb"].lower() in VERBS:  # "... and Lumen Ltd to offer ..."
        return purpose_phrase(f"{m['verb']}{m['rest']}")
    m = ABOUT.search(request.split("\n")[0])
    if m and not DRAFT_REQUEST.search(m["what"]) and not PARTIES.search(m.group(0)):
        return m["what"].strip(" ,")
    return None


def draft_for_request(drafter: Drafter, question: str, stage: str | None = None) -> Draft | None:
    """A draft when the question asks for one ("draft a checklist for the design stage"), else None."""
    if not DRAFT_REQUEST.search(question) or not DRAFT_VERB.search(question):
        return None
    if MOU_REQUEST.search(question) and MOU_VERB.search(question):
        purpose = purpose_in(question)
        return drafter.mou(parties_in(question), {"purpose": purpose} if purpose else {}, context=question)
    if MOU_REQUEST.search(question):
        return None  # a question about the MoU, not a request for one
    plan = route(question, drafter.retriever, stage=stage)
    named = next((st for st, pattern in STAGE_NAMES.items() if re.search(pattern, question, re.I)), None)
    broad = bool(ENUMERATION.search(question))  # "money, teams, contract etc": the whole stage, not one step
    if plan.step and plan.stage and named != plan.stage and not broad and not STAGE_WORD.search(question):
        return drafter.checklist(stage=plan.stage, step=plan.step)
    if plan.stage or named:
        return drafter.checklist(stage=plan.stage or named)
    topic = re.sub(r".*\b(?:checklist|tick-?list|to-?do list)\b\s*(?:for|on|about)?\s*", "", question, flags=re.I)
    return drafter.checklist(topic=topic.strip(" ?.") or question)
