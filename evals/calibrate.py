"""Calibrate the refusal rule on the dev split (never the sealed test split): answerable vs out-of-corpus turns.

    python -m evals.calibrate      # each dev question's closest piece, then a sweep of MIN_CLOSEST,
                                   # then the turns naming a case by number, and a sweep of MIN_IN_CASE,
                                   # then the turns about one named document, and a sweep of MIN_IN_DOC,
                                   # then the follow-ups in no case, and a sweep of MIN_FOLLOWING

The rule lives in `assistant.judge.MeaningJudge`: a question is covered when the closest piece of the
retrieved units reaches MIN_CLOSEST in cosine similarity, and, when it asks for a figure, a passage
states one (`states_figure`). MIN_CLOSEST is swept on first turns; MIN_IN_CASE, the bar of a question
that names its case by number, on the dev and blind-dev turns that do; MIN_IN_DOC, the bar of a question
about one named document, on the dev and blind-dev turns about one.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer import Assistant
from assistant.figures import states_figure
from assistant.judge import MIN_CLOSEST, MIN_FOLLOWING, MIN_IN_CASE, MIN_IN_DOC, MeaningJudge
from assistant.route import Route, route
from assistant.settings import Settings
from evals.cases import load_cases

SWEEP = (0.30, 0.34, 0.36, 0.38, 0.40, 0.42, 0.45, 0.50)
CASE_SWEEP = (0.15, 0.2, 0.25, 0.3, 0.35, 0.39)


def sweep(rows: list[tuple[bool, float, bool, str]], bounds: tuple[float, ...], now: float, name: str) -> None:
    for refuse, closest, figure, cid in sorted(rows, key=lambda r: r[1]):
        flag = "" if figure else " (figure not stated)"
        print(f"{'REFUSE' if refuse else 'answer'} closest={closest:.3f} {cid}{flag}")
    print(f"\n{name} refusal false_refusal (now {now})")
    for bound in bounds:
        ok = [(r, f and c >= bound) for r, c, f, _ in rows]
        refusal = sum(1 for r, c in ok if r and not c) / max(1, sum(r for r, _ in ok))
        false = sum(1 for r, c in ok if not r and not c) / max(1, sum(not r for r, _ in ok))
        print(f"{bound:.2f} {refusal:.2f} {false:.2f}")


def turns_where(assistant: Assistant, scoped: Callable[[Route], bool]) -> list[tuple[bool, float, bool, str]]:
    """The dev and blind-dev turns whose plan is scoped so (a case named by number, one document): closest
    piece, figure stated."""
    rows = []
    for case in load_cases("dev") + load_cases("blind-dev"):
        if case.kind == "draft":
            continue
        chat = assistant.conversation()
        for n, turn in enumerate(case.turns):
            chat.ask(turn.q)
            plan = chat.turns[-1][1]
            if not scoped(plan):
                continue
            passages = assistant.retriever.search(plan, assistant.k)
            closest = max((p.closest for p in passages), default=0.0)
            rows.append((turn.refuse, closest, states_figure(plan.query, passages, MIN_CLOSEST), f"{case.id}#{n}"))
    return rows


def main() -> None:
    assistant = Assistant.load(Settings())
    rows = []
    for case in load_cases("dev"):
        if case.kind == "draft":
            continue
        turn = case.turns[0]
        plan = route(turn.q, assistant.retriever)
        passages = assistant.retriever.search(plan, assistant.k)
        closest = max((p.closest for p in passages), default=0.0)
        figure = states_figure(plan.query, passages, MIN_CLOSEST)
        rows.append((turn.refuse, closest, figure, case.id))
    sweep(rows, SWEEP, MIN_CLOSEST, "MIN_CLOSEST")
    print()
    sweep(turns_where(assistant, MeaningJudge.in_known_case), CASE_SWEEP, MIN_IN_CASE, "MIN_IN_CASE")
    print()
    sweep(turns_where(assistant, MeaningJudge.in_known_doc), CASE_SWEEP, MIN_IN_DOC, "MIN_IN_DOC")
    print()
    sweep(turns_where(assistant, following), CASE_SWEEP, MIN_FOLLOWING, "MIN_FOLLOWING")


def following(plan: Route) -> bool:
    """A follow-up in no case (or in the case the turn before was answered from) and about no one document:
    the turns MIN_FOLLOWING judges."""
    return plan.follows and (plan.case is None or plan.carried) and not MeaningJudge.in_known_doc(plan)


if __name__ == "__main__":
    main()
