"""The naive LangChain recipe, scored on the same set: the row every report compares Handrail with.

PyPDFLoader / TextLoader, RecursiveCharacterTextSplitter(1000, 200), an in-memory Chroma with the same
embedding model, top-k similarity search; the top three chunks stand as its citations. It never
refuses and knows nothing of stages or cases.
"""

from __future__ import annotations

import time
from typing import Any

from assistant.settings import Settings
from evals.cases import Case
from evals.metrics import mean, ranking_figures, relevant

K = 10


def build(settings: Settings, embedder: Any) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from pypdf import PdfReader

    from ingest.loaders import corpus_files

    docs = []
    for path in corpus_files(settings.corpus):  # a page a document, as a naive loader gives them
        if path.suffix == ".pdf":
            docs += [
                Document(p.extract_text() or "", metadata={"page": n}) for n, p in enumerate(PdfReader(path).pages)
            ]
        else:
            docs.append(Document(path.read_text(encoding="utf-8")))
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    return Chroma.from_documents(splits, embedder, client=client, collection_name="baseline")


def score_baseline(settings: Settings, cases: list[Case], embedder: Any) -> dict[str, Any]:
    store = build(settings, embedder)
    rows, latencies = [], []
    for case in cases:
        if case.kind in ("draft", "refuse"):
            continue
        for turn in case.turns:
            if turn.refuse:
                continue
            started = time.perf_counter()
            hits = store.similarity_search(turn.q, k=K)
            latencies.append(time.perf_counter() - started)
            texts = [d.page_content for d in hits]
            gold = turn.relevant
            rows.append({**ranking_figures(texts, gold), "cited_hit": any(relevant(t, gold) for t in texts[:3])})
    lat = sorted(latencies)
    return {
        "retrieval": {m: mean([r[m] for r in rows]) for m in ("hit@1", "hit@5", "mrr@10", "ndcg@10")},
        "answers": {"cited_hit": mean([float(r["cited_hit"]) for r in rows]), "refusal": 0.0, "false_refusal": 0.0},
        "latency_ms": {"p50": round(1000 * lat[len(lat) // 2], 1), "p95": round(1000 * lat[int(0.95 * len(lat))], 1)},
    }


def main() -> None:
    """One cold start of the naive recipe: load, split, embed into memory, answer one question (for evals.bench)."""
    import sys

    from ingest.embed import SentenceTransformerEmbedder

    settings = Settings()
    store = build(settings, SentenceTransformerEmbedder(settings.model_path))
    print(store.similarity_search(sys.argv[1] if len(sys.argv) > 1 else "What is due diligence?", k=K)[0].metadata)


if __name__ == "__main__":
    main()
