"""Test fixtures: each test gets its own HANDRAIL_HOME; the real corpus and model are shared per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("HANDRAIL_TEST_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
CORPUS_TEXT = CORPUS.parent / "corpus-text"
os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the working directory's state or reaches for an LLM."""
    home = tmp_path / "home"
    monkeypatch.setenv("HANDRAIL_HOME", str(home))
    monkeypatch.setenv("HANDRAIL_GENERATOR", "extractive")
    for var in ("HANDRAIL_CHROMA_HOST", "HANDRAIL_LLM_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the real corpus is expected at {CORPUS} (set HANDRAIL_TEST_CORPUS)")
    return CORPUS


@pytest.fixture(scope="session")
def embedder():
    from ingest.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(Settings().model_path)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory, corpus: Path, embedder) -> Settings:
    """The real corpus ingested once with the real model, shared by the tests that only read it."""
    from ingest.pipeline import run_ingest

    settings = Settings(home=tmp_path_factory.mktemp("real-home"), corpus=corpus)
    run_ingest(settings, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def assistant(real_settings: Settings, embedder):
    from assistant.answer import Assistant

    return Assistant.load(real_settings, embedder)


# The fast tier (`make test-fast`) leaves out what loads the real model, serves an LLM or drives a browser.
SLOW_FIXTURES = {"embedder", "real_settings", "llm_server"}
SLOW_MODULES = {"test_app_browser", "test_llm_server", "test_concurrency"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
