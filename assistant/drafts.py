"""A draft as data: its items, their citations numbered across the draft, and its forms (a dict for
JSON, a chat answer). Made by `assistant.draft.Drafter`; written out by `assistant.export`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.types import Answer, Citation, Passage
from ingest.types import Chunk

MAX_SLOT = 300  # characters kept of one slot value


@dataclass
class DraftItem:
    text: str
    citations: list[Citation] = field(default_factory=list)
    group: str = ""  # checklist: the step or case the item belongs to
    heading: str = ""  # MoU: the clause heading
    clause: str = ""  # MoU: the clause id

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "citations": [c.to_dict() for c in self.citations]}
        if self.heading:
            out |= {"heading": self.heading, "clause": self.clause}
        if self.group:
            out["group"] = self.group
        return out


@dataclass
class Draft:
    kind: str  # "checklist" | "mou"
    title: str
    items: list[DraftItem]
    corpus: str  # fingerprint of the corpus the draft was drawn from
    created: str = field(default_factory=lambda: date.today().isoformat())
    context: str | None = None
    stage: str | None = None
    parties: list[str] = field(default_factory=list)

    def numbered(self) -> list[tuple[DraftItem, list[Citation]]]:
        """Each item with its citations numbered across the whole draft, one number per source chunk."""
        chunks: list[Chunk] = []
        out = []
        for item in self.items:
            cited = []
            for c in item.citations:
                if c.chunk not in chunks:
                    chunks.append(c.chunk)
                cited.append(Citation(chunks.index(c.chunk) + 1, c.chunk, c.quote))
            out.append((item, cited))
        return out

    def to_dict(self) -> dict[str, Any]:
        items = []
        for item, cited in self.numbered():
            items.append(item.to_dict() | {"citations": [c.to_dict() for c in cited]})
        out: dict[str, Any] = {
            "kind": self.kind,
            "title": self.title,
            "created": self.created,
            "corpus": self.corpus,
            "items": items,
        }
        for key in ("context", "stage"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.parties:
            out["parties"] = self.parties
        return out

    def as_answer(self, question: str) -> Answer:
        """The draft as a chat answer: one line per item under its group or clause heading."""
        lines = [self.title]
        group = None
        citations: list[Citation] = []
        for item, cited in self.numbered():
            if (item.heading or item.group) != group:
                group = item.heading or item.group
                lines.append(f"\n{group}")
            marks = "".join(dict.fromkeys(f"[{c.marker}]" for c in cited))
            lines.append(f"- {item.text} {marks}")
            citations += cited
        passages = list({c.chunk.id: Passage(c.chunk, 0.0) for c in citations}.values())
        return Answer(question, "answered", "\n".join(lines), citations, passages, self.stage, None)


def clean_slot(value: str | None) -> str | None:
    """A user's slot value on one line, without control characters; None when nothing is left."""
    if value is None:
        return None
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", value)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_SLOT:
        text = text[: MAX_SLOT - 1].rstrip() + "…"
    return text or None
