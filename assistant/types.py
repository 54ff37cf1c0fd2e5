"""Plain data of answers: retrieved passages, citations, answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ingest.types import Chunk


def chunk_fields(c: Chunk) -> dict[str, Any]:
    """The chunk's identity and place, as both passages and citations report them."""
    return {"chunk_id": c.id, "doc_id": c.doc_id, "stage": c.stage, "step": c.step, "case": c.case, "page": c.page}


@dataclass
class Passage:
    """A retrieved chunk, merged with retrieved neighbours of its section, with its scores.

    `chunk` is the best-ranked chunk and gives the passage its place; `chunks` are all its chunks in
    document order. `score` is the fused rank score; `fit` holds each piece's cosine similarity to the
    question, by piece id (see `Chunk.pieces`).
    """

    chunk: Chunk
    score: float
    dense: float = 0.0
    keyword: float = 0.0
    chunks: list[Chunk] = field(default_factory=list)
    fit: dict[str, float] = field(default_factory=dict)
    unit: list[Chunk] = field(default_factory=list)  # every chunk of the passage's section, in order

    def __post_init__(self) -> None:
        self.chunks = self.chunks or [self.chunk]
        self.unit = self.unit or self.chunks

    @property
    def unit_key(self) -> tuple[str, str]:
        """The unit the passage belongs to: its document and section (a step, a case part, a named list)."""
        return self.chunk.doc_id, self.chunk.section

    @property
    def closest(self) -> float:
        """The similarity of the passage's piece closest to the question."""
        return max(self.fit.values(), default=0.0)

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.chunks)

    @property
    def embed_text(self) -> str:
        return "\n".join(c.embed_text for c in self.chunks)

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            **chunk_fields(c),
            "chunk_ids": [x.id for x in self.chunks],
            "unit_chunk_ids": [x.id for x in self.unit],
            "section": c.section,
            "score": round(self.score, 4),
            "text": self.text,
        }


@dataclass
class Citation:
    """A numbered marker pointing at a passage, with a quote found verbatim in it."""

    marker: int
    chunk: Chunk
    quote: str

    @property
    def page(self) -> int:
        """The page the quote stands on (a chunk can run over a page break)."""
        return self.chunk.page_of(self.quote)

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "marker": self.marker,
            **chunk_fields(c),
            "page": self.page,
            "title": c.title,
            "section": c.label,
            "quote": self.quote,
        }


@dataclass
class Answer:
    question: str
    status: Literal["answered", "not_covered"]
    text: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    stage: str | None = None
    case: int | None = None
    note: str | None = None
    suggestions: list[str] = field(default_factory=list)  # not covered: the nearest topics that are
    asks: list[str] = field(default_factory=list)  # and for each, a question the guidance answers
    draft: dict[str, Any] | None = None  # a drafting request's draft (see `assistant.drafts.Draft.to_dict`)
    # An overview's entries in order, each as its unit (document, section), for "the first one" next.
    listed: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "status": self.status,
            "stage": self.stage,
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
        }
        if self.note:
            out["note"] = self.note
        if self.suggestions:
            out["nearest"] = self.suggestions
            out["nearest_questions"] = self.asks
        if self.draft:
            out["draft"] = self.draft
        return out
