"""Hybrid retrieval over the index: dense (Chroma) and BM25 over the same chunks, fused.

    retriever = HybridRetriever.load(settings)
    passages = retriever.retrieve("What lessons were learnt in case 3?", k=8)

Fusion is reciprocal rank fusion. On top of it the question's structure is honoured (see
`assistant.route`): a question naming a case gets that case's passages, a question naming a stage or
step has those passages lifted, and an explicit `stage=` narrows to one stage.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import snowballstemmer
from langchain_community.retrievers import BM25Retriever
from langchain_core.documents import Document

from assistant.route import Route, route
from assistant.settings import Settings
from assistant.types import Passage
from ingest import index
from ingest.types import Chunk

RRF_K = 10  # chosen on the dev split (10-100 swept); small k lets the top ranks of either signal count
MERGE_MAX = 3  # chunks in one merged passage
SIGNALS = ("dense", "keyword")
STOPWORDS = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "how",
        "when",
        "where",
        "why",
        "do",
        "does",
        "did",
        "we",
        "our",
        "you",
        "your",
        "they",
        "their",
        "there",
        "as",
        "at",
        "by",
        "from",
        "into",
        "about",
        "can",
        "should",
        "would",
        "could",
        "will",
        "i",
        "me",
        "my",
        "us",
    ]
)


def tokenize(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+(?:/[a-z0-9-]+)?", text.lower()) if w not in STOPWORDS]


STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """What BM25 matches on: "capabilities" and "capability", "mediates" and "mediator" meet."""
    return [stem(w) for w in tokenize(text)]


def terms(text: str) -> set[str]:
    return set(stems(text))


@dataclass
class HybridRetriever:
    chunks: list[Chunk]
    store: Any  # langchain_chroma.Chroma
    bm25: BM25Retriever
    embedder: Any
    signals: tuple[str, ...] = SIGNALS  # which rankings are fused; one alone for measurement

    @classmethod
    def load(cls, settings: Settings, embedder: Any = None) -> HybridRetriever:
        if embedder is None:
            from ingest.embed import SentenceTransformerEmbedder

            embedder = SentenceTransformerEmbedder(settings.model_path, settings.embedding_batch_size)
        chunks = index.read_chunks(settings)
        docs = [Document(page_content=c.embed_text, metadata={"id": c.id}) for c in chunks]
        bm25 = BM25Retriever.from_documents(docs, preprocess_func=stems, k=len(docs))
        return cls(chunks, index.vectorstore(settings, embedder), bm25, embedder)

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.chunks}
        # The structure routing matches questions against, derived once per index.
        self.cases = {c.case for c in self.chunks if c.case}
        self.steps = {(c.stage, c.step) for c in self.chunks if c.step}
        self.df = Counter(t for c in self.chunks for t in terms(c.embed_text))
        self.case_terms: dict[int, set[str]] = {}
        for c in self.chunks:
            if c.case:
                self.case_terms.setdefault(c.case, set()).update(tokenize(c.text))

    def idf(self, term: str) -> float:
        """Inverse document frequency over chunks; a term the corpus never uses weighs most."""
        return math.log((len(self.chunks) + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, words: set[str], text: str) -> float:
        """The share of `words` found in `text`, each word weighted by its rarity in the corpus."""
        total = sum(self.idf(w) for w in words)
        return sum(self.idf(w) for w in words & terms(text)) / total if total else 0.0

    def dense(self, query: str, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        vector = self.embedder.embed_query(query)
        hits = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=k, filter=where)
        # Chroma returns cosine distances here; Handrail speaks in similarities.
        return [(doc.id, 1.0 - distance) for doc, distance in hits if doc.id in self.by_id]

    def keyword(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        scores = self.bm25.vectorizer.get_scores(stems(query))
        ranked = sorted(
            ((self.chunks[i].id, float(s)) for i, s in enumerate(scores) if s > 0),
            key=lambda x: x[1],
            reverse=True,
        )
        return [(i, s) for i, s in ranked if allowed is None or i in allowed][:k]

    def retrieve(self, query: str, k: int = 8, stage: str | None = None, case: int | None = None) -> list[Passage]:
        plan = route(query, self, stage=stage, case=case)
        return self.search(plan, k)

    def search(self, plan: Route, k: int) -> list[Passage]:
        where = plan.where()
        allowed = {c.id for c in self.chunks if plan.admits(c)} if where else None
        pool = max(k * 4, 30)
        dense = self.dense(plan.query, pool, where)
        keyword = self.keyword(plan.query, pool, allowed)
        fused: dict[str, float] = {}
        for name, ranking in (("dense", dense), ("keyword", keyword)):
            for rank, (cid, _) in enumerate(ranking if name in self.signals else []):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        for cid in fused:
            fused[cid] *= 1.0 + plan.boost(self.by_id[cid])
        dense_scores, keyword_scores = dict(dense), dict(keyword)
        ranked = sorted(fused, key=lambda cid: fused[cid], reverse=True)
        return [
            Passage(
                self.by_id[group[0]],
                fused[group[0]],
                dense_scores.get(group[0], 0.0),
                keyword_scores.get(group[0], 0.0),
                sorted((self.by_id[c] for c in group), key=lambda c: c.position),
            )
            for group in self.merge(ranked, k)
        ]

    def merge(self, ranked: list[str], k: int) -> list[list[str]]:
        """Group ranked chunk ids into at most k passages: a chunk next to one already taken, in the
        same section, joins that passage (up to MERGE_MAX chunks) instead of taking a place of its own."""
        groups: list[list[str]] = []
        for cid in ranked:
            here, section = self.by_id[cid].position, self.by_id[cid].section
            joined = next(
                (
                    g
                    for g in groups
                    if len(g) < MERGE_MAX
                    and self.by_id[g[0]].section == section
                    and any(abs(self.by_id[o].position - here) == 1 for o in g)
                ),
                None,
            )
            if joined is not None:
                joined.append(cid)
            elif len(groups) < k:
                groups.append([cid])
        return groups
