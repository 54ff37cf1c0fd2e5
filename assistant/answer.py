"""The assistant: a question (or a conversation) in, a grounded answer out.

assistant = Assistant.load(settings)
answer = assistant.ask("What should we check in due diligence?")
chat = assistant.conversation(); chat.ask("What happened in case 3?"); chat.ask("and what did they learn?")
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.compare import comparison_sides, contrasts, side_by_side
from assistant.compose import ExtractiveComposer
from assistant.errors import UserError
from assistant.judge import CoverageJudge, MeaningJudge
from assistant.overview import (
    BEFORE_ASKED,
    NEXT_ASKED,
    led_by_stated_next,
    listed_entry,
    neighbour_step,
    overview,
)
from assistant.parts import own_words, question_parts
from assistant.retrieve import HybridRetriever
from assistant.route import CASE_NUMBER, Route, asked_part, case_by_story, route
from assistant.settings import Settings
from assistant.suggest import nearest_topics
from assistant.types import Answer, Citation, Passage
from ingest.text import tokenize
from ingest.types import STAGE_TITLES

MAX_QUESTION_CHARS = 2000
# Below this similarity of its closest piece, a question is about something else entirely and the nearest
# topics would be noise. Dev split: off-topic questions reach at most 0.28, near misses at least 0.36.
SUGGEST_FLOOR = 0.3
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Assistant:
    retriever: HybridRetriever
    composer: Any = field(default_factory=ExtractiveComposer)
    k: int = 8
    judge: CoverageJudge | None = None
    settings: Settings | None = None  # where the index is, to follow it when another process re-ingests

    def __post_init__(self) -> None:
        self.judge = self.judge or MeaningJudge(self.retriever)

    @classmethod
    def load(cls, settings: Settings, embedder: Any = None) -> Assistant:
        from assistant.generate import composer_for

        retriever = HybridRetriever.load(settings, embedder)
        return cls(retriever, composer_for(settings), k=settings.top_k, settings=settings)

    def following_the_index(self, work: Callable[[], Answer]) -> Answer:
        """`work`, done again on the live index when the version this assistant loaded has been replaced
        and dropped by later ingests (a long-running chat or app outliving two ingests)."""
        from chromadb.errors import NotFoundError

        try:
            return work()
        except NotFoundError:
            if self.settings is None:
                raise
            self.retriever = HybridRetriever.load(self.settings, self.retriever.embedder)
            self.judge = MeaningJudge(self.retriever)
            return work()

    def ask(self, question: str, stage: str | None = None, case: int | None = None) -> Answer:
        return self.following_the_index(lambda: self.asked(question, stage, case))

    def asked(self, question: str, stage: str | None = None, case: int | None = None) -> Answer:
        question, notice = validate(question)
        if drafted := self.drafted(question, stage):
            return noted(drafted, notice)
        if compared := self.compared(question, stage, case):
            return noted(compared, notice)
        plan = route(question, self.retriever, stage=stage, case=case)
        return noted(self.answer(question, plan), notice)

    def compared(
        self, question: str, stage: str | None, case: int | None, earlier: list[str] | None = None
    ) -> Answer | None:
        """Both sides of a comparison, each answered from its own unit; None when it is not one or a side
        is not covered (the question is then answered as a whole). `earlier`: the conversation's questions
        before this one, where "the two" of "what's the difference between the two?" may be named."""
        sides = comparison_sides(question, earlier or [], self.retriever.steps)
        if sides is None:
            return None
        plans = like_with_like(
            [route(asked, self.retriever, stage=stage, case=case) for _, asked in sides], self.retriever
        )
        answers = [(name, self.answer(asked, plan)) for (name, asked), plan in zip(sides, plans, strict=True)]
        if any(a.status != "answered" for _, a in answers):
            return None
        return side_by_side(question, answers, contrasts(sides, answers))

    def drafted(self, question: str, stage: str | None) -> Answer | None:
        """A checklist or MoU draft when the question asks for one ("draft a checklist for design")."""
        from assistant.draft import Drafter
        from assistant.request import draft_for_request

        draft = draft_for_request(Drafter(self.retriever), question, stage)
        return draft.as_answer(question) if draft else None

    def answer(self, question: str, plan: Route, suggest: bool = True) -> Answer:
        """The answer to a routed question, judged for coverage first; `suggest`: a refusal offers the
        nearest topics (see `assistant.suggest`)."""
        if neighbour := neighbour_step(question, plan, self.retriever):
            return self.next_to(question, plan, *neighbour)
        passages = self.retriever.search(plan, self.k)
        assert self.judge is not None
        verdict = self.judge.judge(plan, passages) if passages else None
        if verdict is None or not verdict.covered:
            return self.refuse(question, plan, passages, suggest, verdict.elsewhere if verdict else [])
        if shown := overview(question, plan, self.retriever, passages):
            return shown
        if (stated := verdict.stated_in) is not None:  # "how many metrics?": answered where the number is
            passages = [stated] + [p for p in passages if p is not stated]
        answer = self.composer.compose(question, plan, passages)
        told = plan.case or (answer.citations[0].chunk.case if answer and answer.citations else None)
        asked_which = WHICH_CASE_ASKED.search(question) and not WHICH_CASE.search(question)
        unnamed = plan.case is not None and not CASE_NUMBER.search(question)  # found by its story
        if answer and told and (asked_which or unnamed):
            title = next((c.title for c in self.retriever.chunks if c.case == told), "")
            answer.text = f"Case {told} of {title}:\n{answer.text}"  # the case asked for, named first
        return answer or self.refuse(question, plan, passages, suggest)

    def entry(self, question: str, unit: tuple[str, str]) -> tuple[Answer, Route] | None:
        """ "Tell me more about the first one": the answer from that entry of a list given before, with
        the route a follow-up then leans on; None when the unit is not found by its heading."""
        first = self.retriever.units[unit][0]
        plan = Route(unit[1].split(" > ")[-1], first.stage, first.step, first.case, named=True, doc=unit[0])
        passages = [p for p in self.retriever.search(plan, self.k) if p.unit_key == unit]
        answer = self.composer.compose(question, plan, passages) if passages else None
        return (answer, plan) if answer else None

    def next_to(self, question: str, plan: Route, stage: str, step: str) -> Answer:
        """ "What comes after <a step>?": the step next to it in the briefing's order, answered from its unit."""
        plan_there = Route(query=step, stage=stage, step=step, named=True)
        passages = [p for p in self.retriever.search(plan_there, self.k) if p.chunk.step == step]
        answer = self.composer.compose(step, plan_there, passages) if passages else None
        if answer is None:
            return self.refuse(question, plan, passages)
        direction = "Before" if BEFORE_ASKED.search(question) else "After"
        answer.question = question
        answer.text = f"{direction} {plan.step} comes {step} ({STAGE_TITLES[stage]}):\n{answer.text}"
        return led_by_stated_next(answer, plan.step, self.retriever) if direction == "After" and plan.step else answer

    def refuse(
        self, question: str, plan: Route, passages: list[Any], suggest: bool = True, elsewhere: list[Any] = ()
    ) -> Answer:
        """Not covered: the nearest topics the guidance does cover, each as a question it answers, when
        any is near; for a question far from all of it (the weather, a sports result), what it holds. A
        question about a named document that another document speaks to says which one, and offers its
        topics."""
        text = "The partnership guidance in this corpus does not cover that."
        if elsewhere:
            named = next(c.title for c in self.retriever.chunks if c.doc_id == plan.doc)
            text = f"{named} does not cover that; {elsewhere[0].chunk.title} does."
            passages = list(elsewhere)
        refusal = Answer(question, "not_covered", text, [], passages, plan.stage_filter, None)
        if not suggest:
            return refusal
        if max((p.closest for p in passages), default=0.0) < SUGGEST_FLOOR:
            titles = list(dict.fromkeys(c.title for c in self.retriever.chunks))
            refusal.text += f" It holds: {'; '.join(titles)}."
            return refusal
        if topics := nearest_topics(self, passages):
            refusal.text += f" The nearest topics it does cover: {'; '.join(label for label, _ in topics)}."
            refusal.suggestions = [label for label, _ in topics]
            refusal.asks = [asked for _, asked in topics]
        return refusal

    def name_case(self, question: str, plan: Route) -> Answer:
        """ "Which case was that?": the case of the turn before, by its number and opening sentence."""
        case = plan.case
        opening = next(c for c in self.retriever.chunks if c.case == case)
        first = opening.pieces()[0][0] if opening.pieces() else opening.text
        passage = Passage(opening, 1.0)
        text = f"That was Case {case}. {first} [1]"
        return Answer(question, "answered", text, [Citation(1, opening, first)], [passage], None, case)

    def conversation(self) -> Conversation:
        return Conversation(self)


