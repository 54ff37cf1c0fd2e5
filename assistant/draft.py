"""Drafting: stage checklists and MoU clauses, every item carrying the guidance it rests on.

    drafter = Drafter(assistant.retriever)
    draft = drafter.checklist(stage="design", context="dealer network service partnership")
    draft = drafter.mou(["Acme Ltd", "Dealer plc"], slots={"purpose": "uptime services"})

Checklist items are the framework's points to consider and the cases' lessons learnt, quoted and
phrased as checkable actions, grouped by step in the framework's order, near-duplicates merged. MoU
clauses are Handrail's own template wording with slots; a slot with no value stays visible as
`[to be agreed: ...]`. Every item cites its sources like answers do (see `assistant.export` for
the formats).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

import numpy as np

from assistant.clauses import CLAUSE_IDS, CLAUSES, SLOT_HINTS, Clause, fill, party_list
from assistant.compose import Piece, overlap, pieces_of
from assistant.drafts import Draft, DraftItem, clean_slot
from assistant.errors import UserError
from assistant.retrieve import HybridRetriever
from assistant.route import Route, case_by_story, known_stage, route
from assistant.types import Citation, Passage
from ingest.text import terms
from ingest.types import STAGE_TITLES, STAGES, Chunk

SUB_ITEM = re.compile(r"^(?:o|[a-z]\.)\s+")
DUPLICATE = 0.6  # term overlap (Jaccard) above which two items say the same thing
CASE_LESSON_MIN = 0.3  # rarity-weighted match a case lesson needs to stand behind an MoU clause

IMPERATIVE = set(
    [
        "agree",
        "align",
        "allow",
        "apply",
        "approach",
        "ask",
        "assess",
        "avoid",
        "be",
        "bring",
        "build",
        "check",
        "choose",
        "clarify",
        "communicate",
        "confirm",
        "consider",
        "create",
        "decide",
        "define",
        "design",
        "develop",
        "discuss",
        "document",
        "do",
        "drive",
        "enable",
        "engage",
        "ensure",
        "establish",
        "evaluate",
        "explore",
        "focus",
        "get",
        "give",
        "have",
        "hold",
        "identify",
        "implement",
        "include",
        "incentivise",
        "invest",
        "involve",
        "keep",
        "learn",
        "limit",
        "link",
        "listen",
        "look",
        "make",
        "manage",
        "measure",
        "meet",
        "monitor",
        "phrase",
        "plan",
        "prepare",
        "protect",
        "provide",
        "record",
        "reflect",
        "respect",
        "review",
        "reward",
        "select",
        "set",
        "share",
        "start",
        "support",
        "take",
        "test",
        "think",
        "train",
        "treat",
        "try",
        "understand",
        "use",
        "write",
    ]
)


def action(text: str) -> str:
    """A point or lesson phrased as something to tick off."""
    text = text.strip()
    first = text.split()[0].lower().strip("'\"‘“(") if text.split() else ""
    if text.endswith("?"):
        return f"Agree an answer: {text}"
    if first in IMPERATIVE:
        return text
    return f"Check: {text}"


def joined(point: list[Piece]) -> str:
    """An item and its sub-items as one sentence."""
    head, subs = point[0].text, [re.sub(r"(?:[ ;,.]|\band|\bor)+$", "", SUB_ITEM.sub("", u.text)) for u in point[1:]]
    return f"{head} {'; '.join(subs)}." if subs else head


def same(a: str, b: str) -> bool:
    ta, tb = terms(a), terms(b)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= DUPLICATE


def fingerprint(retriever: HybridRetriever) -> str:
    ids = sorted(c.id for c in retriever.chunks)
    return hashlib.sha256(json.dumps(ids).encode()).hexdigest()[:12]


def cite(unit: Piece) -> Citation:
    return Citation(1, unit.chunk, unit.text)


@dataclass
class Drafter:
    retriever: HybridRetriever

    # --- checklists ---------------------------------------------------------------------------
    def steps(self, stage: str) -> list[tuple[str | None, list[Chunk]]]:
        """The stage's framework chunks grouped by step, in the framework's order."""
        framework = next((c.doc_id for c in self.retriever.chunks if c.step), "")
        groups: dict[str | None, list[Chunk]] = {}
        for c in self.retriever.chunks:
            if c.stage == stage and not c.case and c.doc_id == framework:
                groups.setdefault(c.step, []).append(c)
        return list(groups.items())

    def items_of(self, chunks: list[Chunk]) -> list[Piece]:
        return [u for c in chunks for u in pieces_of(Passage(c, 0.0)) if u.is_item]

    def lessons(self, case: int) -> list[Piece]:
        """The items of a case's lessons learnt."""
        return self.items_of([c for c in self.retriever.chunks if c.case == case and c.part == "lessons_learnt"])

    def points_of(self, chunks: list[Chunk]) -> list[list[Piece]]:
        """List items, each with the sub-items ("o ...", "a. ...") that complete it."""
        out: list[list[Piece]] = []
        for u in self.items_of(chunks):
            if out and SUB_ITEM.match(u.text) and out[-1][0].chunk.id == u.chunk.id:
                out[-1].append(u)
            else:
                out.append([u])
        return out

    def lesson_for(self, point: Piece) -> Piece | None:
        """The linked case's lesson that speaks most to a point marked '(see case N)'."""
        best: tuple[float, Piece | None] = (0.2, None)
        about = terms(point.text)
        for n in point.chunk.see_cases:
            for u in self.lessons(n):
                score = overlap(about, u.text)
                if score > best[0]:
                    best = (score, u)
        return best[1]

    def checklist(
        self,
        stage: str | None = None,
        step: str | None = None,
        topic: str | None = None,
        context: str | None = None,
    ) -> Draft:
        context = clean_slot(context)
        if topic and not (stage or step):
            plan = route(topic, self.retriever)
            if plan.step is None:
                return self.topic_checklist(topic, context)
            stage, step = plan.stage, plan.step
        if step and not stage:
            stage = next((st for st, sp in self.retriever.steps if sp.lower() == step.lower()), None)
        stage = known_stage(stage)
        groups = self.steps(stage)
        if step:
            groups = [(s, cs) for s, cs in groups if s and s.lower() == step.lower()]
            if not groups:
                raise UserError(f"The {stage} stage has no step called {step!r}.")
        items: list[DraftItem] = []
        for name, chunks in groups:
            label = f"{STAGE_TITLES[stage]} > {name}" if name else STAGE_TITLES[stage]
            for point in self.points_of(chunks):
                self.add(items, DraftItem(action(joined(point)), [cite(u) for u in point], label))
                lesson = self.lesson_for(point[0]) if point[0].chunk.see_cases else None
                if lesson:
                    text = f"{action(lesson.text)} (lesson from case {lesson.chunk.case})"
                    self.add(items, DraftItem(text, [cite(lesson)], label))
        if context:
            items += self.closest_case(context, " ".join(c.text for _, cs in groups for c in cs), items)
        what = step or STAGE_TITLES[stage]
        return Draft(
            "checklist", f"Checklist: {what}", items, fingerprint(self.retriever), context=context, stage=stage
        )

    def topic_checklist(self, topic: str, context: str | None) -> Draft:
        plan = route(topic, self.retriever)
        passages = self.retriever.search(plan, 8)
        q = terms(plan.query)
        order = {s: i for i, s in enumerate(STAGES)}
        found = [
            u
            for p in passages
            for u in pieces_of(p)
            if u.is_item and u.chunk.kind in ("points", "lessons", "list") and overlap(q, u.text) > 0
        ]
        found.sort(key=lambda u: (u.chunk.case or 0, order.get(u.chunk.stage or "", 9), u.chunk.position))
        items: list[DraftItem] = []
        for u in found:
            self.add(items, DraftItem(action(u.text), [cite(u)], u.chunk.label))
        if not items:
            raise UserError(f"The guidance has no points to consider or lessons on {topic!r}.")
        if context:
            items += self.closest_case(context, topic, items)
        return Draft("checklist", f"Checklist: {topic}", items, fingerprint(self.retriever), context=context)

    def closest_case(self, context: str, about: str, taken: list[DraftItem]) -> list[DraftItem]:
        """Up to three lessons of the case closest to the user's situation, most relevant first."""
        n = case_by_story(context, self.retriever, among_cases=True)
        if n is None:
            return []
        lessons = self.lessons(n)
        embed = self.retriever.embedder
        target = embed.embed_query(f"{context}. {about}"[:2000])
        vectors = embed.embed_documents([u.text for u in lessons]) if lessons else []
        ranked = sorted(zip(lessons, vectors, strict=True), key=lambda x: -float(np.dot(target, x[1])))
        out: list[DraftItem] = []
        for u, _ in ranked:
            if len(out) == 3:
                break
            self.add(out, DraftItem(action(u.text), [cite(u)], f"Closest case to your situation: case {n}"), taken)
        return out

    @staticmethod
    def add(items: list[DraftItem], item: DraftItem, also: list[DraftItem] | None = None) -> None:
        """Append unless an item already says the same; then the earlier item also cites this source."""
        for other in items + (also or []):
            if same(other.text, item.text):
                if item.citations[0].chunk.id not in {c.chunk.id for c in other.citations}:
                    other.citations += item.citations
                return
        items.append(item)

    # --- MoU ------------------------------------------------------------------------------------
    def guidance(self, clause: Clause, context: str | None) -> list[Citation]:
        """The two passages' sentences or points that best support a clause, from different chunks."""
        stage = next((st for st, sp in self.retriever.steps if sp == clause.step), None)
        plan = Route(query=clause.query, step=clause.step, stage=stage)
        passages = self.retriever.search(plan, 4)
        q = terms(clause.query)
        ranked = sorted((u for p in passages for u in pieces_of(p)), key=lambda u: -self.retriever.coverage(q, u.text))
        out: list[Citation] = []
        for u in ranked:
            if len(out) == 2 or self.retriever.coverage(q, u.text) == 0:
                break
            if all(c.chunk is not u.chunk for c in out):
                out.append(cite(u))
        if context and (n := case_by_story(f"{context} {clause.query}", self.retriever, among_cases=True)):
            best = max(self.lessons(n), key=lambda u: self.retriever.coverage(q, u.text), default=None)
            if best and self.retriever.coverage(q, best.text) >= CASE_LESSON_MIN:
                out.append(cite(best))
        return out

    def mou(
        self,
        parties: list[str],
        slots: dict[str, str] | None = None,
        clauses: list[str] | None = None,
        context: str | None = None,
    ) -> Draft:
        unknown = [c for c in clauses or [] if c not in CLAUSE_IDS]
        if unknown:
            raise UserError(f"Unknown clause {unknown[0]!r}: choose from {', '.join(CLAUSE_IDS)}.")
        names = [n for n in (clean_slot(p) for p in parties) if n]
        values = {k: v for k, v in ((k, clean_slot(v)) for k, v in (slots or {}).items()) if v}
        unknown = [k for k in values if k not in SLOT_HINTS]
        if unknown:
            raise UserError(f"Unknown slot {unknown[0]!r}: choose from {', '.join(SLOT_HINTS)}.")
        values["parties"] = party_list(names)
        context = clean_slot(context)
        items = []
        for clause in CLAUSES:
            if clauses and clause.id not in clauses:
                continue
            citations = self.guidance(clause, context)
            if citations:  # a clause the guidance does not support is left out rather than left uncited
                items.append(DraftItem(fill(clause.body, values), citations, heading=clause.heading, clause=clause.id))
        title = "Memorandum of common understanding" + (f": {' and '.join(names)}" if names else "")
        return Draft("mou", title, items, fingerprint(self.retriever), context=context, parties=names)


