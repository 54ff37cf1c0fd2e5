"""The embedding model run through ONNX Runtime, so that answering never imports torch.

    export_model(settings)          # at ingest, once per model: the model as ONNX, checked against itself
    embedder = embedder_for(settings)   # the ONNX one when exported, else sentence-transformers

Importing torch and sentence-transformers takes about 5 s, most of a cold start; ONNX Runtime (which
chromadb installs) and the model's own `tokenizer.json` load in about 0.3 s. The export is the same
network (mean pooling over the last hidden state, normalised, as the model's pooling config says), and
it is kept only when its vectors agree with sentence-transformers' on probe texts (cosine >= AGREEMENT):
the index was embedded by one and is searched with the other.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.embed import SentenceTransformerEmbedder
from ingest.settings import Settings

OPSET = 17  # ONNX opset of the export; ONNX Runtime 1.16+ runs it
AGREEMENT = 0.9999  # least cosine between the two runtimes' vectors of a probe text (measured: 1 - 1e-7)
PROBES = [
    "What should we check in due diligence?",
    "Our partner keeps missing the dates we agreed.",
    "partnership " * 300,  # longer than the model reads: truncation must agree too
]
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
THREADS = 2  # the machines Handrail runs on have a few cores; more threads only contend


def max_tokens(model_path: Path) -> int:
    """The model's sequence limit, from its sentence-transformers config."""
    config = Path(model_path) / "sentence_bert_config.json"
    return int(json.loads(config.read_text())["max_seq_length"]) if config.exists() else 256


def exported_path(settings: Settings) -> Path:
    """Where the export of this model is kept: one file per model, named by its configs and weights' size."""
    folder = Path(settings.model_path)
    mark = hashlib.sha256(str(folder.resolve()).encode())
    for name in ("config.json", "sentence_bert_config.json", "model.safetensors"):
        f = folder / name
        if f.exists():
            mark.update(f.read_bytes() if f.suffix == ".json" else str(f.stat().st_size).encode())
    return settings.home / "models" / f"{folder.name}-{mark.hexdigest()[:12]}.onnx"


class OnnxEmbedder(Embeddings):
    """The exported model with its tokenizer: what `SentenceTransformerEmbedder` computes, without torch."""

    def __init__(self, onnx_path: Path, model_path: Path, batch_size: int = 64) -> None:
        self.onnx_path, self.model_path, self.batch_size = Path(onnx_path), Path(model_path), batch_size
        self._session: Any = None
        self._tokenizer: Any = None
        self._loading = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._loading:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
                tokenizer.enable_truncation(max_tokens(self.model_path))
                tokenizer.enable_padding()
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = THREADS
                try:
                    self._session = onnxruntime.InferenceSession(
                        str(self.onnx_path), options, providers=["CPUExecutionProvider"]
                    )
                except Exception:  # noqa: BLE001  a damaged export: the model itself gives the same vectors
                    self._session = SentenceTransformerEmbedder(self.model_path, self.batch_size)
                self._tokenizer = tokenizer
        return self._session, self._tokenizer

    def _encode(self, texts: list[str]) -> np.ndarray:
        session, tokenizer = self._load()
        if isinstance(session, SentenceTransformerEmbedder):
            return np.asarray(session.embed_documents(texts), dtype=np.float32)
        out = []
        for start in range(0, len(texts), self.batch_size):
            encoded = tokenizer.encode_batch(texts[start : start + self.batch_size])
            feed = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            hidden = session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self._encode(texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(self._cached_query(text))

    @lru_cache(maxsize=512)  # noqa: B019 - one embedder per process; repeated questions are common
    def _cached_query(self, text: str) -> tuple[float, ...]:
        return tuple(self._encode([text])[0].tolist())

    def count_tokens(self, text: str) -> int:
        """Tokens of the whole text, as the model would see it untruncated (special tokens included)."""
        return len(self._whole_tokenizer().encode(text).ids)

    @functools.cache  # noqa: B019 - one embedder per process
    def _whole_tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        whole = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        whole.no_truncation()  # the file sets a limit of its own
        return whole


def agrees(onnx_path: Path, reference: SentenceTransformerEmbedder) -> bool:
    """Do the export's vectors of the probe texts match sentence-transformers'?"""
    try:
        ours = np.asarray(OnnxEmbedder(onnx_path, reference.model_path).embed_documents(PROBES))
    except Exception:  # noqa: BLE001  an export that does not run is simply not used
        return False
    theirs = np.asarray(reference.embed_documents(PROBES))
    return ours.shape == theirs.shape and bool(((ours * theirs).sum(axis=1) >= AGREEMENT).all())


def export_model(settings: Settings, reference: SentenceTransformerEmbedder | None = None) -> Path | None:
    """The model exported to ONNX beside the index (once per model), or None when it cannot be: then
    answering keeps using sentence-transformers."""
    target = exported_path(settings)
    if target.exists():
        return target
    try:
        import torch
    except ImportError:
        return None
    reference = reference or SentenceTransformerEmbedder(settings.model_path)
    transformer = reference.model[0].auto_model.eval()

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    target.parent.mkdir(parents=True, exist_ok=True)
    draft = target.with_suffix(f".{uuid.uuid4().hex[:6]}.part")  # two ingests at once each write their own
    sample = tuple(torch.ones(2, 8, dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    try:
        with torch.no_grad():
            torch.onnx.export(
                LastHidden(), sample, str(draft), input_names=list(INPUTS), output_names=["last_hidden_state"],
                dynamic_axes=axes, opset_version=OPSET, dynamo=False,
            )  # fmt: skip
        if not agrees(draft, reference):
            return None
        os.replace(draft, target)
        return target
    except Exception:  # noqa: BLE001  no exporter (the onnx package) or an unsupported model: keep torch
        return None
    finally:
        draft.unlink(missing_ok=True)


def embedder_for(settings: Settings) -> Embeddings:
    """The quickest embedder that gives the index's vectors: the ONNX export when made, else the model."""
    target = exported_path(settings)
    if target.exists():
        try:
            import onnxruntime  # noqa: F401
            import tokenizers  # noqa: F401

            return OnnxEmbedder(target, Path(settings.model_path), settings.embedding_batch_size)
        except ImportError:
            pass
    return SentenceTransformerEmbedder(settings.model_path, settings.embedding_batch_size)
