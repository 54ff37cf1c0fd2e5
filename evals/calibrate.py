"""Calibrate the refusal rule on the evaluation set: answerable vs out-of-corpus first turns.

    python -m evals.calibrate      # prints both evidence signals per question and a sweep of thresholds

The rule (assistant.answer.Assistant.covered): a question is covered when the best passage's cosine
similarity reaches MIN_DENSE and most of the question's content words occur in the top passages
(MIN_TERMS), or when it names a case or a framework step outright.
"""

from __future__ import annotations

from assistant.answer import Assistant, evidence
from assistant.route import route
from assistant.settings import Settings
from evals.harness import load_cases


def main() -> None:
    assistant = Assistant.load(Settings())
    rows = []
    for case in load_cases():
        if case.kind == "draft":
            continue
        q = case.turns[0].q
        plan = route(q, assistant.retriever)
        if plan.case is not None or plan.step is not None:
            continue
        dense, share = evidence(plan, assistant.retriever.search(plan, assistant.k))
        rows.append((case.kind == "refuse", dense, share, case.id))
    for refuse, dense, share, cid in sorted(rows, key=lambda r: r[1]):
        print(f"{'REFUSE' if refuse else 'answer'} dense={dense:.3f} terms={share:.2f} {cid}")
    print("\nMIN_DENSE MIN_TERMS refusal false_refusal")
    for t_dense in (0.35, 0.40, 0.45, 0.50):
        for t_terms in (0.5, 0.6, 0.67, 0.75):
            ok = [(r, d >= t_dense and s >= t_terms) for r, d, s, _ in rows]
            refusal = sum(1 for r, c in ok if r and not c) / max(1, sum(r for r, _ in ok))
            false = sum(1 for r, c in ok if not r and not c) / max(1, sum(not r for r, _ in ok))
            print(f"{t_dense:.2f} {t_terms:.2f} {refusal:.2f} {false:.2f}")


if __name__ == "__main__":
    main()
