"""The model exported to ONNX gives the vectors sentence-transformers gives, and answering then runs
without importing torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.onnx_embed import OnnxEmbedder, embedder_for, export_model, exported_path
from ingest.settings import Settings


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, embedder) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("onnx-home"))
    assert export_model(settings, embedder) == exported_path(settings)
    return settings


def test_without_an_export_the_model_itself_embeds(tmp_path: Path) -> None:
    assert type(embedder_for(Settings(home=tmp_path))).__name__ == "SentenceTransformerEmbedder"


def test_the_export_agrees_with_the_model(exported: Settings, embedder) -> None:
    fast = embedder_for(exported)
    assert isinstance(fast, OnnxEmbedder)
    texts = ["How do we split the gain with a dealer?", "exit", "word " * 500]
    ours, theirs = np.asarray(fast.embed_documents(texts)), np.asarray(embedder.embed_documents(texts))
    assert ((ours * theirs).sum(axis=1) > 0.9999).all()
    assert fast.embed_query("exit") == pytest.approx(embedder.embed_query("exit"), abs=1e-4)
    assert fast.count_tokens("word " * 500) == embedder.count_tokens("word " * 500)


def test_a_damaged_export_falls_back_to_the_model(tmp_path: Path, embedder) -> None:
    settings = Settings(home=tmp_path)
    exported_path(settings).parent.mkdir(parents=True)
    exported_path(settings).write_bytes(b"not a model")
    vector = embedder_for(settings).embed_query("due diligence")
    assert vector == pytest.approx(embedder.embed_query("due diligence"), abs=1e-4)


def test_answering_with_the_export_never_imports_torch(
    exported: Settings, real_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "index").symlink_to(real_settings.index_root)  # the shared index, with this test's export
    (tmp_path / "models").symlink_to(exported_path(exported).parent)
    script = (
        "import sys\n"
        "from assistant.answer import Assistant\n"
        "from assistant.settings import Settings\n"
        f"answer = Assistant.load(Settings(home={str(tmp_path)!r})).ask('What is due diligence?')\n"
        "print(answer.status, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["answered", "False", "False"]
