"""Drafting asked for in words: "draft an MoU between Acme Ltd and Dealer plc to offer uptime services".

    draft = draft_for_request(drafter, question)   # a Draft, or None when the question asks for none

The request's own details go into the draft: the parties it names (capitalised names joined by
"and", after "between", "for" or "with"), the purpose it states ("to offer ...", "teaming up to ...",
"about ...") and the request itself as the context that picks the closest case.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.actions import VERBS
from assistant.clauses import purpose_phrase
from assistant.draft import Drafter
from assistant.drafts import Draft
from assistant.figures import asks_for_figure
from assistant.route import Route, route

# A list to work through, by its everyday names ("tick-list", "to-do list", "step by step list"), and
# "a list of things to check", which is a request only in a request's form ("I need a list of things to
# check"): "the blog has a list of questions" asks about one.
CHECKLIST_NOUN = r"check-?list|tick-?list|to-?do list|(?:step[- ]by[- ]step|action|check) list"
LIST_OF = r"list of (?:things|steps|actions|items|questions|points)\b"
MOU_NOUN = r"mou|memo(?:randum)?|clauses?"
DRAFT_REQUEST = re.compile(rf"\b({CHECKLIST_NOUN}|{LIST_OF}|{MOU_NOUN})\b", re.I)
NAMED_DRAFT = re.compile(rf"\b(?:{CHECKLIST_NOUN}|{MOU_NOUN})\b", re.I)  # a draft named as such, not "a list of"
DRAFT_VERB = re.compile(
    rf"\b(draft|write|create|make|give|prepare|build|knock up|put together|do (?:me|us)|{CHECKLIST_NOUN})\b", re.I
)
# A request that opens on drafting ("Draft an exit clause with 90 or 180 days' notice") is one, whatever figures it
# names.
DRAFT_VERB_OPENS = re.compile(r"^\W*(?:please\s+)?(?:draft|write|create|prepare|make|give|build|put together)\b", re.I)
MOU_REQUEST = re.compile(rf"\b({MOU_NOUN})\b", re.I)
# An MoU (or a list of things) is asked for with a verb in the form of a request: opening a sentence
# ("Draft an MoU ..."), after "you", "me" or "to" ("could you write", "help me draft", "I'd like to
# prepare"), or "give me/us ...", or as "I/we need an MoU", "can we get/have one", "is there one".
# "What should a clause give?", "how do partners create the memorandum?" or "do we need an NDA at the
# MoU stage?" ask about one, and "we're about to write up an MoU" tells what the asker is doing.
REQUEST_ACTION = (
    r"(?:draft|write(?: up)?|create|prepare|knock up|put together|throw together|produce|make|give|build|compile)"
)
REQUEST_FORM = re.compile(
    rf"(?:^|[.?!:]\s+|\b(?:please|pls|you|me|us)\s+|(?<!about )(?<!going )(?<!planning )(?<!starting )\bto\s+)"
    rf"(?:\w+ly\s+)?{REQUEST_ACTION}\b"
    r"|\b(?:give|do|help|make) (?:me|us)\b|\b(?:you|please|pls)\s+do\s+(?:a|an)\b"
    r"|(?<!do )(?<!did )(?<!should )(?<!would )(?<!will )(?<!must )\b(?:i|we)\s*(?:need|want|would like|'d like)"
    r"\s+(?:a|an|the|our)\b"
    r"|(?:^|[.?!:]\s+)(?:need|want)\s+(?:a|an|the|our)\b"
    r"|\bcan (?:i|we) (?:get|have)\b|\b(?:is there|any chance of|looking for) (?:a|an)\b",
    re.I,
)
# A stage named in a drafting request, even without the word "stage".
STAGE_NAMES = {
    "customer": r"\bcustomers?\b",
    "internal": r"\binternal(?:ly)?\b",
    "propose": r"\bpropos",
    "design": r"\bdesign",
    "manage_deliver": r"\bmanag\w* and deliver|\bdeliver(?:y|ing)?\b",
}
# A company name as people type it: capitalised words, with "&", "of", "and Sons"-style joiners inside,
# perhaps in quotes; a full stop ends it ("... Blue Fjord AS. The aim is ...").
WORD = r"[A-Z][\w&'’-]*"
SUFFIX = r"(?i:plc|ltd|llc|inc|gmbh|ag|sa|bv|nv|co|oy|ab|as|spa|srl|s\.r\.o|a\.s|pty|sarl|sas|kg|corp|limited)\b\.?"
ABBREVIATED = re.compile(r"\s(?:co|ltd|inc|corp|bros)$", re.I)  # legal forms written with a stop: "Co."
DOTTED = r"(?i:(?:[a-z]{1,2}\.){2,3})"  # a legal form written with full stops ("K.K.", "S.A."), which ends a name
# A suffix may end on its full stop ("Kestrel Data Co. and ..."), after which no word boundary follows. A name
# may open on "the" ("the University of Leeds"), as typed.
NAME = (
    rf"(?:the\s+)?{WORD}(?:\s+(?!{DOTTED})(?:{WORD}|{SUFFIX}|&|of|de|la|du|von|van|der)(?=\s+{WORD}|\b|(?<=\.)))*"
    rf"(?:\s+{DOTTED})?"
)
Q = r"['\"‘’“”]?"
# Who the second party is to the first, said between "and" and its name: "and its dealer, Grant Brothers".
ROLE = r"(?:(?:its|their|our|his|her)\s+[a-z]+(?:\s+[a-z]+)?,\s+)?"
# Two or three parties: "between A and B", "for A, B & C", "parties are A and B", "MoU: A & B".
PARTIES = re.compile(
    rf"(?:\b(?i:between|for|with|of)|:|\b(?i:parties(?: are)?):?)\s+{Q}(?P<a>{NAME}){Q}"
    rf"(?:,\s*{Q}(?P<b>{NAME}){Q})?\s+(?:and|&|\+)\s+{ROLE}{Q}(?P<c>{NAME}){Q}"
)
# Two parties joined by "+", whose names may hold "and": "Marsh and Boyd Engineering + Tessellate Software".
NAME_WITH_AND = rf"{WORD}(?:\s+(?!{DOTTED})(?:{WORD}|{SUFFIX}|&|and|of)(?=\s+{WORD}|\b|(?<=\.)))*(?:\s+{DOTTED})?"
PLUS = re.compile(rf"(?:^|[:\s]){Q}(?P<a>{NAME_WITH_AND}){Q}\s*\+\s*{Q}(?P<c>{NAME_WITH_AND}){Q}")
# One party named beside the user's own side: "an MoU with Harlow Foods Ltd", "for us (Pinewood Media) and
# Castle Print Ltd", "partnering with Greenloop Recycling Ltd".
OURS = re.compile(
    rf"\b(?:us|we|our (?:firm|company|side))\s*\(\s*{Q}(?P<name>{NAME}){Q}\s*\)"
    rf"|\b(?i:we['’]re|we are|i['’]m from|i am from)\s+{Q}(?P<own>{NAME}){Q}"
)
# Two parties named in a request typed all in lower case: "between nordvik marine and tessaro robotics to ...".
LOWER_NAME = r"(?!(?:us|we|me|you|them|our|your|their|the|a|an|both|each)\b)[a-z][\w&'’-]*(?:\s+[a-z][\w&'’-]*){0,3}?"
TYPED_LOWER = re.compile(
    rf"\bbetween\s+(?P<a>{LOWER_NAME})\s+(?:and|&)\s+(?P<c>{LOWER_NAME})"
    r"(?=\s+(?:to|for|on|about|so|in order|covering)\b|\s*[,.?!;:]|\s*$)"
)
OTHER = re.compile(rf"\b(?:with|and)\s+{Q}(?P<name>{NAME}){Q}")
PURPOSE = re.compile(
    r"\b(?:teaming up|partnering|working together|joining forces|collaborating|want(?:s)? to|plan(?:s|ning)? to|"
    r"aim(?:s|ing)? to|going to|in order to|so (?:that )?we can|"
    r"(?:aim|goal|idea|objective|purpose) (?:is|of)|purpose:)\s+"
    rf"(?:with\s+{Q}(?-i:{NAME}){Q},?\s+)?(?:(?:to|on|in|around|for)\s+)?"
    r"(?P<what>[^.?!;\n]{4,})",
    re.I,
)
# A purpose stated as such ("the purpose being to co-bid on ...", "our aim is to ..."), before any other
# phrase that may tell one ("we're about to partner with ...").
STATED_PURPOSE = re.compile(
    r"\b(?:aim|goal|idea|objective|purpose)(?:\s+(?:is|being|here is|would be)|:)\s+(?P<what>[^.?!;\n]{4,})",
    re.I,
)
ABOUT = re.compile(r"\b(?:about|on|covering|for the purpose of)\s+(?P<what>[^.?!;\n]{4,})", re.I)
TO_VERB = re.compile(r"\s+to\s+(?P<adverb>\w+ly\s+)?(?P<verb>\w+)\b(?P<rest>[^.?!;\n]*)")
# What the parties are named for: "between A and B for a managed service", "... on fleet telematics",
# "A & B, shared rural mast network".
FOR_WHAT = re.compile(
    r"(?:\s*,\s*(?:(?:for|on|covering|around)\s+)?(?!please|thanks|asap|if\b|as\b|so\b|we\b|i\b)"
    r"|\s+(?:for|on|covering|around)\s+)(?P<what>[^.?!;\n]{4,})",
    re.I,
)
STAGE_WORD = re.compile(r"\b(stage|phase)\b", re.I)
# Three or more short phrases in a row ("money, teams, contract", "who does what, how money gets split, who's
# in charge"): the request spans the stage's steps.
ENUMERATION = re.compile(r"(?:[\w'’-]+(?:\s+[\w'’-]+){0,3}\s*,\s*){2,}(?:and\s+)?[\w'’-]+|\b(?:etc|and so on)\b", re.I)
NOT_A_NAME = {"The", "Our", "We", "I", "An", "A", "MoU", "MOU", "Memorandum", "Draft", "Please", "Case"}


def named_parties(request: str) -> tuple[list[str], int]:
    """The parties a request names, in order, and where their names end; ([], 0) when it names none."""
    if m := PLUS.search(request) or PARTIES.search(request):
        groups = [g for g in ("a", "b", "c") if m.groupdict().get(g)]
        # the full stop of an abbreviated legal form the name's last word left behind ("Kestrel Data Co. - ...")
        names = [
            m[g] + "." if request[m.end(g) : m.end(g) + 1] == "." and ABBREVIATED.search(m[g]) else m[g] for g in groups
        ]
        end = m.end()
    else:
        ours = OURS.search(request)
        other = OTHER.search(request, ours.end() if ours else 0)
        found = [m for m in (ours, other) if m]
        names, end = [m["name"] or m.groupdict().get("own") for m in found], max((m.end() for m in found), default=0)
    if not names and (m := TYPED_LOWER.search(request)) and not re.search(r"[A-Z]", request[1:]):
        names, end = [m["a"], m["c"]], m.end()  # a request typed all in lower case names them so
    # A name keeps the full stop of its legal form ("Ostrava Aerospace s.r.o.", "Kestrel Data Co.").
    names = [n.strip(" ,'’") if re.search(rf"\s(?:{SUFFIX}|{DOTTED})$", n) else n.strip(" .,'’") for n in names]
    # "and the MoU" names the draft, not a party: the word after the article is read
    if not names or any(re.sub(r"^the\s+", "", n).split()[0] in NOT_A_NAME for n in names):
        return [], 0
    return names, end


def parties_in(request: str) -> list[str]:
    """The parties a request names ("between Acme Ltd and Dealer plc"), in order; [] when it names none.
    One name beside the user's own side ("an MoU with Harlow Foods Ltd") is the one party named."""
    return named_parties(request)[0]


