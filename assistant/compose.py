"""The extractive composer: an answer built from quoted sentences and points, each cited.

    answer = ExtractiveComposer().compose(question, plan, passages)

A lead of one or two sentences from the best passage, then the relevant points (a step's points to
consider, a case's lessons), then "From the cases" when a case speaks to it. Every sentence and
point is quoted from its passage, so each citation's quote occurs verbatim in the chunk it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.retrieve import terms
from assistant.route import Route
from assistant.types import Answer, Citation, Passage
from ingest.types import Chunk

MAX_POINTS = 5
MEANING = 0.25  # weight of a piece's similarity by meaning beside its share of the question's words (dev split)


@dataclass
class Unit:
    """A quotable piece of a passage: a sentence or a list item."""

    passage: Passage
    chunk: Chunk
    text: str
    is_item: bool
    order: int
    fit: float = 0.0  # cosine similarity to the question, when the index has the piece's vector


def units(passage: Passage) -> list[Unit]:
    pieces = [
        (chunk, text, item, passage.fit.get(pid, 0.0))
        for chunk in passage.chunks
        for pid, text, item in chunk.keyed_pieces()
    ]
    return [Unit(passage, chunk, text, item, n, fit) for n, (chunk, text, item, fit) in enumerate(pieces)]


def overlap(question: set[str], text: str) -> float:
    words = terms(text)
    return len(question & words) / (len(question) or 1)


class ExtractiveComposer:
    name = "extractive"

    def compose(self, question: str, plan: Route, passages: list[Passage]) -> Answer:
        q = terms(plan.query)
        cited: list[Chunk] = []
        lines: list[str] = []
        quotes: list[tuple[int, str]] = []

        def match(u: Unit) -> float:
            """How well a piece answers the question: its share of the question's words, and its meaning."""
            return overlap(q, u.text) + MEANING * u.fit

        def cite(unit: Unit) -> str:
            if unit.chunk not in cited:
                cited.append(unit.chunk)
            n = cited.index(unit.chunk) + 1
            quotes.append((n, unit.text))
            return f"{unit.text} [{n}]"

        lead_passage = passages[0]
        top = passages[:3]
        rank = {id(p): i for i, p in enumerate(passages)}

        def score(u: Unit) -> float:
            return match(u) + 0.15 / (rank[id(u.passage)] + 1)

        asked = [p for p in top if plan.part and p.chunk.part == plan.part] or top
        sentences = [u for p in asked for u in units(p) if not u.is_item] or units(lead_passage)
        best = sorted(sentences, key=lambda u: (-score(u), rank[id(u.passage)], u.order))
        lead = best[:1] + [u for u in best[1:2] if match(u) > 0.3]
        lead.sort(key=lambda u: (rank[id(u.passage)], u.order))
        lines.append(" ".join(cite(u) for u in lead))
        anchor = lead[0].passage

        focus_case = plan.case
        listing = [
            p
            for p in passages[:4]
            if any(c.kind in ("points", "lessons", "list") for c in p.chunks)
            and (focus_case is None or p.chunk.case == focus_case)
            and (focus_case is not None or rank[id(p)] < 2 or p.chunk.section == anchor.chunk.section)
        ]
        # Items of the step or case part the question asks for come first, unless another listing's
        # item matches the question clearly better.
        named = {
            id(p) for p in listing if plan.step and p.chunk.step == plan.step or plan.part and p.chunk.part == plan.part
        }
        lead_texts = {u.text for u in lead}
        point_passages = [p for p in listing if id(p) in named] + [p for p in listing if id(p) not in named][:2]
        points = [u for p in point_passages for u in units(p) if u.is_item and u.text not in lead_texts]

        def point_score(u: Unit) -> float:
            return score(u) + (0.25 if id(u.passage) in named else 0.0)

        if points:
            chosen = sorted(points, key=lambda u: -point_score(u))[:MAX_POINTS]
            ordered = [u for u in points if u in chosen]
            lines.append("\n".join(f"- {cite(u)}" for u in ordered))

        def speaks_to(passage: Passage | None) -> Unit | None:
            """The passage's sentence or point that best matches the question, if it matches well."""
            best = max(units(passage), key=match, default=None) if passage else None
            return best if best and match(best) > 0.3 else None

        if focus_case is None:
            case_passage = next((p for p in passages[1:6] if p.chunk.case and p is not lead_passage), None)
            if case_unit := speaks_to(case_passage):
                lines.append(f"From the cases (case {case_unit.chunk.case}):\n- {cite(case_unit)}")

        # Another document that speaks to the question, in its own words.
        other = next(
            (p for p in passages[1:4] if not p.chunk.case and p.chunk.doc_id != anchor.chunk.doc_id),
            None,
        )
        if (other_unit := speaks_to(other)) and other_unit.chunk not in cited:
            lines.append(f"Elsewhere in the guidance ({other_unit.chunk.title}):\n- {cite(other_unit)}")

        citations = [Citation(n, cited[n - 1], quote) for n, quote in quotes]
        return Answer(
            question,
            "answered",
            "\n\n".join(lines),
            citations,
            passages,
            plan.stage or lead_passage.chunk.stage,
            plan.case,
        )
