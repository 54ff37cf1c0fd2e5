"""Overviews answered from the index's structure: the framework's stages in order, one stage's steps,
or a document's labelled list ("Principle 1: ...", "Success factor #1 – ...").

    answer = overview(question, plan, retriever)    # None when the question does not ask for one

A question asks for an overview by its form: it asks for the stages (or phases) of the process, or
for the steps of a stage, in the plural ("what are the stages...", "which steps make up design?").
A document's list whose items are headings with a numbered label is asked for by the label in the
plural ("what are the design principles?", "the key success factors"). A named document asked about
as a whole ("what does the TM Forum guide cover?") is listed by its parts. Each stage, step or item is
listed in the document's order with its opening sentence, quoted and cited to its page, so the
overview is as grounded as any answer.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.case_list import Quotes, cases_asked, cases_overview, defining, in_place, opening, steps_of
from assistant.outline import outline
from assistant.retrieve import HybridRetriever
from assistant.route import Route
from assistant.types import Answer, Citation, Passage
from ingest.text import NUMBERED_LABEL, terms
from ingest.types import STAGE_TITLES, STAGES, Chunk

MIN_LABELLED = 3  # headings with the same label, numbered in order, that make a list

STAGES_ASKED = re.compile(
    r"\b(?:the|main|five|its) (?:stages|phases)\b|\b(?:stages|phases) (?:of|in)\b"
    # ... or the process as a whole: "the whole process", "how the process runs, start to finish"
    r"|\b(?:whole|entire|overall|full) (?:\w+ )?process\b"
    r"|\b(?:main |key )?(?:parts|components|building blocks|elements) of the (?:[\w'’-]+ ){0,3}(?:framework|process)\b"
    r"|\bprocess\b.{0,40}\b(?:(?:start|beginning) to (?:finish|end)|end[- ]to[- ]end)\b",
    re.I,
)
STEPS_ASKED = re.compile(
    r"\b(?:the|which|what|every|all|its) steps\b|\bsteps (?:of|in|that)\b|\b(?:every|each) (?:single )?step\b"
    r"|\bstep[- ]by[- ]step\b",
    re.I,
)
# "What comes after the MoU?", "what's the next step?", "and before that?": the step next to one.
NEXT_ASKED = re.compile(
    r"\bwhat(?:'s| is| should| do we| must| would)? (?:comes?|happens?|follows?|do|be|is|'s)"
    r"(?: (?:straight|right|just|immediately|directly|next))? (?:after|before|next)\b"
    r"|^(?:ok(?:ay)?,? |so,? )?(?:and )?(?:just |right |straight )?(?:before|after) "
    r"(?:that|this|it|(?:the )?[\w/-]+(?: [\w/-]+){0,2})\s*\??$"
    r"|\b(?:next|previous|following|preceding) step\b|\bstep (?:after|before)\b|\b(?:comes|follows) next\b",
    re.I,
)
BEFORE_ASKED = re.compile(r"\b(?:before|previous|preceding|precedes?)\b", re.I)
LISTING = re.compile(r"\b(?:what|which|list|name|outline|walk|give|show|how many)\b", re.I)
# "What does the TM Forum guide cover?", "Willetts' blog in a nutshell": a named document as a whole.
# "What's its basic argument?", "the main points of the Willetts blog", "summarise the TM Forum guide": the
# document's whole message, asked with nothing after it that narrows it to a topic.
DOCUMENT_ASKED = re.compile(
    r"\bwhat (?:does|do|is) .{0,80}?\b(?:cover|covers|about|contain|contains|go into|deal with)\b\W*$"
    r"|\bin a nutshell\b|\b(?:overview|outline|summary|gist|big picture) of\b"
    r"|\b(?:basic|main|central|key|core|overall) (?:argument|points?|message|ideas?|thesis|takeaways?|claim)"
    r"(?: (?:of|in) (?:the |this |that |his |her |their )?[\w'’ -]{0,60})?\W*$"
    r"|\bsummari[sz]e\b(?! (?:what|how|why)\b)(?!.*\b(?:about|on|regarding)\b)",
    re.I,
)
# A document's parts, for its overview: its numbered chapters ("2. MARKET DRIVERS") when it has at least
# MIN_LABELLED of them, else its sections of some length (a caption or a pull quote is not a part), when
# they are few enough to list.
CHAPTER = re.compile(r"^\d{1,2}\.\s+\S")
MIN_PART_WORDS = 100
MAX_PARTS = 20  # a table of contents a reader takes in at a glance
CAPTION = re.compile(r"^(?:figure|table|source)\b", re.I)


def labelled_lists(units: dict[tuple[str, str], list[Chunk]]) -> list[tuple[str, str, list[tuple[str, list[Chunk]]]]]:
    """Each run of sections headed by one label numbered 1, 2, 3... in a document, in order: the
    document, the label and the run's (heading, chunks). `units` is the index's sections in document
    order (`HybridRetriever.units`)."""
    runs: list[tuple[str, str, list[tuple[str, list[Chunk]]]]] = []
    for (doc, section), chunks in units.items():
        heading = section.split(" > ")[-1]
        m = NUMBERED_LABEL.match(heading)
        if not m:
            continue
        label, n = m.group("label"), int(m.group("n"))
        last = runs[-1] if runs else None
        if last and last[0] == doc and last[1] == label and n == len(last[2]) + 1:
            last[2].append((heading, chunks))
        elif n == 1:
            runs.append((doc, label, [(heading, chunks)]))
    return [r for r in runs if len(r[2]) >= MIN_LABELLED]


def labelled_list(
    question: str, plan: Route, units: dict[tuple[str, str], list[Chunk]]
) -> tuple[str, list[tuple[str, list[Chunk]]]] | None:
    """The labelled list the question asks for by its label in the plural, in the document it names."""
    for doc, label, items in labelled_lists(units):
        if plan.doc not in (None, doc) or not re.search(rf"\b{re.escape(label)}s\b", question, re.I):
            continue
        return list_title(label, items), items
    return None


def document_parts(doc: str, units: dict[tuple[str, str], list[Chunk]]) -> list[tuple[str, list[Chunk]]]:
    """A document's parts in order (see CHAPTER): [] when it has too many to list."""
    sections = sorted(((k[1], v) for k, v in units.items() if k[0] == doc), key=lambda kv: kv[1][0].position)
    named = [(s.split(" > ")[-1].rstrip(":"), chunks) for s, chunks in sections]
    chapters = [(h, c) for h, c in named if CHAPTER.match(h)]
    if len(chapters) >= MIN_LABELLED:
        return chapters
    parts = [(h, c) for h, c in named if sum(len(x.text.split()) for x in c) >= MIN_PART_WORDS and not CAPTION.match(h)]
    return parts if len(parts) <= MAX_PARTS else []


