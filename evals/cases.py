"""The evaluation sets, as data: questions in users' words and the gold an answer is judged by.

    cases = load_cases("test")     # the sealed split of the scenario set (aggregate figures only)
    cases = load_cases("dev")      # the only split read case by case and calibrated on
    cases = load_cases("legacy")   # the first 155 cases, kept for continuity
    cases = load_cases("blind-dev") # more dev questions, written blind later (blind_dev.yaml)

`scenarios.yaml` was written blind from the corpus (by people who had not seen the code), as managers
and new alliance staff talk: situations, goals and worries. Each answerable turn names its key points
(each one or more short verbatim fragments of the corpus, any one of which counts) and the gold
sections an answer should draw on (fragments that lie inside those sections, so re-chunking and
relabelling do not break them). `cases.yaml` is the legacy set: one list of fragments per turn that
mark a passage relevant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SCENARIOS = Path(__file__).with_name("scenarios.yaml")
LEGACY = Path(__file__).with_name("cases.yaml")
BLIND_DEV = Path(__file__).with_name("blind_dev.yaml")
SPLITS = ("dev", "test", "all", "legacy", "blind-dev")
# The kinds usefulness is reported by; conversation turns count under "conversation".
ANSWER_KINDS = ("stage", "case", "document", "overview", "comparison", "conversation")


@dataclass
class Turn:
    q: str
    gold: list[str] = field(default_factory=list)  # legacy: fragments that mark a passage relevant
    key_points: list[list[str]] = field(default_factory=list)  # each point: alternative verbatim fragments
    sections: list[str] = field(default_factory=list)  # fragments inside the sections an answer should cite
    case: int | None = None
    stage: str | None = None
    doc: str | None = None
    refuse: bool = False

    @property
    def relevant(self) -> list[str]:
        """Fragments that mark a retrieved passage relevant (for hit@k and MRR)."""
        return self.gold or [f for point in self.key_points for f in point] + self.sections


@dataclass
class Case:
    id: str
    kind: str
    split: str
    turns: list[Turn]
    draft: str | None = None
    stage: str | None = None  # a drafting request's stage
    step: str | None = None  # the one step a checklist request asks for
    topic: str | None = None  # the topic a checklist request is about
    parties: list[str] | None = None  # the parties an MoU request names, as the user wrote them
    purpose: str | None = None  # a phrase of the request the MoU's purpose must carry


DRAFT_KEYS = ("stage", "step", "topic", "parties", "purpose")
TURN_KEYS = ("q", "gold", "key_points", "sections", "case", "stage", "doc", "refuse")


def as_turn(raw: dict[str, Any], refuse: bool = False) -> Turn:
    data = {k: raw[k] for k in TURN_KEYS if k in raw}
    data["key_points"] = [p if isinstance(p, list) else [p] for p in data.get("key_points") or []]
    data["refuse"] = bool(data.get("refuse", refuse))
    return Turn(**data)


def read(path: Path, legacy: bool) -> list[Case]:
    cases = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        kind = raw.get("kind") or ("conversation" if "turns" in raw else "answer")
        refuse = kind == "refuse"
        turns = [as_turn(t) for t in raw["turns"]] if "turns" in raw else [as_turn(raw, refuse)]
        split = "legacy" if legacy else raw["split"]
        drafting = {k: raw.get(k) for k in DRAFT_KEYS} if kind == "draft" else {}
        cases.append(Case(raw["id"], kind, split, turns, raw.get("draft"), **drafting))
    return cases


def load_cases(split: str = "test") -> list[Case]:
    """The cases of one split: dev, test (the sealed one), all (dev and test), legacy, or blind-dev (read and
    calibrated on as dev is; not part of "all")."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    if split == "legacy":
        return read(LEGACY, legacy=True)
    if split == "blind-dev":
        return read(BLIND_DEV, legacy=False)
    cases = read(SCENARIOS, legacy=False)
    return [c for c in cases if split == "all" or c.split == split]
