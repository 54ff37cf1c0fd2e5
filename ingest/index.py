"""The index under HANDRAIL_HOME: Chroma collections, the chunks, and a manifest.

    index_root/
      CURRENT               name of the live version (written last: the swap)
      <version>/chunks.jsonl, manifest.json, keyword/ (the BM25 index over the chunks, bm25s's files)
      chroma/               the local Chroma store (unless a Chroma server is configured)

Each version has two collections: its chunks, and its pieces (each sentence or list item of a
chunk, embedded on its own, pointing back at its chunk). Each ingest that changes anything builds
a new version aside, in new collections named after it, and only then rewrites CURRENT; an
interrupted ingest leaves the previous version live. Chunk ids are content hashes (piece ids add
the piece's place in its chunk), so the new version copies the embeddings of everything unchanged
from the old collections and embeds only what is new.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bm25s

from ingest.errors import HandrailError, RuntimeFault, UserError
from ingest.settings import Settings
from ingest.text import stems
from ingest.types import Chunk

COLLECTION_SPACE = {"hnsw:space": "cosine"}
GET_BATCH = 5000  # ids asked of Chroma in one call (SQLite allows 32,766 variables in one statement)
LOCK_FILE = "ingest.lock"
LOCK_WAIT_S = 600.0  # how long an ingest waits for another on the same index before giving up
LOCK_POLL_S = 0.5


@contextlib.contextmanager
def exclusive(settings: Settings, wait_s: float | None = None) -> Iterator[None]:
    """Hold the index's ingest lock (an OS file lock, released when the process ends however it ends),
    so that two ingests never write versions or swap `CURRENT` over each other. A second ingest waits
    for the first, up to `wait_s` seconds."""
    root = Path(settings.index_root)
    root.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (LOCK_WAIT_S if wait_s is None else wait_s)
    with open(root / LOCK_FILE, "a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise UserError(
                        "Another ingest is running on this index; try again when it has finished."
                    ) from None
                time.sleep(LOCK_POLL_S)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as e:  # the client checks the server at once; any failure means it is not there
            where = f"{settings.chroma_host}:{settings.chroma_port}"
            # A server that is down is a fault of the environment, not the user's input (exit 1).
            raise RuntimeFault(f"The Chroma server at {where} is not reachable ({type(e).__name__}).") from None
    path = settings.index_root / "chroma"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"Cannot write the index under {settings.home} (HANDRAIL_HOME): {e.strerror or e}.") from None
    if not os.access(path, os.W_OK):  # Chroma's store needs to write even to be read
        raise UserError(f"The index under {settings.home} (HANDRAIL_HOME) is read-only; Handrail needs to write there.")
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection_name(settings: Settings, version: str, pieces: bool = False) -> str:
    return f"{settings.collection}-{version}" + ("-pieces" if pieces else "")


def current_version(settings: Settings) -> str | None:
    pointer = settings.index_root / "CURRENT"
    return pointer.read_text().strip() if pointer.exists() else None


def live(settings: Settings) -> bool:
    """Whether the store (local, or the configured server) holds the current version's collections, complete."""
    version = current_version(settings)
    manifest = read_manifest(settings)
    if not version or not manifest:
        return False
    try:
        client = chroma_client(settings)
        counts = [client.get_collection(collection_name(settings, version, p)).count() for p in (False, True)]
        return counts == [manifest["chunks"], manifest.get("pieces")]
    except UserError:
        raise
    except Exception:  # noqa: BLE001 - no such collection in this store
        return False


def read_manifest(settings: Settings) -> dict[str, Any] | None:
    version = current_version(settings)
    if not version:
        return None
    path = settings.index_root / version / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else None


def read_chunks(settings: Settings) -> list[Chunk]:
    version = current_version(settings)
    path = settings.index_root / version / "chunks.jsonl" if version else None
    if path is None or not path.exists():
        raise UserError("No index yet: run `handrail ingest` first.")
    try:
        return [Chunk.from_dict(json.loads(line)) for line in path.read_text().splitlines() if line]
    except (ValueError, TypeError) as e:
        raise UserError(f"The index is damaged ({path.name}); run `handrail ingest --rebuild`.") from e


def write_version(settings: Settings, version: str, chunks: list[Chunk], manifest: dict[str, Any]) -> None:
    folder = settings.index_root / version
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "chunks.jsonl", "w") as f:
        for chunk in chunks:
            f.write(json.dumps(chunk.to_dict()) + "\n")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    keyword_index(chunks).save(str(folder / KEYWORD_DIR), show_progress=False)


KEYWORD_DIR = "keyword"
KEYWORD_METHOD = "bm25+"