# A section in which a document sums itself up, by its heading.
SUMMARY = re.compile(r"\b(?:executive summary|summary|key points|key takeaways|conclusions?|in brief|abstract)\b", re.I)
SUMMARY_PIECES = 4  # of its summary, the sentences quoted before the document's parts


def own_summary(doc: str, units: dict[tuple[str, str], list[Chunk]]) -> tuple[str, list[Chunk]] | None:
    """The document's own summary of itself (its "Executive summary", its "Key Points to Take Away"): the
    first section headed so, with its heading."""
    headed = [(section.split(" > ")[-1], chunks) for (d, section), chunks in units.items() if d == doc]
    found = [(heading, chunks) for heading, chunks in headed if SUMMARY.search(heading)]
    return min(found, key=lambda kv: kv[1][0].position) if found else None


# A sentence about the document itself: "The aim of this executive briefing is...", "This paper has been".
ABOUT_ITSELF = re.compile(r"\bthis (?:executive )?(?:briefing|paper|guide|document|report|article|blog|post)\b", re.I)


def summed_up(chunks: list[Chunk]) -> list[tuple[Chunk, str]]:
    """What a summary says the document is: its first sentence and those about the document itself ("The
    aim of this executive briefing is..."), or, when none is, its first SUMMARY_PIECES sentences."""
    said = [(c, text) for c in chunks for text, item in c.pieces() if not text.rstrip().endswith(":")]
    itself = [(c, t) for c, t in said[1:] if ABOUT_ITSELF.search(t)]
    if not itself:
        return said[:SUMMARY_PIECES]
    return [said[0], *itself][:SUMMARY_PIECES]


