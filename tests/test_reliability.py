"""Reliability: bad input, faults and hostile content. Each bad input gets one clear sentence and the right
exit code, never a traceback; a fault loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import UserError
from assistant.settings import Settings
from ingest.chunker import chunk_sections
from ingest.embed import HashEmbedder
from ingest.pipeline import run_ingest
from ingest.types import Block, Section
from tests.conftest import CORPUS

runner = CliRunner()
HANDRAIL = str(Path(sys.executable).with_name("handrail"))
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli_home(real_settings, monkeypatch):
    monkeypatch.setenv("HANDRAIL_HOME", str(real_settings.home))
    return real_settings.home


@pytest.fixture
def home_copy(real_settings, tmp_path, monkeypatch) -> Path:
    """A private copy of the real index, for tests that damage or replace it."""
    home = tmp_path / "home"
    shutil.copytree(real_settings.home, home)
    monkeypatch.setenv("HANDRAIL_HOME", str(home))
    monkeypatch.setenv("HANDRAIL_CORPUS", str(CORPUS))
    return home


def small_corpus(tmp_path: Path, *names: str) -> Path:
    """A corpus folder holding copies of these documents of the real corpus."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


# --- questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   \n\t  ", "empty"), ("?!... ;; --", "no words"), ("\x00\x07\x1b", "empty")],
)
def test_unusable_questions_are_one_clear_sentence_and_exit_2(cli_home, question, message):
    result = runner.invoke(app, ["ask", question, "--json"])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "question",
    [
        "What is\x00 due\x07 diligence\x1b?",
        "Was ist bei der Due-Diligence-Prüfung eines Partners zu beachten?",
        "パートナーシップのデューデリジェンスとは何ですか？",
        "Что нужно проверить у партнёра?",
        "¿Qué es una asociación estratégica?",
        "due diligence 🤝🚀",
    ],
)
def test_odd_but_usable_questions_are_answered_or_refused(cli_home, question):
    result = runner.invoke(app, ["ask", question, "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["status"] in ("answered", "not_covered")
    assert all(c["quote"] for c in answer["citations"])


def test_a_200000_character_question_is_trimmed_with_a_notice_and_answered(cli_home):
    question = "What does due diligence on a prospective partner involve? " * 3500
    assert len(question) >= 200_000
    result = runner.invoke(app, ["ask", question, "--json"])
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["status"] == "answered" and "only its first 2,000 were read" in answer["note"]
    assert len(answer["question"]) <= 2000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_text_as_a_question_never_raises_anything_but_a_user_error(assistant, text):
    try:
        answer = assistant.ask(text)
    except UserError:
        return
    assert answer.status in ("answered", "not_covered")
    for c in answer.citations:
        assert c.quote in c.chunk.text


# --- chunking ------------------------------------------------------------------------------------

WORD = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)
SENTENCE = st.lists(WORD, min_size=1, max_size=40).map(lambda ws: " ".join(ws) + ".")
BLOCK = st.tuples(
    st.sampled_from(["paragraph", "item", "subitem", "points"]), st.lists(SENTENCE, min_size=1, max_size=12)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=30))
def test_chunking_loses_no_words(blocks):
    section = Section("doc", "Doc", ["Doc", "Part"], [Block(kind, " ".join(s), 1) for kind, s in blocks])  # type: ignore[arg-type]
    chunks = chunk_sections([section])
    expected = [w for b in section.blocks for w in b.text.split()]
    got = [w for c in chunks for line in c.text.split("\n") for w in line.strip().removeprefix("- ").split()]
    assert got == expected


# --- corpus --------------------------------------------------------------------------------------


