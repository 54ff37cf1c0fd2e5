"""The extractive composer: an answer built from one unit of the guidance, quoted and cited.

    answer = ExtractiveComposer().compose(question, plan, passages)

A unit is what the corpus's readers think in: a framework step (its definition and points to
consider), a case part, a named list of another document (see `Passage.unit`). The answer comes
from the best unit: its opening or best-matching sentences, then its points, whole when the list is
short and ranked when it is long (with how many more there are), whole again when the question asks
for the list itself. One unit answers: a second one beside it (another document's best-matching
sentences), measured on the dev split, added no key point and halved the citation precision of the one
answer it changed. A list's lead-in ("...detailing the following:") is never quoted without its
items. Every sentence and point is quoted from its chunk, so each citation's quote occurs verbatim in
the chunk it names.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import takewhile

from assistant.documents import DOCUMENT_NOUN
from assistant.pieces import Piece, leaned_on, leans_back, overlap, pieces_of
from assistant.route import Route
from assistant.types import Answer, Citation, Passage
from ingest.text import WORD_HYPHEN, own_heading, terms
from ingest.types import Chunk

# How much an answer shows. A step has 3-9 points to consider; showing up to WHOLE_LIST keeps a
# typical step whole, and a longer list is cut to its RANKED_ITEMS best-matching points.
WHOLE_LIST = 8
RANKED_ITEMS = 6
LEAD_SENTENCES = 2  # sentences of a long opening before the points: its first and its best-matching
CARRIED_ON = 2  # sentences after a chosen one that point back to it, quoted with it
# An opening (a step's definition) up to this long is quoted whole before the points. Dev and blind dev: 90 ->
# 120 answered four more questions acceptably and lost none (the design stage's culture step opens on about
# 100 words, its examples of cultures in the middle); 150 added one key point more, for longer answers.
WHOLE_LEAD_WORDS = 120
PROSE_SENTENCES = 4  # sentences quoted from a long unit with no points (an article's section), as one run
PROSE_ELSEWHERE = 2  # of a long unit's best-matching sentences, those outside the run quoted beside it
# Blind dev: 220 -> 300 answered two more questions acceptably (an article's 260-300 word section, whose
# later paragraphs the four-sentence run left out), none fewer; dev unchanged.
WHOLE_PROSE_WORDS = 300  # a unit with no points up to this long (a case part, an article's section) is quoted whole
# An article's long section that is mostly prose (a design principle over three pages, a market driver)
# is not one unit to a reader but several paragraphs with their own lists: it is answered from its chunk
# that matches best, not from its opening and its scattered points. A named list (rules of thumb, the 8
# questions) is mostly items, or opens by announcing its items, and stays whole. A framework step or case
# part is always one unit.
LONG_SECTION_WORDS = 400  # over about two chunks (ingest.chunker.MAX_WORDS)
BEST_CHUNK_PIECES = 3  # a chunk's match: the mean of its best pieces', so one stray sentence does not carry it
# A prose chunk beside the best one is quoted too when its best sentence matches at least this share of the
# best one's (`in_part`); dev and blind-dev rows are the same from 0.8 to 0.95, read on fresh questions.
NEIGHBOUR_SHARE = 0.9
MEANING = 0.5  # weight of a piece's similarity by meaning beside its share of the question's words (dev split)
CANDIDATE_UNITS = 3  # units among the top passages the answer may draw on


def place_of(chunk: Chunk, quote: str) -> tuple[str, str, int]:
    """Where a quote stands, as a reader finds it: document, section and page."""
    return chunk.doc_id, chunk.section, chunk.page_of(quote)


class Places:
    """Quotes cited one marker per place (document, section, page), however many chunks they come from."""

    def __init__(self) -> None:
        self.places: list[tuple[str, str, int]] = []
        self.citations: list[Citation] = []

    def marker(self, chunk: Chunk, quote: str) -> int:
        """The quote cited, by its place's marker."""
        place = place_of(chunk, quote)
        if place not in self.places:
            self.places.append(place)
        n = self.places.index(place) + 1
        self.citations.append(Citation(n, chunk, quote))
        return n

    def cite(self, chunk: Chunk, quote: str) -> str:
        """The quote with its place's marker."""
        return f"{quote} [{self.marker(chunk, quote)}]"


