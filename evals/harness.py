"""The evaluation harness: runs the set through Handrail (and the naive baseline) and scores it offline.

    report = run_eval(settings, split="test")      # figures as a dict, the JSON of `handrail eval --json`
    write_report(report, Path("evals/reports"))    # report.md, report.json, per-stage chart

Relevance is binary: a passage is relevant when it contains one of the case's gold fragments.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.generate import SUPPORT_MIN, support
from assistant.retrieve import terms
from assistant.settings import Settings

CASES = Path(__file__).with_name("cases.yaml")
K = 10


@dataclass
class Turn:
    q: str
    gold: list[str] = field(default_factory=list)
    case: int | None = None
    stage: str | None = None


@dataclass
class Case:
    id: str
    kind: str
    split: str
    turns: list[Turn]
    draft: str | None = None


def load_cases(path: Path = CASES) -> list[Case]:
    cases = []
    for raw in yaml.safe_load(path.read_text()):
        turns = raw.get("turns") or [{k: raw[k] for k in ("q", "gold", "case", "stage") if k in raw}]
        kind = raw.get("kind") or ("conversation" if "turns" in raw else "answer")
        cases.append(Case(raw["id"], kind, raw.get("split", "test"), [Turn(**t) for t in turns], raw.get("draft")))
    return cases


def norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
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


def mean(xs: list[float]) -> float:
    return round(sum(xs) / len(xs), 4) if xs else 0.0


def score_handrail(assistant: Any, cases: list[Case]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    for case in cases:
        if case.kind == "draft":
            continue
        chat = assistant.conversation()
        for n, turn in enumerate(case.turns):
            started = time.perf_counter()
            answer = chat.ask(turn.q)
            latencies.append(time.perf_counter() - started)
            passages = [p.text for p in answer.passages]
            row: dict[str, Any] = {
                "id": f"{case.id}#{n}" if len(case.turns) > 1 else case.id,
                "q": turn.q,
                "kind": case.kind,
                "status": answer.status,
                "stage": turn.stage,
                "case": turn.case,
                "retrieved": [p.chunk.label for p in answer.passages[:3]],
            }
            if case.kind == "refuse":
                row["refused"] = answer.status == "not_covered"
            else:
                cited = {c.marker: c.chunk.text for c in answer.citations}
                sup = supported(answer.text, cited)
                row.update(ranking_figures(passages, turn.gold))
                row["false_refusal"] = answer.status == "not_covered"
                row["cited_hit"] = any(relevant(c.chunk.text, turn.gold) for c in answer.citations)
                row["citation_valid"] = all(norm(c.quote) in norm(c.chunk.text) for c in answer.citations)
                row["support"] = mean([float(s) for s in sup]) if sup else 0.0
                row["wrong_case"] = sum(
                    1 for c in answer.citations if turn.case and c.chunk.case not in (None, turn.case)
                )
                row["stage_ok"] = None if not turn.stage else answer.stage == turn.stage
            rows.append(row)
    return summarise(rows, latencies), rows


def score_drafts(assistant: Any, cases: list[Case]) -> dict[str, Any]:
    """Drafting requests as a user types them: the kind drafted, items grounded, the stage's steps covered."""
    from assistant.draft import Drafter, draft_for_request

    drafter = Drafter(assistant.retriever)
    kind_ok, grounded, covered, items = [], [], [], []
    for case in cases:
        turn = case.turns[0]
        draft = draft_for_request(drafter, turn.q)
        kind_ok.append(float(draft is not None and draft.kind == case.draft))
        if draft is None:
            continue
        items.append(len(draft.items))
        grounded += [
            float(bool(i.citations) and all(norm(c.quote) in norm(c.chunk.text) for c in i.citations))
            for i in draft.items
        ]
        if case.draft == "checklist" and turn.stage:
            steps = {sp for st, sp in assistant.retriever.steps if st == turn.stage}
            present = {c.chunk.step for i in draft.items for c in i.citations if c.chunk.stage == turn.stage}
            covered.append(len(steps & present) / len(steps) if steps else float(bool(draft.items)))
    return {
        "n_requests": len(cases),
        "kind_ok": mean(kind_ok),
        "grounded": mean(grounded),
        "steps_covered": mean(covered),
        "items_median": statistics.median(items) if items else 0,
    }


def signal_ablation(assistant: Any, cases: list[Case]) -> dict[str, dict[str, float]]:
    """Retrieval figures with each ranking alone and fused, everything else (routing, merging) the same."""
    out = {}
    fused = assistant.retriever.signals
    for signals in (("dense",), ("keyword",), ("pieces",), ("dense", "keyword"), fused):
        assistant.retriever.signals = signals
        try:
            figures, _ = score_handrail(assistant, [c for c in cases if c.kind != "refuse"])
        finally:
            assistant.retriever.signals = fused
        out["+".join(signals)] = figures["retrieval"]
    return out


