"""Two questions in one: "How do we decide whether to stop, and if we do, how do we get out cleanly?"

    parts = question_parts("Should we stop, and what should we tell the customer?")
    -> ["Should we stop?", "what should we tell the customer?"]

A question joins two when a second asking clause follows the first after "and" ("..., and what should
we..."; "...? And how do we..."), possibly through a condition ("and if we do, how..."). Each part is
asked with the question's opening sentences (its situation), answered on its own, and the two answers
are shown one after the other when they come from different units, so neither half goes unanswered.
"""

from __future__ import annotations

import re

from ingest.text import terms

ASKING = r"(?:how|what|why|when|where|who|which|whether|should|do|does|did|can|could|is|are|must|would)"
# The asking may follow what it is about, set off by a comma or a dash ("In case 3, the defence deal, why did
# ...", "Case 3 - why did ..."): that is the situation of both parts. A clause of time or condition before it
# ("Before we commit, how should I check them, and what do I do with what I find?") makes one question of
# what follows.
FILLER = r"(?:like|so|basically|i mean|i\.e\.|e\.g\.)"  # a word said before asking ("like how did they...")
SUBORDINATE = r"(?:before|after|if|when|whenever|once|while|since|as|because|until|unless|though|although)"
JOINED = re.compile(
    rf"^(?:(?P<about>(?!{SUBORDINATE}\b)[^?]*?(?:,|\s[-–—:]))\s+|{FILLER}\s+)?"
    rf"(?P<a>\b{ASKING}\b[^?]*?)(?:\?\s*|,\s*|\s+)(?:and|also|plus|then)\b,?\s*"
    rf"(?:if [^,?]{{1,40}},\s*)?(?P<b>\b{ASKING}\b[^?]*)\??\s*$",
    re.I,
)
MIN_PART_WORDS = 3  # "and why?" is no question of its own
# ... nor is a first part that judges the situation told with one word of its own ("We get forty measures a
# month. Is that normal, and what should we track?"): the situation is the topic of both, and the question
# is one. "Should we stop, and if we do, how...?" asks two things.
SITUATION_JUDGED = re.compile(r"^(?:is|isn't|was|are|does|doesn't|did|would|will)\s+(?:that|this|it)\b", re.I)
MIN_PART_TERMS = 2
# A second part that points back to what the first asks about ("what are the stages, and what is each one
# for?", "what is a review board, and who sits on it?") asks more of the same thing: one question.
POINTS_BACK = re.compile(r"\b(?:each one|each of (?:them|these|those)|it|its|they|them|their|these|those)\b", re.I)


def question_parts(question: str) -> list[str] | None:
    """The two asking parts of a question that joins two, each with the situation told before them;
    None for one question."""
    sentences = re.split(r"(?<=[.!?])\s+", question.strip())
    for n in range(len(sentences)):
        asked = " ".join(sentences[n:])
        if m := JOINED.match(asked):
            a, b = m.group("a").strip(" ,"), m.group("b").strip(" ,")
            if min(len(a.split()), len(b.split())) < MIN_PART_WORDS or POINTS_BACK.search(b):
                return None
            if SITUATION_JUDGED.search(a) and len(terms(a)) < MIN_PART_TERMS:
                return None
            situation = " ".join([*sentences[:n], m.group("about") or ""]).strip()
            return [f"{situation} {p}?".strip() for p in (a, b)]
    return None


def own_words(part: str) -> str:
    """A part as the user asked it, without the situation told before it."""
    asked = re.split(r"(?<=[.!?])\s+", part.strip())[-1]
    asked = ABOUT.sub("", asked)  # "In case 3, the defence deal, why did ...?" -> "why did ...?"
    return asked[:1].upper() + asked[1:]


ABOUT = re.compile(rf"^[^?]*?(?:,|\s[-–—:])\s+(?=\b{ASKING}\b)", re.I)
