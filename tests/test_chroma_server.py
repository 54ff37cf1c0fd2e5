"""Scale-out: a real Chroma server (`chroma run`) on 127.0.0.1 holds the index; Handrail ingests and
answers through it."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.errors import RuntimeFault
from evals.bench import chroma_server, free_port
from ingest.pipeline import run_ingest


@pytest.fixture(scope="module")
def server_port(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


def test_ingest_and_answer_through_a_chroma_server(server_port, real_settings, embedder, tmp_path):
    settings = real_settings.model_copy(
        update={"home": tmp_path / "home", "chroma_host": "127.0.0.1", "chroma_port": server_port}
    )
    first = run_ingest(settings, embedder=embedder)
    assert first.chunks > 300 and first.embedded == first.chunks
    assert run_ingest(settings, embedder=embedder).embedded == 0  # unchanged: no work, even remotely

    answer = Assistant.load(settings, embedder).ask("Which lessons came out of case 3?")
    assert answer.status == "answered" and {c.chunk.case for c in answer.citations} == {3}
    local = Assistant.load(real_settings, embedder).ask("Which lessons came out of case 3?")
    assert [p.chunk.id for p in answer.passages] == [p.chunk.id for p in local.passages]


def test_an_unreachable_server_is_one_clear_error(real_settings, embedder, tmp_path):
    settings = real_settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": free_port()})
    with pytest.raises(RuntimeFault, match="not reachable"):
        Assistant.load(settings, embedder)