def overview(question: str, plan: Route, retriever: HybridRetriever, passages: list[Passage]) -> Answer | None:
    prelude: list[tuple[Chunk, str]] = []  # the document's own summary of what is listed, quoted first
    parts_line, heading = "Stage by stage:", ""
    after: dict[str, str] = {}  # what follows an entry's quote: a stage's steps, by their headings
    if plan.case is not None or not (LISTING.search(question) or DOCUMENT_ASKED.search(question)):
        return None
    if STEPS_ASKED.search(question):
        stage = plan.stage or next((p.chunk.stage for p in passages if p.chunk.stage and p.chunk.step), None)
        if stage is None:
            return None
        steps = steps_of(retriever.chunks, stage)
        title = f"The steps of {STAGE_TITLES[stage]}, in the briefing's order:"
        entries = list(steps.items())
    elif STAGES_ASKED.search(question) and plan.doc in (None, framework_of(retriever)):
        by_place = in_place(retriever.chunks)
        framework = framework_of(retriever)
        stages: dict[str, list[Chunk]] = {}
        for c in by_place:
            if c.stage and c.doc_id == framework:
                stages.setdefault(c.stage, []).append(c)
        title = "The partnership framework's stages, in order:"
        entries = [(STAGE_TITLES[s], stages[s]) for s in STAGES if s in stages]
        named = {STAGE_TITLES[st]: list(dict.fromkeys(c.step for c in cs if c.step)) for st, cs in stages.items()}
        after = {name: f" Its steps: {'; '.join(steps)}." for name, steps in named.items() if steps}
        if prelude := outline(retriever.chunks, framework, closed=True):  # the briefing's own summary first
            title = "The partnership framework's stages, as the briefing sums them up:"
    elif cases_asked(question, retriever):
        return cases_overview(question, plan, retriever)
    elif rules := rules_asked(question, passages):
        title, entries = rules
        return listed_rules(question, plan, title, entries)
    elif labelled := labelled_list(question, plan, retriever.units):
        title, entries = labelled
    elif LIST_FORM.search(question) and (found := lists_found(plan, passages, retriever.units)):
        return listed_lists(question, plan, found)
    elif plan.doc and DOCUMENT_ASKED.search(question) and not (plan.step and plan.named):  # a step named is asked
        if summary := own_summary(plan.doc, retriever.units):  # the document's own summary of itself first
            heading, chunks = summary
            prelude = summed_up(chunks)
            if plan.doc == framework_of(retriever):  # and the stages it sums the framework up by
                stages = outline(retriever.chunks, plan.doc)
                prelude = [q for q in prelude if not any(q[1] in line for _, line in stages)] + stages
            parts_line = "Its parts, in order:"
        if parts := document_parts(plan.doc, retriever.units):
            title, entries = f"{parts[0][1][0].title} covers, in order:", parts
        elif lists := [(label, items) for doc, label, items in labelled_lists(retriever.units) if doc == plan.doc]:
            label, entries = lists[0]  # too many parts to list: its labelled list is its spine
            title = f"{entries[0][1][0].title} is built around its {len(entries)} {label.lower()}s:"
        elif summary:  # too many parts to list, and no list: its summary alone
            entries, parts_line = [], ""
        else:
            return None
    else:
        return None
    if not entries and not prelude:
        return None
    if prelude and plan.doc and not STAGES_ASKED.search(question):
        title = f"{prelude[0][0].title} sums itself up in its {heading.lower()}:"
    quotes = Quotes()
    lines = [title] + [quotes.cite(chunk, text) for chunk, text in prelude]
    if prelude and parts_line:
        lines.append(parts_line)
    # A framework's stage is told by what it is ("The propose phase is mainly about..."), not by its opening
    # on the section ("Throughout the stages of propose, design, and ...").
    staged = bool(after)
    lines += [entry_line(quotes, name, chunks, after.get(name, ""), staged) for name, chunks in entries]
    listed = [(chunks[0].doc_id, chunks[0].section) for _, chunks in entries if chunks]
    text = "\n".join(lines)
    return Answer(question, "answered", text, quotes.citations, quotes.passages, plan.stage, None, listed=listed)


# "The don'ts", "dos and don'ts", "the do's": the statements a list labels "Do:" or "Don't:", asked for by the
# label in the plural.
RULES_ASKED = {
    "do": re.compile(r"\bdo['’]?s\b", re.I),
    "don't": re.compile(r"\bdon['’]?t['’]?s\b", re.I),
}


# Words that ask for a list without saying what it is about ("give me the short list of the dos and don'ts").
REQUEST_WORDS = {"give", "tell", "show", "list", "short", "quick", "brief", "full", "main", "key", "all", "some"}


