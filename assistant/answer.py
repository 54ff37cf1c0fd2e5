"""The assistant: a question (or a conversation) in, a grounded answer out.

assistant = Assistant.load(settings)
answer = assistant.ask("What should we check in due diligence?")
chat = assistant.conversation()                 # see assistant.conversation
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from assistant.compare import contrasts, defined_apart, ideas, side_by_side
from assistant.compose import ExtractiveComposer
from assistant.documents import without_name
from assistant.errors import UserError
from assistant.figures import asks_for_figure
from assistant.judge import FIGURE_UNSTATED, CoverageJudge, MeaningJudge
from assistant.overview import (
    BEFORE_ASKED,
    led_by_stated_next,
    neighbour_step,
    overview,
)
from assistant.retrieve import HybridRetriever
from assistant.route import CASE_NUMBER, Route, asked_part, case_by_story, expand, route
from assistant.settings import Settings
from assistant.sides import comparison_sides
from assistant.stage_steps import neighbour_stage, with_its_steps
from assistant.suggest import nearest_topics
from assistant.types import Answer, Citation, Passage
from ingest.text import terms
from ingest.types import STAGE_TITLES, Chunk

if TYPE_CHECKING:
    from assistant.conversation import Conversation

MAX_QUESTION_CHARS = 2000
# Below this similarity of its closest piece, a question is about something else entirely and the nearest
# topics would be noise. Dev split: off-topic questions reach at most 0.28, near misses at least 0.36.
SUGGEST_FLOOR = 0.3
# A follow-up far from every passage: the documents' titles would not help; what it leans on, said, might.
FOLLOW_UP_IN_FULL = "If it follows on from the answer before, ask it in full, saying what it is about."
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
        if sides is None or asks_for_figure(question):  # "what split goes to A vs B?": one figure asked of both
            return None
        plans = like_with_like(
            [route(asked, self.retriever, stage=stage, case=case) for _, asked in sides], self.retriever
        )
        names = [name for name, _ in sides]
        if (found := self.told_apart_in(question, names, plans, stage, case)) and (
            apart := defined_apart(question, names, found.unit)
        ):  # "outsourcing vs managed services vs partnership": the section that sets them apart
            apart.passages = [found]
            return apart
        answers = [(name, self.side(name, asked, plan)) for (name, asked), plan in zip(sides, plans, strict=True)]
        if any(a.status != "answered" for _, a in answers):
            return None
        quoted = [{(c.chunk.doc_id, c.chunk.section) for c in a.citations} for _, a in answers]
        if all(q == quoted[0] for q in quoted):  # both sides found in the same place: it is said once
            return answers[0][1]
        return side_by_side(question, answers, contrasts(sides, answers))

    def side(self, name: str, asked: str, plan: Route) -> Answer:
        """One side of a comparison. A side that is a case is searched, within that case, for the topic the
        question compares ("how they priced the service"), not for the words that name the case ("the
        machine manufacturer working with its dealers"), which find the case's opening; when the topic
        alone is not covered there, for the whole side."""
        topic = asked[len(name) :].strip()
        if plan.case is not None and terms(topic) and not CASE_NUMBER.search(topic):
            answer = self.answer(asked, replace(plan, query=topic, named=True))
            if answer.status == "answered":
                return answer
        return self.answer(asked, plan)

    def told_apart_in(
        self, question: str, names: list[str], plans: list[Route], stage: str | None, case: int | None
    ) -> Passage | None:
        """The passage whose unit sets the sides apart, when they are ideas (not cases, steps or
        documents) and the unit the whole question finds first speaks of every one of them."""
        if any(p.case is not None or p.step for p in plans) or len({p.doc for p in plans} - {None}) > 1:
            return None
        whole = route(question, self.retriever, stage=stage, case=case)
        top = self.retriever.search(whole, 1)
        told = terms(" ".join(f"{c.section} {c.text}" for p in top for c in p.unit))
        named = self.retriever.name_words(whole.doc)  # "partnerships in the TM Forum guide": where, not what
        sides = [terms(expand(without_name(idea, named))) for idea in ideas(names)]
        return top[0] if top and len(sides) >= 2 and all(side <= told for side in sides) else None

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
        if stages := neighbour_stage(question, plan):
            return self.stage_next_to(question, plan, *stages)
        passages = self.retriever.search(plan, self.k)
        assert self.judge is not None
        verdict = self.judge.judge(plan, passages) if passages else None
        if verdict is None or not verdict.covered:
            return self.refuse(
                question,
                plan,
                passages,
                suggest,
                verdict.elsewhere if verdict else [],
                verdict.reason if verdict else "",
            )
        if shown := overview(question, plan, self.retriever, passages):
            return shown
        if (stated := verdict.stated_in) is not None:  # "how many metrics?": answered where the number is,
            # from the passage that states it ("typically five- or seven-year contracts abound")
            # (a framework step or a case part stays whole: its opening says what the figure is about)
            whole = stated.chunk.step or stated.chunk.case is not None
            first = stated if whole else replace(stated, unit=stated.chunks)
            passages = [first] + [p for p in passages if p.chunk.id != stated.chunk.id]
        answer = self.composer.compose(question, plan, passages)
        if answer and plan.step is None:  # "what does the design stage involve?": its introduction, and its steps
            answer = with_its_steps(answer, self.retriever)
        told = plan.case or (answer.citations[0].chunk.case if answer and answer.citations else None)
        asked_which = WHICH_CASE_ASKED.search(question) and not WHICH_CASE.search(question)
        unnamed = plan.case is not None and not CASE_NUMBER.search(question)  # found by its story
        # ... or not asked about at all: "what does 'one face to the customer' mean?" is answered from case 3
        untold = answer is not None and bool(answer.citations) and {c.chunk.case for c in answer.citations} == {told}
        if answer and told and (asked_which or unnamed or (plan.case is None and untold)):
            title = next((c.title for c in self.retriever.chunks if c.case == told), "")
            answer.text = f"{case_line(told, title)}\n{answer.text}"  # the case asked for, named first
        return answer or self.refuse(question, plan, passages, suggest)

    def entry(self, question: str, unit: tuple[str, str]) -> tuple[Answer, Route] | None:
        """ "Tell me more about the first one": the answer from that entry of a list given before, with
        the route a follow-up then leans on; None when the unit is not found by its heading."""
        first = self.retriever.units[unit][0]
        plan = Route(unit[1].split(" > ")[-1], first.stage, first.step, first.case, named=True, doc=unit[0])
        passages = [p for p in self.retriever.search(plan, self.k) if p.unit_key == unit]
        answer = self.composer.compose(question, plan, passages) if passages else None
        return (answer, plan) if answer else None

    def stage_next_to(self, question: str, plan: Route, named: str, stage: str) -> Answer:
        """ "What comes after the design stage?": the stage next to it, by its introduction and its steps."""
        title = STAGE_TITLES[stage]
        there = Route(query=title, stage=stage, named=True)
        answer = self.unit_next_to(
            question, plan, there, lambda c: c.section == title, f"{STAGE_TITLES[named]} comes {title}"
        )
        return with_its_steps(answer, self.retriever)  # a refusal stays as it is

    def next_to(self, question: str, plan: Route, stage: str, step: str) -> Answer:
        """ "What comes after <a step>?": the step next to it in the briefing's order, answered from its unit."""
        there = Route(query=step, stage=stage, step=step, named=True)
        said = f"{plan.step} comes {step} ({STAGE_TITLES[stage]})"
        answer = self.unit_next_to(question, plan, there, lambda c: c.step == step, said)
        after = answer.status == "answered" and not BEFORE_ASKED.search(question)
        return led_by_stated_next(answer, plan.step, self.retriever) if after and plan.step else answer

    def unit_next_to(
        self, question: str, plan: Route, there: Route, keep: Callable[[Chunk], bool], said: str
    ) -> Answer:
        """The answer from the unit next to the one asked about (`there`, of the chunks `keep` admits), led by
        where it stands ("After Contract comes Communication (...):"); a refusal when the index has none."""
        passages = [p for p in self.retriever.search(there, self.k) if keep(p.chunk)]
        answer = self.composer.compose(there.query, there, passages) if passages else None
        if answer is None:
            return self.refuse(question, plan, passages)
        direction = "Before" if BEFORE_ASKED.search(question) else "After"
        answer.question = question
        answer.text = f"{direction} {said}:\n{answer.text}"
        return answer

    def refuse(
        self,
        question: str,
        plan: Route,
        passages: list[Any],
        suggest: bool = True,
        elsewhere: list[Any] = (),
        reason: str = "",
    ) -> Answer:
        """Not covered: the nearest topics the guidance does cover, each as a question it answers, when
        any is near; for a question far from all of it (the weather, a sports result), what it holds. A
        question about a named document that another document speaks to says which one, and offers its
        topics; one after a figure no passage states says that the guidance gives none."""
        text = "The partnership guidance in this corpus does not cover that."
        if reason == FIGURE_UNSTATED:
            text = "The partnership guidance in this corpus does not cover that: it gives no figure for it."
        if elsewhere:
            named = next(c.title for c in self.retriever.chunks if c.doc_id == plan.doc)
            text = f"{named} does not cover that; {elsewhere[0].chunk.title} does."
            passages = list(elsewhere)
        refusal = Answer(question, "not_covered", text, [], passages, plan.stage_filter, None)
        if not suggest:
            return refusal
        if max((p.closest for p in passages), default=0.0) < SUGGEST_FLOOR:
            if plan.follows:  # "and who gets to make that call?": what it leans on is not told by the guidance
                refusal.text += f" {FOLLOW_UP_IN_FULL}"
                return refusal
            titles = list(dict.fromkeys(c.title for c in self.retriever.chunks))
            refusal.text += f" It holds: {'; '.join(titles)}."
            return refusal
        if topics := nearest_topics(self, passages):
            refusal.text += f" The nearest topics it does cover: {'; '.join(label for label, _ in topics)}."
            refusal.suggestions = [label for label, _ in topics]
            refusal.asks = [asked for _, asked in topics]
        return refusal

    def case_opening(self, case: int) -> tuple[Chunk, str]:
        """A case's first chunk and the sentence it opens on."""
        opening = next(c for c in self.retriever.chunks if c.case == case)
        return opening, opening.pieces()[0][0] if opening.pieces() else opening.text

    def name_case(self, question: str, plan: Route) -> Answer:
        """ "Which case was that?": the case of the turn before, by its number and opening sentence."""
        case = plan.case
        assert case is not None
        opening, first = self.case_opening(case)
        passage = Passage(opening, 1.0)
        text = f"That was Case {case}. {first} [1]"
        return Answer(question, "answered", text, [Citation(1, opening, first)], [passage], None, case)

    def conversation(self) -> Conversation:
        from assistant.conversation import Conversation  # the conversation is built on the assistant

        return Conversation(self)


def case_line(case: int, title: str) -> str:
    """The line an answer from a case names its case with, above the quotes."""
    return f"Case {case} of {title}:"


CASE_LINE = re.compile(r"^Case \d+ of .+:$")  # a `case_line`


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


# A terminal escape sequence pasted with a question ("\x1b[31m"): taken out whole, not only its escape character.
ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def validate(question: str) -> tuple[str, str | None]:
    """The question cleaned (control characters out, trimmed when too long), and a notice when trimmed."""
    question = re.sub(r"\s+", " ", CONTROL.sub(" ", ESCAPE.sub(" ", question or ""))).strip()
    if not question:
        raise UserError("The question is empty.")
    if not re.search(r"\w", question):
        raise UserError("The question has no words to look up.")
    if len(question) <= MAX_QUESTION_CHARS:
        return question, None
    notice = f"Your question was {len(question):,} characters long; only its first {MAX_QUESTION_CHARS:,} were read."
    return question[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0], notice


def noted(answer: Answer, notice: str | None) -> Answer:
    if notice:
        answer.note = f"{notice} {answer.note}" if answer.note else notice
    return answer


# "Which case is the one where...?", "which example had...?": the answer names the case it found.
WHICH_CASE_ASKED = re.compile(
    r"\b(?:which|what) (?:(?:one )?of the (?:[a-z]\w+ ){0,2})?"
    r"(?:case(?: study)?|example|story|cases|examples|case studies)\b",
    re.I,
)
WHICH_CASE = re.compile(r"\b(?:which|what) case(?: number| study)?\b.*\b(?:that|this|it)\b", re.I)
# "Where does that lesson come from?": where what was just said came from, a case or a section.
CAME_FROM = re.compile(
    r"\bwhere (?:does|did|do|is|was) (?:that|this|it|those|these)\b(?: [\w'’-]+){0,2} (?:come|coming|taken) from\b",
    re.I,
)
