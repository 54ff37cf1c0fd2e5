"""Tables a PDF's text layer flattened are rebuilt one item per column, on made-up pages shaped as pypdf
gives them: cells three or more spaces apart, wrapped over lines and over a page break."""

from __future__ import annotations

from ingest.clean import clean_pdf
from ingest.tables import cells, rebuild_tables
from ingest.types import Page

HEADER = "Bakers' Guide"
PROSE = "Bread  is  baked  in  three  ways  that  this  guide  compares  across  the  kitchens  we  know."


def pages(*texts: str) -> list[Page]:
    return [Page("bake", "Bake", n, f"{HEADER}\n{t}\n{n}") for n, t in enumerate(texts, start=1)]


TABLE_P1 = (
    f"{PROSE}\nQuick    Slow  rise    Sour\ndough\nFlour   Strong white   Mixed white and rye, ground\nfine   Wholemeal"
)
TABLE_P2 = (
    "rye\n"
    "Time    One hour    A night    Three\n"
    "days and a starter\n"
    "Table 2: The three breads compared\n"
    "After  the  table  the  guide  goes  on  about  ovens  and  their  many  quirks."
)


def test_a_wrapped_header_and_wrapped_cells_come_out_one_cell_each():
    lines = ["Quick    Slow  rise    Sour", "dough", "Flour   Strong white   Mixed white and rye, ground", "fine   Rye"]
    assert cells(lines, None) == [
        ["Quick", "Slow rise", "Sour dough"],
        ["Flour", "Strong white", "Mixed white and rye, ground fine", "Rye"],
    ]


def test_a_captioned_table_over_a_page_break_becomes_one_item_per_column_on_its_first_page():
    rebuilt = rebuild_tables(pages(TABLE_P1, TABLE_P2))
    first = rebuilt[0].text.splitlines()
    assert first[0] == HEADER and first[-1] == "1"  # the page's furniture stays where it was
    assert first[2:5] == [
        "• Quick: Flour: Strong white; Time: One hour",
        "• Slow rise: Flour: Mixed white and rye, ground fine; Time: A night",
        "• Sour dough: Flour: Wholemeal rye; Time: Three days and a starter",  # the last cell wraps on
    ]
    second = rebuilt[1].text.splitlines()
    assert second[1].startswith("Table 2:")  # the table's lines have moved to where it starts
    blocks = clean_pdf(rebuilt)
    items = [b for b in blocks if b.kind == "item"]
    assert [b.text.split(":")[0] for b in items] == ["Quick", "Slow rise", "Sour dough"]
    assert all(b.page == 1 for b in items)


def test_a_table_whose_rows_do_not_come_out_one_cell_per_column_is_left_as_it_was():
    broken = pages(f"{PROSE}\nQuick    Slow    Sour\nFlour   Strong white\nTable 1: Not a table read right\nThe end.")
    assert rebuild_tables(broken) == broken
    uncaptioned = pages(f"{PROSE}\nQuick    Slow    Sour\nFlour   Strong   Mixed   Rye\nThe end.")
    assert rebuild_tables(uncaptioned) == uncaptioned
