"""The evaluation set is sound, and the CI gate: Handrail's figures on the test split hold the thresholds."""

from __future__ import annotations

from pathlib import Path

from evals.harness import check_thresholds, load_cases, norm, ranking_figures, run_eval, supported
from ingest.loaders import corpus_files
from ingest.pipeline import chunk_document
from tests.conftest import CORPUS

THRESHOLDS = Path(__file__).resolve().parents[1] / "evals" / "thresholds.toml"


def test_the_set_is_broad_enough():
    cases = load_cases()
    assert len(cases) >= 120
    assert sum(c.kind == "refuse" for c in cases) >= 15
    assert {t.case for c in cases for t in c.turns if t.case} == {1, 2, 3, 4}
    assert {t.stage for c in cases for t in c.turns if t.stage} >= {
        "customer",
        "internal",
        "propose",
        "design",
        "manage_deliver",
    }
    assert sum(c.kind == "conversation" for c in cases) >= 5 and any(c.split == "dev" for c in cases)


def test_every_gold_fragment_occurs_in_one_chunk_of_the_corpus():
    texts = [norm(c.text) for path in corpus_files(CORPUS) for c in chunk_document(path)[0]]
    for case in load_cases():
        for turn in case.turns:
            for fragment in turn.gold:
                assert any(norm(fragment) in t for t in texts), (case.id, fragment)


def test_ranking_figures_and_support_measure():
    figures = ranking_figures(["nothing", "the gold text here"], ["gold text"])
    assert figures == {"hit@1": 0.0, "hit@5": 1.0, "mrr@10": 0.5, "ndcg@10": 1 / __import__("math").log2(3)}
    assert supported("Partners share risk. [1]\n- Invented unrelated claim here [1]", {1: "Partners share risk."}) == [
        True,
        False,
    ]


def test_handrail_holds_the_thresholds_on_the_test_split(real_settings, assistant):
    report = run_eval(real_settings, split="test", assistant=assistant, baseline=False)
    failures = check_thresholds(report, THRESHOLDS)
    assert not failures, failures
