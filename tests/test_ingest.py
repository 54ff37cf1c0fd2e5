"""Ingest behaviour: idempotent re-ingest, changes, interruption, bad input, and the CLI around it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfWriter
from typer.testing import CliRunner

from assistant.cli import app
from assistant.settings import Settings
from ingest import index
from ingest.embed import HashEmbedder
from ingest.pipeline import run_ingest
from tests.conftest import CORPUS

runner = CliRunner()


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts):
        self.embedded += len(texts)
        return super().embed_documents(texts)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("willetts-win-win-or-lose.txt", "strategic-partnerships-lessons.txt"):
        shutil.copy(CORPUS / name, folder / name)
    return folder


def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(home=tmp_path / "home", corpus=corpus)


def test_reingest_of_an_unchanged_corpus_does_no_embedding(tmp_path, small_corpus):
    s, embedder = settings(tmp_path, small_corpus), CountingEmbedder()
    first = run_ingest(s, embedder=embedder)
    assert first.embedded == first.chunks > 0
    embedder.embedded = 0
    again = run_ingest(s, embedder=embedder)
    assert again.unchanged and embedder.embedded == 0 and again.chunks == first.chunks


def test_every_piece_is_indexed_under_its_chunk_and_reused_when_unchanged(tmp_path, small_corpus):
    s, embedder = settings(tmp_path, small_corpus), CountingEmbedder()
    first = run_ingest(s, embedder=embedder)
    chunks = {c.id: c for c in index.read_chunks(s)}
    # No text is embedded twice: pieces, and the headings a chunk's vector is drawn from with them.
    headings = {c.section for c in chunks.values() if c.piece_ids()}
    whole = [c for c in chunks.values() if not c.piece_ids()]
    assert first.pieces > first.chunks and embedder.embedded == first.pieces + len(headings) + len(whole)
    pieces = index.vectorstore(s, embedder, pieces=True).get(include=["documents", "metadatas"])
    assert len(pieces["ids"]) == first.pieces
    for pid, text, meta in zip(pieces["ids"], pieces["documents"], pieces["metadatas"], strict=True):
        chunk = chunks[meta["chunk_id"]]
        assert pid in chunk.piece_ids() and text in chunk.text
    target = small_corpus / "willetts-win-win-or-lose.txt"
    target.write_text(target.read_text() + "\n\nA brand new closing paragraph about joint governance boards.\n")
    embedder.embedded = 0
    again = run_ingest(s, embedder=embedder)
    assert 0 < embedder.embedded < (again.chunks + again.pieces) / 4  # the unchanged pieces are reused
    assert index.live(s)


def test_vectors_made_another_way_are_not_reused(tmp_path, small_corpus, monkeypatch):
    s, embedder = settings(tmp_path, small_corpus), CountingEmbedder()
    first = run_ingest(s, embedder=embedder)
    monkeypatch.setattr("ingest.pipeline.PIPELINE_VERSION", "a later way of making the index")
    embedder.embedded = 0
    again = run_ingest(s, embedder=embedder)
    assert again.reused == 0 and again.embedded == first.chunks and embedder.embedded > first.pieces


def test_changed_document_is_replaced_and_removed_one_removed(tmp_path, small_corpus):
    s, embedder = settings(tmp_path, small_corpus), CountingEmbedder()
    run_ingest(s, embedder=embedder)
    target = small_corpus / "willetts-win-win-or-lose.txt"
    target.write_text(target.read_text() + "\n\nA brand new closing paragraph about joint governance boards.\n")
    (small_corpus / "strategic-partnerships-lessons.txt").unlink()
    embedder.embedded = 0
    summary = run_ingest(s, embedder=embedder)
    assert summary.embedded >= 1 and summary.reused > 0  # only the new text is embedded
    chunks = index.read_chunks(s)
    assert {c.doc_id for c in chunks} == {"willetts-win-win-or-lose"}
    assert any("joint governance boards" in c.text for c in chunks)
    store = index.vectorstore(s, embedder)
    assert len(store.get()["ids"]) == len(chunks)


def test_an_interrupted_ingest_leaves_the_previous_index_usable(tmp_path, small_corpus, monkeypatch):
    s, embedder = settings(tmp_path, small_corpus), CountingEmbedder()
    run_ingest(s, embedder=embedder)
    before = index.read_chunks(s)
    (small_corpus / "extra.txt").write_text("Extra Heading\n\nSome extra text about partner exit clauses.\n")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(index, "swap", crash)
    with pytest.raises(KeyboardInterrupt):
        run_ingest(s, embedder=embedder)
    assert [c.id for c in index.read_chunks(s)] == [c.id for c in before]
    assert len(index.vectorstore(s, embedder).get()["ids"]) == len(before)


def test_bad_files_are_named_and_the_rest_ingested(tmp_path, small_corpus):
    (small_corpus / "fake.pdf").write_text("this is not a pdf")
    (small_corpus / "latin1.txt").write_bytes("caf\xe9 partnership notes".encode("latin-1"))
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    with open(small_corpus / "locked.pdf", "wb") as f:
        writer.write(f)
    summary = run_ingest(settings(tmp_path, small_corpus), embedder=HashEmbedder())
    assert summary.documents == 2
    messages = " | ".join(summary.errors)
    for name in ("fake.pdf", "latin1.txt", "locked.pdf"):
        assert name in messages
    assert "encrypted" in messages and "UTF-8" in messages


@pytest.mark.parametrize("make", ["missing", "empty", "only-bad"])
def test_nothing_usable_is_a_user_error_with_exit_code_2(tmp_path, make):
    folder = tmp_path / "docs"
    if make != "missing":
        folder.mkdir()
    if make == "only-bad":
        (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    result = runner.invoke(app, ["ingest", "--corpus", str(folder)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(folder.name) in result.output or "broken.pdf" in result.output


def test_ask_without_an_index_is_a_user_error():
    result = runner.invoke(app, ["ask", "What is due diligence?"])
    assert result.exit_code == 2 and "handrail ingest" in result.output


def test_cli_ingest_sources_and_ask_on_the_real_corpus(isolated_home):
    result = runner.invoke(app, ["ingest", "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "5 documents" in result.output and "case 3" in result.output
    again = runner.invoke(app, ["ingest", "--corpus", str(CORPUS)])
    assert "unchanged" in again.output
    listed = runner.invoke(app, ["sources"])
    assert "cambridge-b2b-partnership-process.pdf" in listed.output
    # Titles are the documents' own (PDF metadata) or the corpus's catalogue's, never the file name's.
    assert "Win-win or lose" in listed.output and "Willetts win win or lose" not in listed.output

    result = runner.invoke(app, ["ask", "--json", "Which lessons came out of case 3?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"question", "status", "stage", "answer", "citations", "passages"}
    assert data["passages"][0]["case"] == 3
    assert all(p["case"] == 3 for p in data["passages"][:3])
    texts = {p["chunk_id"]: p["text"] for p in data["passages"]}
    for c in data["citations"]:
        assert c["quote"] in texts[c["chunk_id"]]


def test_a_piece_of_a_chunk_over_a_page_break_is_cited_on_the_page_it_stands_on():
    from ingest.chunker import place_pieces
    from ingest.types import Chunk, Page

    pages = [
        Page("d", "D", 4, "Header\nThe first point is made here.\nAnd a sec-"),
        Page("d", "D", 5, "ond point follows."),
    ]
    c = Chunk("c", "d", "D", 4, 5, "D > S", "The first point is made here.\nAnd a second point follows.", position=1)
    place_pieces([c], pages)
    assert c.piece_pages == [4, 4]  # the second piece straddles the break: it starts on page 4
    late = Chunk("l", "d", "D", 4, 5, "D > S", "The first point is made here.\nond point follows.", position=2)
    place_pieces([late], pages)
    assert late.page_of("ond point follows.") == 5 and late.page_of("The first point is made here.") == 4
    assert "piece_pages" not in late.metadata()


def test_titles_come_from_the_document_then_the_catalogue_then_the_file_name(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    body = "Partnerships need trust.\n\nAgree the exit before you sign anything at all.\n"
    for name in ("q3-review-notes.txt", "joint-venture-memo.txt", "plain-notes.txt"):
        (folder / name).write_text(body.replace("exit", name.split("-")[0]), encoding="utf-8")
    (folder / "SOURCES.md").write_text(
        "| file | what it is |\n|---|---|\n"
        '| `q3-review-notes.txt` | Board paper "Third-Quarter Partner Review" (2025) |\n'
        "| joint-venture-memo.txt | Internal memo on the joint venture |\n"
        "| missing.txt | a file that is not there |\n",
        encoding="utf-8",
    )
    s = settings(tmp_path, folder)
    run_ingest(s, embedder=HashEmbedder())
    titles = {c.doc_id: c.title for c in index.read_chunks(s)}
    assert titles == {
        "q3-review-notes": "Third-Quarter Partner Review",
        "joint-venture-memo": "Joint venture memo",  # a description quotes no title: the file name's
        "plain-notes": "Plain notes",
    }
    documents = index.read_manifest(s)["documents"]
    assert documents["q3-review-notes.txt"]["about"] == 'Board paper "Third-Quarter Partner Review" (2025)'
    # The catalogue is part of what was ingested: editing it re-titles without touching a document.
    (folder / "SOURCES.md").write_text('| plain-notes.txt | Team handbook "How We Partner" |\n', encoding="utf-8")
    again = run_ingest(s, embedder=HashEmbedder())
    assert not again.unchanged
    assert {c.title for c in index.read_chunks(s) if c.doc_id == "plain-notes"} == {"How We Partner"}


def test_a_documents_own_title_outranks_the_catalogue():
    from ingest.loaders import titled
    from ingest.sources import Source
    from ingest.types import Page

    path = Path("scan-0042.pdf")
    own = [Page("scan-0042", "Alliance Playbook", 1, "text")]  # as load_pdf reads a PDF's /Title
    assert titled(own, path, Source("Other", 'Guide "Other"'))[0].title == "Alliance Playbook"
    assert titled([Page("scan-0042", "", 1, "text")], path, Source("Other", ""))[0].title == "Other"
    assert titled([Page("scan-0042", "", 1, "text")], path, None)[0].title == "Scan 0042"
