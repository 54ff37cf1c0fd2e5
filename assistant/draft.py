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

from assistant.actions import actions
from assistant.clauses import CLAUSE_IDS, CLAUSES, SLOT_HINTS, Clause, fill, party_list, purpose_phrase
from assistant.drafts import Draft, DraftItem, clean_slot
from assistant.errors import UserError
from assistant.guidance import ClauseGuidance, cite
from assistant.pieces import Piece, overlap, pieces_of
from assistant.retrieve import HybridRetriever
from assistant.route import case_by_story, known_stage, route
from assistant.types import Citation, Passage
from ingest.text import terms
from ingest.types import STAGE_TITLES, Chunk

DUPLICATE = 0.6  # term overlap (Jaccard) above which two items say the same thing
CONTAINED = 0.9  # share of the shorter item's terms the longer one holds when it restates it whole
# Cosine similarity (all-MiniLM-L6-v2) above which two items say the same thing in other words; read
# off every pair of points and lessons of the five stages by hand: restatements ("Define common tools
# and processes, which may mean..." and case 3's "Define common tools and processes.") score 0.85-0.86,
# the closest distinct pair ("Control not to have the same workforce..." and "Manage that the
# competing and partnering contracts are separated") 0.77.
NEAR_DUPLICATE = 0.8
SEE_CASE = re.compile(r"\bsee case (\d)", re.I)
MAX_ITEMS = 30  # a stage checklist a manager can work through (issue 16)
TOPIC_ITEMS = 12  # a checklist on one topic
TITLE_WORDS = 6  # a checklist's topic up to this long is its title as the user wrote it
TOPIC_MARGIN = 0.25  # cosine below the closest action that still speaks to the topic (dev drafting requests)
CONTEXT_LESSONS = 3  # lessons of the case closest to the user's situation, shown first
FURTHER_ACTION = 3.0  # rank added to a point's second and later actions: after every first action
LINKED_LESSON = 0.2  # term overlap a linked case's lesson needs to back a point marked "(see case N)"


@dataclass
class Candidate:
    """A point (with its sub-points) or lesson, phrased as an action, and where it comes from."""

    text: str
    pieces: list[Piece]
    group: str
    rank: float = 0.0  # lower is shown first within the budget

    def item(self) -> DraftItem:
        return DraftItem(self.text, [cite(p) for p in self.pieces], self.group)


def same(a: str, b: str) -> bool:
    """The two texts share most of their terms, or the shorter is held whole in the longer."""
    ta, tb = terms(a), terms(b)
    if not (ta and tb):
        return False
    shorter = min(len(ta), len(tb))
    return len(ta & tb) / len(ta | tb) >= DUPLICATE or (shorter >= 3 and len(ta & tb) / shorter >= CONTAINED)


