"""The case studies' own vocabulary, read once from the index: the words that tell a case's story.

    words = story_words(chunks)        # {2: {"dealers", "machine", ...}, ...}: words only that case uses
    vocab = case_vocabulary(chunks)    # {1: {"defence", ...}, 3: {"defence", ...}}: words of the case studies

A follow-up in a case that uses another case's words ("did the defence one have that problem too?" after the
dealer case) may have moved on; one that uses only its own case's words, or words every part of the corpus
uses, has not (`assistant.conversation`).
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.text import tokenize
from ingest.types import Chunk

STORY_ELSEWHERE = 2  # a story word may still appear in this many passages outside its case (a "see case 2" note)
MIN_WORD_CHARS = 3  # "d" of "they'd", "re" of "we're": no word of a story


def counts(chunks: list[Chunk]) -> tuple[dict[int, Counter[str]], Counter[str]]:
    """How many passages use each word: in each case, and outside the cases. The words of the part headings
    several cases share ("process followed", "lessons learnt") are the cases' structure, not one's story."""
    inside: dict[int, Counter[str]] = {}
    outside: Counter[str] = Counter()
    headed = Counter(
        w for n, heading in {(c.case, c.section.split(" > ")[-1]) for c in chunks if c.case} for w in tokenize(heading)
    )
    headings = {w for w, k in headed.items() if k > 1}
    for c in chunks:
        words = set(tokenize(c.text)) - headings
        if c.case:
            inside.setdefault(c.case, Counter()).update(words)
        else:
            outside.update(words)
    return inside, outside


def story_words(chunks: list[Chunk]) -> dict[int, set[str]]:
    """Each case's story words: used by no other case, and in at least as many of its passages as elsewhere
    (or in STORY_ELSEWHERE passages at most)."""
    inside, outside = counts(chunks)
    return {
        n: {
            w
            for w, k in found.items()
            if outside[w] <= max(k, STORY_ELSEWHERE) and not any(w in o for m, o in inside.items() if m != n)
        }
        for n, found in inside.items()
    }


def case_vocabulary(chunks: list[Chunk]) -> dict[int, set[str]]:
    """Each case's words that belong to the case studies: used in no more passages outside the cases than in
    them ("defence", "dealers", "integrator"; not "often", "process" or "customer", which the framework uses
    as much). One word may belong to several cases ("defence": cases 1 and 3)."""
    inside, outside = counts(chunks)
    within = Counter[str]()
    for found in inside.values():
        within.update(found)
    return {
        n: {w for w in found if len(w) >= MIN_WORD_CHARS and outside[w] <= within[w]} for n, found in inside.items()
    }


def other_cases_told(
    words: list[str], case: int, vocabulary: dict[int, set[str]], terms: dict[int, set[str]]
) -> set[int]:
    """The other cases a question's words speak of: the cases whose own words it uses where `case`'s text
    never uses them ("defence" after the dealer case: cases 1 and 3). Empty when every case word of the
    question is one `case` uses too."""
    foreign = {w for w in words if w not in terms.get(case, set())}
    return {n for n, own in vocabulary.items() if n != case and foreign & own}


# A question that tells a story of others in the past ("what happened when the integrator joined forces
# with a UX firm?", "how did the two of them go after customers?"), not the asker's own situation ("we",
# "our", "should"): it may be about a case it never calls one.
STORY_TOLD = re.compile(r"\b(?:did|was|were|happened|had)\b", re.I)
OWN_SITUATION = re.compile(r"\b(?:we|our|us|ours|should|shall)\b", re.I)


def story_told(question: str, vocabulary: dict[int, set[str]]) -> int | None:
    """The case a story told in the past is about: the one case whose own words (of `case_vocabulary`, used
    by no other case) it uses, when it tells a story and not the asker's own situation; None otherwise, or
    when it uses several cases' own words."""
    if not STORY_TOLD.search(question) or OWN_SITUATION.search(question):
        return None
    words = set(tokenize(question))
    told = {
        n for n, own in vocabulary.items() if words & own - set().union(*(o for m, o in vocabulary.items() if m != n))
    }
    return next(iter(told)) if len(told) == 1 else None
