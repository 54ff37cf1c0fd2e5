"""Loaders, one per format: a file becomes pages of raw text.

    pages = load(Path("corpus/briefing.pdf"))   # [Page(doc_id, title, number, text), ...]

A file that cannot be read raises `UserError` naming it; the pipeline reports it and goes on.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from ingest.errors import UserError
from ingest.sources import Source
from ingest.types import Page

# Files in a corpus folder that describe it rather than belong to it.
NOT_DOCUMENTS = {"readme.md", "sources.md"}


def doc_id_for(path: Path) -> str:
    return path.stem.lower().replace(" ", "-")


def humanise(stem: str) -> str:
    words = stem.replace("_", "-").split("-")
    return " ".join(words).capitalize()


def load_pdf(path: Path) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise UserError(f"{path.name}: the PDF is encrypted; save an unprotected copy to ingest it.")
        metadata = reader.metadata
        title = str(metadata.get("/Title", "") if metadata else "").strip()  # "" leaves it to `titled`
        texts = [paragraphed(page) for page in reader.pages]
    except UserError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{path.name}: not a readable PDF ({type(exc).__name__}).") from exc
    if not any(t.strip() for t in texts):
        raise UserError(f"{path.name}: the PDF has no extractable text (scanned images?).")
    doc_id = doc_id_for(path)
    return [Page(doc_id, title, n, t) for n, t in enumerate(texts, start=1)]


# A row of text set this much further below the one above than the page's usual line spacing (in the
# same type size) opens a paragraph: the briefing sets lines 14.2 pt apart and paragraphs 19.8 pt (1.39).
# Further than MAX_GAP is a jump to another column or past a figure, not a paragraph's spacing.
PARAGRAPH_GAP, MAX_GAP = 1.25, 3.0
PREFIX = 16  # characters of a row's text that find its line in the extracted text


def paragraphed(page: Any) -> str:
    """The page's text as pypdf extracts it, with a blank line where the layout sets a paragraph gap:
    the extracted lines alone do not say where a paragraph that fills its last line ends."""
    rows: list[list[Any]] = []  # [y, type size, text] of each visual row, in the content's order

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        y, scale = cm[5] + tm[5] * cm[3], abs(tm[3] or tm[0])
        if rows and abs(rows[-1][0] - y) < 1.0:
            rows[-1][2] += text
        else:
            rows.append([y, round(size * scale, 1), text])

    text = page.extract_text(visitor_text=visit) or ""
    gaps = [a[0] - b[0] for a, b in pairwise(rows) if a[1] == b[1] and a[0] > b[0]]
    if not gaps:
        return text
    spacing = statistics.median(gaps)
    opening = [
        squash(b[2])[:PREFIX]
        for a, b in pairwise(rows)
        if a[1] == b[1] and spacing * PARAGRAPH_GAP < a[0] - b[0] < spacing * MAX_GAP
    ]
    lines, at = text.split("\n"), 0
    for start in opening:
        found = next((i for i in range(at, len(lines)) if start and squash(lines[i]).startswith(start)), None)
        if found is not None:
            lines[found] = "\n" + lines[found] if found else lines[found]
            at = found + 1
    return "\n".join(lines)


def squash(text: str) -> str:
    return " ".join(text.split())


def load_text(path: Path) -> list[Page]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path.name}: not UTF-8 text (byte {exc.start}); save it as UTF-8.") from exc
    except OSError as exc:
        raise UserError(f"{path.name}: cannot be read ({exc.strerror}).") from exc
    if not text.strip():
        raise UserError(f"{path.name}: the file is empty.")
    return [Page(doc_id_for(path), "", 1, text)]


MAX_FILE_BYTES = 100 * 2**20  # a partnership guide is a few MB; larger is almost surely not one

LOADERS: dict[str, Callable[[Path], list[Page]]] = {
    ".pdf": load_pdf,
    ".txt": load_text,
    ".md": load_text,
}


def corpus_files(corpus: Path) -> list[Path]:
    """The documents in a corpus folder, in a stable order."""
    if not corpus.is_dir():
        raise UserError(f"Corpus folder not found: {corpus}")
    files = [
        p
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and p.suffix.lower() in LOADERS and p.name.lower() not in NOT_DOCUMENTS
    ]
    if not files:
        raise UserError(f"No documents (.pdf, .txt, .md) in {corpus}")
    return files


def titled(pages: list[Page], path: Path, source: Source | None) -> list[Page]:
    """Pages under the document's title: its own metadata's, else the catalogue's (`ingest.sources`),
    else one made from its file name."""
    title = pages[0].title or (source.title if source else "") or humanise(path.stem)
    return [replace(p, title=title) for p in pages]


def load(path: Path) -> list[Page]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(f"{path.name}: too large ({size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB).")
    return LOADERS[path.suffix.lower()](path)