def is_label(piece: Piece) -> bool:
    """A label in capitals that opens what follows it ("DON'T: ALLOW THE 'HONEYMOON EFFECT'.")."""
    return not piece.is_item and piece.text.isupper() and len(piece.text.split()) >= 2


def without_dangling_labels(chosen: list[Piece]) -> list[Piece]:
    """The pieces chosen without a label in capitals whose next sentence is not among them: quoted last, it
    announces what the answer does not say."""
    shown = {p.order for p in chosen}  # a unit's pieces are numbered in reading order, however often read
    return [p for p in chosen if not (is_label(p) and p.order + 1 not in shown)]


def topic_terms(plan: Route, passages: list[Passage]) -> set[str]:
    """The question's words that say what it is about: for a question scoped to one document, not the
    words that name the document ("the TM Forum guide"), which every passage there shares."""
    if plan.doc is None or not passages:
        return terms(plan.query)
    return terms(DOCUMENT_NOUN.sub(" ", plan.query)) - terms(passages[0].chunk.title)


def candidate_units(plan: Route, passages: list[Passage]) -> list[Passage]:
    """The first passage of each unit among the top ones, the case part the question asks for first (a
    step it names is already lifted in the ranking, and a better unit of another document may still win)."""
    seen: dict[tuple[str, str], Passage] = {}
    for p in passages:
        seen.setdefault(p.unit_key, p)
    units = list(seen.values())[:CANDIDATE_UNITS]
    named = [p for p in units if plan.part and p.chunk.part == plan.part]
    return named[:1] + [p for p in units if p not in named[:1]]


# A long list asked for as a whole ("what are the rules of thumb?") is shown whole: a reader asked for the
# list, not for the six of its sixteen points that best match the question's other words.
LIST_ASKED = re.compile(r"\b(?:what|which) are (?:the|its|their|some)\b|\blist\b|\ball (?:the|of the)\b", re.I)


def asks_for_list(plan: Route, unit: Passage) -> bool:
    """The question asks for the unit's list itself: it shares half its heading's words, or asks "what are
    the..." with one of them ("what are the rules of thumb in the TM Forum guide?")."""
    heading = {t for t in terms(own_heading(unit.chunk.section)) if not t.isdigit()}
    shared = len(heading & terms(plan.query))
    return bool(heading) and (2 * shared >= len(heading) or (shared > 0 and bool(LIST_ASKED.search(plan.query))))