def like_with_like(plans: list[Route], retriever: HybridRetriever) -> list[Route]:
    """A comparison compares like with like: when one side is a case and the other names none, the other
    is the case its story tells; when one side is a framework step ("the governance side")
    and the other names no step, case or document of its own ("the management side"), the other is
    sought among the same document's passages, where the framework's other steps are."""
    cases = [p for p in plans if p.case is not None]
    if len(cases) == 1 and not any(p.step for p in plans):  # "the dealers one and the defence support case"
        for p in plans:
            if p.case is None and p.doc is None and not p.step:
                p.case = case_by_story(p.query, retriever, among_cases=True)
                if p.case is not None:
                    p.named, p.part = True, asked_part(p.query)
        return plans
    steps = [p for p in plans if p.step]
    if len(steps) != 1:
        return plans
    doc = next((c.doc_id for c in retriever.chunks if c.step == steps[0].step), None)
    for p in plans:
        if not p.step and p.case is None and p.doc is None:
            p.doc = doc
    return plans


def validate(question: str) -> tuple[str, str | None]:
    """The question cleaned (control characters out, trimmed when too long), and a notice when trimmed."""
    question = re.sub(r"\s+", " ", CONTROL.sub(" ", question or "")).strip()
    if not question:
        raise UserError("The question is empty.")
    if not re.search(r"\w", question):
        raise UserError("The question has no words to look up.")
    if len(question) <= MAX_QUESTION_CHARS:
        return question, None
    notice = f"Your question was {len(question):,} characters long; only its first {MAX_QUESTION_CHARS:,} were read."
    return question[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0], notice


