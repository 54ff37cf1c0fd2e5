"""The performance benchmark: whole-process figures, per-question latency split, growth, Chroma server mode.

    python -m evals.bench [--json] [--growth 10,100]     # or: make bench

Writes evals/reports/bench.md, bench.json and bench.png. Each Handrail figure stands beside the naive
LangChain recipe of the evaluation harness (evals/baseline.py) where the recipe has one.

Growth: the real index is replicated to 10x and 100x its chunks, each copy a document of its own (so
sections keep their size while the index grows). A replica's text is the original chunk's words
shuffled (same vocabulary and length, so BM25 works as hard) and its vector is the original vector
plus Gaussian noise (sigma 0.05), renormalised (so the HNSW graph is as dense near real queries). A
replica's pieces are cut from its shuffled text, each with the vector of one of the original's
pieces plus the same noise; both collections are built as ingest builds them. Only
retrieval is timed there: embedding a question does not depend on corpus size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from assistant.settings import Settings

QUESTION = "What should we check in due diligence?"
REPORTS = Path(__file__).with_name("reports")


def whole_process(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall time and peak RSS of one process, start to exit."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed: {process.stderr.read().decode()[-500:] if process.stderr else ''}"
        )
    return {"s": round(seconds, 2), "rss_mb": round(usage.ru_maxrss / 1024)}


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = sorted(1000 * s for s in samples)
    return {"p50": round(statistics.median(ms), 1), "p95": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1)}


def questions() -> list[str]:
    """The single questions of the legacy set: timing only, no answer is read."""
    from evals.cases import load_cases

    return [c.turns[0].q for c in load_cases("legacy") if c.kind == "answer"]


def since(started: float) -> float:
    return time.perf_counter() - started


def per_question(assistant: Any, qs: list[str]) -> dict[str, dict[str, float]]:
    """Latency split: query embedding (uncached), routing and retrieval, composing."""
    from assistant.route import route

    r = assistant.retriever
    embed, retrieve, compose, total = [], [], [], []
    for q in qs:
        r.embedder._cached_query.cache_clear()
        r.recent.clear()  # each question ranked afresh, as a new question is
        t = time.perf_counter()
        plan = route(q, r)
        t_route = since(t)
        t = time.perf_counter()
        r.embedder.embed_query(plan.query)
        t_embed = since(t)
        t = time.perf_counter()
        passages = r.search(plan, assistant.k)
        t_search = since(t)
        t = time.perf_counter()
        assistant.composer.compose(q, plan, passages)
        t_compose = since(t)
        # routing embeds the raw question too (case by story): count that with embedding, the rest with retrieval
        t = time.perf_counter()
        r.embedder.embed_documents([q])  # uncached, as routing's first embedding of the question was
        t_route_embed = since(t)
        embed.append(t_embed + t_route_embed)
        retrieve.append(max(t_route - t_route_embed, 0.0) + t_search)
        compose.append(t_compose)
        total.append(t_route + t_embed + t_search + t_compose)
    return {
        "embedding": percentiles(embed),
        "retrieval": percentiles(retrieve),
        "composing": percentiles(compose),
        "total": percentiles(total),
    }


def synthetic(retriever: Any, settings: Settings, factor: int, home: Path, seed: int = 0) -> Any:
    """A retriever over the real chunks replicated `factor` times (see the module notes), its chunk and
    piece collections built in a scratch home the way ingest builds them."""
    from assistant.retrieve import HybridRetriever
    from ingest import index
    from ingest.types import Chunk

    rng = np.random.default_rng(seed)
    real = retriever.chunks
    vectors = index.existing_embeddings(settings, [c.id for c in real])
    vectors |= index.existing_embeddings(settings, [p for c in real for p in c.piece_ids()], pieces=True)
    chunks: list[Chunk] = []
    embeddings: dict[str, list[float]] = {}

    def noisy(v: Any) -> list[float]:
        v = np.asarray(v) + rng.normal(0, 0.05, len(v))
        return list(map(float, v / np.linalg.norm(v)))

    for copy in range(factor):
        for c in real:
            if not copy:
                chunks.append(c)
                embeddings.update({i: vectors[i] for i in [c.id, *c.piece_ids()]})
                continue
            words = c.text.split()
            rng.shuffle(words)
            # A replica is a chunk of another document (a corpus grows by documents, not by its sections
            # growing a hundredfold), so a unit keeps its size and only the index grows.
            twin = Chunk(
                **{**c.to_dict(), "id": f"{c.id}-{copy}", "doc_id": f"{c.doc_id}~{copy}", "text": " ".join(words)}
            )
            chunks.append(twin)
            embeddings[twin.id] = noisy(vectors[c.id])
            originals = c.piece_ids() or [c.id]
            for n, pid in enumerate(twin.piece_ids()):
                embeddings[pid] = noisy(vectors[originals[n % len(originals)]])
    scratch = settings.model_copy(update={"home": home / f"growth-{factor}", "chroma_host": None})
    index.build_collection(scratch, "growth", chunks, embeddings)
    (scratch.index_root / "CURRENT").write_text("growth")
    stores = [index.vectorstore(scratch, retriever.embedder, pieces) for pieces in (False, True)]
    return HybridRetriever(chunks, stores[0], index.keyword_index(chunks), retriever.embedder, stores[1]).warmed()


def growth(assistant: Any, settings: Settings, factors: list[int], qs: list[str]) -> dict[str, dict[str, Any]]:
    from assistant.route import route

    out = {}
    for factor in [1, *factors]:
        with tempfile.TemporaryDirectory() as scratch:
            t = time.perf_counter()
            r = synthetic(assistant.retriever, settings, factor, Path(scratch))
            build = since(t)
            for q in qs:  # embeddings warm: only retrieval is timed
                r.embedder.embed_query(q)
                r.embedder.embed_query(route(q, r).query)
            samples = []
            for q in qs:
                r.recent.clear()
                t = time.perf_counter()
                r.search(route(q, r), assistant.k)
                samples.append(since(t))
        out[f"{factor}x"] = {"chunks": len(r.chunks), "build_s": round(build, 1), **percentiles(samples)}
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    command: list[str], health: str, log: Path | None = None, **popen: Any
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, yielded once `health` answers; stopped on the way out."""
    out = log.open("w") if log else subprocess.DEVNULL
    server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **popen)
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(health, timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"{command[0]} stopped: {log.read_text()[-2000:] if log else ''}") from None
                time.sleep(0.5)
        else:
            raise RuntimeError(f"{command[0]} did not answer at {health} in 120 s")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """A real Chroma server (`chroma run`) on 127.0.0.1; yields its port."""
    port = free_port()
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    command = [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with serving(command, f"http://127.0.0.1:{port}/api/v2/heartbeat"):
        yield port


def bench(corpus: Path, factors: list[int]) -> dict[str, Any]:
    from assistant.answer import Assistant
    from assistant.draft import Drafter
    from evals.baseline import build

    handrail = shutil.which("handrail") or str(Path(sys.executable).with_name("handrail"))
    scratch = Path(tempfile.mkdtemp(prefix="handrail-bench-"))
    env = os.environ | {"HANDRAIL_HOME": str(scratch / "home"), "HANDRAIL_CORPUS": str(corpus), "HF_HUB_OFFLINE": "1"}
    report: dict[str, Any] = {"corpus": str(corpus)}
    try:
        report["process"] = {
            "interpreter": whole_process([sys.executable, "-c", "pass"], env),
            "cold_ingest": whole_process([handrail, "ingest"], env),
            "unchanged_ingest": whole_process([handrail, "ingest"], env),
            "first_answer": whole_process([handrail, "ask", QUESTION, "--json"], env),
            "app_first_answer": whole_process([sys.executable, "-m", "evals.app_start", QUESTION], env),
            "baseline_first_answer": whole_process([sys.executable, "-m", "evals.baseline", QUESTION], env),
        }
        settings = Settings(home=scratch / "home", corpus=corpus)
        assistant = Assistant.load(settings)
        qs = questions()
        assistant.ask(QUESTION)
        report["questions"] = len(qs)
        report["latency_ms"] = per_question(assistant, qs)
        store = build(settings, assistant.retriever.embedder)
        samples = []
        for q in qs:
            t = time.perf_counter()
            store.similarity_search(q, k=10)
            samples.append(since(t))
        report["baseline_latency_ms"] = percentiles(samples)
        drafter = Drafter(assistant.retriever)
        t = time.perf_counter()
        drafter.checklist(stage="design")
        checklist_ms = round(1000 * since(t), 1)
        t = time.perf_counter()
        drafter.mou(["A", "B"], context="dealer network")
        report["drafts_ms"] = {"checklist_design": checklist_ms, "mou": round(1000 * since(t), 1)}
        report["growth"] = growth(assistant, settings, factors, qs)
        with chroma_server(scratch / "chroma-server") as port:
            served = env | {"HANDRAIL_CHROMA_HOST": "127.0.0.1", "HANDRAIL_CHROMA_PORT": str(port)}
            ingest = whole_process([handrail, "ingest"], served)
            remote = Assistant.load(settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": port}))
            remote.ask(QUESTION)
            report["chroma_server"] = {"ingest": ingest, "latency_ms": per_question(remote, qs)["total"]}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report


def write(report: dict[str, Any], folder: Path = REPORTS) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.json").write_text(json.dumps(report, indent=1))
    p, lat, base = report["process"], report["latency_ms"], report["baseline_latency_ms"]
    start = p["interpreter"]["s"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}" if b else "n/a"

    lines = [
        f"# Handrail benchmark ({report['questions']} questions, this machine)",
        "",
        "| figure | Handrail | naive recipe | ratio |",
        "|---|---|---|---|",
        f"| cold ingest (s, whole process) | {p['cold_ingest']['s']} | (built at every start) | |",
        f"| unchanged re-ingest (s; interpreter alone {start}) | {p['unchanged_ingest']['s']} | n/a | |",
        f"| start-up to first answer (s) | {p['first_answer']['s']} | {p['baseline_first_answer']['s']} | "
        f"{ratio(p['first_answer']['s'], p['baseline_first_answer']['s'])} |",
        f"| app: cold start to first answer (s) | {p['app_first_answer']['s']} | n/a | |",
        f"| peak RSS, ingest / answer (MB) | {p['cold_ingest']['rss_mb']} / {p['first_answer']['rss_mb']} | "
        f"{p['baseline_first_answer']['rss_mb']} | "
        f"{ratio(p['first_answer']['rss_mb'], p['baseline_first_answer']['rss_mb'])} |",
        f"| warm answer p50 / p95 (ms) | {lat['total']['p50']} / {lat['total']['p95']} | "
        f"{base['p50']} / {base['p95']} | {ratio(lat['total']['p95'], base['p95'])} (p95) |",
        f"| of which query embedding p50 / p95 | {lat['embedding']['p50']} / {lat['embedding']['p95']} | | |",
        f"| of which routing and retrieval p50 / p95 | {lat['retrieval']['p50']} / {lat['retrieval']['p95']} | | |",
        f"| of which composing p50 / p95 | {lat['composing']['p50']} / {lat['composing']['p95']} | | |",
        f"| draft: design checklist / MoU (ms) | {report['drafts_ms']['checklist_design']} / "
        f"{report['drafts_ms']['mou']} | n/a | |",
    ]
    if "chroma_server" in report:
        cs = report["chroma_server"]
        lines.append(
            f"| Chroma server: ingest (s) / answer p50 / p95 (ms) | {cs['ingest']['s']} / {cs['latency_ms']['p50']} / "
            f"{cs['latency_ms']['p95']} | | |"
        )
    lines += [
        "",
        "## Growth (retrieval only, embeddings warm)",
        "",
        "| corpus | chunks | build (s) | p50 (ms) | p95 (ms) |",
    ]
    lines += ["|---|---|---|---|---|"]
    lines += [
        f"| {k} | {v['chunks']} | {v['build_s']} | {v['p50']} | {v['p95']} |" for k, v in report["growth"].items()
    ]
    path = folder / "bench.md"
    path.write_text("\n".join(lines) + "\n")
    fig, ax = plt.subplots(figsize=(6, 4))
    g = report["growth"]
    sizes = [v["chunks"] for v in g.values()]
    ax.plot(sizes, [v["p50"] for v in g.values()], "o-", label="p50")
    ax.plot(sizes, [v["p95"] for v in g.values()], "o-", label="p95")
    ax.set_xscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("retrieval latency (ms)")
    ax.set_title("Handrail retrieval latency as the corpus grows")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "bench.png")
    plt.close(fig)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--growth", default="10,100", help="corpus growth factors (default 10,100)")
    parser.add_argument("--corpus", type=Path, default=Settings().corpus)
    args = parser.parse_args()
    report = bench(args.corpus.resolve(), [int(f) for f in args.growth.split(",") if f])
    path = write(report)
    print(json.dumps(report) if args.json else path.read_text())


if __name__ == "__main__":
    main()
