"""A conversation: turns that remember the case, stage, document and topic of the ones before.

    chat = assistant.conversation()
    chat.ask("What happened in case 3?")
    chat.ask("and what did they learn?")          # still case 3: an elliptical follow-up inherits

A follow-up inherits only what it leaves unsaid, and is judged for coverage as any question is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.answer import CAME_FROM, WHICH_CASE, WHICH_CASE_ASKED, Assistant, noted, validate
from assistant.antecedent import resolved
from assistant.compare import side_by_side
from assistant.compose import ExtractiveComposer
from assistant.overview import NEXT_ASKED, listed_entry
from assistant.parts import own_words, question_parts
from assistant.pieces import Piece
from assistant.points import MORE_ASKED, more_of, narrowed, point_asked
from assistant.route import CASE_NUMBER, PLACE_WORDS, Route, asked_part, case_by_story, route, speaks_of_cases
from assistant.stories import other_cases_told
from assistant.types import Answer, Citation, Passage
from assistant.which_case import came_from
from ingest.structure import CASE_LINK
from ingest.text import terms, tokenize
from ingest.types import STAGE_TITLES, Chunk


def topic_of(question: str) -> str:
    """A question's topic, to search a follow-up with: its words without case numbers or stage titles."""
    topic = CASE_NUMBER.sub("", question)
    for title in STAGE_TITLES.values():
        topic = topic.replace(title, "")
    return topic.strip()


# A follow-up leans on the turn before when it opens with a connective or points back with a pronoun,
# or when it asks a question with no topic of its own ("and what did they learn?").
# A reply may open on an acknowledgement ("ok so what were the takeaways?"), which says nothing of its own.
ACKNOWLEDGED = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|right|great|thanks|thank you|cool|sure|got it|i see|hmm+)\b[\s,.!]*)+", re.I
)
FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|then|so|but|same)\b|\b(they|them|their|it|this|that|those)\b"
    # a place in what the turn before listed or asked about: "the last one", "the latter"
    rf"|\bthe (?:{PLACE_WORDS}) one\b|\bthe (?:latter|former)\b",
    re.I,
)
# A question that says it is asking in general ("in general, how should we...?") leaves the turn before.
GENERAL = re.compile(r"\b(?:in general|generally|in principle|as a rule|more broadly|broadly speaking)\b", re.I)
# ... unless it points back at what the turn before said ("does the framework turn that into advice in general?"):
# a demonstrative standing for a thing, not one opening a clause ("it says that the ...").
POINTS_AT = re.compile(
    r"\b(?:that|this|those|these)\b(?!\s+(?:the|a|an|i|we|you|they|it|our|your|their|is|are|was|were)\b)", re.I
)
QUESTION_FORM = re.compile(r"\?\s*$|^(what|which|who|how|why|when|where|tell|and|show|list)\b", re.I)
# A thing pointed back at ("that review board", "those workshops"): one or two words after the demonstrative.
POINTED_THING = re.compile(r"\b(?:that|this|those|these) ([a-z][\w-]*(?: [a-z][\w-]*)?)", re.I)
POINTS_TO_CASE = re.compile(r"\b(?:that|this|the same|same) (?:case(?: study)?|example|story)\b", re.I)
# Words only one case's story uses that tell that case apart in a follow-up: one may be any word ("price"
# may be one case's only), two are its story ("the manufacturer's dealers", "the integrator and the UX firm").
STORY_WORDS = 2
REFERENCE_WORDS = {"case", "stage", "phase", "step", "about", "also", "then", "they", "them", "their", "same", "one"}
REFERENCE_WORDS |= {"study", "studies", "example", "examples"}  # "one of the case studies", "an example of that"
# Words that ask for more of what was said ("what else?", "anything else?"), not a topic of their own.
MORE_WORDS = {"else", "more", "other", "others", "again", "anything", "rest"}
# Words that ask for a part of a case or point back, rather than bring a topic of their own.
NOT_A_TOPIC = REFERENCE_WORDS | MORE_WORDS | {w for title in STAGE_TITLES.values() for w in tokenize(title)}


# Verbs of saying, which ask for more of what a text says when the question asks for more ("what else should
# it say?", "what else does it cover?"), not a topic.
SAYING = {"say", "says", "said", "tell", "tells", "mention", "mentions", "cover", "covers", "include", "includes"}
MAX_POINT_WORDS = 12  # a question singling out a point of the answer before is short ("and the exit bit?")


