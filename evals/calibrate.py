"""Calibrate the refusal rule on the evaluation set: answerable vs out-of-corpus first turns.

    python -m evals.calibrate      # prints both evidence signals per question and a sweep of thresholds

The rule (assistant.answer.Assistant.covered): a question is covered when it names a case or a
framework step outright, or when the best passage's cosine similarity reaches MIN_DENSE and that
similarity plus the rarity-weighted share of the question's words found in the top passages
reaches MIN_EVIDENCE.
"""

from __future__ import annotations

from assistant.answer import MIN_DENSE, Assistant, evidence
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
        if plan.named:
            continue
        dense, share = evidence(plan, assistant.retriever.search(plan, assistant.k), assistant.retriever)
        rows.append((case.kind == "refuse", dense, share, case.id))
    for refuse, dense, share, cid in sorted(rows, key=lambda r: r[1] + r[2]):
        print(f"{'REFUSE' if refuse else 'answer'} dense={dense:.3f} terms={share:.2f} sum={dense + share:.2f} {cid}")
    print("\nMIN_EVIDENCE refusal false_refusal")
    for bound in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0):
        ok = [(r, d >= MIN_DENSE and d + s >= bound) for r, d, s, _ in rows]
        refusal = sum(1 for r, c in ok if r and not c) / max(1, sum(r for r, _ in ok))
        false = sum(1 for r, c in ok if not r and not c) / max(1, sum(not r for r, _ in ok))
        print(f"{bound:.2f} {refusal:.2f} {false:.2f}")


if __name__ == "__main__":
    main()
