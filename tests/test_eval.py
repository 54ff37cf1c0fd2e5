"""The evaluation sets are sound, the usefulness measure scores what a reader sees, calibration reads dev
only, and the CI gate: Handrail's figures on the sealed test split (and the legacy set) hold the thresholds."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from assistant.types import Answer, Citation
from evals import calibrate
from evals.cases import ANSWER_KINDS, Turn, load_cases
from evals.harness import check_thresholds, run_eval
from evals.metrics import SectionMap, ranking_figures, supported, usefulness
from ingest.loaders import corpus_files
from ingest.pipeline import chunk_document
from ingest.types import Chunk
from tests.conftest import CORPUS

THRESHOLDS = Path(__file__).resolve().parents[1] / "evals" / "thresholds.toml"


def test_the_scenario_set_is_broad_and_split_honestly():
    cases = load_cases("all")
    assert len(cases) >= 150
    kinds = Counter(c.kind for c in cases)
    assert kinds["refuse"] >= 25 and all(kinds[k] for k in ANSWER_KINDS) and kinds["draft"]
    assert {t.case for c in cases for t in c.turns if t.case} == {1, 2, 3, 4}
    dev = load_cases("dev")
    assert 0.25 <= len(dev) / len(cases) <= 0.4
    assert {c.id for c in dev}.isdisjoint(c.id for c in load_cases("test"))
    assert len(load_cases("legacy")) == 155
    for case in cases:
        for turn in case.turns:
            assert turn.refuse or turn.key_points or case.kind == "draft", case.id


def test_every_gold_fragment_lies_in_a_section_of_the_corpus():
    """Key points and section fragments of both sets are found in the indexed sections (heading included)."""
    sections = SectionMap(c for path in corpus_files(CORPUS) for c in chunk_document(path)[0])
    for split in ("all", "legacy", "blind-dev"):
        for case in load_cases(split):
            for turn in case.turns:
                for fragment in turn.relevant:
                    assert sections.holding([fragment]), (case.id, fragment)


def test_every_drafting_gold_fragment_lies_in_an_indexed_chunk():
    from evals import drafting

    texts = [drafting.norm(c.text) for path in corpus_files(CORPUS) for c in chunk_document(path)[0]]
    gold = drafting.gold()
    entries = [*drafting.clause_gold("dev").values(), *drafting.clause_gold("test").values()]
    entries += [e for steps in gold["steps"].values() for e in steps.values()] + list(gold["topics"].values())
    for fragment in (f for e in entries for f in drafting.fragments(e)):
        assert any(drafting.norm(fragment) in t for t in texts), fragment


def test_a_drafting_request_is_scored_on_the_parties_purpose_and_scope_it_asks_for():
    from assistant.drafts import Draft, DraftItem
    from evals.drafting import carries, on_scope

    mou = Draft("mou", "MoU", [], "x", parties=["Acme Ltd", "Beta plc"], purpose="to offer uptime services")
    assert carries(mou, ["acme ltd", "Beta plc"], "uptime services")
    assert not carries(mou, ["Beta plc", "Acme Ltd"], None) and not carries(mou, ["Acme Ltd", "Beta plc"], "repairs")
    items = [DraftItem("Do a.", [], "Design > Culture"), DraftItem("Do b.", [], "Design > Governance")]
    assert on_scope(Draft("checklist", "C", items, "x", stage="design"), "design", None)
    assert not on_scope(Draft("checklist", "C", items[:1], "x", stage="design"), "design", None)  # one step
    assert on_scope(Draft("checklist", "C", items[:1], "x", stage="design"), None, "Culture")
    assert not on_scope(Draft("checklist", "C", items, "x", stage="design"), None, "Culture")


def chunk(text: str, section: str, case: int | None = None, cid: str = "c1") -> Chunk:
    return Chunk(cid, "doc", "Doc", 1, 1, section, text, case=case)


def test_usefulness_scores_what_the_reader_sees():
    gold = chunk("Agree the exit terms early. Name a mediator for disputes.", "Doc > Exit")
    stray = chunk("Celebrate wins together.", "Doc > Celebrate", cid="c2")
    other_case = chunk("The dealers met monthly.", "Case 2 > Process", case=2, cid="c3")
    sections = SectionMap([gold, stray, other_case])
    turn = Turn(
        q="what if we want out?",
        key_points=[["exit terms early"], ["Name a mediator"], ["notice period"]],
        sections=["Agree the exit terms"],
        case=3,
    )
    text = "Agree the exit terms early. [1] Name a mediator for disputes. [1]\n- Celebrate wins together. [2]"
    cites = [Citation(1, gold, "Agree the exit terms early."), Citation(2, stray, "Celebrate wins together.")]
    scored = usefulness(Answer("q", "answered", text, cites), turn, sections)
    assert scored["key_point_recall"] == pytest.approx(2 / 3, abs=1e-3)
    assert scored["citation_precision"] == 0.5 and not scored["acceptable"]
    # The hidden passages do not count: a point only in a passage the answer does not show is missed.
    only_passage = Answer("q", "answered", "Agree the exit terms early. [1]", cites[:1])
    assert usefulness(only_passage, turn, sections)["missed_points"] == ["Name a mediator", "notice period"]
    wrong = Answer("q", "answered", text, cites[:1] + [Citation(2, other_case, "The dealers met monthly.")])
    assert usefulness(wrong, turn, sections)["wrong_case"] == 1
    refused = usefulness(Answer("q", "not_covered", "not covered"), turn, sections)
    assert refused["key_point_recall"] == 0 and not refused["acceptable"]


def test_ranking_figures_and_support_measure():
    figures = ranking_figures(["nothing", "the gold text here"], ["gold text"])
    assert figures == {"hit@1": 0.0, "hit@5": 1.0, "mrr@10": 0.5, "ndcg@10": 1 / math.log2(3)}
    assert supported("Partners share risk. [1]\n- Invented unrelated claim here [1]", {1: "Partners share risk."}) == [
        True,
        False,
    ]


def test_calibration_reads_the_dev_split_only(monkeypatch):
    asked = []

    def spy(split: str = "test"):
        asked.append(split)
        raise SystemExit  # the split asked for is all this test needs

    monkeypatch.setattr(calibrate, "load_cases", spy)
    monkeypatch.setattr(calibrate.Assistant, "load", classmethod(lambda cls, settings: None))
    with pytest.raises(SystemExit):
        calibrate.main()
    assert asked == ["dev"]


def test_the_sealed_report_writes_no_per_case_rows(tmp_path):
    from evals.harness import write_report

    report = {
        "split": "test",
        "n_questions": 1,
        "retrieval": {},
        "answers": {},
        "latency_ms": {"p50": 1, "p95": 1},
        "drafts": {},
        "rows": [{"id": "x", "q": "secret question", "refuse": True, "refused": False, "status": "answered"}],
    }
    write_report(report, tmp_path)
    assert "secret question" not in (tmp_path / "report.md").read_text()
    assert "secret question" not in (tmp_path / "report.json").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("split", ["test", "legacy"])
def test_handrail_holds_the_thresholds(real_settings, assistant, split):
    report = run_eval(real_settings, split=split, assistant=assistant, baseline=False, ablation=False)
    failures = check_thresholds(report, THRESHOLDS)
    assert not failures, failures
