"""The evaluation harness: runs a split through Handrail (and the naive baseline) and scores it offline.

    report = run_eval(settings, split="test")      # figures as a dict, the JSON of `handrail eval --json`
    write_report(report, Path("evals/reports"))    # report.md, report.json, per-stage chart

Retrieval relevance is binary: a passage is relevant when it contains one of the turn's gold fragments.
Usefulness (`evals.metrics.usefulness`) judges what the user reads. The test split is sealed: run it
for the aggregate figures; only dev is read case by case (`report.md` lists misses for dev only).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.settings import Settings
from evals.cases import ANSWER_KINDS, Case, load_cases
from evals.metrics import K, SectionMap, mean, norm, ranking_figures, relevant, supported, usefulness, wrong_case

__all__ = ["load_cases", "run_eval", "write_report", "check_thresholds", "norm", "ranking_figures", "supported"]


def score_handrail(assistant: Any, cases: list[Case]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    sections = SectionMap(assistant.retriever.chunks)
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
                "refuse": turn.refuse,
                "status": answer.status,
                "stage": turn.stage,
                "case": turn.case,
                "retrieved": [p.chunk.label for p in answer.passages[:3]],
            }
            if turn.refuse:
                row["refused"] = answer.status == "not_covered"
            else:
                gold = turn.relevant
                cited: dict[int, str] = {}
                for c in answer.citations:  # a marker names a place, which may span chunks
                    if c.chunk.text not in cited.get(c.marker, ""):
                        cited[c.marker] = f"{cited.get(c.marker, '')}\n{c.chunk.text}".strip()
                sup = supported(answer.text, cited)
                row.update(ranking_figures(passages, gold))
                row["false_refusal"] = answer.status == "not_covered"
                row["cited_hit"] = any(relevant(c.chunk.text, gold) for c in answer.citations)
                row["citation_valid"] = all(norm(c.quote) in norm(c.chunk.text) for c in answer.citations)
                row["support"] = mean([float(s) for s in sup]) if sup else 0.0
                row["wrong_case"] = wrong_case(answer, turn)
                row["stage_ok"] = None if not turn.stage else answer.stage == turn.stage
                if turn.key_points:
                    row["usefulness"] = usefulness(answer, turn, sections)
            rows.append(row)
    return summarise(rows, latencies), rows


def score_drafts(assistant: Any, cases: list[Case], split: str = "test") -> dict[str, Any]:
    """Drafting requests as a user types them: the kind drafted, the parties and purpose the request
    states carried into the MoU, a checklist on the stage or step asked for, items grounded, the stage's
    steps covered, guidance drawn from the split's gold units (evals/drafting.py), and the items' hygiene."""
    from assistant.draft import Drafter
    from assistant.request import draft_for_request
    from evals import drafting

    drafter = Drafter(assistant.retriever)
    kind_ok, grounded, covered, items, carried, scoped = [], [], [], [], [], []
    precision, recall, step_precision = [], [], []
    hygiene = {"long_items": 0, "near_duplicate_pairs": 0, "bad_quotes": 0}
    for case in cases:
        turn = case.turns[0]
        try:
            draft = draft_for_request(drafter, turn.q)
        except UserError:  # the request could not be drafted: counted as the wrong kind
            draft = None
        kind_ok.append(float(draft is not None and draft.kind == case.draft))
        if draft is None:
            continue
        items.append(len(draft.items))
        grounded += [
            float(bool(i.citations) and all(norm(c.quote) in norm(c.chunk.text) for c in i.citations))
            for i in draft.items
        ]
        if case.draft == "checklist" and case.stage:
            steps = {sp for st, sp in assistant.retriever.steps if st == case.stage}
            present = {c.chunk.step for i in draft.items for c in i.citations if c.chunk.stage == case.stage}
            covered.append(len(steps & present) / len(steps) if steps else float(bool(draft.items)))
            step_precision += drafting.step_precision(draft, case.stage)
        if case.draft == "mou" and case.parties is not None:
            carried.append(float(drafting.carries(draft, case.parties, case.purpose)))
        if case.draft == "checklist" and (case.stage or case.step):
            scoped.append(float(drafting.on_scope(draft, case.stage, case.step)))
        if draft.kind == "mou":
            p, r = drafting.guidance_scores(draft, split)
            precision += p
            recall += r
        for key, value in drafting.hygiene(draft, assistant.retriever.embedder).items():
            if key == "long_items" and draft.kind != "checklist":
                continue  # an MoU clause is a paragraph, not an item to tick
            if key in hygiene:
                hygiene[key] += value
    return {
        "n_requests": len(cases),
        "kind_ok": mean(kind_ok),
        "grounded": mean(grounded),
        "steps_covered": mean(covered),
        "items_median": statistics.median(items) if items else 0,
        "items_max": max(items, default=0),
        "guidance_precision": mean(precision),
        "guidance_recall": mean(recall),
        "step_precision": mean(step_precision),
        "parties_purpose_carried": mean(carried),
        "on_scope": mean(scoped),
        **hygiene,
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


def useful_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Key-point recall, citation precision and the share acceptable, over the turns that have key points."""
    scored = [r for r in rows if "usefulness" in r]
    return {
        "n": len(scored),
        "acceptable": mean(float(r["usefulness"]["acceptable"]) for r in scored),
        "key_point_recall": mean(r["usefulness"]["key_point_recall"] for r in scored),
        "citation_precision": mean(r["usefulness"]["citation_precision"] for r in scored if r["status"] == "answered"),
        "false_refusal": mean(float(r["false_refusal"]) for r in scored),
        "wrong_case": sum(r["usefulness"]["wrong_case"] for r in scored),
    }


