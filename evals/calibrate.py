"""Calibrate the refusal rule on the dev split (never the sealed test split): answerable vs out-of-corpus turns.

    python -m evals.calibrate      # each dev question's closest piece, then a sweep of MIN_CLOSEST

The rule lives in `assistant.judge.MeaningJudge`: a question is covered when the closest piece of the
retrieved units reaches MIN_CLOSEST in cosine similarity, and, when it asks for a figure, a passage
states one (`states_figure`). Only first turns are swept: a follow-up is judged on its own words.
"""

from __future__ import annotations

from assistant.answer import Assistant
from assistant.judge import MIN_CLOSEST, states_figure
from assistant.route import route
from assistant.settings import Settings
from evals.cases import load_cases

SWEEP = (0.30, 0.34, 0.36, 0.38, 0.40, 0.42, 0.45, 0.50)


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
        figure = states_figure(plan.query, passages)
        rows.append((turn.refuse, closest, figure, case.id))
    for refuse, closest, figure, cid in sorted(rows, key=lambda r: r[1]):
        flag = "" if figure else " (figure not stated)"
        print(f"{'REFUSE' if refuse else 'answer'} closest={closest:.3f} {cid}{flag}")
    print(f"\nMIN_CLOSEST refusal false_refusal (now {MIN_CLOSEST})")
    for bound in SWEEP:
        ok = [(r, f and c >= bound) for r, c, f, _ in rows]
        refusal = sum(1 for r, c in ok if r and not c) / max(1, sum(r for r, _ in ok))
        false = sum(1 for r, c in ok if not r and not c) / max(1, sum(not r for r, _ in ok))
        print(f"{bound:.2f} {refusal:.2f} {false:.2f}")


if __name__ == "__main__":
    main()