DRAFT_REQUEST = re.compile(r"\b(checklist|check-list|to-?do list|mou|memorandum|clauses?)\b", re.I)
# A stage named in a drafting request, even without the word "stage".
STAGE_NAMES = {
    "customer": r"\bcustomers?\b",
    "internal": r"\binternal\b",
    "propose": r"\bpropos",
    "design": r"\bdesign",
    "manage_deliver": r"\bmanag\w* and deliver|\bdeliver(?:y|ing)?\b",
}
MOU_REQUEST = re.compile(r"\b(mou|memorandum|clauses?)\b", re.I)


def draft_for_request(drafter: Drafter, question: str, stage: str | None = None) -> Draft | None:
    """A draft when the question asks for one ("draft a checklist for the design stage"), else None."""
    if not DRAFT_REQUEST.search(question) or not re.search(
        r"\b(draft|write|create|make|give|prepare|build|checklist|to-?do)\b", question, re.I
    ):
        return None
    if MOU_REQUEST.search(question) and re.search(r"\b(draft|write|create|prepare|give)\b", question, re.I):
        return drafter.mou([], context=question)
    if MOU_REQUEST.search(question):
        return None  # a question about the MoU, not a request for one
    plan = route(question, drafter.retriever, stage=stage)
    named = next((st for st, pattern in STAGE_NAMES.items() if re.search(pattern, question, re.I)), None)
    if plan.step and plan.stage and named != plan.stage and not re.search(r"\b(stage|phase)\b", question, re.I):
        return drafter.checklist(stage=plan.stage, step=plan.step)
    if plan.stage or named:
        return drafter.checklist(stage=plan.stage or named)
    topic = re.sub(r".*\b(?:checklist|to-?do list)\b\s*(?:for|on|about)?\s*", "", question, flags=re.I)
    return drafter.checklist(topic=topic.strip(" ?.") or question)