def summarise(rows: list[dict[str, Any]], latencies: list[float]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["refuse"]]
    refuse = [r for r in rows if r["refuse"]]
    staged = [r for r in answerable if r.get("stage_ok") is not None]
    lat = sorted(latencies)
    figures: dict[str, Any] = {
        "n_questions": len(rows),
        "retrieval": {m: mean([r[m] for r in answerable]) for m in ("hit@1", "hit@5", "mrr@10", "ndcg@10")},
        "answers": {
            "cited_hit": mean([float(r["cited_hit"]) for r in answerable]),
            "citation_valid": mean([float(r["citation_valid"]) for r in answerable]),
            "support": mean([r["support"] for r in answerable]),
            "wrong_case": sum(r["wrong_case"] for r in answerable),
            "refusal": mean([float(r["refused"]) for r in refuse]),
            "false_refusal": mean([float(r["false_refusal"]) for r in answerable]),
        },
        "latency_ms": {
            "p50": round(1000 * statistics.median(lat), 1) if lat else 0.0,
            "p95": round(1000 * lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1) if lat else 0.0,
        },
    }
    if staged:  # the legacy set names the stage each answer belongs to
        figures["answers"]["stage_accuracy"] = mean([float(r["stage_ok"]) for r in staged])
    if any("usefulness" in r for r in rows):
        kinds = {k: useful_figures([r for r in rows if r["kind"] == k]) for k in ANSWER_KINDS}
        refusals = [r for r in refuse if r["kind"] == "refuse"]
        after = [r for r in refuse if r["kind"] != "refuse"]
        figures["usefulness"] = {
            **useful_figures(rows),
            "min_kind_acceptable": min((v["acceptable"] for v in kinds.values() if v["n"]), default=0.0),
            "by_kind": kinds,
            "refusal_out_of_corpus": mean(float(r["refused"]) for r in refusals),
            "refusal_in_conversation": mean(float(r["refused"]) for r in after),
        }
    return figures


def run_eval(
    settings: Settings,
    split: str = "test",
    assistant: Any = None,
    baseline: bool = True,
    ablation: bool = True,
) -> dict[str, Any]:
    """The figures of one split; the gate skips the per-signal ablation and the baseline."""
    from assistant.answer import Assistant

    cases = load_cases(split)
    assistant = assistant or Assistant.load(settings)
    assistant.k = K
    assistant.conversation().ask("warm-up question about partnerships")
    figures, rows = score_handrail(assistant, cases)
    report: dict[str, Any] = {
        "split": split,
        **figures,
        "rows": rows,
        "drafts": score_drafts(assistant, [c for c in cases if c.kind == "draft"], split),
    }
    if ablation:
        report["signals"] = signal_ablation(assistant, cases)
    if baseline:
        from evals.baseline import score_baseline

        report["baseline"] = score_baseline(settings, cases, assistant.retriever.embedder)
    return report


def per_stage(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["refuse"]:
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
    sealed = report["split"] == "test"  # aggregate figures only: no per-case rows are written
    (folder / "report.json").write_text(json.dumps(without_rows(report) if sealed else report, indent=1))
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
    if useful := report.get("usefulness"):
        lines += ["", "## Usefulness (what the user reads)", ""]
        lines += ["| kind | n | acceptable | key-point recall | citation precision | false refusal |", "|---|" * 6]
        for kind, f in [("all", useful), *useful["by_kind"].items()]:
            lines.append(
                f"| {kind} | {f['n']} | {f['acceptable']} | {f['key_point_recall']} | {f['citation_precision']} "
                f"| {f['false_refusal']} |"
            )
        lines += [
            "",
            f"Refusal: out of corpus {useful['refusal_out_of_corpus']}, in conversation "
            f"{useful['refusal_in_conversation']}; wrong-case citations {useful['wrong_case']}.",
        ]
    drafts = report["drafts"]
    lines += ["", "## Drafts", "", "| figure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in drafts.items()]
    lines += ["", "## Retrieval signals", "", "| fused | hit@1 | hit@5 | mrr@10 | ndcg@10 |", "|---|---|---|---|---|"]
    signals = report.get("signals", {})
    lines += [f"| {name} | " + " | ".join(str(v) for v in f.values()) + " |" for name, f in signals.items()]
    if not sealed:
        lines += ["", "## Misses", ""]
        for r in report["rows"]:
            use = r.get("usefulness")
            miss = r.get("refused") is False or (
                not r["refuse"] and (not r["cited_hit"] or not r["hit@5"] or (use and not use["acceptable"]))
            )
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


def without_rows(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "rows"}


def check_thresholds(report: dict[str, Any], path: Path) -> list[str]:
    """The figures that break the gate: the test split's bounds, or the `[legacy.*]` ones for legacy."""
    import tomllib

    failures = []
    limits = tomllib.loads(path.read_text())
    legacy = limits.pop("legacy", {})
    if report["split"] == "legacy":
        limits = legacy
    for group, figures in limits.items():
        for name, bound in figures.items():
            key = name.removeprefix("max_").removeprefix("min_")
            value = report[group][key]
            if name.startswith("max_") and value > bound or name.startswith("min_") and value < bound:
                failures.append(f"{group}.{key} = {value} (bound {bound})")
    return failures
