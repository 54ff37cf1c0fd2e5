"""Tables: a table the PDF's text layer flattened into wrapped lines is rebuilt, one item per column.

    pages = rebuild_tables(pages)    # before cleaning: the table's lines become "• <column>: ..." items

pypdf gives a table's cells in reading order, row by row, each wrapped over lines, with three or more
spaces between cells (a justified line's words are two apart at most). A table is looked for only where
the document captions one ("Table 1: The TM Forum Partnership Maturity Model"): the lines above the
caption that hold such gaps, and the lines that wrap on from them. The first of them is the header (the
columns' names, the corner empty); each row after it has a label and one cell per column. A line
ends a cell only through its spaces (the gap runs over the line break); once a row has all its cells,
a line holding a gap opens the next row (its label and first cell) and one without wraps the last cell.

Readers ask a table for one column at a time ("what marks a managed relationship?", "what are the
levels and what separates them?"), so each column becomes one list item: its name, then each row's
label and cell, the cells verbatim. Where the rows do not all come out with one cell per column, the
text is left as it was: a table read wrongly would put one level's words under another's name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.types import Page

CAPTION = re.compile(r"^\s*Table \d+\s*[:.–—-]\s")
CELL_GAP = re.compile(r" {3,}")  # between cells; a justified line's words are one or two spaces apart
MIN_ROWS = 2  # a header and one row is a caption's list, not a table to read by columns


def spaces_at_end(line: str) -> int:
    return len(line) - len(line.rstrip(" "))


def spaces_at_start(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def has_gap(line: str) -> bool:
    return bool(CELL_GAP.search(line.strip(" ")))


def cells(lines: list[str], columns: int | None) -> list[list[str]]:
    """The table's rows of cells. With `columns` None the first row is the header, up to the next line that
    holds a gap; a row after it has n + 1 cells (its label and one per column)."""
    rows: list[list[str]] = [[""]]
    for n, line in enumerate(lines):
        width = columns + 1 if columns is not None and len(rows) > 1 else None
        if n > 0:
            prev = lines[n - 1]
            crossing = spaces_at_end(prev) + 1 + spaces_at_start(line) >= 3  # the line break as a space
            if width is not None and len(rows[-1]) == width:
                if has_gap(line) or crossing:  # the row is complete: this line opens the next
                    rows.append([""])
            elif columns is None and len(rows) == 1 and has_gap(line):
                columns = len(rows[0])  # the header's last line came before: this one opens the first row
                rows.append([""])
            elif crossing and rows[-1][-1]:
                rows[-1].append("")
        for k, part in enumerate(CELL_GAP.split(line.strip(" "))):
            if k > 0:
                rows[-1].append("")
            rows[-1][-1] = f"{rows[-1][-1]} {part}".strip()
    return [[re.sub(r"\s+", " ", c) for c in row] for row in rows]


def as_items(rows: list[list[str]]) -> list[str] | None:
    """One bullet line per column, or None when a row does not have one cell per column."""
    header, body = rows[0], rows[1:]
    if len(header) < 2 or len(body) < MIN_ROWS - 1 or any(len(r) != len(header) + 1 for r in body):
        return None
    if any(not c for row in rows for c in row):
        return None
    out = []
    for j, name in enumerate(header):
        said = [f"{row[0]}: {row[j + 1]}" for row in body]
        # Cells stay verbatim: one that ends on its own full stop is followed by the next without a ";".
        out.append(f"• {name}: " + "".join(s + ("" if s.endswith(".") else ";") + " " for s in said[:-1]) + said[-1])
    return out


def rebuild_tables(pages: list[Page]) -> list[Page]:
    """The pages with each captioned table's lines replaced by one item per column, on the page where
    the table starts; the running header and page number between its pages stay where they are."""
    lines = [(n, i, line) for n, p in enumerate(pages) for i, line in enumerate(p.text.split("\n"))]
    firsts = [p.text.strip().split("\n")[0].strip() for p in pages if p.text.strip()]
    furniture = {f for f in firsts if firsts.count(f) >= max(2, len(firsts) // 2)}

    def is_furniture(line: str) -> bool:
        return line.strip() in furniture or line.strip().isdigit() or not line.strip()

    replaced: dict[int, dict[int, list[str]]] = {}
    for k, (_, _, line) in enumerate(lines):
        if not CAPTION.match(line):
            continue
        table: list[tuple[int, int, str]] = []
        j = k - 1
        while j >= 0:
            if is_furniture(lines[j][2]):
                j -= 1
                continue
            before = next((x for x in reversed(lines[:j]) if not is_furniture(x[2])), None)
            if has_gap(lines[j][2]) or (before is not None and has_gap(before[2])):
                table.insert(0, lines[j])
                j -= 1
            else:
                break
        if not table:
            continue
        items = as_items(cells([t[2] for t in table], None))
        if items is None:
            continue
        first_page, first_line = table[0][0], table[0][1]
        for tn, ti, _ in table:
            replaced.setdefault(tn, {})[ti] = []
        replaced[first_page][first_line] = items
    if not replaced:
        return pages
    out = []
    for n, p in enumerate(pages):
        if n not in replaced:
            out.append(p)
            continue
        kept: list[str] = []
        for i, line in enumerate(p.text.split("\n")):
            kept += replaced[n].get(i, [line])
        out.append(replace(p, text="\n".join(kept)))
    return out