def topic_of(question: str) -> str:
    """A question's topic, to search a follow-up with: its words without case numbers or stage titles."""
    topic = CASE_NUMBER.sub("", question)
    for title in STAGE_TITLES.values():
        topic = topic.replace(title, "")
    return topic.strip()


def noted(answer: Answer, notice: str | None) -> Answer:
    if notice:
        answer.note = f"{notice} {answer.note}" if answer.note else notice
    return answer


# A follow-up leans on the turn before when it opens with a connective or points back with a pronoun,
# or when it asks a question with no topic of its own ("and what did they learn?").
# A reply may open on an acknowledgement ("ok so what were the takeaways?"), which says nothing of its own.
ACKNOWLEDGED = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|right|great|thanks|thank you|cool|sure|got it|i see|hmm+)\b[\s,.!]*)+", re.I
)
FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|then|so|but|same)\b|\b(they|them|their|it|this|that|those)\b", re.I
)
# A question that says it is asking in general ("in general, how should we...?") leaves the turn before.
GENERAL = re.compile(r"\b(?:in general|generally|in principle|as a rule|more broadly|broadly speaking)\b", re.I)
QUESTION_FORM = re.compile(r"\?\s*$|^(what|which|who|how|why|when|where|tell|and|show|list)\b", re.I)
# "Which case is the one where...?", "which example had...?": the answer names the case it found.
WHICH_CASE_ASKED = re.compile(
    r"\b(?:which|what) (?:(?:one )?of the (?:[a-z]\w+ ){0,2})?"
    r"(?:case(?: study)?|example|story|cases|examples|case studies)\b",
    re.I,
)
WHICH_CASE = re.compile(r"\b(?:which|what) case(?: number| study)?\b.*\b(?:that|this|it)\b", re.I)
POINTS_TO_CASE = re.compile(r"\b(?:that|this|the same|same) (?:case(?: study)?|example|story)\b", re.I)
# Words only one case's story uses that tell that case apart in a follow-up: one may be any word ("price"
# may be one case's only), two are its story ("the manufacturer's dealers", "the integrator and the UX firm").
STORY_WORDS = 2
REFERENCE_WORDS = {"case", "stage", "phase", "step", "about", "also", "then", "they", "them", "their", "same", "one"}
# Words that ask for a part of a case or point back, rather than bring a topic of their own.
NOT_A_TOPIC = REFERENCE_WORDS | {w for title in STAGE_TITLES.values() for w in tokenize(title)}


