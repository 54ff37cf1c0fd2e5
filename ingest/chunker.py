"""Chunking that respects structure: a chunk never spans two sections, never cuts a list item.

    chunks = chunk_sections(sections)

Chunks hold at most MAX_WORDS words. all-MiniLM-L6-v2 reads 256 word pieces; English prose in
this corpus runs about 1.3 pieces a word, and the section path that is embedded with each chunk
takes up to ~20, so 160 words (~210 pieces) fits with room for long words and numbers.
`tests/test_ingest.py` measures the real token counts of every chunk.
"""

from __future__ import annotations

import re

from ingest.structure import case_links, infer_stage
from ingest.types import Block, Chunk, Page, Section, chunk_id

MAX_WORDS = 160
MAX_BLOCK_WORDS = 2 * MAX_WORDS  # a list item or heading longer than this is split like a paragraph
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'(])")


def words(text: str) -> int:
    return len(text.split())


def render(block: Block) -> str:
    if block.kind == "item":
        return f"- {block.text}"
    if block.kind == "subitem":
        return f"  - {block.text}"
    return block.text


def bounded_sentences(text: str) -> list[str]:
    """The text's sentences, a sentence longer than a chunk (text with no punctuation) cut into runs of
    MAX_WORDS words, so that no chunk outgrows the embedding window whatever the input."""
    out: list[str] = []
    for sentence in SENTENCE_END.split(text):
        tokens = sentence.split()
        out += [" ".join(tokens[i : i + MAX_WORDS]) for i in range(0, len(tokens), MAX_WORDS)] or [sentence]
    return out


def units(blocks: list[Block]) -> list[tuple[str, list[Block]]]:
    """Indivisible units: a paragraph, or an item with its sub-items. A paragraph longer than a chunk
    (any other block longer than MAX_BLOCK_WORDS) is split at its sentences, and a sentence longer than
    a chunk at MAX_WORDS words."""
    out: list[tuple[str, list[Block]]] = []
    for block in blocks:
        if block.kind == "subitem" and out and out[-1][1][-1].kind in ("item", "subitem"):
            out[-1][1].append(block)
        elif words(block.text) > (MAX_WORDS if block.kind == "paragraph" else MAX_BLOCK_WORDS):
            part: list[str] = []
            for sentence in bounded_sentences(block.text):
                if part and words(" ".join(part + [sentence])) > MAX_WORDS:
                    out.append(("text", [Block("paragraph", " ".join(part), block.page, block.last_page)]))
                    part = []
                part.append(sentence)
            out.append(("text", [Block("paragraph", " ".join(part), block.page, block.last_page)]))
        else:
            kind = "list" if block.kind in ("item", "subitem") else "points" if block.kind == "points" else "text"
            out.append((kind, [block]))
    return out


def pack(section: Section) -> list[list[Block]]:
    """Greedy packing of units into chunks; a 'Points to consider' list starts a fresh chunk."""
    groups: list[list[Block]] = []
    current: list[Block] = []
    for kind, blocks in units(section.blocks):
        size = sum(words(b.text) for b in current) + sum(words(b.text) for b in blocks)
        if current and (kind == "points" or size > MAX_WORDS):
            groups.append(current)
            current = []
        current.extend(blocks)
    if current:
        groups.append(current)
    return groups


def chunk_kind(section: Section, blocks: list[Block]) -> str:
    has_items = any(b.kind in ("item", "subitem") for b in blocks)
    if section.part == "lessons_learnt":
        return "lessons"
    if any(b.kind == "points" for b in blocks) or (section.step or section.stage) and has_items:
        return "points"
    return "list" if has_items else "text"


def chunk_sections(sections: list[Section]) -> list[Chunk]:
    chunks: list[Chunk] = []
    framework = any(s.stage for s in sections)  # the briefing is tagged by its own structure
    for section in sections:
        path = " > ".join(section.path)
        for blocks in pack(section):
            text = "\n".join(render(b) for b in blocks)
            stage = section.stage
            if stage is None and section.case is None and not framework:
                stage = infer_stage(f"{path}\n{text}")
            chunks.append(
                Chunk(
                    id=chunk_id(section.doc_id, text),
                    doc_id=section.doc_id,
                    title=section.title,
                    page=min(b.page for b in blocks),
                    last_page=max(b.last_page for b in blocks),
                    section=path,
                    text=text,
                    stage=stage,
                    step=section.step,
                    case=section.case,
                    part=section.part,
                    kind=chunk_kind(section, blocks),
                    see_cases=[] if section.case else case_links(text),
                    position=len(chunks),
                )
            )
    return with_stories(chunks)


def with_stories(chunks: list[Chunk]) -> list[Chunk]:
    """Each case's chunks with the case's opening sentence as their story, but the chunk it opens."""
    opening: dict[int, str] = {}
    for c in chunks:
        if c.case is not None and c.case not in opening:
            opening[c.case] = bounded_sentences(c.text)[0]
    for c in chunks:
        if c.case is not None and not c.text.startswith(opening[c.case]):
            c.story = opening[c.case]
    return chunks


def squashed(text: str) -> str:
    """Letters and digits only, lower case: how a piece is found in its page's raw text whatever the
    cleaning did to spaces, line breaks, hyphens and glyphs."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


PLACE_WORDS = 8  # a piece is placed by its opening words (the page it starts on)


def place_pieces(chunks: list[Chunk], pages: list[Page]) -> list[Chunk]:
    """Give each piece of a chunk that runs over a page break the page it starts on, so that a citation
    names the page its quote is on, not the page its chunk began on."""
    raw = {p.number: squashed(p.text) for p in pages}
    for c in chunks:
        if c.last_page <= c.page:
            continue
        placed = []
        for text, _ in c.pieces():
            head = squashed(" ".join(text.split()[:PLACE_WORDS]))
            placed.append(next((n for n in range(c.page, c.last_page + 1) if head and head in raw.get(n, "")), c.page))
        c.piece_pages = placed
    return chunks
