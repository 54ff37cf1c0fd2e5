"""Drafts as documents people paste into their own: the Word file's parts, its rendering in
LibreOffice, clause wording true to the guidance, and drafts asked for in the chat."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from pypdf import PdfReader

from assistant.clauses import CLAUSES
from assistant.draft import Drafter
from assistant.drafts import Draft
from assistant.export import export

PARTIES = ["Kite Robotics GmbH", "Harbour Services plc"]


@pytest.fixture(scope="module")
def drafter(assistant) -> Drafter:
    return Drafter(assistant.retriever)


@pytest.fixture(scope="module")
def mou(drafter) -> Draft:
    return drafter.mou(PARTIES, {"purpose": "offer guaranteed uptime for harbour cranes"})


def footnotes(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "word/footnotes.xml" not in z.namelist():
            return []
        xml = z.read("word/footnotes.xml").decode()
    return re.findall(r'<w:footnote [^>]*w:id="(-?\d+)"', xml)


def test_the_mou_docx_is_a_first_draft_a_lawyer_can_start_from(mou):
    doc = Document(io.BytesIO(export(mou, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Between: Kite Robotics GmbH and Harbour Services plc" in text
    assert "Purpose: to offer guaranteed uptime for harbour cranes" in text
    assert "Status: Draft for discussion" in text and f"Date: {mou.created}" in text
    numbered = [p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert [p.text for p in numbered] == [c.heading for c in CLAUSES]
    assert "Guidance and sources" not in text  # the guidance is in footnotes, not after each clause
    assert len(footnotes(export(mou, "docx"))) == 2 + len(CLAUSES)
    slots = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("[to be agreed")]
    assert slots and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in slots)
    signatures = doc.tables[-1]
    assert [c.text for c in signatures.rows[0].cells] == [f"For {p}" for p in PARTIES]
    props = doc.core_properties
    assert props.author == "Handrail" and props.title == mou.title and "uptime" in props.subject


def test_guidance_can_go_to_an_appendix_table_or_be_left_out(mou):
    appendix = Document(io.BytesIO(export(mou, "docx", guidance="appendix")))
    table = appendix.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Clause", "Guidance", "Source"]
    assert {r.cells[0].text for r in table.rows[1:]} == {c.heading for c in CLAUSES}
    assert all(r.cells[1].text.startswith("“") and "p. " in r.cells[2].text for r in table.rows[1:])
    assert footnotes(export(mou, "docx", guidance="appendix")) == []
    bare = export(mou, "md", guidance="none").decode()
    assert "[^" not in bare and "Guidance and sources" not in bare


def test_the_checklist_docx_is_a_table_per_step_with_a_tick_column(drafter):
    draft = drafter.checklist(stage="design")
    doc = Document(io.BytesIO(export(draft, "docx")))
    assert len(doc.tables) == 7
    rows = [r for t in doc.tables for r in t.rows[1:]]
    assert len(rows) == len(draft.items) and all(r.cells[0].text == "☐" for r in rows)
    assert [r.cells[1].text for r in rows] == [i.text for i in draft.items]


def test_file_names_are_readable_and_whole(mou):
    assert mou.file_name("docx") == f"MoU - Kite Robotics GmbH and Harbour Services plc - {mou.created}.docx"
    odd = Draft("mou", "t", [], "x", "2027-01-01", parties=["A/B: Ltd", "Ç" * 150])
    name = odd.file_name("docx")
    assert "/" not in name and ":" not in name and name.endswith(" - 2027-01-01.docx") and "et al" in name


def test_clause_wording_defines_terms_as_the_guidance_does(assistant):
    corpus = re.sub(r"\s+", " ", " ".join(c.text for c in assistant.retriever.chunks))
    for clause in CLAUSES:
        for term, expansion in re.findall(r"\b([A-Z]{2,})\b[^(]{0,3}\(([^)]+)\)", clause.body):
            assert f"{term} ({expansion})" in corpus, f"{clause.id}: {term} ({expansion})"
        for term in ("one face to the customer", "review board", "balance sheet", "value exchange", "common vision"):
            if term in clause.body:
                assert term in corpus.lower(), f"{clause.id}: {term}"


def test_an_mou_asked_for_in_the_chat_carries_the_request_and_downloads(assistant):
    answer = assistant.conversation().ask(
        "Please draft an MoU between Kite Robotics GmbH and Harbour Services plc - we're teaming up to "
        "offer guaranteed uptime for harbour cranes."
    )
    assert answer.status == "answered" and answer.draft
    assert "Kite Robotics GmbH and Harbour Services plc" in answer.text
    assert "The partnership's purpose is to offer guaranteed uptime for harbour cranes." in answer.text
    draft = Draft.from_dict(answer.to_dict()["draft"], assistant.retriever.by_id)
    assert draft.parties == PARTIES and draft.purpose == "to offer guaranteed uptime for harbour cranes"
    assert Document(io.BytesIO(export(draft, "docx"))).core_properties.author == "Handrail"


@pytest.mark.parametrize("kind", ["mou", "checklist"])
def test_libreoffice_renders_the_docx_with_its_numbering_footnotes_and_blocks(drafter, mou, kind, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: make test installs libreoffice-writer-nogui"
    draft = mou if kind == "mou" else drafter.checklist(stage="design")
    source = tmp_path / f"{kind}.docx"
    source.write_bytes(export(draft, "docx"))
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"  # no shared LibreOffice profile
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = PdfReader(str(tmp_path / f"{kind}.pdf"))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    assert 2 <= len(pdf.pages) <= 8
    assert "Draft for discussion" in text
    if kind == "mou":
        assert "1. Parties" in text and "13. Non-binding status and term" in text  # Word's numbering, rendered
        assert "For Kite Robotics GmbH" in text and "Signature:" in text
        assert "Cambridge Service Alliance" in text and "p. " in text  # the footnotes
    else:
        assert "Value exchange process" in text and "Contract" in text and "☐" in text