def sent_to(links: tuple[tuple[int, str], ...], words: set[str] | None) -> tuple[int, ...]:
    """The cases an answer's quotes send the reader to (`Route.links`), in order: those whose quote uses one of
    `words`, or all of them for None."""
    return tuple(dict.fromkeys(n for n, quote in links if words is None or words & terms(quote)))


def one_unit(answer: Answer, units: dict[tuple[str, str], list[Chunk]]) -> list[Chunk]:
    """The unit an answer quotes, when it quotes one alone; [] otherwise."""
    quoted = {(c.chunk.doc_id, c.chunk.section) for c in answer.citations}
    return units.get(next(iter(quoted)), []) if answer.status == "answered" and len(quoted) == 1 else []


def unit_name(chunk: Chunk) -> str:
    """A unit as a reader names it: its heading, and the stage or document it belongs to."""
    *where, heading = chunk.section.split(" > ")
    return f"{heading} ({where[0]})" if where else f"{heading} ({chunk.title})"


@dataclass
class Conversation:
    """Turns that remember the case, stage and topic of the ones before."""

    assistant: Assistant
    turns: list[tuple[str, Route]] = field(default_factory=list)
    listed: list[tuple[str, str]] = field(default_factory=list)  # the entries of the last list given
    shown: list[Chunk] = field(default_factory=list)  # the unit the last answer came from, when one
    said: set[str] = field(default_factory=set)  # every quote the conversation's answers have shown
    cited: list[Citation] = field(default_factory=list)  # the citations of the last answer

    def reset(self) -> None:
        self.turns.clear()
        self.listed.clear()
        self.shown = []
        self.said = set()
        self.cited = []

    def ask(self, question: str, stage: str | None = None, case: int | None = None) -> Answer:
        answer = self.assistant.following_the_index(lambda: self.asked(question, stage, case))
        self.cited = list(answer.citations)
        return answer

    def asked(self, question: str, stage: str | None = None, case: int | None = None) -> Answer:
        question, notice = validate(question)
        if drafted := self.assistant.drafted(question, stage):
            return noted(drafted, notice)
        if compared := self.assistant.compared(question, stage, case, [q for q, _ in self.turns]):
            self.turns.append((question, route(question, self.assistant.retriever, stage=stage, case=case)))
            return noted(compared, notice)
        if halves := self.in_parts(question, stage, case):
            return noted(halves, notice)
        asks_where = WHICH_CASE.search(question) or CAME_FROM.search(question)
        if asks_where and self.turns and (named := came_from(self, question)):
            return noted(named, notice)
        if (entry := listed_entry(question, self.listed)) and (shown := self.assistant.entry(question, entry)):
            self.turns.append((question, shown[1]))  # "and the governance one?" next points into the same list
            return noted(shown[0], notice)
        plan = self.plan(question, stage, case)
        if drilled := self.into_point(question, plan):  # "what should the exit bit cover?"
            self.said |= {c.quote for c in drilled.citations}
            self.turns.append((question, plan))
            return noted(drilled, notice)
        answer = self.assistant.answer(question, plan)
        if answer.status != "answered" and plan.linked is not None:  # the case sent to does not say: as asked
            plan = replace(plan, case=None, named=False, linked=None)
            answer = self.assistant.answer(question, plan)
        unit = one_unit(answer, self.assistant.retriever.units)
        if answer.status == "answered" and self.turns and MORE_ASKED.search(question):
            answer = more_of(question, plan, answer, self.said) or answer  # "what else?": what is not said yet
        elif unit and (unit == self.shown or plan.linked is not None):
            # "who should be on it?": the points of the unit just shown that answer it, or of the case the answer
            # before sent the reader to for it
            answer = narrowed(question, plan, answer) or answer
        self.said |= {c.quote for c in answer.citations}
        self.listed = answer.listed
        self.shown = one_unit(answer, self.assistant.retriever.units)
        self.remember(question, plan, answer)
        return noted(answer, notice)

    def point_fit(self, question: str, point: list[Piece]) -> dict[str, float]:
        """Each piece of the point by the cosine similarity of its sentence closest to the question."""
        embedder = self.assistant.retriever.embedder
        asked = np.asarray(embedder.embed_query(question))
        fit = {}
        for p in point:
            sentences = re.split(r"(?<=[.!?;])\s+", p.text)
            vectors = np.asarray(embedder.embed_documents(sentences))
            fit[p.pid] = float(np.max(vectors @ asked))
        return fit

    def into_point(self, question: str, plan: Route) -> Answer | None:
        """A short question after an answer from one unit that singles out one of its points by a word only
        that point uses ("what should the exit bit cover?" after the contract step): that point with its
        sub-points, then the answer the question has on its own, when that comes from another unit ("the
        exit bit" may also mean the Exit step). None when it singles out no point."""
        if not self.shown or len(tokenize(question)) > MAX_POINT_WORDS or CASE_NUMBER.search(question):
            return None
        if plan.doc not in (None, self.shown[0].doc_id):
            return None
        others = [n for n in self.assistant.retriever.cases if n != self.shown[0].case]
        if plan.case not in (None, self.shown[0].case) or any(self.told_apart(question, n) for n in others):
            return None  # "what about the machine manufacturer one?": another case, not a point of this one
        point = point_asked(question, self.shown, terms(" ".join(self.content(question))))
        if point is None:
            return None
        first = self.shown[0]
        there = Route(question, first.stage, first.step, first.case, doc=first.doc_id, follows=True)
        unit = Passage(first, 0.0, chunks=self.shown, fit=self.point_fit(question, point), unit=self.shown)
        # Judged as any follow-up is, on the point's sentences (a long point's vector blurs the one that
        # answers: "The board is staffed with ..."); the unit is the one just shown, so a case it is in is
        # no guess that may be wrong. A figure, a law, a name it does not state are refused.
        if not self.assistant.judge.judge(replace(there, case=None), [unit]).covered:
            return None
        drilled = ExtractiveComposer.render(question, there, unit, point, [unit])
        own = self.assistant.answer(question, plan, suggest=False)
        if own.status != "answered" or one_unit(own, self.assistant.retriever.units) == self.shown:
            return drilled
        both = side_by_side(question, [(unit_name(first), drilled), (unit_name(own.citations[0].chunk), own)])
        if plan.step:  # "the exit part of it" names the Exit step: the answer is about its stage
            both.stage = own.stage
        return both

    def in_parts(self, question: str, stage: str | None, case: int | None) -> Answer | None:
        """Two questions in one (`assistant.parts`), each answered on its own (the second may lean on the
        first, as a follow-up does) and shown one after the other; neither part covered is a refusal.
        None when the question is one, when one part alone is covered (the whole is then answered as
        one question), or when both parts are answered from the same unit."""
        parts = question_parts(question)
        if parts is None or self.is_follow_up(own_words(parts[1])):
            return None  # "..., and what would it do?" asks on about the first part's topic: one question
        answered, before = [], len(self.turns)
        for part in parts:
            plan = self.plan(part, stage, case)
            answered.append((part, plan, self.assistant.answer(part, plan)))
            self.turns.append((part, plan))
        del self.turns[before:]
        covered = [(part, plan, a) for part, plan, a in answered if a.status == "answered"]
        if not covered:  # neither part is covered: nor is the whole
            self.turns.append((question, answered[-1][1]))
            return self.assistant.refuse(question, answered[0][1], answered[0][2].passages)
        if len(covered) < len(parts):
            return None
        leads = {(a.citations[0].chunk.doc_id, a.citations[0].chunk.section) for _, _, a in answered if a.citations}
        if len(leads) < len(parts):
            return None
        self.turns.append((question, answered[-1][1]))
        shown = [(f"“{own_words(part)}”", answer) for part, _, answer in answered]
        return side_by_side(question, shown)

    def resume(self, questions: list[tuple[str, str | None, int | None]]) -> None:
        """Take up a stored conversation: its questions (with their stage and case) are routed, not answered."""
        for question, stage, case in questions:
            self.turns.append((question, self.plan(question, stage, case)))

    def plan(self, question: str, stage: str | None = None, case: int | None = None) -> Route:
        """The question's route, with what an elliptical follow-up leaves unsaid taken from the turn before.

        Only a follow-up inherits: one that points back ("what did they learn?", "what does it say about
        X?") keeps the case or the document; one with no topic of its own also keeps the step and is
        searched with the turn before's topic (`Route.context`). A question with its own topic ("and the
        weather?", "how often should it meet?") is searched and judged on its own words: searching those
        with the topic before as well was measured on dev follow-ups, and what it answered was as often a
        question the guidance does not answer ("is it legally binding under English law?") as one it does."""
        if self.turns:  # "ok so what were the takeaways?" is routed and judged as what it asks
            question = ACKNOWLEDGED.sub("", question).strip() or question
        plan = route(question, self.assistant.retriever, stage=stage, case=case)
        if not self.turns or not self.is_follow_up(question):
            return plan
        prev_q, prev = self.turns[-1]
        context = prev.context or (prev.lent[0] if prev.lent else topic_of(prev_q))  # what the turn before leant on too
        plan.follows = True
        # The cases the answer before sent the reader to, by the quotes that speak of what this question names
        # ("that fixed-dates idea: which case was it?" is not about a quote on roles that says "see case 3").
        named = terms(" ".join(self.content(question)))
        links = sent_to(prev.links, named or None)
        if plan.case is not None and plan.named and links and prev.case is None and not CASE_NUMBER.search(question):
            # "is there a case where that happened?" after an answer whose points say "(see case 2)": the
            # case the guidance itself sends the reader to, the one whose story fits best among several
            told = case_by_story(f"{question} {context}", self.assistant.retriever, among_cases=True)
            plan.case = told if told in links else links[0]
            plan.context = context  # what "that" was is searched in the case the guidance points to
        # A case matched by its story, not named, is a guess the turn before overrides, unless the question
        # tells that case in words only its story uses ("and how did the manufacturer's dealers share
        # the gains?" after case 3 is case 2).
        guessed = plan.case is not None and not plan.named and not self.told_apart(question, plan.case)
        # "What else?" tells no story: a case guessed from it is none; nor is one guessed from a follow-up on
        # a named document ("what sits at the heart of the last one?" after the TM Forum guide's kinds).
        if guessed and (not self.content(question) or prev.doc is not None):
            plan.case, plan.part = None, None
        apart = [n for n in self.assistant.retriever.cases if n != prev.case and self.told_apart(question, n)]
        if plan.case is None and plan.doc is None and len(apart) == 1:  # "the integrator and the UX firm?" after case 1
            plan.case, plan.part = apart[0], asked_part(question)
        pointed = bool(POINTS_TO_CASE.search(question))  # "that example" is the case before, not a new story
        if pointed and prev.case is None and prev.told is not None and not CASE_NUMBER.search(question):
            plan.case, plan.named = prev.told, True  # "that case": the one case the answer before came from
            plan.part = asked_part(question)
        if self.case_thing(question, plan, prev.case):  # "how was that review board paid for?" after case 1
            plan.step = plan.stage = None
        if (
            (plan.case is None or guessed or pointed)
            and not CASE_NUMBER.search(question)
            and not plan.stage
            and not plan.general
            and prev.case
        ):
            plan.case, plan.named = prev.case, prev.named
            plan.part = asked_part(question)
        if plan.case is not None and plan.case == prev.case and not CASE_NUMBER.search(question):
            retriever = self.assistant.retriever
            elsewhere = other_cases_told(
                self.content(question), plan.case, retriever.case_vocabulary, retriever.case_terms
            )
            if elsewhere:  # "did the software integrator have that problem too?" after the dealer case
                plan.case = case_by_story(question, retriever, among_cases=True, within=elsewhere)
                plan.named, plan.part = False, asked_part(question)
                plan.context = context  # what "that" was is searched in the case it moved to
            else:  # the conversation is in the case the turn before was answered from, and stays there
                plan.carried = prev.told == plan.case and not self.speaks_of_a_case(question)
        if plan.doc is None and plan.case is None and prev.doc is not None and not plan.stage:
            plan.doc = prev.doc  # "what does it say about X?": the document of the turn before
        if NEXT_ASKED.search(question) and plan.step is None and prev.step:  # "what comes after that?"
            plan.step, plan.stage = prev.step, prev.stage
        if not self.content(plan.query if plan.doc is not None else question):  # "and the TM Forum guide?"
            if plan.step is None and plan.case is None and not plan.stage:
                plan.step, plan.stage = prev.step, prev.stage
            plan.context = context
        elif plan.case is None:  # "how often should that board meet?"
            plan.lent = (f"{plan.searched} {context}",)
        if plan.general and prev.told is not None and self.cited:
            # "does the general framework say the same?" after an answer from a case: what "that" stands for is
            # what the case said, and the framework's steps are searched with it too
            plan.lent = (*plan.lent, " ".join(dict.fromkeys(c.quote for c in self.cited)))
        if plan.part is None:  # "who sits on it?" after the board: "who sits on the board?"
            # ... the question before as said in full ("who sits on the board?"), so that "it" goes on standing
            # for the board ("did they charge the customer for running it?")
            plan.query = resolved(plan.query, prev.query if prev.follows else prev_q, [c.quote for c in self.cited])
        if plan.case is None and len(sent := sent_to(prev.links, terms(plan.query))) == 1:
            # "who is on that board?" after "have a function like a technical review board (see case 1)": the one
            # case the guidance sends the reader to for what the follow-up asks after is where it is answered
            plan.case = plan.linked = sent[0]
            plan.named, plan.context = True, context
        return plan

    def remember(self, question: str, plan: Route, answer: Answer) -> None:
        """The turn, as later follow-ups lean on it: a question answered wholly from the case the
        conversation was in stays in that case ("why wouldn't the countries buy the same service?"); one
        answered from a single case otherwise records it, for a follow-up that points at "that case"; one
        that asked which case it was is then in that case ("what did they change the second time?")."""
        last = self.turns[-1][1] if self.turns else None
        told = {c.chunk.case for c in answer.citations}
        if answer.status == "answered" and len(told) == 1:
            plan.told = next(iter(told))
        if answer.status == "answered":  # the cases its quotes send the reader to, in the order shown
            plan.links = tuple((int(n), c.quote) for c in answer.citations for n in CASE_LINK.findall(c.quote))
        if plan.case is None and last and last.case is not None and answer.status == "answered" and told == {last.case}:
            plan.case, plan.named = last.case, last.named
        if plan.case is None and plan.told is not None and WHICH_CASE_ASKED.search(question):
            plan.case = plan.told  # "which case had its first offer rejected?": the conversation is now in it
        self.turns.append((question, plan))

    def case_thing(self, question: str, plan: Route, case: int | None) -> bool:
        """The question points back at a thing of the case before ("that review board") whose name holds the
        word that named a step ("Review"): it speaks of the case's board, not of the framework's step."""
        if case is None or plan.step is None or not (thing := POINTED_THING.search(question)):
            return False
        words = set(tokenize(thing.group(1)))
        return bool(words & set(tokenize(plan.step))) and words <= self.assistant.retriever.case_terms.get(case, set())

    def told_apart(self, question: str, case: int) -> bool:
        """The question uses STORY_WORDS or more of this case's story words: words no other case uses, found
        in at least as many of this case's passages as in the rest of the corpus ("dealers", not "says")."""
        story = self.assistant.retriever.story_words.get(case, set())
        return len(set(tokenize(question)) & story) >= STORY_WORDS

    @staticmethod
    def speaks_of_a_case(question: str) -> bool:
        """The question speaks of a case without pointing at the one before ("what about the first case?"
        may be another one; "in that case" is the same)."""
        return speaks_of_cases(question) and not POINTS_TO_CASE.search(question)

    @staticmethod
    def content(question: str) -> list[str]:
        """The question's own topic words (not references back, case parts, stages or numbers); its callers
        have set an opening acknowledgement aside."""
        words = [w for w in tokenize(question) if w not in NOT_A_TOPIC and not w.isdigit()]
        if MORE_ASKED.search(question):  # "what else should it say?" asks for more of what was said
            words = [w for w in words if w not in SAYING]
        return [w for w in words if not asked_part(w) and w not in ("learn", "learnt", "learned", "happened")]

    def is_follow_up(self, question: str) -> bool:
        if GENERAL.search(question) and not POINTS_AT.search(question):
            return False
        question = ACKNOWLEDGED.sub("", question)
        return bool(FOLLOW_UP.search(question)) or (not self.content(question) and bool(QUESTION_FORM.search(question)))