@dataclass
class Conversation:
    """Turns that remember the case, stage and topic of the ones before."""

    assistant: Assistant
    turns: list[tuple[str, Route]] = field(default_factory=list)
    listed: list[tuple[str, str]] = field(default_factory=list)  # the entries of the last list given

    def reset(self) -> None:
        self.turns.clear()
        self.listed.clear()

    def ask(self, question: str, stage: str | None = None, case: int | None = None) -> Answer:
        return self.assistant.following_the_index(lambda: self.asked(question, stage, case))

    def asked(self, question: str, stage: str | None = None, case: int | None = None) -> Answer:
        question, notice = validate(question)
        if drafted := self.assistant.drafted(question, stage):
            return noted(drafted, notice)
        if compared := self.assistant.compared(question, stage, case, [q for q, _ in self.turns]):
            self.turns.append((question, route(question, self.assistant.retriever, stage=stage, case=case)))
            return noted(compared, notice)
        if halves := self.in_parts(question, stage, case):
            return noted(halves, notice)
        if WHICH_CASE.search(question) and self.turns and self.turns[-1][1].case:
            plan = self.turns[-1][1]
            self.turns.append((question, plan))
            return noted(self.assistant.name_case(question, plan), notice)
        if (entry := listed_entry(question, self.listed)) and (shown := self.assistant.entry(question, entry)):
            self.turns.append((question, shown[1]))  # "and the governance one?" next points into the same list
            return noted(shown[0], notice)
        plan = self.plan(question, stage, case)
        answer = self.assistant.answer(question, plan)
        self.listed = answer.listed
        self.remember(question, plan, answer)
        return noted(answer, notice)

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
        # A case matched by its story, not named, is a guess the turn before overrides, unless the question
        # tells that case in words only its story uses ("and how did the manufacturer's dealers share
        # the gains?" after case 3 is case 2).
        guessed = plan.case is not None and not plan.named and not self.told_apart(question, plan.case)
        apart = [n for n in self.assistant.retriever.cases if n != prev.case and self.told_apart(question, n)]
        if plan.case is None and plan.doc is None and len(apart) == 1:  # "the integrator and the UX firm?" after case 1
            plan.case, plan.part = apart[0], asked_part(question)
        pointed = bool(POINTS_TO_CASE.search(question))  # "that example" is the case before, not a new story
        if pointed and prev.case is None and prev.told is not None and not CASE_NUMBER.search(question):
            plan.case, plan.named = prev.told, True  # "that case": the one case the answer before came from
            plan.part = asked_part(question)
        if (
            (plan.case is None or guessed or pointed)
            and not CASE_NUMBER.search(question)
            and not plan.stage
            and prev.case
        ):
            plan.case, plan.named = prev.case, prev.named
            plan.part = asked_part(question)
        if plan.doc is None and plan.case is None and prev.doc is not None and not plan.stage:
            plan.doc = prev.doc  # "what does it say about X?": the document of the turn before
        if NEXT_ASKED.search(question) and plan.step is None and prev.step:  # "what comes after that?"
            plan.step, plan.stage = prev.step, prev.stage
        if not self.content(question):
            if plan.step is None and plan.case is None and not plan.stage:
                plan.step, plan.stage = prev.step, prev.stage
            plan.context = prev.context or topic_of(prev_q)
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
        if plan.case is None and last and last.case is not None and answer.status == "answered" and told == {last.case}:
            plan.case, plan.named = last.case, last.named
        if plan.case is None and plan.told is not None and WHICH_CASE_ASKED.search(question):
            plan.case = plan.told  # "which case had its first offer rejected?": the conversation is now in it
        self.turns.append((question, plan))

    def told_apart(self, question: str, case: int) -> bool:
        """The question uses STORY_WORDS or more of this case's story words: words no other case uses, found
        in at least as many of this case's passages as in the rest of the corpus ("dealers", not "says")."""
        story = self.assistant.retriever.story_words.get(case, set())
        return len(set(tokenize(question)) & story) >= STORY_WORDS

    @staticmethod
    def content(question: str) -> list[str]:
        """The question's own topic words (not references back, case parts, stages or numbers); its callers
        have set an opening acknowledgement aside."""
        words = [w for w in tokenize(question) if w not in NOT_A_TOPIC and not w.isdigit()]
        return [w for w in words if not asked_part(w) and w not in ("learn", "learnt", "learned", "happened")]

    def is_follow_up(self, question: str) -> bool:
        if GENERAL.search(question):
            return False
        question = ACKNOWLEDGED.sub("", question)
        return bool(FOLLOW_UP.search(question)) or (not self.content(question) and bool(QUESTION_FORM.search(question)))