def purpose_in(request: str) -> str | None:
    """The purpose a request states, phrased to follow "The partnership's purpose is ..."."""
    m = STATED_PURPOSE.search(request) or PURPOSE.search(request)
    if m:
        return purpose_phrase(m["what"])
    names, end = named_parties(request)
    after = request[end:] if names else ""
    if (m := TO_VERB.match(after)) and m["verb"].lower() in VERBS:  # "... and Lumen Ltd to (jointly) offer ..."
        return purpose_phrase(f"{m['adverb'] or ''}{m['verb']}{m['rest']}")
    if (m := FOR_WHAT.match(after)) and not DRAFT_REQUEST.search(m["what"]):
        return purpose_phrase(m["what"])
    m = ABOUT.search(request.split("\n")[0])
    if m and not DRAFT_REQUEST.search(m["what"]) and not PARTIES.search(m.group(0)):
        return m["what"].strip(" ,")
    return None


def draft_for_request(drafter: Drafter, question: str, stage: str | None = None) -> Draft | None:
    """A draft when the question asks for one ("draft a checklist for the design stage"), else None."""
    if asks_for_figure(question) and not DRAFT_VERB_OPENS.search(question):
        return None  # "We want a termination clause. What notice period is standard?": a question, not a draft
    parties = parties_in(question)
    # An MoU named with the parties it is between ("MoU needed: Acme Ltd and Beta plc", "our board wants an
    # MoU signed. Parties are ...") is asked for, whatever the verb.
    requested = bool(REQUEST_FORM.search(question)) or bool(parties and MOU_REQUEST.search(question))
    if not DRAFT_REQUEST.search(question) or not (requested or DRAFT_VERB.search(question)):
        return None
    if not requested and not NAMED_DRAFT.search(question):
        return None  # "the article gives a list of questions": a list of things is drafted only when asked for
    checklist = re.search(CHECKLIST_NOUN, question, re.I)
    mou = MOU_REQUEST.search(question)
    if (
        checklist
        and mou
        and (checklist.start() < mou.start() or (asked_in(question, checklist) and not asked_in(question, mou)))
    ):
        # "a checklist for when we've signed the memorandum", "We signed the memorandum last week. Could you give
        # me a checklist ...?": a checklist, the MoU its moment
        mou = None
    if mou and (requested or parties):
        purpose = purpose_in(question)
        return drafter.mou(parties, {"purpose": purpose} if purpose else {}, context=question)
    if mou:
        return None  # a question about the MoU, not a request for one
    plan = route(question, drafter.retriever, stage=stage)
    # The stage named first in what the checklist is asked for: "running it day to day and delivering to
    # customers" is delivery, "getting clear on the customer - ... how we'll deliver" the customer.
    topic = asked_topic(question)
    said = sorted((m.start(), st) for st, pattern in STAGE_NAMES.items() if (m := re.search(pattern, topic, re.I)))
    named = said[0][1] if said else None
    broad = bool(ENUMERATION.search(question))  # "money, teams, contract etc": the whole stage, not one step
    if plan.step and plan.stage and named != plan.stage and not broad and not STAGE_WORD.search(question):
        return drafter.checklist(*closest_step(drafter, question, (plan.stage, plan.step)))
    if plan.stage or named:
        return drafter.checklist(stage=plan.stage or named)
    if scope := checklist_scope(drafter, question, topic):
        return drafter.checklist(stage=scope[0], step=scope[1])
    return drafter.checklist(topic=topic)


