"""What one answer scores: ranking figures, support, and usefulness as a reader judges it.

    ranking_figures(passage_texts, fragments)       # hit@1, hit@5, MRR@10, nDCG@10
    usefulness(answer, turn, sections)              # key-point recall, citation precision, wrong case, acceptable

Usefulness is measured in what the user reads (the answer and its quotes, never the hidden passages):
- key-point recall: the share of the turn's key points of which one fragment appears there;
- citation precision: the share of cited chunks (each counted once) that lie in a gold section;
- wrong case: citations of a case other than the one the question is about;
- acceptable: answered, recall >= ACCEPT_RECALL, precision >= ACCEPT_PRECISION and no wrong case.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from assistant.generate import SUPPORT_MIN, support
from evals.cases import Turn
from ingest.text import terms

K = 10
# The bar for an answer a manager could be shown unedited (set by the issue that defined the measure).
ACCEPT_RECALL = 0.6
ACCEPT_PRECISION = 0.6


def norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def relevant(text: str, gold: list[str]) -> bool:
    t = norm(text)
    return any(norm(g) in t for g in gold)


def ranking_figures(texts: list[str], gold: list[str]) -> dict[str, float]:
    rels = [relevant(t, gold) for t in texts[:K]]
    first = next((i for i, r in enumerate(rels) if r), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(rels) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(sum(rels), K))) or 1.0
    return {
        "hit@1": float(first == 0),
        "hit@5": float(first is not None and first < 5),
        "mrr@10": 1 / (first + 1) if first is not None else 0.0,
        "ndcg@10": dcg / ideal if any(rels) else 0.0,
    }


def supported(answer_text: str, cited_texts: dict[int, str]) -> list[bool]:
    """Per answer sentence: are most of its content words in the passages it cites (K-precision >= 0.5)?"""
    out = []
    for line in re.split(r"\n+", answer_text):
        markers = [int(m) for m in re.findall(r"\[(\d+)\]", line)]
        body = re.sub(r"\[\d+\]", "", line).strip(" -")
        words = terms(body)
        if not words or line.strip().endswith(":") and not markers:
            continue
        source = " ".join(cited_texts.get(m, "") for m in markers)
        out.append(bool(markers) and support(body, source) >= SUPPORT_MIN)
    return out


def mean(xs: Iterable[float]) -> float:
    values = list(xs)
    return round(sum(values) / len(values), 4) if values else 0.0


class SectionMap:
    """The indexed sections (document and heading path) with their text, to place gold fragments.

    A gold fragment names the section that holds it, whatever chunk it falls in."""

    def __init__(self, chunks: Iterable[Any]) -> None:
        texts: dict[tuple[str, str], list[str]] = {}
        for c in sorted(chunks, key=lambda c: (c.doc_id, c.position)):
            texts.setdefault(self.key(c), [c.section]).append(c.text)  # a heading belongs to its section
        self.texts = {key: norm("\n".join(parts)) for key, parts in texts.items()}

    @staticmethod
    def key(chunk: Any) -> tuple[str, str]:
        return chunk.doc_id, chunk.section

    def holding(self, fragments: Iterable[str]) -> set[tuple[str, str]]:
        wanted = [norm(f) for f in fragments]
        return {key for key, text in self.texts.items() if any(f in text for f in wanted)}

    def gold(self, turn: Turn) -> set[tuple[str, str]]:
        return self.holding(turn.sections + [f for point in turn.key_points for f in point])


def shown_text(answer: Any) -> str:
    """What the user reads: the answer without its markers, and every quote."""
    body = re.sub(r"\[\d+\]", " ", answer.text)
    return norm(body + "\n" + "\n".join(c.quote for c in answer.citations))


def wrong_case(answer: Any, turn: Turn) -> int:
    """Citations of a case other than the one the question is about."""
    return sum(1 for c in answer.citations if turn.case and c.chunk.case not in (None, turn.case))


def usefulness(answer: Any, turn: Turn, sections: SectionMap) -> dict[str, Any]:
    answered = answer.status == "answered"
    shown = shown_text(answer) if answered else ""
    found = [any(norm(f) in shown for f in point) for point in turn.key_points]
    recall = sum(found) / len(found) if found else float(answered)
    gold = sections.gold(turn)
    cited_chunks = list({c.chunk.id: c.chunk for c in answer.citations}.values())
    precision = sum(SectionMap.key(c) in gold for c in cited_chunks) / len(cited_chunks) if cited_chunks else 0.0
    wrong = wrong_case(answer, turn)
    return {
        "key_point_recall": round(recall, 4),
        "citation_precision": round(precision, 4),
        "wrong_case": wrong,
        "acceptable": answered and recall >= ACCEPT_RECALL and precision >= ACCEPT_PRECISION and not wrong,
        "missed_points": [point[0] for point, hit in zip(turn.key_points, found, strict=True) if not hit],
    }
