"""Plain data that crosses ingest's steps and leaves it: pages, blocks, chunks."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Line = tuple[str, int, bool]  # a PDF line's text, its page, and whether a paragraph gap was above it
BlockKind = Literal["heading", "paragraph", "item", "subitem", "points", "caption", "table"]


@dataclass
class Page:
    """One page of a document as loaded: text files are a single page."""

    doc_id: str
    title: str
    number: int
    text: str


@dataclass
class Block:
    """A heading, paragraph or list item after cleaning, with the pages it spans."""

    kind: BlockKind
    text: str
    page: int
    last_page: int = 0
    level: int = 1
    aside: bool = False  # set beside the text, as a sidebar (`ingest.sidebars`)

    def __post_init__(self) -> None:
        self.last_page = max(self.last_page, self.page)


@dataclass
class Section:
    """A run of blocks under one heading path, with the framework metadata it carries."""

    doc_id: str
    title: str
    path: list[str]
    blocks: list[Block] = field(default_factory=list)
    stage: str | None = None
    step: str | None = None
    case: int | None = None
    part: str | None = None


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z“\"'(])")


def chunk_id(doc_id: str, text: str) -> str:
    return hashlib.sha256(f"{doc_id}\n{normalise(text)}".encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=65536)
def split_lines(text: str) -> tuple[tuple[str, bool, int], ...]:
    """The quotable pieces of a text (see `Chunk.pieces`), each with the line (paragraph or item) it is on."""
    out: list[tuple[str, bool, int]] = []
    for n, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped.lower().startswith("points to consider"):
            continue
        if stripped.startswith("- "):
            out.append((stripped[2:].strip().removeprefix("- "), True, n))
        else:
            out += [(s.strip(), False, n) for s in SENTENCE_END.split(stripped) if s.strip()]
    # A list item of two words ("Incentivise collaboration") is a whole point; a sentence that short
    # is a fragment of the layout.
    return tuple((piece, item, n) for piece, item, n in out if len(piece.split()) >= (2 if item else 3))


@functools.lru_cache(maxsize=65536)
def split_pieces(text: str) -> tuple[tuple[str, bool], ...]:
    return tuple((piece, item) for piece, item, _ in split_lines(text))


@dataclass
class Chunk:
    """The unit that is embedded, indexed, retrieved and cited."""

    id: str
    doc_id: str
    title: str
    page: int
    last_page: int
    section: str
    text: str
    stage: str | None = None
    step: str | None = None
    case: int | None = None
    part: str | None = None
    kind: str = "text"  # "points" (points to consider), "lessons", "list", "text", "table"
    see_cases: list[int] = field(default_factory=list)
    position: int = 0  # order within the document
    piece_pages: list[int] = field(default_factory=list)  # each piece's page, for a chunk over a page break
    # A case's opening sentence (what the case is about), carried by the case's other chunks so that each
    # part is found by the story it belongs to ("the systems integrator and the UX firm"), not its own words.
    story: str = ""

    @property
    def embed_text(self) -> str:
        """What the embedder and BM25 see: the section path gives a chunk its topic, and a case's story
        the case it belongs to."""
        return f"{self.section}\n{self.story}\n{self.text}" if self.story else f"{self.section}\n{self.text}"

    @property
    def label(self) -> str:
        """Structural citation label: stage > step, or Case N > part, or the section path."""
        if self.case:
            part = (self.part or "").replace("_", " ")
            return f"Case {self.case}" + (f" > {part}" if part else "")
        if self.stage and self.step and self.doc_id.startswith("cambridge"):
            return f"{STAGE_TITLES[self.stage]} > {self.step}"
        return self.section.removeprefix(f"{self.title} > ")  # the title is cited beside it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def pieces(self) -> tuple[tuple[str, bool], ...]:
        """The quotable pieces of the text, each a sentence or a list item (True), in order.

        Answers quote them, and each is embedded on its own (see `ingest.index`) so that a question
        can meet the one point of a long list that answers it."""
        return split_pieces(self.text)

    def keyed_pieces(self) -> list[tuple[str, str, bool]]:
        """Each piece with its id (the chunk's id and the piece's place in it), text and item flag."""
        return [(f"{self.id}:{n}", text, item) for n, (text, item) in enumerate(self.pieces())]

    def page_of(self, quote: str) -> int:
        """The page a quote from this chunk stands on: its piece's page when the chunk runs over a page
        break (see `ingest.chunker.place_pieces`), else the chunk's page."""
        for (text, _), page in zip(self.pieces(), self.piece_pages, strict=False):
            if quote in text or text in quote:
                return page
        return self.page

    def paragraphs(self) -> tuple[int, ...]:
        """The line of the text (a paragraph or a list item) each piece is on, in the pieces' order."""
        return tuple(n for _, _, n in split_lines(self.text))

    def piece_ids(self) -> list[str]:
        return [pid for pid, _, _ in self.keyed_pieces()]

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for the vector store (no None values, no lists)."""
        meta = {k: v for k, v in self.to_dict().items() if k not in ("text", "see_cases", "piece_pages")}
        meta["see_cases"] = ",".join(map(str, self.see_cases))
        return {k: v for k, v in meta.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(**data)


STAGES = ["customer", "internal", "propose", "design", "manage_deliver"]
STAGE_TITLES = {
    "customer": "The partnership - customer",
    "internal": "The partner - internal",
    "propose": "The partnership - propose",
    "design": "The partnership - design",
    "manage_deliver": "The partnership - manage and deliver",
}
CASE_PARTS = ["background", "customers", "service_partnering", "process_followed", "lessons_learnt"]
