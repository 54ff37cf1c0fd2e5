"""A draft as a Word document a lawyer or manager can start from.

    data = to_docx(draft, guidance="footnotes")   # or "appendix" or "none"

An MoU has a title block (parties, purpose, date, "draft for discussion"), clauses numbered with Word's
own numbering, `[to be agreed: ...]` slots highlighted, and a signature block for the parties. A
checklist is a table per step with a tick column. The guidance behind each clause or item is a Word
footnote by default, an appendix table (clause, guidance, source), or left out. python-docx has no
footnote API, so the footnotes part is written as WordprocessingML (ECMA-376 Part 1, 17.11).
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from assistant.drafts import Draft
from assistant.types import Citation
from ingest.text import displayable

GUIDANCE = ("footnotes", "appendix", "none")
MAX_PROPERTY = 255  # characters of a core property (title, subject) the .docx format allows
CHECKLIST_WIDTHS = (Cm(1.9), Cm(14.1))  # the tick column and the action, on an A4 or Letter page
SLOT = re.compile(r"(\[to be agreed: [^\]]*\])")
# Word's built-in separator footnotes (ids 0 and 1) come before the document's own.
FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)
CLAUSE_NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{{n}}"><w:multiLevelType w:val="singleLevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="432" w:hanging="432"/></w:pPr></w:lvl></w:abstractNum>'
)


def property_text(text: str) -> str:
    """A document property's value: Word keeps at most MAX_PROPERTY characters."""
    text = displayable(text)
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1] + "…"


def by_place(cited: list[Citation]) -> dict[str, list[str]]:
    """The quotes of a clause or item grouped by the place they come from, in order."""
    out: dict[str, list[str]] = {}
    for c in cited:
        out.setdefault(f"{c.chunk.title}, {c.chunk.label}, p. {c.page}", []).append(c.quote)
    return out


def quoted(cited: list[Citation]) -> str:
    """The guidance of one clause or item: each place's quotes, then where they are."""
    return " ".join(f"“{' '.join(quotes)}” ({place})." for place, quotes in by_place(cited).items())


class Footnotes:
    """The document's footnotes part, made on first use."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.root: Any = None
        self.next_id = 1

    def add(self, paragraph: Any, text: str) -> None:
        if self.root is None:
            part = XmlPart(
                PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(FOOTNOTES_XML), self.document.part.package
            )
            self.document.part.relate_to(part, RT.FOOTNOTES)
            self.root = part.element
        n = self.next_id
        self.next_id += 1
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{n}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="16"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        note.findall(f".//{qn('w:t')}")[-1].text = f" {displayable(text)}"
        self.root.append(note)
        ref = parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{n}"/></w:r>'
        )
        paragraph._p.append(ref)


def with_slots(paragraph: Any, text: str) -> None:
    """The text as runs, each `[to be agreed: ...]` slot highlighted for the reader to fill in."""
    for part in SLOT.split(displayable(text)):
        if part:
            run = paragraph.add_run(part)
            if SLOT.fullmatch(part):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def numbered(document: Any) -> int:
    """A new decimal list ("1.", "2.", ...) in the document's numbering part; its numId."""
    numbering = document.part.numbering_part.element
    abstract = max([int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))] + [0]) + 1
    num_id = max([int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))] + [0]) + 1
    first_num = numbering.find(qn("w:num"))
    abstract_el = parse_xml(CLAUSE_NUMBERING.format(n=abstract))
    if first_num is not None:  # abstract definitions must come before the nums
        first_num.addprevious(abstract_el)
    else:
        numbering.append(abstract_el)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/></w:num>')
    )
    return num_id


def number(paragraph: Any, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def title_block(document: Any, draft: Draft) -> None:
    what = "clause's guidance is" if draft.kind == "mou" else "item's guidance is"
    document.add_heading(displayable(draft.title), level=0)
    rows = []
    if draft.parties:
        rows.append(("Between", " and ".join(draft.parties)))
    if draft.purpose:
        rows.append(("Purpose", draft.purpose))
    if draft.context:
        rows.append(("Context", draft.context))
    rows += [("Date", draft.created), ("Status", "Draft for discussion")]
    for label, value in rows:
        p = document.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(displayable(value))
    note = document.add_paragraph().add_run(
        f"Drafted by Handrail from the partnership guidance; each {what} cited with its source."
    )
    note.italic = True
    note.font.size = Pt(9)


def signature_block(document: Any, parties: list[str]) -> None:
    document.add_heading("Signatures", level=1)
    names = parties or ["[to be agreed: name of party 1]", "[to be agreed: name of party 2]"]
    table = document.add_table(rows=5, cols=len(names))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, name in enumerate(names):
        cells = [table.cell(row, col) for row in range(5)]
        cells[0].paragraphs[0].add_run(f"For {displayable(name)}").bold = True
        for cell, label in zip(cells[1:], ("Signature", "Name", "Title", "Date"), strict=True):
            cell.paragraphs[0].add_run(f"{label}: ____________________")


def appendix(document: Any, rows: list[tuple[str, list[Citation]]]) -> None:
    document.add_page_break()
    document.add_heading("Appendix: guidance behind each clause", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("Clause", "Guidance", "Source"), strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    for heading, cited in rows:
        for place, quotes in by_place(cited).items():
            cells = table.add_row().cells
            cells[0].text = displayable(heading)
            cells[1].text = displayable(f"“{' '.join(quotes)}”")
            cells[2].text = displayable(place)


def to_docx(draft: Draft, guidance: str = "footnotes") -> bytes:
    document = Document()
    props = document.core_properties
    props.title = property_text(draft.title)
    props.subject = property_text(draft.purpose or draft.context or draft.title)
    props.author = props.last_modified_by = "Handrail"
    props.comments = f"Drafted from the partnership guidance (corpus {draft.corpus})."
    title_block(document, draft)
    notes = Footnotes(document)
    later: list[tuple[str, list[Citation]]] = []
    if draft.kind == "mou":
        num_id = numbered(document)
        for item, cited in draft.numbered():
            heading = document.add_heading(displayable(item.heading), level=1)
            number(heading, num_id)
            body = document.add_paragraph()
            with_slots(body, item.text)
            if guidance == "footnotes" and cited:
                notes.add(body, quoted(cited))
            later.append((item.heading, cited))
        signature_block(document, draft.parties)
    else:
        group = None
        table = None
        for item, cited in draft.numbered():
            if item.group != group or table is None:
                group = item.group
                document.add_heading(displayable(group.split(" > ")[-1]), level=1)
                table = document.add_table(rows=1, cols=2)
                table.style = "Table Grid"
                for cell, label in zip(table.rows[0].cells, ("Done", "Action"), strict=True):
                    cell.paragraphs[0].add_run(label).bold = True
            cells = table.add_row().cells
            cells[0].text = "☐"
            with_slots(cells[1].paragraphs[0], item.text)
            if guidance == "footnotes" and cited:
                notes.add(cells[1].paragraphs[0], quoted(cited))
            later.append((item.text, cited))
        for t in document.tables:
            t.autofit = False
            for col, width in zip(t.columns, CHECKLIST_WIDTHS, strict=True):
                col.width = width
                for cell in col.cells:
                    cell.width = width
    if guidance == "appendix":
        appendix(document, later)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
