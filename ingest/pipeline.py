"""The ingest pipeline: load -> clean -> structure -> chunk -> embed -> index.

    summary = run_ingest(settings, corpus=Path("corpus"), progress=print_progress)

Re-running on an unchanged corpus compares file hashes with the manifest and does nothing else (not
even loading the model). A changed corpus is built into a new version aside and swapped in.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import index
from ingest.chunker import MAX_WORDS, chunk_sections, place_pieces
from ingest.clean import clean_pdf, clean_text, without_pull_quotes
from ingest.embed import chunk_vector
from ingest.errors import UserError
from ingest.loaders import corpus_files, load, titled
from ingest.onnx_embed import export_model, exported_path
from ingest.settings import Settings
from ingest.sources import Source, catalogue, catalogue_path
from ingest.structure import structure
from ingest.types import Chunk

PIPELINE_VERSION = f"37-{MAX_WORDS}"  # bump when cleaning, structure or chunking change
Progress = Callable[[str, int, int], None]


@dataclass
class IngestSummary:
    documents: int = 0
    pages: int = 0
    chunks: int = 0
    pieces: int = 0
    embedded: int = 0  # chunks whose vectors are new (drawn from their pieces)
    reused: int = 0
    unchanged: bool = False
    seconds: float = 0.0
    per_stage: dict[str, int] = field(default_factory=dict)
    per_case: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def file_hash(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as e:  # unreadable: loading it reports why
        return f"unreadable: {e.strerror}"


def chunk_document(path: Path, source: Source | None = None) -> tuple[list[Chunk], int]:
    pages = titled(load(path), path, source)
    blocks = without_pull_quotes(clean_pdf(pages)) if path.suffix.lower() == ".pdf" else clean_text(pages)
    return place_pieces(chunk_sections(structure(pages[0].doc_id, pages[0].title, blocks)), pages), len(pages)


def readable(text: str) -> str:
    """Text as it can be printed and stored: a file name's bytes that are not UTF-8 shown as �."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _noop(stage: str, done: int, total: int) -> None:
    pass


def run_ingest(
    settings: Settings,
    corpus: Path | None = None,
    *,
    rebuild: bool = False,
    embedder: Any = None,
    progress: Progress = _noop,
) -> IngestSummary:
    """Ingest the corpus into a new index version, one ingest at a time on an index (see `index.exclusive`)."""
    with index.exclusive(settings):
        summary = ingest_locked(settings, corpus, rebuild=rebuild, embedder=embedder, progress=progress)
    if embedder is None and not exported_path(settings).exists():  # the bundled model, not a test's
        progress("preparing the model", 0, 1)
        export_model(settings)
        progress("preparing the model", 1, 1)
    return summary


