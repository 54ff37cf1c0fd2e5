"""Routing: what a question says about the corpus's structure.

    plan = route("What did the dealer network case learn?", retriever)
    plan.case  -> 2

Decided from the question, the index's own metadata and the embeddings, never from a list of
known questions:
- a case by number ("case 3"), or by its story when the question speaks of a case, example or
  story without a number: the case whose passages the question's embedding is closest to;
- a step when the question names one of the framework's step headings (as indexed) or the short
  forms managers use for them (MoU, go/no-go);
- a stage when the question speaks of "the design stage", "the propose phase", and so on;
- a document when the question names one ("the TM Forum guide", "in Willetts' article", "the strategic
  partnerships article"): a word of its title that no other title has, written as a name (capitalised),
  after "according to", or just before a word for a document; a title word counts as a name only when
  at most NAME_SPREAD documents use it, so "partnerships" never names one (`assistant.documents`).
A case or a document becomes a filter (a document that does not cover the question is a refusal, not
another document's answer); a stage or step lifts its passages; an explicit stage narrows to it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.documents import named_document, titled_after_noun, without_name
from assistant.errors import UserError
from assistant.stories import story_told
from ingest.text import stem, terms, tokenize
from ingest.types import STAGES, Chunk

if TYPE_CHECKING:
    from assistant.retrieve import HybridRetriever

# Short forms users write for the corpus's terms; expanded before matching and keyword search.
SHORT_FORMS = {
    r"\bmou\b": "memorandum of understanding",
    r"\bnda\b": "non-disclosure agreement",
    r"\bkpis?\b": "KPI key performance indicators",
    r"\bip\b": "intellectual property IP",
    r"\bux\b": "user experience UX",
    r"\bgo[ /-]?no[ /-]?go\b": "go/no-go decision",
}
STAGE_WORDS = {
    "customer": r"customer (?:stage|phase)",
    "internal": r"internal (?:stage|phase|process)|partner.internal",
    "propose": r"propos(?:e|al|ing) (?:stage|phase)|propose",
    "design": r"design (?:stage|phase|process)|designing the partnership",
    "manage_deliver": (
        r"manag(?:e|ing) and deliver|deliver(?:y)? (?:stage|phase)|execution phase|manage (?:stage|phase)"
    ),
}
# Words that ask for one part of a case.
PART_WORDS = {
    # ... and what a reader calls them: "what went wrong?", "any pitfalls?", "mistakes to avoid"
    "lessons_learnt": r"\blearn\w*|\blessons?\b(?:(?: \w+){0,2} dr[ae]wn?\b)?|\btake[- ]?aways?\b|\btake away from\b"
    r"|\bwent wrong\b|\bpitfalls?\b|\bmistakes?\b|\bthe hard way\b|\bwatch out for\b",
    # "What happened?" asks for the story; "what happened after that?" for what came next.
    "background": r"\bbackground\b|what happened\b(?! (?:after|next|then|once|when))|\bstory\b|\boverview\b"
    r"|\bsummar\w*|\btell me\b",
    # ... and how it got going: "how did they set the venture up?", "how did they get things started?",
    # "how did it begin?", "how did they kick off?"
    "process_followed": r"\bprocess\b|\bset (?:[\w-]+ ){0,3}up\b|\bsteps?\b|\bstart(?:ed)?\b|\bbeg[ia]n\b"
    r"|\bget (?:it|things) going\b"
    r"|\bkick(?:ed)? (?:it |things )?off\b",
    # Who the customers were, not any mention of a customer ("did they share the savings with the customer?").
    "customers": r"\bwho (?:were|are|was|is) (?:the |their |its )?(?:end )?(?:customers?|clients?|users?)\b"
    # ... not the customers as who did something ("why did the customers reject the first offer?")
    r"|(?<!\bdid )(?<!\bdo )(?<!\bdoes )(?<!\bwould )(?<!\bwill )(?<!\bcould )(?<!\bhave )(?<!\bhad )"
    r"\b(?:the|their|its) (?:end )?(?:customers|clients)\b|\bend (?:customers?|users?)\b",
}
# The framework's steps are the corpus's spine (a stage's steps say what to do and consider); among
# passages that match a question about as well, a step's is preferred. Chosen on the dev split: 0.1,
# 0.2 and 0.35 each took acceptable answers from 0.43 to 0.47 (stage questions 0.25 -> 0.31), none lost.
FRAMEWORK_LIFT = 0.2
# The weight of a case's closest passage by meaning beside its story words (scored 0-1) when a question
# tells a case by its story. Dev split (12 such questions): 1 -> 10 right, 2 and 4 -> 11; function words
# a story shares with a case ("took", "first") outweighed a passage that tells it.
STORY_MEANING = 2.0
# A phrase a question puts in quotes ("a 'honeymoon effect'") is a term it asks about by name: passages
# that use it are lifted as a named step's are.
QUOTED = re.compile(r"(?:(?<=\s)|^)[‘'\"“]([A-Za-z][^‘'\"“”’?]{2,60}?)[’'\"”](?=[\s.,;:?!)]|$)")
QUOTED_LIFT = 0.6
CASE_NUMBER = re.compile(r"\bcase\s*#?\s*(\d)\b", re.I)
CASE_TOLD = re.compile(r"(?<=\d)\s*\([^()]*\)")  # the case described in brackets after its number
# A place in what was listed or asked before ("the last one", "the latter"), as an index into it.
PLACES = {"first": 0, "former": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1, "latter": -1}
PLACE_WORDS = "|".join(PLACES)
# Words that speak of a case, or point at one as "the ... one" ("the machine manufacturer one").
# "The ... one" names a case only as a noun phrase: not "the review schedule for one of our partnerships", nor
# a place in what was listed or asked before ("the last one", "the latter one"), nor "the one" a clause says
# more of ("the one who takes the lead", "the one that sets out our aims", "the one we sign first"), where
# "the one with the dealers" tells a story.
CASE_WORDS = re.compile(
    r"\b(case|cases|example|story|case study)\b"
    r"|\bthe (?!one (?:who|whom|whose|that|which|we|you|they|i|he|she|it)\b)"
    rf"(?!(?:{PLACE_WORDS}|final) one\b)"
    r"(?:(?!(?:for|of|to|in|on|at|by|with|from|and|or|than)\b)[\w-]+ ){0,3}one\b(?! of\b)",
    re.I,
)
# "Did any of the Cambridge cases use a review board?", "which of the cases had ...?": one case is asked
# for among them, as "which case" asks.
ONE_OF_THE_CASES = re.compile(
    r"\b(?:which|what|any|one) (?:one )?of (?:the|these|those) (?:[\w'’-]+ ){0,2}(?:cases|examples|case studies)\b",
    re.I,
)
# A question that asks the framework rather than a case ("what does the general guidance say about that?"):
# the briefing details "the framework" in "a generic description" beside its case studies.
FRAMEWORK_ASKED = re.compile(
    r"\b(?:the|your|its) (?:(?:general|generic|overall|wider) )?framework(?:'s)?\b"
    r"|\b(?:the )?(?:general|generic|overall|wider) (?:guidance|advice|guidelines|rules?|principles?|process)\b",
    re.I,
)
# "Case" in an everyday idiom speaks of no case study: "in case our partner walks away", "in that case",
# "a business case", "is that the case?", "make the case". A case number after it ("in case 2") is still a case.
CASE_IDIOM = re.compile(
    r"\b(?:(?:just )?in case\b(?!\s*#?\s*\d)|in (?:any|that|which|this|our|my|your|their|each|every|such a) case"
    r"|(?:business|use|worst|best|edge|base|test) cases?|case[- ]by[- ]case|the case (?:for|that|of)"
    r"|(?:is|was|be|being|isn't|wasn't) (?:that |this |it )?(?:not )?(?:always |really )?the case"
    # "case" as what is argued: "make the case", "how should I frame the case?", "put our case to the board"
    r"|(?:make|makes|making|made|put|puts|putting|argue|argues|arguing|argued|present|presenting|frame|framing"
    r"|build|building|state|stating|plead|pleading|rest|strengthen|weaken|prove|proving|win|lose) "
    r"(?:a|the|our|my|your|their|his|her|its) (?:(?:strong|stronger|good|better|best|compelling|clear|solid) )?case"
    r")\b",
    re.I,
)


# A case by its place in the briefing's order, among all the cases or among those its words fit ("the first
# case", "the second defence case", "the last example"): the cases are numbered in the order they are told.
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1, "final": -1}
ORDINAL_CASE = re.compile(
    rf"\bthe ({'|'.join(ORDINALS)}) ((?:(?!case\b|example\b)[\w'’-]+ ){{0,3}})(?:case(?: study)?|example)\b", re.I
)


def names_case(query: str) -> bool:
    """The question names its case outright: by number ("case 3") or by its order ("the first defence case")."""
    return bool(CASE_NUMBER.search(query) or ORDINAL_CASE.search(query))


def case_by_order(question: str, cases: dict[int, set[str]]) -> int | None:
    """The case a question points at by its order ("the first defence case": the first of the cases whose
    text uses "defence"); None when it points at none, or its words fit no case. `cases`: each case's words."""
    m = ORDINAL_CASE.search(question)
    if m is None:
        return None
    said = terms(m.group(2))
    fitting = [n for n in sorted(cases) if said <= {stem(w) for w in cases[n]}]
    at = ORDINALS[m.group(1).lower()]
    return fitting[at] if -len(fitting) <= at < len(fitting) else None