def test_every_kind_of_bad_file_is_named_and_the_good_ones_ingested(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    good = folder / "willetts-win-win-or-lose.txt"
    shutil.copy(CORPUS / good.name, good)
    shutil.copy(good, folder / "copy-of-willetts.txt")  # a duplicate under another name
    (folder / "random.pdf").write_bytes(os.urandom(4096))
    (folder / "zero.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Partnerschaft für Händler".encode("latin-1"))
    blank = PdfWriter()
    blank.add_blank_page(200, 200)  # a page with no text layer
    blank.write(folder / "scanned.pdf")
    PdfWriter().write(folder / "no-pages.pdf")
    locked = PdfWriter()
    locked.add_blank_page(200, 200)
    locked.encrypt("secret")
    locked.write(folder / "locked.pdf")
    with open(folder / "huge.txt", "wb") as f:  # sparse: large on paper, cheap on disk
        f.truncate(150 * 2**20)
    (folder / "loop").symlink_to(folder)
    (folder / "self.txt").symlink_to(folder / "self.txt")
    settings_ = Settings(home=tmp_path / "home", corpus=folder)
    summary = run_ingest(settings_, embedder=HashEmbedder())
    assert summary.documents == 1
    report = "\n".join(summary.errors)
    for name, why in [
        ("copy-of-willetts.txt", "same document"),
        ("random.pdf", "not a readable PDF"),
        ("zero.txt", "empty"),
        ("latin1.txt", "UTF-8"),
        ("scanned.pdf", "no extractable text"),
        ("no-pages.pdf", "no extractable text"),
        ("locked.pdf", "encrypted"),
        ("huge.txt", "too large"),
    ]:
        assert any(name in e and why in e for e in summary.errors), (name, report)
    again = run_ingest(settings_, embedder=HashEmbedder())
    assert again.unchanged and again.errors == summary.errors  # skipped files are still reported


def test_export_to_a_path_that_cannot_be_written_is_a_user_error(cli_home):
    for target in ("/dev/null/draft.md", "/proc/handrail-draft.md"):
        result = runner.invoke(app, ["draft", "checklist", "--stage", "propose", "-o", target])
        assert result.exit_code == 2 and "Cannot write" in result.output and "Traceback" not in result.output


# --- faults --------------------------------------------------------------------------------------


def ask_json(question: str) -> dict:
    result = subprocess.run([HANDRAIL, "ask", question, "--json"], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# An ingest that stops at a chosen point: it embeds, writes its new collections, then tells the test
# (a marker file) and waits to be killed, before it writes the version's folder and swaps CURRENT.
HALTING_INGEST = """
import sys, time
from pathlib import Path
from ingest import index
from ingest.pipeline import run_ingest
from ingest.settings import Settings
built = index.build_collection
def build_then_halt(*args, **kwargs):
    built(*args, **kwargs)
    Path(sys.argv[1]).write_text("collections written")
    time.sleep(3600)
index.build_collection = build_then_halt
run_ingest(Settings(), rebuild=True)
"""


def test_an_ingest_killed_midway_leaves_the_previous_index_and_the_next_completes(home_copy, tmp_path):
    before = ask_json("What does due diligence on a prospective partner involve?")
    live = (home_copy / "index" / "CURRENT").read_text()
    marker = tmp_path / "halted"
    ingest = subprocess.Popen([sys.executable, "-c", HALTING_INGEST, str(marker)], cwd=ROOT)
    deadline = time.monotonic() + 600
    while not marker.exists():  # waits for the point itself, however fast or slow this machine is
        assert ingest.poll() is None, "the ingest ended before it reached the point"
        assert time.monotonic() < deadline, "the ingest never reached the point"
        time.sleep(0.2)
    ingest.send_signal(signal.SIGKILL)
    ingest.wait()
    assert (home_copy / "index" / "CURRENT").read_text() == live
    assert ask_json("What does due diligence on a prospective partner involve?")["answer"] == before["answer"]
    finished = subprocess.run([HANDRAIL, "ingest", "--rebuild"], capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr  # the killed ingest's lock went with its process
    assert ask_json("What does due diligence on a prospective partner involve?")["answer"] == before["answer"]


@pytest.mark.parametrize("damage", ["garbled chunks", "missing chunks", "missing store"])
def test_a_damaged_index_is_one_clear_message_and_rebuild_mends_it(home_copy, damage):
    index = home_copy / "index"
    version = (index / "CURRENT").read_text().strip()
    if damage == "garbled chunks":
        (index / version / "chunks.jsonl").write_text('{"id": "x", "oops"\n')
    elif damage == "missing chunks":
        (index / version / "chunks.jsonl").unlink()
    else:
        shutil.rmtree(index / "chroma")
    broken = runner.invoke(app, ["ask", "What is due diligence?"])
    assert broken.exit_code == 2 and "Traceback" not in broken.output
    assert "ingest" in broken.output
    mended = runner.invoke(app, ["ingest", "--rebuild"] if damage != "missing store" else ["ingest"])
    assert mended.exit_code == 0, mended.output
    assert runner.invoke(app, ["ask", "What is due diligence?"]).exit_code == 0


def test_an_llm_server_that_is_down_falls_back_and_no_secret_leaks(cli_home, monkeypatch, tmp_path):
    secret = "sk-test-DO-NOT-LEAK-1234"
    monkeypatch.setenv("HANDRAIL_GENERATOR", "openai")
    monkeypatch.setenv("HANDRAIL_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    monkeypatch.setenv("HANDRAIL_LLM_API_KEY", secret)
    monkeypatch.setenv("HANDRAIL_LLM_TIMEOUT", "3")
    result = runner.invoke(app, ["ask", "What does due diligence on a prospective partner involve?", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["status"] == "answered" and "could not be reached" in answer["note"]
    draft = tmp_path / "mou.md"
    runner.invoke(app, ["draft", "mou", "--party", "A", "--party", "B", "-o", str(draft)])
    log = cli_home / "handrail.log"
    for text in (result.output, draft.read_text(), log.read_text() if log.exists() else ""):
        assert secret not in text


def test_a_fault_of_any_kind_in_one_file_skips_that_file_with_its_reason(tmp_path, monkeypatch):
    import ingest.pipeline as pipeline

    folder = small_corpus(tmp_path, "willetts-win-win-or-lose.txt", "strategic-partnerships-lessons.txt")
    real = pipeline.chunk_document

    def faulty(path, source=None):  # noqa: ANN001, ANN202  one file trips a fault no loader anticipated
        if path.name.startswith("strategic"):
            raise RuntimeError("limit reached while decompressing")
        return real(path, source)

    monkeypatch.setattr(pipeline, "chunk_document", faulty)
    summary = run_ingest(Settings(home=tmp_path / "home", corpus=folder), embedder=HashEmbedder())
    assert summary.documents == 1
    assert any("strategic-partnerships-lessons.txt" in e and "limit reached" in e for e in summary.errors)


def test_a_second_ingest_on_one_index_waits_for_the_first_and_never_writes_over_it(tmp_path, monkeypatch):
    from ingest import index

    folder = small_corpus(tmp_path, "willetts-win-win-or-lose.txt")
    settings_ = Settings(home=tmp_path / "home", corpus=folder)
    monkeypatch.setattr(index, "LOCK_WAIT_S", 0.3)
    with index.exclusive(settings_):  # another ingest holds the index
        with pytest.raises(UserError, match="Another ingest is running"):
            run_ingest(settings_, embedder=HashEmbedder())
        assert index.current_version(settings_) is None  # nothing was written meanwhile
    assert run_ingest(settings_, embedder=HashEmbedder()).documents == 1  # free again once it ends


def test_a_draft_file_is_never_replaced_unasked_and_its_format_follows_its_suffix(cli_home, tmp_path):
    mine = tmp_path / "notes.md"
    mine.write_text("my own notes")
    args = ["draft", "checklist", "--stage", "propose", "-o", str(mine)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "--force" in refused.output and mine.read_text() == "my own notes"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0 and "- [ ] " in mine.read_text()
    docx = tmp_path / "checklist.docx"
    assert runner.invoke(app, ["draft", "checklist", "--stage", "propose", "-o", str(docx)]).exit_code == 0
    assert docx.read_bytes()[:2] == b"PK"  # a real .docx (a zip), not Markdown under a .docx name
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


@pytest.mark.parametrize(("name", "value"), [("TOP_K", "abc"), ("TOP_K", "0"), ("TOP_K", "-1"), ("CHROMA_PORT", "x")])
def test_a_bad_setting_is_one_line_naming_its_variable(cli_home, monkeypatch, name, value):
    monkeypatch.setenv(f"HANDRAIL_{name}", value)
    result = runner.invoke(app, ["ask", "What is due diligence?"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"HANDRAIL_{name}" in result.output and len(result.output.strip().splitlines()) == 1


def test_collections_left_by_a_killed_ingest_are_cleaned_up_by_the_next(tmp_path):
    from ingest import index

    folder = small_corpus(tmp_path, "willetts-win-win-or-lose.txt")
    settings_ = Settings(home=tmp_path / "home", corpus=folder)
    run_ingest(settings_, embedder=HashEmbedder())
    client = index.chroma_client(settings_)
    client.create_collection(index.collection_name(settings_, "20990101000000-killed"))  # never swapped in
    shutil.copy(CORPUS / "strategic-partnerships-lessons.txt", folder)
    run_ingest(settings_, embedder=HashEmbedder())
    names = {c if isinstance(c, str) else c.name for c in index.chroma_client(settings_).list_collections()}
    assert not any("killed" in n for n in names)
    assert index.collection_name(settings_, index.current_version(settings_)) in names


def test_commands_that_read_the_corpus_again_read_the_one_that_was_indexed(tmp_path, monkeypatch):
    from assistant.cli import indexed_settings

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(CORPUS / "willetts-win-win-or-lose.txt", elsewhere)
    monkeypatch.delenv("HANDRAIL_CORPUS", raising=False)
    run_ingest(Settings(corpus=elsewhere), embedder=HashEmbedder())  # `handrail ingest --corpus elsewhere`
    assert indexed_settings().corpus == elsewhere
    monkeypatch.setenv("HANDRAIL_CORPUS", str(CORPUS))
    assert indexed_settings().corpus == CORPUS  # unless the environment names one


def test_a_model_folder_without_weights_is_one_plain_sentence(tmp_path):
    from ingest.embed import SentenceTransformerEmbedder

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    with pytest.raises(UserError, match="weights are missing or damaged"):
        SentenceTransformerEmbedder(folder).embed_query("partner")


def test_a_read_only_home_is_said_plainly_not_called_damaged(home_copy, monkeypatch):
    from ingest import index

    real_access = os.access
    monkeypatch.setattr(index.os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    result = runner.invoke(app, ["ask", "What is due diligence?"])  # as a mount that refuses writes answers
    assert result.exit_code == 2 and "read-only" in result.output and "damaged" not in result.output


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_readable_reason(tmp_path):
    folder = small_corpus(tmp_path, "willetts-win-win-or-lose.txt")
    bad = os.open(os.path.join(os.fsencode(folder), b"notes-\xff.txt"), os.O_CREAT | os.O_WRONLY)
    os.write(bad, b"Partnerships need trust and shared goals. " * 20)
    os.close(bad)
    summary = run_ingest(Settings(home=tmp_path / "home", corpus=folder), embedder=HashEmbedder())
    assert summary.documents >= 1
    assert all(e.encode("utf-8") for e in summary.errors)  # printable and storable as UTF-8


def test_a_long_running_conversation_follows_the_index_through_later_ingests(tmp_path):
    from assistant.answer import Assistant

    folder = small_corpus(tmp_path, "willetts-win-win-or-lose.txt")
    settings_, embedder = Settings(home=tmp_path / "home", corpus=folder), HashEmbedder()
    run_ingest(settings_, embedder=embedder)
    chat = Assistant.load(settings_, embedder).conversation()
    assert chat.ask("What builds trust with a managed service provider?").status == "answered"
    for name in ("strategic-partnerships-lessons.txt", "tmforum-managing-partnerships.pdf"):
        shutil.copy(CORPUS / name, folder)
        run_ingest(settings_, embedder=embedder)  # two ingests: the version the chat loaded is gone
    answer = chat.ask("What builds trust between partners?")
    assert answer.status in ("answered", "not_covered")


@pytest.mark.parametrize(
    "fault",
    [OSError(28, "No space left on device"), RuntimeError("InternalError: database or disk is full")],
)
def test_a_full_disk_is_said_plainly(tmp_path, monkeypatch, fault):
    import ingest.pipeline as pipeline

    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise fault

    monkeypatch.setattr(pipeline, "run_ingest", full)
    monkeypatch.setenv("HANDRAIL_CORPUS", str(CORPUS))
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1 and "disk is full" in result.output and "unexpected" not in result.output


def test_stored_vectors_are_asked_for_in_batches_that_sqlite_accepts(monkeypatch):
    from types import SimpleNamespace

    from ingest import index

    asked: list[int] = []

    def get(ids, include):  # noqa: ANN001, ANN202
        asked.append(len(ids))
        return {"ids": ids, "embeddings": [[0.0] for _ in ids]}

    client = SimpleNamespace(get_collection=lambda name: SimpleNamespace(get=get))
    monkeypatch.setattr(index, "current_version", lambda settings: "v1")
    monkeypatch.setattr(index, "chroma_client", lambda settings: client)
    ids = [f"piece-{n}" for n in range(40_000)]  # more than SQLite's 32,766 variables in one statement
    found = index.existing_embeddings(Settings(), ids, pieces=True)
    assert len(found) == 40_000 and max(asked) <= index.GET_BATCH < 32_766


def test_a_file_deleted_while_ingest_runs_is_skipped_with_its_reason(tmp_path, monkeypatch):
    import ingest.pipeline as pipeline

    folder = small_corpus(tmp_path, "willetts-win-win-or-lose.txt", "strategic-partnerships-lessons.txt")
    real = pipeline.chunk_document

    def vanishing(path, source=None):  # noqa: ANN001, ANN202  the file goes between the listing and its reading
        if path.name.startswith("strategic"):
            path.unlink()
        return real(path, source)

    monkeypatch.setattr(pipeline, "chunk_document", vanishing)
    summary = run_ingest(Settings(home=tmp_path / "home", corpus=folder), embedder=HashEmbedder())
    assert summary.documents == 1 and any("strategic-partnerships-lessons.txt" in e for e in summary.errors)


def test_a_commands_own_exit_code_is_not_reported_as_an_unexpected_failure(capsys):
    import typer

    from assistant.cli import reports_errors

    @reports_errors
    def gate() -> None:
        raise typer.Exit(1)  # the eval gate: its failures were printed, then exit 1

    with pytest.raises(typer.Exit) as raised:
        gate()
    assert raised.value.exit_code == 1 and "unexpected failure" not in capsys.readouterr().err