def asked_in(question: str, found: re.Match[str]) -> bool:
    """The draft found is named in a sentence that asks for one, not one that tells what was done."""
    sentence = next(s for s in re.finditer(r"[^.?!]*(?:[.?!]+|$)", question) if s.end() >= found.end())
    return bool(REQUEST_FORM.search(sentence.group().strip()))


def asked_topic(question: str) -> str:
    """What a checklist is asked to be about: the words after "checklist for", else the request."""
    m = re.search(
        rf"\b(?:{CHECKLIST_NOUN}|{LIST_OF})\s*(?:for|on|about|to|covering)\s+(?P<topic>[^?.!]+)", question, re.I
    )
    if not m:
        return question.strip(" ?.")
    topic = m["topic"].strip()
    # the sentences before the one asking for the checklist
    before = " ".join(re.split(r"(?<=[.?!])\s+", question[: m.start()].strip())[:-1])
    if POINTS_BACK.search(topic) and len(topic.split()) <= POINTING_WORDS and before:  # "for that": what was told
        return f"{before} {topic}"
    return topic


# A pronoun standing for what the request told before ("a checklist for that", "one covering all of that",
# "for that whole piece").
POINTS_BACK = re.compile(r"^(?:all\s+(?:of\s+)?)?(?:that|this|these|those|it|them)\b|\b(?:that|this|it|them)\W*$", re.I)
POINTING_WORDS = 3  # "all of that", "that whole piece": a pointer, not a topic of its own


