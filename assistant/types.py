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
    """A retrieved chunk with its scores; `score` is the fused rank score."""

    chunk: Chunk
    score: float
    dense: float = 0.0
    keyword: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {**chunk_fields(c), "section": c.section, "score": round(self.score, 4), "text": c.text}


@dataclass
class Citation:
    """A numbered marker pointing at a passage, with a quote found verbatim in it."""

    marker: int
    chunk: Chunk
    quote: str

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {"marker": self.marker, **chunk_fields(c), "title": c.title, "section": c.label, "quote": self.quote}


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

    def to_dict(self) -> dict[str, Any]:
        out = {
            "question": self.question,
            "status": self.status,
            "stage": self.stage,
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
        }
        if self.note:
            out["note"] = self.note
        return out