class Selection:
    """What the answer quotes of one unit, in document order."""

    def __init__(self, match: object, list_asked: bool = False) -> None:
        self.match = match
        self.list_asked = list_asked  # the question asks for the unit's list itself (`asks_for_list`)

    def choose(self, pieces: list[Piece]) -> list[Piece]:
        score = self.match  # type: ignore[assignment]
        items = [p for p in pieces if p.is_item]
        prose = [p for p in pieces if not p.is_item]
        if not items:
            whole = sum(len(p.text.split()) for p in prose) <= WHOLE_PROSE_WORDS
            return self.with_their_items(pieces, prose if whole else self.passage(prose))
        # The unit's opening (its definition) and its best-matching sentence lead the points.
        opening = [p for p in prose if p.order < items[0].order] or prose
        if sum(len(p.text.split()) for p in opening) <= WHOLE_LEAD_WORDS:
            lead = list(opening)  # a short definition is quoted whole
        else:
            lead = [p for p in opening[:1] if not p.lead_in]
            lead += sorted((p for p in opening if p not in lead), key=lambda p: -score(p))[: LEAD_SENTENCES - len(lead)]  # type: ignore[operator]
            lead = self.carried_on(opening, self.read_with_before(opening, lead))
        chosen = items if len(items) <= WHOLE_LIST else self.points(items)
        # A sentence after the points that answers better than any of them (a stated fact) is kept too.
        best = max(prose, key=score, default=None)  # type: ignore[arg-type]
        if best is not None and best not in lead and score(best) > max(map(score, items)):  # type: ignore[operator]
            lead.append(best)
        return self.with_their_items(pieces, lead + chosen)

    @staticmethod
    def read_with_before(prose: list[Piece], chosen: list[Piece]) -> list[Piece]:
        """The sentences chosen, each that points back ("However, there are also examples where this does
        not make sense") with the sentences before it in its paragraph that it goes on from."""
        before = {p.order: p for p in prose}
        keep = {id(q) for p in chosen for q in (*leaned_on(p, before), p)}
        return [p for p in prose if id(p) in keep]

    @staticmethod
    def carried_on(prose: list[Piece], chosen: list[Piece]) -> list[Piece]:
        """The sentences chosen, each with those after it in its paragraph that point back to it ("This is
        sometimes the result of...", "These problems have to be..."): they are read with it."""
        keep = {id(p) for p in chosen}
        after = {p.order: p for p in prose}
        for p in chosen:
            nxt, carried = after.get(p.order + 1), 0
            while carried < CARRIED_ON and nxt and nxt.paragraph == p.paragraph and leans_back(nxt.text):
                keep.add(id(nxt))
                nxt, carried = after.get(nxt.order + 1), carried + 1
        return [p for p in prose if id(p) in keep]

    def passage(self, prose: list[Piece]) -> list[Piece]:
        """The run of up to PROSE_SENTENCES sentences of one paragraph around the sentence that answers best
        (of those runs, the one whose sentences match best in sum), so that prose is quoted as the author
        wrote it, with the next best sentences held elsewhere quoted where they stand, each set apart."""
        score = self.match  # type: ignore[assignment]
        runs: list[list[Piece]] = []
        for p in prose:
            # A label in capitals ("DON'T: BE 'PENNY WISE, POUND FOOLISH'.") opens what follows it, not the
            # end of what it follows.
            label = is_label(p)
            if runs and runs[-1][-1].paragraph == p.paragraph and runs[-1][-1].order == p.order - 1 and not label:
                runs[-1].append(p)
            else:
                runs.append([p])
        windows = [run[i : i + PROSE_SENTENCES] for run in runs for i in range(max(1, len(run) - PROSE_SENTENCES + 1))]
        # The sentence that answers best is looked for first in the chunks the search found: across a long
        # section the chunk's ranking (meaning and words together) places the topic better than one sentence.
        found = [p for p in prose if any(p.chunk.id == c.id for c in p.passage.chunks)]
        best = max(found or prose, key=score, default=None)  # type: ignore[arg-type]
        around = [w for w in windows if best in w]  # the run holds the sentence that answers best
        run = max(around or windows, key=lambda w: sum(map(score, w)), default=[])  # type: ignore[arg-type]
        # A run that opens on a sentence pointing back ("This can get even worse if...") starts where what it
        # points to is said.
        # A paragraph a chunk boundary cut goes on across it.
        before = {p.order: p for p in prose}
        if run:
            run = [*leaned_on(run[0], before, across_chunks=True), *run]
        # The next best sentences of the whole section, when other paragraphs hold them, are quoted too,
        # each where it stands.
        ranked = [p for p in sorted(prose, key=lambda p: -score(p)) if p is not best]  # type: ignore[operator]
        # (not a sentence's tail that a page break cut off its opening: "assembles the ecosystem that...")
        # (nor one that points back to a sentence not quoted: "This can get even worse if...")
        ranked = [p for p in ranked if not p.text[:1].islower() and not leans_back(p.text)]
        others = [p for p in ranked[:PROSE_ELSEWHERE] if p not in run and score(p) > 0]  # type: ignore[operator]
        return run + others

    def points(self, items: list[Piece]) -> list[Piece]:
        """A long list's points: its top-level points (whole when few, else the best-matching), with the
        sub-points of the one that matches best, itself or through a sub-point."""
        score = self.match  # type: ignore[assignment]
        top = [p for p in items if not p.sub]
        ranked = sorted(top, key=lambda p: -score(p))[:RANKED_ITEMS]  # type: ignore[operator]
        shown = top if len(top) <= WHOLE_LIST or self.list_asked else ranked
        if not top:
            return shown
        owner = {
            id(p): max((t for t in top if t.order <= p.order), key=lambda t: t.order, default=top[0]) for p in items
        }
        best = max(items, key=score)  # type: ignore[arg-type]
        head = owner[id(best)]
        subs = [p for p in items if p.sub and owner[id(p)] is head]
        return sorted({id(p): p for p in [*shown, head, *subs]}.values(), key=lambda p: p.order)

    @staticmethod
    def with_their_items(pieces: list[Piece], chosen: list[Piece]) -> list[Piece]:
        """A lead-in keeps the items that follow it (a point's, its sub-points); one with none is dropped."""
        keep = set(map(id, chosen))
        for p in chosen:
            if not p.lead_in:
                continue
            following = []
            for q in pieces[p.order + 1 :]:
                if not q.is_item or (p.is_item and not q.sub):
                    break
                following.append(q)
            # A sentence's list is its points; their sub-points come only where chosen.
            keep.update(id(q) for q in following if p.is_item or not q.sub)
            if not following:
                keep.discard(id(p))
        # A list quoted whole keeps the sentence that announces it ("...the following three building blocks:"),
        # read with the sentences before it in its paragraph that it points back to.
        before = {p.order: p for p in pieces if not p.is_item}
        for lead in (p for p in pieces if p.lead_in and not p.is_item and id(p) not in keep):
            run = list(takewhile(lambda q: q.is_item, pieces[lead.order + 1 :]))
            if run and all(id(q) in keep for q in run if not q.sub):
                keep.update(id(q) for q in (*leaned_on(lead, before), lead))
        return [p for p in pieces if id(p) in keep]


