"""The quotable pieces of a passage: its sentences and list items, each with where it stands.

pieces = pieces_of(passage)              # in order, without the heading that names the unit
overlap(question_terms, piece.text)      # the share of the question's words a piece uses
leans_back(piece.text)                   # the piece is read with the one before it
leaned_on(piece, by_order)               # the pieces before it that it is read with
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.types import Passage
from ingest.text import terms
from ingest.types import Chunk


@dataclass
class Piece:
    """A quotable piece of a passage: a sentence or a list item."""

    passage: Passage
    chunk: Chunk
    text: str
    is_item: bool
    order: int
    fit: float = 0.0  # cosine similarity to the question, when the index has the piece's vector
    paragraph: tuple[str, int] = ("", 0)  # the chunk and line the piece is on
    pid: str = ""  # the piece's id in the index (its vector is stored there)

    @property
    def sub(self) -> bool:
        """A sub-point of the point before it."""
        return self.is_item and f"  - {self.text}" in self.chunk.text

    @property
    def lead_in(self) -> bool:
        """A sentence that announces a list ("...detailing the following:")."""
        return self.text.rstrip().endswith(":")


def pieces_of(passage: Passage, whole_unit: bool = False) -> list[Piece]:
    out: list[Piece] = []
    for chunk in passage.unit if whole_unit else passage.chunks:
        heading = chunk.section.split(" > ")[-1]
        for (pid, text, item), line in zip(chunk.keyed_pieces(), chunk.paragraphs(), strict=True):
            # A section's heading is often the first line of its text; it names the unit and is not
            # quoted as a sentence of it ("Success factor #1 – be clear about where partners fit ...").
            if text != heading:
                out.append(
                    Piece(passage, chunk, text, item, len(out), passage.fit.get(pid, 0.0), (chunk.id, line), pid)
                )
    return out


def overlap(question: set[str], text: str) -> float:
    words = terms(text)
    return len(question & words) / (len(question) or 1)


# A sentence that opens by pointing back to the one before it ("This can get even worse...", "They
# decide..."), or by a connective that goes on from it ("However, there are also examples where this...",
# "Indeed, it is also important...", "As a result, ..."), or goes on with what it announced ("...different
# reasons than dynamic change. One would be the end of the lifetime..., Another would be...").
POINTS_BACK = re.compile(
    r"^(?:(?:this|these|that|those|they|such)\b(?! as\b)"
    r"|(?:however|but|yet|indeed|also|therefore|hence|thus|consequently|moreover|furthermore|otherwise"
    r"|instead|similarly|likewise|nevertheless|nonetheless|as a result|in addition|on the other hand"
    r"|in turn|in this respect|for example|for instance|another|secondly|thirdly|lastly"
    r"|one (?:would|could|might|will) be|the (?:latter|former|other)\b(?! (?:hand|way)\b))\b)",
    re.I,
)


def leans_back(text: str) -> bool:
    """The sentence is read with the one before it: it points back to it, or a chunk boundary or a page
    break cut it in mid-sentence ("assembles the ecosystem that...")."""
    return bool(POINTS_BACK.match(text)) or text[:1].islower()


def leaned_on(piece: Piece, before: dict[int, Piece], across_chunks: bool = False) -> list[Piece]:
    """The pieces before `piece` (by order, from `before`) that it is read with, in order: each one the next
    points back to, within its paragraph, or across the chunk boundary that cut that paragraph when
    `across_chunks`."""
    out: list[Piece] = []
    at = piece
    while (
        leans_back(at.text)
        and (prev := before.get(at.order - 1))
        and (prev.paragraph == at.paragraph or (across_chunks and at.paragraph[1] == 0))
    ):
        out.insert(0, prev)
        at = prev
    return out