# The aspects a request lists ("our strategy, why we'd partner, risks, and when we'd walk away"), each read
# on its own.
ASPECTS = re.compile(r"\s*(?:,|;|\s-\s|\band\b)\s*", re.I)
ASPECT_CHARS = 3  # "risks" is an aspect; "a" is not
STEP_RANKS = 2  # a framework step among the first passages found for an aspect is what the aspect asks
STAGE_RANKS = 5  # the passages whose steps tell which stage a request for "the stage where..." means
MIN_ASPECTS = 3  # parts a sentence joins for it to list what a checklist covers
STEP_POOL = 12  # passages searched for the steps closest to a request


def checklist_scope(drafter: Drafter, question: str, topic: str) -> tuple[str, str | None] | None:
    """The stage and step (None for the whole stage) a checklist request asks for in its own words, when
    the framework's structure tells. The aspects it lists ("liabilities, what happens to the IP, seconded
    staff") each find a step: mostly one step is that step's checklist; mostly one stage, the stage's when
    what it asks a checklist for finds a step of that stage first, or none. Else what it asks a checklist
    for finds a step first, unless it asks for "the stage where...", whose steps found first are then
    mostly of one stage. None: a checklist on the topic. `topic`: what it asks a checklist for
    (`asked_topic`)."""
    asked = route(topic, drafter.retriever)
    first = drafter.retriever.search(asked, STEP_RANKS)
    step = (first[0].chunk.stage, first[0].chunk.step) if first and first[0].chunk.step else None
    listing = next((s for s in re.split(r"(?<=[.?!])\s+", question) if lists_aspects(s)), None)
    if listing:  # the sentence that lists them, each aspect on its own
        found: list[tuple[str, str | None]] = []
        for aspect in (a for a in ASPECTS.split(listing) if len(a) > ASPECT_CHARS):
            passages = drafter.retriever.search(route(aspect, drafter.retriever), STEP_RANKS)
            found += [(p.chunk.stage, p.chunk.step) for p in passages[:1] if p.chunk.stage and not p.chunk.case]
        steps = Counter(f for f in found if f[1]).most_common(1)
        if steps and steps[0][1] * 2 > len(found) and steps[0][1] > 1:
            return steps[0][0]  # the aspects of one step ("liabilities, IP, seconded staff": exit)
        stages = Counter(st for st, _ in found).most_common(1)
        if stages and stages[0][1] * 2 > len(found) and stages[0][1] > 1 and (step is None or step[0] == stages[0][0]):
            return stages[0][0], None
    if step and not STAGE_WORD.search(question):
        return step  # one step's matter, in other words
    if STAGE_WORD.search(question):  # "the stage where...": the stages of the framework passages found first
        passages = drafter.retriever.search(asked, STAGE_RANKS)
        stages = Counter(
            p.chunk.stage for p in passages if p.chunk.stage and (p.chunk.step or not p.chunk.case)
        ).most_common(1)
        if stages and stages[0][1] * 2 > len(passages) and stages[0][1] > 1:
            return stages[0][0], None
    return None