# A question after what something means ("what is meant by...", "explain...", "define...").
MEANING_ASKED = re.compile(r"\bmean(?:s|t|ing)?\b|\bexplain\b|\bdefin(?:e|es|ed|ition)\b", re.I)


# A unit says something unless it is a scrap: under this many words, broken off mid-sentence (a
# reference note's line split from the rest, "Capital & Alliance Performance,").
MIN_SCRAP_WORDS = 8
BROKEN_OFF = re.compile(r"(?:[,&(/-]|\b(?:and|or|of|the|a|to|for|in|with))\s*$", re.I)


def says_something(pieces: list[Piece]) -> bool:
    if not pieces:
        return False
    words = sum(len(p.text.split()) for p in pieces)
    return words >= MIN_SCRAP_WORDS or not BROKEN_OFF.search(pieces[-1].text)


def names_heading(plan: Route, unit: Passage) -> bool:
    """The question names the unit by its heading and asks what it means ("what is meant by 'governance
    guides operations'?"): its opening says."""
    heading = {t for t in terms(own_heading(unit.chunk.section)) if not t.isdigit()}  # "Principle 4" is a label
    return bool(MEANING_ASKED.search(plan.query)) and len(heading) >= 2 and heading <= terms(plan.query)


def in_part(unit: Passage, match: object, from_opening: bool = False) -> Passage:
    """The unit as the answer quotes it: a long section of prose narrowed to the best-matching chunk of
    those the search found in it, or to its opening when the question names it and asks what it means
    (`names_heading`)."""
    chunks = unit.unit
    words = sum(len(c.text.split()) for c in chunks)
    if len(chunks) < 2 or words <= LONG_SECTION_WORDS or unit.chunk.step or unit.chunk.case:
        return unit
    pieces = pieces_of(unit, whole_unit=True)
    opening = [p for p in pieces if p.chunk.id == chunks[0].id]
    announced = any(a.lead_in and b.is_item for a, b in zip(opening, opening[1:], strict=False))
    spread = all(any(p.is_item and p.chunk.id == c.id for p in pieces) for c in chunks)
    if announced or spread or sum(len(p.text.split()) for p in pieces if p.is_item) * 2 >= words:
        return unit  # a named list: mostly items, announced at the start ("three powerful trends:"), or
        # with points in every chunk of it (long points, each with its paragraph below)

    def strength(chunk: Chunk) -> float:
        scores = sorted((match(p) for p in pieces if p.chunk.id == chunk.id), reverse=True)  # type: ignore[operator]
        top = scores[:BEST_CHUNK_PIECES]
        return sum(top) / len(top) if top else 0.0

    found = [c for c in chunks if any(c.id == f.id for f in unit.chunks)]  # where the search placed the topic
    best = chunks[0] if from_opening else max(found or chunks, key=strength)
    shown = [best]
    # A chunk whose best-matching sentence is its last ("DON'T: ALLOW THE 'HONEYMOON EFFECT'.") leaves what
    # that sentence leads into to the next chunk: the next one is quoted from too.
    own = [p for p in pieces if p.chunk.id == best.id]
    at = chunks.index(best)
    if own and max(own, key=match) is own[-1] and at + 1 < len(chunks):  # type: ignore[arg-type]
        shown.append(chunks[at + 1])
    # One that opens by pointing back ("This can get even worse if...") or in mid-sentence is read with the
    # chunk before.
    if own and leans_back(own[0].text) and at > 0:
        shown.insert(0, chunks[at - 1])
    # In prose, a chunk next to it whose best sentence answers about as well as the best one's is quoted from
    # too, beside the run the best chunk gives (`Selection.passage`): a short chunk (one paragraph) leaves the
    # paragraph beside it on the same point to another chunk.
    top = max((match(p) for p in own), default=0.0)  # type: ignore[operator]
    beside = list(shown)
    for near in (at - 1, at + 1) if not any(p.is_item for p in pieces) else ():
        if 0 <= near < len(chunks) and chunks[near] not in shown:
            theirs = [match(p) for p in pieces if p.chunk.id == chunks[near].id]  # type: ignore[operator]
            whole = sum(len(c.text.split()) for c in (*beside, chunks[near])) <= WHOLE_PROSE_WORDS
            if theirs and max(theirs) >= top * NEIGHBOUR_SHARE and whole:  # both then quoted whole
                beside.insert(0 if near < at else len(beside), chunks[near])
    return replace(unit, chunk=best, chunks=shown, unit=beside)