def ingest_locked(
    settings: Settings,
    corpus: Path | None,
    *,
    rebuild: bool,
    embedder: Any,
    progress: Progress,
) -> IngestSummary:
    started = time.perf_counter()
    corpus = corpus or settings.corpus
    files = corpus_files(corpus)
    summary = IngestSummary()
    hashes = {f.name: file_hash(f) for f in files}
    if (listed := catalogue_path(corpus)) is not None:  # the catalogue's titles are part of the index
        hashes[listed.name] = file_hash(listed)
    model = str(settings.model_path)
    manifest = index.read_manifest(settings) or {}
    same_making = manifest.get("pipeline") == PIPELINE_VERSION and manifest.get("model") == model
    if not rebuild and same_making and manifest.get("files") == hashes and index.live(settings):
        summary.unchanged = True
        summary.documents = len(manifest["documents"])
        summary.pages = sum(d["pages"] for d in manifest["documents"].values())
        summary.chunks, summary.pieces = manifest["chunks"], manifest["pieces"]
        summary.per_stage, summary.per_case = manifest["per_stage"], manifest["per_case"]
        summary.errors = manifest.get("errors", [])
        summary.seconds = time.perf_counter() - started
        return summary

    sources = catalogue(corpus)
    chunks: list[Chunk] = []
    documents: dict[str, Any] = {}
    first_with: dict[str, str] = {}  # content hash -> the first file that had it
    for n, path in enumerate(files, start=1):
        progress("reading", n - 1, len(files))
        twin = first_with.setdefault(hashes[path.name], path.name)
        try:
            if twin != path.name:
                raise UserError(f"{path.name}: the same document as {twin}; skipped.")
            doc_chunks, pages = chunk_document(path, sources.get(path.name))
        except UserError as exc:
            summary.errors.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001  any fault in one file skips that file, with its reason
            why = readable(f"{type(exc).__name__}: {exc}")
            summary.errors.append(f"{readable(path.name)}: could not be read ({why}); skipped.")
            continue
        chunks += doc_chunks
        documents[path.name] = {
            "doc_id": doc_chunks[0].doc_id if doc_chunks else path.stem,
            "pages": pages,
            "title": doc_chunks[0].title if doc_chunks else path.stem,
            "about": sources[path.name].about if path.name in sources else "",
        }
        summary.pages += pages
    progress("reading", len(files), len(files))
    chunks = list({c.id: c for c in chunks}.values())  # identical passages are indexed once
    if not chunks:
        raise UserError(f"Nothing usable to ingest in {corpus}: " + "; ".join(summary.errors))

    pieces = {pid: text for c in chunks for pid, text, _ in c.keyed_pieces()}
    # Vectors of the live version are reused only when it was made the same way, by the same model.
    reused = {}
    if not rebuild and same_making:
        reused = index.existing_embeddings(settings, [c.id for c in chunks])
        reused |= index.existing_embeddings(settings, list(pieces), pieces=True)
    new = [c for c in chunks if c.id not in reused]
    # What is embedded: each new piece and the headings of new chunks; a new chunk's vector is drawn
    # from those (see `chunk_vector`), and only a chunk with no pieces is embedded whole.
    wanted = {pid: text for pid, text in pieces.items() if pid not in reused}
    wanted |= {f"heading:{c.section}": c.section for c in new if c.piece_ids()}
    wanted |= {c.id: c.embed_text for c in new if not c.piece_ids()}
    # Shortest first, so that each batch pads its texts to a similar length.
    todo = sorted(wanted.items(), key=lambda x: len(x[1]))
    vectors = dict(reused)
    if todo:
        if embedder is None:
            from ingest.embed import SentenceTransformerEmbedder

            embedder = SentenceTransformerEmbedder(settings.model_path, settings.embedding_batch_size)
        step = max(settings.embedding_batch_size, 32)
        for start in range(0, len(todo), step):
            progress("embedding", start, len(todo))
            ids, batch = zip(*todo[start : start + step], strict=True)
            vectors.update(zip(ids, embedder.embed_documents(list(batch)), strict=True))
        progress("embedding", len(todo), len(todo))
    for c in new:
        if c.piece_ids():
            vectors[c.id] = chunk_vector([vectors[p] for p in c.piece_ids()], vectors[f"heading:{c.section}"])

    summary.documents = len(documents)
    summary.chunks = len(chunks)
    summary.pieces = len(pieces)
    summary.embedded, summary.reused = len(new), len(chunks) - len(new)
    summary.per_stage = dict(Counter(c.stage for c in chunks if c.stage))
    summary.per_case = {str(k): v for k, v in sorted(Counter(c.case for c in chunks if c.case).items())}
    version = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
    index.build_collection(settings, version, chunks, vectors)
    index.write_version(
        settings,
        version,
        chunks,
        {
            "pipeline": PIPELINE_VERSION,
            "model": model,
            "files": hashes,
            "documents": documents,
            "chunks": len(chunks),
            "pieces": len(pieces),
            "per_stage": summary.per_stage,
            "per_case": summary.per_case,
            "corpus": str(corpus),
            "errors": summary.errors,
        },
    )
    index.swap(settings, version)
    summary.seconds = time.perf_counter() - started
    return summary
