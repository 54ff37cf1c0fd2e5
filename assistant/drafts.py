"""A draft as data: its items, their citations numbered across the draft, and its forms (a dict for
JSON, a chat answer). Made by `assistant.draft.Drafter`; written out by `assistant.export`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.types import Answer, Citation, Passage
from ingest.text import displayable
from ingest.types import Chunk

MAX_SLOT = 300  # characters kept of one slot value
MAX_NAME = 100  # characters of a file name before its date; long enough for two company names
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # characters Windows, macOS or Linux refuse in a name


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
    purpose: str | None = None

    def file_name(self, suffix: str) -> str:
        """A readable, whole file name: "MoU - Acme Ltd and Dealer plc - 2026-11-25.docx"."""
        what = "MoU - " + " and ".join(self.parties) if self.kind == "mou" and self.parties else self.title
        what = what.replace("Checklist: ", "Checklist - ").replace("Memorandum of common understanding", "MoU")
        what = re.sub(r"\s+", " ", UNSAFE_IN_NAME.sub(" ", displayable(what))).strip(" .")
        if len(what) > MAX_NAME:  # whole words only
            what = what[:MAX_NAME].rsplit(" ", 1)[0].rstrip(" -,") + " et al"
        return f"{what} - {self.created}.{suffix}"

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
        for key in ("context", "stage", "purpose"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.parties:
            out["parties"] = self.parties
        return out

    def as_answer(self, question: str) -> Answer:
        """The draft as a chat answer: its details, then each clause under its numbered heading or each
        item under its step; the draft itself rides along for the chat's download buttons."""
        lines = [self.title]
        if self.parties:
            lines.append(f"Between {' and '.join(self.parties)}.")
        if self.purpose:
            lines.append(f"Purpose: {self.purpose}.")
        group = None
        citations: list[Citation] = []
        for n, (item, cited) in enumerate(self.numbered(), 1):
            marks = "".join(dict.fromkeys(f"[{c.marker}]" for c in cited))
            if self.kind == "mou":
                lines += [f"\n{n}. {item.heading}", f"{item.text} {marks}"]
            else:
                if item.group != group:
                    group = item.group
                    lines.append(f"\n{group.split(' > ')[-1]}")
                lines.append(f"- {item.text} {marks}")
            citations += cited
        passages = list({c.chunk.id: Passage(c.chunk, 0.0) for c in citations}.values())
        return Answer(
            question, "answered", "\n".join(lines), citations, passages, self.stage, None, draft=self.to_dict()
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any], chunks: dict[str, Chunk]) -> Draft:
        """A draft read back from `to_dict`, its citations pointing at the index's chunks again."""
        items = [
            DraftItem(
                i["text"],
                [Citation(c["marker"], chunks[c["chunk_id"]], c["quote"]) for c in i["citations"]],
                i.get("group", ""),
                i.get("heading", ""),
                i.get("clause", ""),
            )
            for i in data["items"]
        ]
        fields = {k: data.get(k) for k in ("context", "stage", "purpose")}
        return cls(
            data["kind"],
            data["title"],
            items,
            data["corpus"],
            data["created"],
            parties=data.get("parties", []),
            **fields,
        )


def clean_slot(value: str | None) -> str | None:
    """A user's slot value on one line, without control characters; None when nothing is left."""
    if value is None:
        return None
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", value)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_SLOT:
        text = text[: MAX_SLOT - 1].rstrip() + "…"
    return text or None