def keyword_index(chunks: list[Chunk]) -> bm25s.BM25:
    """BM25 (bm25s's BM25+ variant, k1 1.5 and b 0.75) over each chunk's stems, in the chunks' order.
    The variant was chosen on the dev split among bm25s's (Lucene, Robertson, ATIRE, BM25+): MRR@10
    0.645, 0.652, 0.654, 0.656. bm25s keeps the scores in a sparse matrix, so a question costs its own terms'
    columns rather than a pass over every chunk."""
    index = bm25s.BM25(method=KEYWORD_METHOD)
    index.index([stems(c.embed_text) or [""] for c in chunks], show_progress=False)
    return index


def read_keyword_index(settings: Settings, chunks: list[Chunk]) -> bm25s.BM25:
    """The version's BM25 index as ingest wrote it; built afresh when an older index has none."""
    version = current_version(settings)
    path = settings.index_root / version / KEYWORD_DIR if version else None
    if path is not None and path.exists():
        with contextlib.suppress(Exception):
            kept = bm25s.BM25.load(str(path), show_progress=False)
            if kept.scores.get("num_docs") == len(chunks):
                return kept
    return keyword_index(chunks)


def swap(settings: Settings, version: str) -> None:
    """Make `version` live atomically, then drop older versions and their collections.

    The version it replaces is kept one generation, so processes that loaded it before the swap
    (the app, a CLI still answering) keep working until they reload.
    """
    root = settings.index_root
    old = current_version(settings)
    tmp = root / "CURRENT.tmp"
    tmp.write_text(version)
    os.replace(tmp, root / "CURRENT")
    stale = [d.name for d in root.iterdir() if d.is_dir() and (d / "manifest.json").exists()]
    stale = [v for v in stale if v not in (version, old)]
    client = chroma_client(settings)
    for v in stale:
        shutil.rmtree(root / v, ignore_errors=True)
        for pieces in (False, True):
            with contextlib.suppress(Exception):  # an already missing collection is fine
                client.delete_collection(collection_name(settings, v, pieces))
    if settings.chroma_host is None:  # a store of this index's own (a shared server holds others' too)
        drop_orphans(settings, client, keep={version, old})


def drop_orphans(settings: Settings, client: Any, keep: set[str | None]) -> None:
    """Delete the collections that no kept version claims: those of ingests killed or failed before
    their swap, which would otherwise stay in the store for ever."""
    claimed = {collection_name(settings, v, pieces) for v in keep if v for pieces in (False, True)}
    prefix = f"{settings.collection}-"
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name.startswith(prefix) and name not in claimed:
            with contextlib.suppress(Exception):
                client.delete_collection(name)


def existing_embeddings(settings: Settings, ids: list[str], pieces: bool = False) -> dict[str, list[float]]:
    """Embeddings of the live collection (of chunks, or of pieces), by id, for the ids asked (those it has)."""
    version = current_version(settings)
    if not version or not ids:
        return {}
    client = chroma_client(settings)
    try:
        collection = client.get_collection(collection_name(settings, version, pieces))
    except Exception:  # noqa: BLE001 - missing collection: nothing to reuse
        return {}
    found: dict[str, list[float]] = {}
    for start in range(0, len(ids), GET_BATCH):  # one call per batch: SQLite caps the ids of one query
        got = collection.get(ids=ids[start : start + GET_BATCH], include=["embeddings"])
        found |= {i: list(map(float, e)) for i, e in zip(got["ids"], got["embeddings"], strict=True)}
    return found


def build_collection(settings: Settings, version: str, chunks: list[Chunk], embeddings: dict[str, list[float]]) -> None:
    """Both collections of a version; `embeddings` holds every chunk's and every piece's vector."""
    client = chroma_client(settings)
    rows = [(c.id, c.embed_text, c.metadata()) for c in chunks]
    pieces = [(pid, text, {**c.metadata(), "chunk_id": c.id}) for c in chunks for pid, text, _ in c.keyed_pieces()]
    for is_pieces, entries in ((False, rows), (True, pieces)):
        name = collection_name(settings, version, is_pieces)
        with contextlib.suppress(Exception):  # a leftover of an interrupted ingest, if any
            client.delete_collection(name)
        collection = client.create_collection(name, metadata=COLLECTION_SPACE)
        for start in range(0, len(entries), 1000):
            ids, documents, metadatas = zip(*entries[start : start + 1000], strict=True)
            collection.add(
                ids=list(ids),
                embeddings=[embeddings[i] for i in ids],
                documents=list(documents),
                metadatas=list(metadatas),
            )


def vectorstore(settings: Settings, embedder: Any, pieces: bool = False) -> Any:
    """The live collection of chunks (or of pieces) as a LangChain vector store."""
    from langchain_chroma import Chroma

    version = current_version(settings)
    if not version:
        raise UserError("No index yet: run `handrail ingest` first.")
    try:
        return Chroma(
            client=chroma_client(settings),
            collection_name=collection_name(settings, version, pieces),
            embedding_function=embedder,
            create_collection_if_not_exists=False,
        )
    except HandrailError:
        raise
    except Exception as e:  # the collection is gone or unreadable
        raise UserError(f"The index is damaged ({type(e).__name__}); run `handrail ingest --rebuild`.") from e
