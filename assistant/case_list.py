"""The case studies listed one line each, and the openings every overview quotes.

    cases_overview(question, plan, retriever)   # "what are the four case studies about?"
    opening(chunks)                             # a unit's first quotable sentence, with its chunk

Each case is listed with the sentence that introduces it outside the cases (where the document has
one) and its own opening, each quoted and cited; "which case is the one where...?" is no such list.
"""

from __future__ import annotations

import re

from assistant.retrieve import HybridRetriever
from assistant.route import Route
from assistant.types import Answer, Citation, Passage
from ingest.types import Chunk

# "What are the four case studies about?", "a rundown of all the cases": the cases, one line each.
# ... or which there are: "what case studies are in the briefing?", "which cases does it have?"
CASES_ASKED = re.compile(
    r"(?:\b(?:the|all|four|4|each of the) (?:\w+ )?(?:cases|case studies)\b"
    r"|\b(?:what|which) (?:cases|case studies) (?:are (?:there|in)|does|do)\b)"
    r"(?!.*\b(?:where|which|that|who|with)\b)",
    re.I,
)
CASES_LISTED = re.compile(r"\b(?:what|which|list|name|outline|give|rundown|summar\w*|overview)\b", re.I)
# A sentence about the text itself ("This section details the phases..."), not about what it is on.
ABOUT_THE_TEXT = re.compile(r"^(?:this|the following|the next) (?:section|chapter|part|paper)\b", re.I)


def opening(chunks: list[Chunk]) -> tuple[Chunk, str] | None:
    """The first quotable sentence of a run of chunks (after its heading, when the text repeats it, and
    past a sentence about the text itself), with its chunk."""
    found = []
    for c in chunks:
        heading = c.section.split(" > ")[-1]
        for text, item in c.pieces():
            if not item and not text.rstrip().endswith(":") and text != heading:
                found.append((c, text))
    return next((f for f in found if not ABOUT_THE_TEXT.match(f[1])), found[0] if found else None)


# A sentence saying what its subject is: "The propose phase is mainly about...", "... can be considered the ...".
STATES_WHAT = re.compile(r"\b(?:is|are|can be (?:considered|seen as))\b", re.I)
NAMING_WORDS = {"the", "a", "an", "and", "of", "partner", "partnership", "partnerships"}  # shared by the titles


def defining(chunks: list[Chunk], name: str) -> tuple[Chunk, str] | None:
    """The opening sentence (before any list) that names the unit by a word of its own name and says what
    it is ("The propose phase is mainly about synchronising information..." for "The partnership -
    propose"), with its chunk; None when no such sentence opens it."""
    own = {w for w in re.findall(r"[a-z]+", name.lower()) if w not in NAMING_WORDS}
    for c in chunks:
        for text, item in c.pieces():
            if item:
                return None
            if own & set(re.findall(r"[a-z]+", text.lower())) and STATES_WHAT.search(text) and not text.endswith(":"):
                return c, text
    return None


def in_place(chunks: list[Chunk]) -> list[Chunk]:
    """Chunks in reading order, document by document."""
    return sorted(chunks, key=lambda c: (c.doc_id, c.position))


def steps_of(chunks: list[Chunk], stage: str) -> dict[str, list[Chunk]]:
    """A stage's steps in the briefing's order, each with its chunks in reading order."""
    steps: dict[str, list[Chunk]] = {}
    for c in in_place(chunks):
        if c.stage == stage and c.step:
            steps.setdefault(c.step, []).append(c)
    return steps


def cases_asked(question: str, retriever: HybridRetriever) -> bool:
    """The question asks what the case studies are, all of them ("what are the four case studies about?"),
    not which one tells a story ("which of the cases had ...?")."""
    return bool(CASES_ASKED.search(question) and CASES_LISTED.search(question) and retriever.cases)


def case_openings(retriever: HybridRetriever) -> list[tuple[str, list[Chunk]]]:
    """Each case with its passages in reading order, for its opening sentence."""
    by_case: dict[int, list[Chunk]] = {}
    for c in in_place(retriever.chunks):
        if c.case:
            by_case.setdefault(c.case, []).append(c)
    return [(f"Case {n}", by_case[n]) for n in sorted(by_case)]


SEE_CASE = re.compile(r"\(see (?:also )?cases? \d", re.I)  # a point's pointer to a case, not a summary of it


def case_summaries(retriever: HybridRetriever) -> dict[int, tuple[Chunk, str]]:
    """The sentence outside the cases that introduces each case ("Let us take the example of case 1 ...,
    where two defence companies ..."), from the first passage that introduces them all; {} when none does."""
    for chunk in in_place(retriever.chunks):
        if chunk.case:
            continue
        found: dict[int, tuple[Chunk, str]] = {}
        for text, _ in chunk.pieces():
            if SEE_CASE.search(text):
                continue
            for n, said in per_case(text):
                if n in retriever.cases and n not in found:
                    found[n] = (chunk, said)
        if set(found) == retriever.cases:
            return found
    return {}


CASE_MENTION = re.compile(r"\bcase (\d+)\b", re.I)


def per_case(text: str) -> list[tuple[int, str]]:
    """Each case a sentence speaks of, with the words about it: a piece the layout ran together ("...
    service covers. case 3, similarly, involves ...") is cut where the next case is taken up, so each
    case's words stay verbatim."""
    mentions = list(CASE_MENTION.finditer(text))
    out = []
    for i, m in enumerate(mentions):
        start = 0 if i == 0 else m.start()
        end = len(text)
        if i + 1 < len(mentions):
            nxt = mentions[i + 1].start()
            stop = text.rfind(". ", start, nxt)
            end = stop + 1 if stop > m.end() else nxt
        out.append((int(m.group(1)), text[start:end].strip()))
    return out


class Quotes:
    """An overview's quotes, one marker per chunk in the order the chunks are first cited."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []
        self.citations: list[Citation] = []

    def cite(self, chunk: Chunk, quote: str) -> str:
        """The quote with its marker."""
        if chunk not in self.chunks:
            self.chunks.append(chunk)
        n = self.chunks.index(chunk) + 1
        self.citations.append(Citation(n, chunk, quote))
        return f"{quote} [{n}]"

    @property
    def passages(self) -> list[Passage]:
        return [Passage(c, 1.0) for c in self.chunks]


def cases_overview(question: str, plan: Route, retriever: HybridRetriever) -> Answer:
    """Each case in order: the sentence that introduces it, where the document has one, and its own
    opening sentence, each quoted and cited."""
    summaries = case_summaries(retriever)
    lines, quotes = ["The case studies, in the briefing's order:"], Quotes()
    cases = case_openings(retriever)
    for name, chunks in cases:
        said = [quotes.cite(*summaries[n]) for n in [int(name.split()[-1])] if n in summaries]
        if found := opening(chunks):
            said.append(quotes.cite(*found))
        lines.append(f"- {name}: {' '.join(said)}")
    listed = [(chunks[0].doc_id, chunks[0].section) for _, chunks in cases]
    text = "\n".join(lines)
    return Answer(question, "answered", text, quotes.citations, quotes.passages, plan.stage, None, listed=listed)