def only_rules_asked(question: str) -> bool:
    """The question asks for the labelled statements and for nothing else ("what are the dos and don'ts?"),
    not for them on a topic of its own ("the dos and don'ts of tax law")."""
    rest = question
    for asked in RULES_ASKED.values():
        rest = asked.sub(" ", rest)
    return rest != question and not terms(rest) - REQUEST_WORDS


def rules_asked(question: str, passages: list[Passage]) -> tuple[str, list[tuple[Chunk, str]]] | None:
    """The statements labelled as the question asks ("the don'ts"), from the first retrieved unit that
    labels at least MIN_LABELLED of them, in its order: its heading and the (chunk, statement) pairs."""
    labels = [label for label, asked in RULES_ASKED.items() if asked.search(question)]
    if not labels:
        return None
    for p in passages:
        if len(found := labelled_rules(p, labels)) >= MIN_LABELLED:
            return rules_title(p), found
    return None


# "Give me the short list of...", "list the...": the question asks for a list by name, not for one topic.
LIST_FORM = re.compile(
    r"\b(?:short|quick|brief|full|whole|complete|top)[- ]?list\b|\blist (?:of|out|the|all)\b|^list\b", re.I
)
LISTS_SHOWN = 2  # lists among the top passages given for a list asked by name
TOP_PASSAGES = 3  # of the retrieved passages, those whose units may be a list asked by name


def lists_found(
    plan: Route, passages: list[Passage], units: dict[tuple[str, str], list[Chunk]]
) -> list[tuple[str, list[tuple[str, list[Chunk]]] | list[tuple[Chunk, str]]]]:
    """The lists the top passages belong to, in their rank order: a labelled list (its heading and its
    items' sections) or a unit's labelled statements ("DO: ...", "DON'T: ..."), in the named document."""
    runs = [(doc, label, items) for doc, label, items in labelled_lists(units) if plan.doc in (None, doc)]
    found: list[tuple[str, list[tuple[str, list[Chunk]]] | list[tuple[Chunk, str]]]] = []
    for p in passages[:TOP_PASSAGES]:
        if plan.doc not in (None, p.chunk.doc_id):
            continue
        run = next((r for r in runs if r[0] == p.chunk.doc_id and any(p.chunk in cs for _, cs in r[2])), None)
        if run is not None:
            title = list_title(run[1], run[2])
            listed: list[tuple[str, list[Chunk]]] | list[tuple[Chunk, str]] = run[2]
        elif len(rules := labelled_rules(p, list(RULES_ASKED))) >= MIN_LABELLED:
            title, listed = rules_title(p), rules
        else:
            continue
        if title not in dict(found):
            found.append((title, listed))
    return found[:LISTS_SHOWN]


def listed_lists(
    question: str, plan: Route, found: list[tuple[str, list[tuple[str, list[Chunk]]] | list[tuple[Chunk, str]]]]
) -> Answer:
    """Each list under its title: a labelled list's items by heading with their opening sentences, a
    unit's labelled statements one per line; all quoted and cited."""
    quotes = Quotes()
    blocks = []
    for title, listed in found:
        lines = [title]
        for entry in listed:
            if isinstance(entry[1], list):
                lines.append(entry_line(quotes, *entry))
            else:
                lines.append(f"- {quotes.cite(*entry)}")
        blocks.append("\n".join(lines))
    return Answer(question, "answered", "\n\n".join(blocks), quotes.citations, quotes.passages, plan.stage, None)


def list_title(label: str, items: list[tuple[str, list[Chunk]]]) -> str:
    """A labelled list's title: its document and how many items it has ("Guide: its 5 principles, in order:")."""
    return f"{items[0][1][0].title}: its {len(items)} {label.lower()}s, in order:"


def rules_title(passage: Passage) -> str:
    """The title of a unit's labelled statements: its document and heading."""
    return f"{passage.chunk.title}, {passage.chunk.section.split(' > ')[-1]}:"


def entry_line(quotes: Quotes, name: str, chunks: list[Chunk], after: str = "", defined: bool = False) -> str:
    """One entry of an overview: its name and its opening sentence (or, when `defined`, the sentence that
    says what it is), quoted and cited, then `after`."""
    found = (defined and defining(chunks, name)) or opening(chunks)
    return f"- {name}: {quotes.cite(*found)}{after}" if found else f"- {name}"


