"""The corpus's own catalogue: a `SOURCES.md` beside the documents that says what each one is.

    catalogue(Path("corpus"))["willetts-win-win-or-lose.txt"]
    -> Source(title="Win-win or lose", about='Blog article "Win-win or lose" by the founder of TM Forum')

A catalogue is a Markdown table whose first column is a document's file name and whose second says what
it is, naming its title in quotes where it has one ("TM Forum guide \"Managing Partnerships\" (2012)").
A document's title is its own metadata first (a PDF's /Title), then the catalogue's quoted title, and
only then its file name (`loaders.humanise`); the catalogue's description is shown beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_NAMES = ("SOURCES.md", "sources.md")
# A quoted title in a description: "…", “…” or «…».
QUOTED = re.compile(r"[\"“«]([^\"”»]{3,200})[\"”»]")


@dataclass(frozen=True)
class Source:
    title: str  # "" when the catalogue names none
    about: str  # what the document is, as the catalogue says


def catalogue_path(corpus: Path) -> Path | None:
    return next((corpus / n for n in CATALOGUE_NAMES if (corpus / n).is_file()), None)


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def plain(cell: str) -> str:
    """A table cell without Markdown's emphasis and code marks."""
    return re.sub(r"\s+", " ", re.sub(r"[`*_]+", "", cell)).strip()


def title_of(about: str) -> str:
    """The title a description quotes; "" when it quotes none (a description is not a title)."""
    m = QUOTED.search(about)
    return m.group(1).strip() if m else ""


def catalogue(corpus: Path) -> dict[str, Source]:
    """Each catalogued file name (as in the folder) with its Source; {} when there is no catalogue."""
    path = catalogue_path(corpus)
    if path is None:
        return {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):  # an unreadable catalogue leaves titles to the documents
        return {}
    found: dict[str, Source] = {}
    for line in lines:
        if not line.lstrip().startswith("|"):
            continue
        row = cells(line)
        if len(row) < 2 or not (corpus / plain(row[0])).is_file():
            continue
        about = plain(row[1])
        found[plain(row[0])] = Source(title=title_of(about), about=about)
    return found