def speaks_of_cases(question: str) -> bool:
    """The question speaks of a case, an example or a story ("the dealer case", "the machine maker one"), not
    in an everyday idiom ("in case our partner walks away")."""
    return bool(CASE_WORDS.search(CASE_IDIOM.sub(" ", question)))


def expand(question: str) -> str:
    text = question
    for pattern, full in SHORT_FORMS.items():
        text = re.sub(pattern, full, text, flags=re.I)
    return text


def step_phrases(step: str) -> list[str]:
    """'Partnering decision (go/no-go)' -> ['partnering decision', 'go/no-go']."""
    low = step.lower()
    main = re.sub(r"\(.*?\)", "", low).strip()
    inner = re.findall(r"\((.*?)\)", low)
    phrases = [main] + [p.strip() for group in inner for p in group.split(",") if "/" in p]
    return [p for p in phrases if p]


def flat(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "


@dataclass
class Route:
    query: str
    stage: str | None = None  # lifted
    step: str | None = None  # lifted
    case: int | None = None  # filtered
    stage_filter: str | None = None  # narrowed
    part: str | None = None  # lifted, within a case
    named: bool = False  # the question names its case or step outright
    doc: str | None = None  # filtered: the document the question names
    quoted: tuple[str, ...] = ()  # lifted: phrases the question puts in quotes, as flat text
    # A follow-up's topic left unsaid ("and what did they learn?"): the turn before's words, searched with
    # the question's own; its figure and name checks read the question's own words (`assistant.judge`).
    context: str = ""
    follows: bool = False  # the question leans on the turn before ("how often should that board meet?")
    # Texts whose rankings lend the question's own a hand (`HybridRetriever.search`), never searched as its
    # words nor judged for closeness: a follow-up's with the turn before's topic ("how often should that
    # board meet?").
    lent: tuple[str, ...] = ()
    carried: bool = False  # the case is the one the turn before was answered from, and no other is spoken of
    general: bool = False  # filtered: the framework, not a case, is asked ("what does the general guidance say?")
    told: int | None = None  # the one case the turn's answer came from, which "that case" next points at
    links: tuple[tuple[int, str], ...] = ()  # the cases the turn's answer sends the reader to ("see case 2"), in
    # order, each with the quote that does
    linked: int | None = None  # the case is the one the answer before sent the reader to for what this asks about

    @property
    def searched(self) -> str:
        """The text retrieval ranks by: the question's words and, for a follow-up, its context."""
        return f"{self.query} {self.context}".strip()

    def where(self) -> dict[str, Any] | None:
        conditions: list[dict[str, Any]] = []
        if self.doc is not None:
            conditions.append({"doc_id": self.doc})
        if self.case is not None:
            conditions.append({"case": self.case})
        elif self.stage_filter:
            conditions.append({"stage": self.stage_filter})
        if len(conditions) > 1:
            return {"$and": conditions}
        return conditions[0] if conditions else None

    def admits(self, chunk: Chunk) -> bool:
        if self.general and not chunk.step:  # the framework is its steps: not a case, nor another document
            return False
        if self.doc is not None and chunk.doc_id != self.doc:
            return False
        if self.case is not None:
            return chunk.case == self.case
        return not self.stage_filter or chunk.stage == self.stage_filter

    def boost(self, chunk: Chunk) -> float:
        lift = 0.0
        if self.step and chunk.step == self.step:
            lift += 0.6
        elif self.stage and chunk.stage == self.stage:
            lift += 0.3
        if self.part and chunk.part == self.part:
            lift += 0.8
        if chunk.kind in ("points", "lessons"):
            lift += 0.1
        if chunk.step:
            lift += FRAMEWORK_LIFT
        if self.quoted and any(q in flat(chunk.text) for q in self.quoted):
            lift += QUOTED_LIFT
        return lift


def known_stage(stage: str | None) -> str:
    """The stage, when it is one of the framework's; a user error otherwise."""
    if stage not in STAGES:
        raise UserError(f"Unknown stage {stage!r}: choose one of {', '.join(STAGES)}.")
    return stage


def asked_part(question: str) -> str | None:
    """The part of a case the question asks for ("what did they learn?" -> lessons learnt), if any: of a
    question in several sentences, the last that asks for one ("Tell me about the dealers case. What were
    they offering the customers?" asks for the customers, not the background)."""
    for sentence in reversed(re.split(r"(?<=[.?!])\s+", question)):
        if part := next((p for p, pattern in PART_WORDS.items() if re.search(pattern, sentence, re.I)), None):
            return part
    return None


def case_by_story(
    question: str, retriever: HybridRetriever, among_cases: bool, within: set[int] | None = None
) -> int | None:
    """The case whose passages sit closest to the question.

    When the question speaks of a case, each case scores the question's words its text uses, each
    weighted by how few cases use it (relative to the best case), plus its best passage's cosine
    similarity weighted by `STORY_MEANING`: distinctive story words ("the system integrator case") and
    the passage that tells the story both count. Otherwise a case wins only with a clear majority,
    three of the five nearest chunks by meaning or of the five best passages of the hybrid ranking (a
    story told in the case's own words, "the defence companies"), so framework questions stay open.
    `within` keeps the cases a question may mean ("defence": case 1 or 3) and speaks of a case.
    """
    if among_cases or within:
        # Story words, as written: the question's words each case's text uses, weighted by how few
        # cases use them.
        words = set(tokenize(CASE_WORDS.sub(" ", question)))  # "case", "example": not words of a story
        used = {n: words & vocabulary for n, vocabulary in retriever.case_terms.items()}
        spread = Counter(w for found in used.values() for w in found)
        story = {n: sum(math.log((len(used) + 1) / spread[w]) for w in found) for n, found in used.items()}
        top = max(story.values(), default=0.0) or 1.0
        scores = {n: value / top for n, value in story.items()}
        for n, value in retriever.closest_by_case(question).items():
            scores[n] = scores.get(n, 0.0) + STORY_MEANING * value
        scores = {n: v for n, v in scores.items() if not within or n in within}
        return max(scores, key=lambda n: scores[n]) if scores else None
    from assistant.retrieve import POOL

    probe = Route(query=question)
    _, ranks = retriever.rankings(probe, POOL)
    groups, _ = retriever.fuse(probe, ranks, 5)
    dense = [retriever.by_id[cid].case for cid, _ in ranks["dense"][:5]]
    fused = [retriever.by_id[group[0]].case for group in groups]
    votes = [Counter(c for c in ranking if c).most_common(1) for ranking in (dense, fused)]
    winners = [v[0] for v in votes if v]
    if not winners:
        return None
    case, n = max(winners, key=lambda v: v[1])
    return case if n >= 3 else None


MIN_CLIP_CHARS = 4  # "memo" of "memorandum"; "part" is a word of its own


def clipped_names(chunks: list[Chunk]) -> dict[str, set[str]]:
    """Each step's heading words as the step's own text clips them ("the memo" of the Memorandum of common
    understanding step): a word of the text at most half as long as a heading word that it begins, with a
    stem of its own (not "partner" of "partnering", nor "contract" of "contractual")."""
    clips: dict[str, set[str]] = {}
    for c in chunks:
        if not c.step:
            continue
        heading = [w for w in re.findall(r"[a-z]+", c.step.lower()) if len(w) >= 2 * MIN_CLIP_CHARS]
        stems_of_heading = {stem(h) for h in heading}
        for w in set(re.findall(r"[a-z]+", c.text.lower())):
            clipped = any(h.startswith(w) and 2 * len(w) <= len(h) for h in heading)
            if clipped and len(w) >= MIN_CLIP_CHARS and stem(w) not in stems_of_heading:
                clips.setdefault(c.step, set()).add(w)
    return clips


def named_step(query: str, retriever: HybridRetriever) -> tuple[str, str] | None:
    """The framework step the question names by its heading, short form ("due diligence", "go/no-go") or the
    clipped name its own text uses ("the memo"). Of two, the longer phrase, the more specific ("management
    structure" over "structure", "governance" over "review"); a step's full heading may be long for its
    parenthesis alone ("Review (or renew, ...)")."""
    text = flat(query)
    names = [(st, sp, p) for st, sp in retriever.steps for p in [*step_phrases(sp), *retriever.clips.get(sp, ())]]
    matches = [(st, sp, flat(p)) for st, sp, p in names if flat(p) in text]
    if not matches:
        return None
    st, sp, _ = max(matches, key=lambda m: len(m[2]))
    return st, sp


def route(question: str, retriever: HybridRetriever, stage: str | None = None, case: int | None = None) -> Route:
    if stage is not None:
        known_stage(stage)
    query = expand(question)
    plan = Route(query=query, stage_filter=stage, stage=stage)
    plan.quoted = tuple(flat(m.group(1)) for m in QUOTED.finditer(question))
    plan.doc = named_document(question, retriever.document_names, retriever.document_titles)
    if plan.doc is not None:  # the filter scopes to the document; its name is no longer the question's topic
        plan.query = without_name(
            titled_after_noun(query, retriever.title_words[plan.doc]), retriever.name_words(plan.doc)
        )
    plan.general = case is None and bool(FRAMEWORK_ASKED.search(question)) and not CASE_NUMBER.search(question)
    if case is not None:
        plan.case = case
    elif plan.general:
        pass
    elif (m := CASE_NUMBER.search(question)) and int(m.group(1)) in retriever.cases:
        plan.case, plan.named = int(m.group(1)), True
        # "case 1 (the subcontractor to the big engineering firm)": words that tell which case it is, not what
        # is asked of it, which would rank the case's own telling of its story first
        plan.query = CASE_TOLD.sub("", plan.query)
    elif (n := case_by_order(question, retriever.case_terms)) is not None:
        plan.case, plan.named = n, True
    elif retriever.cases and (
        ONE_OF_THE_CASES.search(question)
        or not re.search(r"\bcases\b|\bexamples\b|\bcase studies\b", CASE_IDIOM.sub(" ", question), re.I)
    ):
        among_cases = speaks_of_cases(question)
        plan.case = case_by_story(query, retriever, among_cases)
        plan.named = among_cases and plan.case is not None
        if plan.case is None and plan.doc is None and (told := story_told(question, retriever.case_vocabulary)):
            # a story told without a word for a case: the case its story words and its passages agree on
            plan.case = told if case_by_story(query, retriever, among_cases=True) == told else None
            plan.named = plan.case is not None  # told in its own words, as "the integrator case" names it

    if plan.case is not None:
        plan.part = asked_part(question)

    steps = retriever.steps
    named = named_step(query, retriever)
    if named and plan.doc is not None and plan.doc not in retriever.step_docs.get(named[1], set()):
        named = None  # "what does the TM Forum guide say about performance measures?": no step of that guide's
    if named:
        plan.stage, plan.step = named
        plan.named = True
    for stage_id, pattern in STAGE_WORDS.items():
        if re.search(pattern, query, re.I):
            plan.stage = stage_id
            if plan.step and not any(st == stage_id and sp == plan.step for st, sp in steps):
                plan.step = None
    return plan