def bare(text: str) -> str:
    """A text without its quotation marks, spacing and hyphens inside words, to tell a repeated sentence ("'Add
    this ...'", "go-tomarket" for "go-to-market")."""
    return re.sub(r"[\s'‘’\"“”]+", " ", WORD_HYPHEN.sub("", text)).strip().lower()


class ExtractiveComposer:
    name = "extractive"

    def compose(self, question: str, plan: Route, passages: list[Passage]) -> Answer | None:
        q = topic_terms(plan, passages)

        def match(p: Piece) -> float:
            """How well a piece answers the question: its share of the question's words, and its meaning."""
            return overlap(q, p.text) + MEANING * p.fit

        # A unit with nothing to quote but its heading (a table's caption), or only a scrap of a note (a
        # sidebar's "Capital & Alliance Performance,"), answers nothing.
        units = [u for u in candidate_units(plan, passages) if says_something(pieces_of(u, whole_unit=True))]
        if not units:
            return None
        first = in_part(units[0], match, from_opening=names_heading(plan, units[0]))
        first_pieces = pieces_of(first, whole_unit=True)
        chosen = Selection(match, asks_for_list(plan, first)).choose(first_pieces)
        return self.render(question, plan, first, chosen, passages)

    @staticmethod
    def render(question: str, plan: Route, unit: Passage, chosen: list[Piece], passages: list[Passage]) -> Answer:
        whole = pieces_of(unit, whole_unit=True)
        chosen = without_dangling_labels(chosen)
        places = Places()

        def cite(piece: Piece) -> str:
            return places.cite(piece.chunk, piece.text)

        shown: set[str] = set()
        lines: list[str] = []
        prose: list[str] = []
        paragraph = None
        for p in chosen:
            if p.text in shown or any(bare(p.text) in bare(t) for t in shown):  # a pull quote repeats its sentence
                continue
            shown.add(p.text)
            if prose and (p.is_item or p.paragraph != paragraph):  # the author's paragraphs are kept
                lines.append(" ".join(prose))
                prose = []
            if p.is_item:
                lines.append(f"{'  ' if p.sub else ''}- {cite(p)}")
            else:
                prose.append(cite(p))
                paragraph = p.paragraph
        if prose:
            lines.append(" ".join(prose))
        total = sum(1 for p in whole if p.is_item and not p.sub)
        more = total - sum(1 for p in chosen if p.is_item and not p.sub)
        if more > 0 and any(p.is_item for p in chosen):
            # the rest is one follow-up away (`assistant.points.more_of`), and the reader is told how to ask
            points = f"{more} more point{'s' if more > 1 else ''}"
            lines.append(f"({points} in {unit.chunk.label}; ask “what else?” for them.)")
        return Answer(
            question,
            "answered",
            "\n".join(lines),
            places.citations,
            passages,
            plan.stage or unit.chunk.stage,
            plan.case,
        )