def fingerprint(retriever: HybridRetriever) -> str:
    ids = sorted(c.id for c in retriever.chunks)
    return hashlib.sha256(json.dumps(ids).encode()).hexdigest()[:12]


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
        """List items, each with the sub-points that complete it."""
        out: list[list[Piece]] = []
        for u in self.items_of(chunks):
            if out and u.sub and out[-1][0].chunk.id == u.chunk.id:
                out[-1].append(u)
            else:
                out.append([u])
        return out

    def lesson_for(self, point: Piece) -> Piece | None:
        """The linked case's lesson that speaks most to a point marked '(see case N)'."""
        best: tuple[float, Piece | None] = (LINKED_LESSON, None)
        about = terms(point.text)
        for n in {int(n) for n in SEE_CASE.findall(point.text)} & set(point.chunk.see_cases):
            for u in self.lessons(n):
                if u.lead_in:
                    continue  # a lesson that announces a list says nothing alone
                score = overlap(about, u.text)
                if score > best[0]:
                    best = (score, u)
        return best[1]

    def candidates(self, point: list[Piece], group: str) -> list[Candidate]:
        """The point's actions: its own first, then any further instruction it states (shown after every
        point's first action, so a stage's budget goes to its points before their second sentences)."""
        found = actions(point[0].text, [u.text for u in point[1:]], prose=not point[0].is_item)
        if not found:
            # A lead-in that is no action itself ("Motivation for partnering for you:") gives its sub-points,
            # each an item of its own, as a lead-in is never quoted without its items.
            return [c for sub in point[1:] for c in self.candidates([sub], group)]
        pieces = list(point)
        if lesson := self.lesson_for(point[0]):
            pieces.append(lesson)  # the case that illustrates the point backs the same item
        out = []
        for n, text in enumerate(found):
            # A point phrased as the guidance phrases it is shown before one reworded, then one asked.
            form = 0.0 if text.split()[0] == point[0].text.split()[0] else 1.0 if not text.endswith("?") else 2.0
            out.append(Candidate(text, pieces if n == 0 else list(point), group, form + FURTHER_ACTION * n))
        return out

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
        steps = []
        for name, chunks in groups:
            label = f"{STAGE_TITLES[stage]} > {name}" if name else STAGE_TITLES[stage]
            found = [c for point in self.points_of(chunks) for c in self.candidates(point, label)]
            steps.append(found)
        first = self.closest_case(context, " ".join(c.text for _, cs in groups for c in cs)) if context else []
        if context:
            self.by_context(context, steps)
        items = self.within_budget(first, steps, MAX_ITEMS)
        what = step or STAGE_TITLES[stage]
        return Draft(
            "checklist", f"Checklist: {what}", items, fingerprint(self.retriever), context=context, stage=stage
        )

    def by_context(self, context: str, steps: list[list[Candidate]]) -> None:
        """Rank each step's points by how close they sit to the user's situation, form breaking ties."""
        embed = self.retriever.embedder
        target = np.asarray(embed.embed_query(context[:2000]))
        texts = [c.text for found in steps for c in found]
        vectors = iter(embed.embed_documents(texts) if texts else [])
        for found in steps:
            for c in found:
                c.rank = c.rank / 10 - float(np.dot(target, next(vectors)))

    def within_budget(self, first: list[Candidate], steps: list[list[Candidate]], budget: int) -> list[DraftItem]:
        """Every step's best points, one step at a time in turn until the budget is spent, near-duplicates
        merged into one item citing both; each step's points then shown in the framework's order."""
        kept: list[Candidate] = []
        chosen: list[list[Candidate]] = [[] for _ in steps]
        queues = [sorted(found, key=lambda c: c.rank) for found in steps]
        vectors = self.vectors([c.text for c in first] + [c.text for q in queues for c in q])
        for c in first:
            self.keep(c, kept, vectors)
        while len(kept) < budget and any(queues):
            for n, queue in enumerate(queues):
                while queue and len(kept) < budget:
                    c = queue.pop(0)
                    if self.keep(c, kept, vectors):
                        chosen[n].append(c)
                        break
        order = {id(c): i for found in steps for i, c in enumerate(found)}
        shown = list(first) + [c for found in chosen for c in sorted(found, key=lambda c: order[id(c)])]
        return [c.item() for c in shown]

    def entry_vectors(self, entries: list[list[Piece]]) -> dict[str, np.ndarray]:
        """Each entry's vector by its text: its pieces' stored vectors summed and normalised, as a chunk's
        is drawn from its pieces at ingest; an entry whose pieces are not in the index is embedded."""
        stored = self.retriever.piece_vectors([u.pid for e in entries for u in e])
        out: dict[str, np.ndarray] = {}
        for e in entries:
            found = [stored[u.pid] for u in e if u.pid in stored]
            if found and len(found) == len(e):
                v = np.sum(found, axis=0)
                out[" ".join(u.text for u in e)] = v / (np.linalg.norm(v) or 1.0)
        return out | self.vectors([t for e in entries if (t := " ".join(u.text for u in e)) not in out])

    def vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        unique = list(dict.fromkeys(texts))
        found = self.retriever.embedder.embed_documents(unique) if unique else []
        return {t: np.asarray(v) for t, v in zip(unique, found, strict=True)}

    @staticmethod
    def keep(c: Candidate, kept: list[Candidate], vectors: dict[str, np.ndarray]) -> bool:
        """Add the candidate unless a kept one says the same; then that one also cites this source."""
        for other in kept:
            if same(other.text, c.text) or float(np.dot(vectors[other.text], vectors[c.text])) >= NEAR_DUPLICATE:
                other.pieces += [p for p in c.pieces if all(p.chunk.id != q.chunk.id for q in other.pieces)]
                return False
        kept.append(c)
        return True

    def topic_checklist(self, topic: str, context: str | None) -> Draft:
        """Points and lessons on one topic from the passages that speak to it, each source a group."""
        plan = route(topic, self.retriever)
        passages = self.retriever.search(plan, 8)
        target = np.asarray(self.retriever.embedder.embed_query(plan.query))
        found: list[Candidate] = []
        for p in passages:
            points = self.points_of(p.chunks) + [[u] for u in pieces_of(p) if not u.is_item]
            found += [c for point in points for c in self.candidates(point, p.chunk.label)]
        if not found:
            raise UserError(f"The guidance has nothing to act on about {topic!r}.")
        vectors = self.vectors([c.text for c in found])
        for c in found:
            c.rank = c.rank / 10 - float(np.dot(target, vectors[c.text]))
        found.sort(key=lambda c: c.rank)
        first = self.closest_case(context, topic) if context else []
        # The unit that speaks most to the topic is the checklist's core, whole; others' actions join it
        # where they are as close to the topic.
        groups: dict[str, list[Candidate]] = {}
        for c in found:
            if c.group == found[0].group or c.rank <= found[0].rank + TOPIC_MARGIN:
                groups.setdefault(c.group, []).append(c)
        core = groups.pop(found[0].group)
        items = self.within_budget(first + core, list(groups.values()), TOPIC_ITEMS)
        # A topic told at length ("things to check so that teaming up with them doesn't come back to bite us")
        # is titled by the unit at the checklist's core.
        title = topic if len(topic.split()) <= TITLE_WORDS else found[0].group.split(" > ")[-1]
        return Draft("checklist", f"Checklist: {title}", items, fingerprint(self.retriever), context=context)

    def closest_case(self, context: str, about: str) -> list[Candidate]:
        """Up to three lessons of the case closest to the user's situation, most relevant first."""
        n = case_by_story(context, self.retriever, among_cases=True)
        if n is None:
            return []
        embed = self.retriever.embedder
        target = np.asarray(embed.embed_query(f"{context}. {about}"[:2000]))
        group = f"Lessons from case {n}, closest to your situation"
        found = [c for u in self.lessons(n) for c in self.candidates([u], group)]
        vectors = self.vectors([c.text for c in found])
        found.sort(key=lambda c: -float(np.dot(target, vectors[c.text])))
        return found[:CONTEXT_LESSONS]

    # --- MoU ------------------------------------------------------------------------------------
    def guidance(self, clause: Clause, context: str | None) -> list[Citation]:
        """The units that bear on a clause (`assistant.guidance`)."""
        return ClauseGuidance(self).of(clause, context)

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
        if values.get("purpose"):
            values["purpose"] = purpose_phrase(values["purpose"])
        context = clean_slot(context)
        items = []
        for clause in CLAUSES:
            if clauses and clause.id not in clauses:
                continue
            citations = self.guidance(clause, context)
            if citations:  # a clause the guidance does not support is left out rather than left uncited
                items.append(DraftItem(fill(clause.body, values), citations, heading=clause.heading, clause=clause.id))
        title = "Memorandum of common understanding" + (f": {' and '.join(names)}" if names else "")
        return Draft(
            "mou",
            title,
            items,
            fingerprint(self.retriever),
            context=context,
            parties=names,
            purpose=values.get("purpose"),
        )