def lists_aspects(sentence: str) -> bool:
    """The sentence lists what the checklist is to cover: a run of short phrases, or three or more parts
    joined by commas and "and" ("why we'd do this together, writing down a shared vision and sketching
    who brings what")."""
    parts = [a for a in ASPECTS.split(sentence) if len(a) > ASPECT_CHARS]
    return bool(ENUMERATION.search(sentence)) or len(parts) >= MIN_ASPECTS


def framework_steps(drafter: Drafter, text: str, k: int = STEP_POOL) -> list[tuple[str, str]]:
    """The framework's steps, closest first, to what a request says as a whole: its steps only are searched,
    as "the framework" is (`Route.general`), so no case nor other document takes a place."""
    found: list[tuple[str, str]] = []
    for p in drafter.retriever.search(Route(text, general=True), k):
        if p.chunk.stage and p.chunk.step and (p.chunk.stage, p.chunk.step) not in found:
            found.append((p.chunk.stage, p.chunk.step))
    return found


def closest_step(drafter: Drafter, question: str, step: tuple[str, str]) -> tuple[str, str]:
    """The step a request's checklist is on: the step the request as a whole finds first among the
    framework's steps, which the step its words name (`step`) is only when they agree. A heading word used
    in passing ("the KPIs that must look right before we say yes" is not the Performance step, "a technical
    review panel" not the Review step) gives way to what the request is about. Whether the named step should
    stand when it came second was measured on the blind dev requests: it lost one, and won none."""
    closest = framework_steps(drafter, question)
    return closest[0] if closest else step