def labelled_rules(passage: Passage, labels: list[str]) -> list[tuple[Chunk, str]]:
    """The statements of the passage's unit that open on one of `labels` ("DON'T: ..."), in order."""
    opens = re.compile(rf"^(?:{'|'.join(labels)})\s*:", re.I)
    return [(c, text) for c in passage.unit for text, _ in c.pieces() if opens.match(text.replace("’", "'"))]


def listed_rules(question: str, plan: Route, title: str, entries: list[tuple[Chunk, str]]) -> Answer:
    """The labelled statements, one line each, quoted and cited."""
    quotes = Quotes()
    lines = [title] + [f"- {quotes.cite(chunk, text)}" for chunk, text in entries]
    return Answer(question, "answered", "\n".join(lines), quotes.citations, quotes.passages, plan.stage, None)


def framework_of(retriever: HybridRetriever) -> str | None:
    """The document that has the framework's steps."""
    return next((c.doc_id for c in in_place(retriever.chunks) if c.step), None)


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


# "Tell me more about the first one", "the second principle?", "number 3", "and the last?": an entry of the
# list the turn before gave, by its place; "the governance one": by a word of its heading.
ENTRY_NOUN = r"(?:one|item|point|entry|principle|factor|stage|case|question)s?"
BY_PLACE = re.compile(
    rf"\bthe ({'|'.join(ORDINALS)}|last)(?= {ENTRY_NOUN}\b|\s*[?.!]|$)|\b(?:number|no\.|#)\s?(\d{{1,2}})\b",
    re.I,
)
BY_WORD = re.compile(r"\bthe ([\w-]+(?: [\w-]+)?) one\b", re.I)


def listed_entry(question: str, listed: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The entry of the list the turn before gave that the question points at, by its place or by a
    word of its heading only that entry has; None when it points at none."""
    if not listed:
        return None
    if m := BY_PLACE.search(question):
        word, number = (m.group(1) or "").lower(), m.group(2)
        n = int(number) if number else len(listed) if word == "last" else ORDINALS.index(word) + 1
        return listed[n - 1] if 1 <= n <= len(listed) else None
    if m := BY_WORD.search(question):
        said = terms(m.group(1))
        found = [entry for entry in listed if said & terms(entry[1].split(" > ")[-1])]
        return found[0] if len(found) == 1 else None
    return None


def neighbour_step(question: str, plan: Route, retriever: HybridRetriever) -> tuple[str, str] | None:
    """For "what comes after <a step>?", the (stage, step) after it in the briefing's order, or before it
    when the question asks what comes before; across a stage's end into the next stage. None when the
    question does not ask this or names no step."""
    if plan.step is None or not NEXT_ASKED.search(question):
        return None
    order = list(dict.fromkeys((c.stage, c.step) for c in in_place(retriever.chunks) if c.step and c.stage))
    here = next((i for i, (_, step) in enumerate(order) if step == plan.step), None)
    if here is None:
        return None
    if not BEFORE_ASKED.search(question) and stated_next(plan.step, retriever):
        # The step says the next stage begins after it: the briefing lists later steps of its own stage
        # (renew, review, exit) after it, but the process goes on into the next stage.
        stage = order[here][0]
        later = STAGES[STAGES.index(stage) + 1 :] if stage in STAGES else []
        return next(((st, sp) for st, sp in order if st == later[0]), None) if later else None
    there = here - 1 if BEFORE_ASKED.search(question) else here + 1
    return order[there] if 0 <= there < len(order) else None


NEXT_STAGE = re.compile(r"\bthe next (?:stage|phase)\b", re.I)


def led_by_stated_next(answer: Answer, step: str, retriever: HybridRetriever) -> Answer:
    """The answer on the step after `step`, led by `step`'s own word on what follows it ("The next stage
    begins with approaching a partner ...") when it has one, as [1]; the answer's markers move up one."""
    if (said := stated_next(step, retriever)) is None:
        return answer
    shifted = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m[1]) + 1}]", answer.text)
    answer.citations = [Citation(1, *said)] + [replace(c, marker=c.marker + 1) for c in answer.citations]
    answer.text = f"{said[1]} [1] {shifted}"
    return answer


def stated_next(step: str, retriever: HybridRetriever) -> tuple[Chunk, str] | None:
    """The sentence of a step that says the next stage begins after it ("The next stage begins with
    approaching a partner ..."), and its chunk."""
    for chunk in in_place(retriever.chunks):
        if chunk.step == step and not chunk.case:
            for _, text, _ in chunk.keyed_pieces():
                if NEXT_STAGE.search(text):
                    return chunk, text
    return None
