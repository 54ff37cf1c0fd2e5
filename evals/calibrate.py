"""Calibrate the refusal rule on the dev split (never the sealed test split): answerable vs out-of-corpus turns.

    python -m evals.calibrate      # prints both evidence signals per question and a sweep of thresholds

The rule (assistant.answer.Assistant.covered): a question is covered when it names a case or a
framework step outright, or when the closest piece's cosine similarity reaches MIN_CLOSEST and that
similarity plus the rarity-weighted share of the question's words found in the top passages
reaches MIN_EVIDENCE. A question after a figure is answered only where a passage states one
(`states_figure`).
"""

from __future__ import annotations

from assistant.answer import MIN_CLOSEST, Assistant, evidence, states_figure
from assistant.route import route
from assistant.settings import Settings
from evals.cases import load_cases


def main() -> None:
    assistant = Assistant.load(Settings())
    rows = []
    for case in load_cases("dev"):
        if case.kind == "draft":
            continue
        turn = case.turns[0]
        q = turn.q
        plan = route(q, assistant.retriever)
        if plan.named:
            continue
        passages = assistant.retriever.search(plan, assistant.k)
        closest, share = evidence(plan, passages, assistant.retriever)
        figure = states_figure(plan.query, passages, assistant.retriever)
        rows.append((turn.refuse, closest, share, figure, case.id))
    for refuse, closest, share, figure, cid in sorted(rows, key=lambda r: r[1] + r[2]):
        kind = "REFUSE" if refuse else "answer"
        flag = "" if figure else " (figure not stated)"
        print(f"{kind} closest={closest:.3f} terms={share:.2f} sum={closest + share:.2f} {cid}{flag}")
    print(f"\nMIN_EVIDENCE refusal false_refusal (MIN_CLOSEST {MIN_CLOSEST})")
    for bound in (0.95, 1.0, 1.05, 1.07, 1.09, 1.11, 1.15, 1.2):
        ok = [(r, f and c >= MIN_CLOSEST and c + s >= bound) for r, c, s, f, _ in rows]
        refusal = sum(1 for r, c in ok if r and not c) / max(1, sum(r for r, _ in ok))
        false = sum(1 for r, c in ok if not r and not c) / max(1, sum(not r for r, _ in ok))
        print(f"{bound:.2f} {refusal:.2f} {false:.2f}")


if __name__ == "__main__":
    main()