def summarise(rows: list[dict[str, Any]], latencies: list[float]) -> dict[str, Any]:
    answerable = [r for r in rows if r["kind"] != "refuse"]
    refuse = [r for r in rows if r["kind"] == "refuse"]
    staged = [r for r in answerable if r.get("stage_ok") is not None]
    lat = sorted(latencies)
    return {
        "n_questions": len(rows),
        "retrieval": {m: mean([r[m] for r in answerable]) for m in ("hit@1", "hit@5", "mrr@10", "ndcg@10")},
        "answers": {
            "cited_hit": mean([float(r["cited_hit"]) for r in answerable]),
            "citation_valid": mean([float(r["citation_valid"]) for r in answerable]),
            "support": mean([r["support"] for r in answerable]),
            "wrong_case": sum(r["wrong_case"] for r in answerable),
            "refusal": mean([float(r["refused"]) for r in refuse]),
            "false_refusal": mean([float(r["false_refusal"]) for r in answerable]),
            "stage_accuracy": mean([float(r["stage_ok"]) for r in staged]),
        },
        "latency_ms": {
            "p50": round(1000 * statistics.median(lat), 1) if lat else 0.0,
            "p95": round(1000 * lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1) if lat else 0.0,
        },
    }


def run_eval(settings: Settings, split: str = "test", assistant: Any = None, baseline: bool = True) -> dict[str, Any]:
    from assistant.answer import Assistant

    cases = [c for c in load_cases() if split == "all" or c.split == split]
    assistant = assistant or Assistant.load(settings)
    assistant.k = K
    assistant.conversation().ask("warm-up question about partnerships")
    figures, rows = score_handrail(assistant, cases)
    report: dict[str, Any] = {
        "signals": signal_ablation(assistant, cases),
        "split": split,
        **figures,
        "rows": rows,
        "drafts": score_drafts(assistant, [c for c in cases if c.kind == "draft"]),
    }
    if baseline:
        from evals.baseline import score_baseline

        report["baseline"] = score_baseline(settings, cases, assistant.retriever.embedder)
    return report


def per_stage(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["kind"] == "refuse":
            continue
        key = f"case {r['case']}" if r.get("case") else (r.get("stage") or "other documents")
        groups.setdefault(key, []).append(r)
    return {
        k: {"hit@5": mean([x["hit@5"] for x in v]), "cited_hit": mean([float(x["cited_hit"]) for x in v]), "n": len(v)}
        for k, v in sorted(groups.items())
    }


def write_report(report: dict[str, Any], folder: Path) -> Path:
    import json

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    stages = per_stage(report["rows"])
    (folder / "report.json").write_text(json.dumps(report, indent=1))
    base = report.get("baseline", {})
    lines = [
        f"# Handrail evaluation ({report['split']} split, {report['n_questions']} questions)",
        "",
        "| figure | Handrail | naive baseline |",
        "|---|---|---|",
    ]
    for group in ("retrieval", "answers"):
        for name, value in report[group].items():
            lines.append(f"| {name} | {value} | {base.get(group, {}).get(name, 'n/a')} |")
    lines += [
        f"| latency p50 / p95 (ms) | {report['latency_ms']['p50']} / {report['latency_ms']['p95']} | "
        f"{base.get('latency_ms', {}).get('p50', 'n/a')} / {base.get('latency_ms', {}).get('p95', 'n/a')} |",
        "",
        "## Per stage and case",
        "",
        "| group | n | hit@5 | cited-hit |",
        "|---|---|---|---|",
    ]
    lines += [f"| {k} | {v['n']} | {v['hit@5']} | {v['cited_hit']} |" for k, v in stages.items()]
    drafts = report["drafts"]
    lines += ["", "## Drafts", "", "| figure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in drafts.items()]
    lines += ["", "## Retrieval signals", "", "| fused | hit@1 | hit@5 | mrr@10 | ndcg@10 |", "|---|---|---|---|---|"]
    lines += [f"| {name} | " + " | ".join(str(v) for v in f.values()) + " |" for name, f in report["signals"].items()]
    lines += ["", "## Misses", ""]
    for r in report["rows"]:
        miss = r.get("refused") is False or (r["kind"] != "refuse" and (not r["cited_hit"] or not r["hit@5"]))
        if miss:
            lines.append(f"- `{r['id']}` {r['q']} -> {r['status']}; retrieved: {'; '.join(r['retrieved'])}")
    (folder / "report.md").write_text("\n".join(lines) + "\n")
    fig, ax = plt.subplots(figsize=(9, 4))
    names = list(stages)
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [stages[n]["hit@5"] for n in names], 0.4, label="hit@5")
    ax.bar([x + 0.2 for x in xs], [stages[n]["cited_hit"] for n in names], 0.4, label="cited-hit")
    ax.set_xticks(list(xs), names, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title("Handrail per stage and case")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "per_stage.png")
    plt.close(fig)
    return folder / "report.md"


def check_thresholds(report: dict[str, Any], path: Path) -> list[str]:
    import tomllib

    failures = []
    limits = tomllib.loads(path.read_text())
    for group, figures in limits.items():
        for name, bound in figures.items():
            key = name.removeprefix("max_").removeprefix("min_")
            value = report[group][key]
            if name.startswith("max_") and value > bound or name.startswith("min_") and value < bound:
                failures.append(f"{group}.{key} = {value} (bound {bound})")
    return failures
