"""Cleaning: raw page text becomes blocks (headings, paragraphs, list items) of verbatim text.

    blocks = clean_pdf(pages)    # running headers, page numbers, bullet glyphs, hyphenation repaired, tables
    blocks = clean_text(pages)   # .txt / .md: blank-line paragraphs, '#' or short title lines as headings

PDF text arrives as visual lines. Paragraphs are rebuilt from the lines' shapes: a line that ends a
sentence and is shorter than the document's usual line ends its paragraph; a short title-like line
between sentences is a heading. Repairs that need a judgement (a split word, a hyphen at a line
break) are decided by the document's own vocabulary: "I t" becomes "It" only because "it" occurs
elsewhere in the same document. Everything else is kept verbatim, since citations quote it.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from ingest.line_ends import ends_item, listed, next_numbered, titled
from ingest.lists import announced_points, labelled_lists, numbered_lists
from ingest.sidebars import pull_quote, set_apart, shingles
from ingest.tables import rebuild_tables
from ingest.text import NUMBERED_LABEL, TERMINAL, WORD, WORD_HYPHEN
from ingest.types import Block, Line, Page

BULLET = re.compile(r"^(?:[-•▪●◦]|n(?=\s+[A-Z“\"‘]))\s+")
SUBITEM = re.compile(r"^(?:o|[a-h]\.)\s+")
POINTS = re.compile(r"^points to consider:?$", re.I)
# A word as the vocabulary counts it: a contraction is one word, so "don't" does not count a word "t".
SPELLED = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# A heading with a numbered label (`ingest.text.NUMBERED_LABEL`) may run longer than others.
MAX_HEADING_WORDS, MAX_HEADING_CHARS = 10, 70
MAX_LABELLED_WORDS, MAX_LABELLED_CHARS = 16, 110
# A line ending on one of these words breaks off mid-phrase ("Two-thirds of"): a pull quote's or a
# sidebar's line, not a heading. A line with a month and year is a source note ("Gartner, June 2015").
OPEN_ENDING = {"of", "by", "and", "or", "with", "the", "a", "an", "to", "in", "for", "on", "who", "that", "is", "are"}
MAX_SOURCE_NOTE_WORDS = 8
DATED = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b[\s\d,]*\d{4}"
)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def running_lines(pages: list[list[str]]) -> set[str]:
    """Lines that open at least half the pages: the document's running header."""
    if len(pages) < 3:
        return set()
    firsts = Counter(lines[0] for lines in pages if lines)
    return {line for line, n in firsts.items() if n >= len(pages) / 2}


def vocabulary(lines: list[str]) -> Counter[str]:
    return Counter(w.lower() for line in lines for w in SPELLED.findall(line))


def repair_bullet(text: str, vocab: Counter[str]) -> str:
    """'I t must' -> 'It must', 'T his is' -> 'This is': a letter split off by a bullet glyph."""
    m = re.match(r"([A-Z][a-z]?) ([a-z]+)\b", text)
    if not m:
        return text
    head, tail = m.groups()
    joined = (head + tail).lower()
    # "I use" and "A next" are two words; "I t" is not, as no lone letter but "a" is a word.
    tail_word = (len(tail) > 1 or tail == "a") and vocab[tail] > 1
    both_words = vocab[head.lower()] > 1 and tail_word and len(head) == 1 and head in "AI"
    # A fragment found nowhere else in the document ("P owering") is a word's rest, even when the whole
    # word is used only here.
    # A two-letter head the document uses as a word ("In documents put ...") opens a phrase, not a word.
    orphan = vocab[tail] <= 1 and head not in ("A", "I") and not (len(head) == 2 and vocab[head.lower()] > 1)
    if (vocab[joined] > 0 or orphan) and not both_words:
        return head + tail + text[m.end() :]
    return text


def join(prev: str, line: str, vocab: Counter[str]) -> str:
    """Join a wrapped line, undoing a hyphen only where the whole word is the document's."""
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and line[:1].islower():
        head = WORD.findall(prev)[-1] if WORD.findall(prev) else ""
        tail = WORD.match(line)
        if head and tail and vocab[(head + tail.group()).lower()] > 0:
            return prev[:-1] + line
        return prev + line
    # A capital set apart as a drop cap ("1. D" then "esign Principle Number 1"): the word it opens, when the
    # document uses that word and the rest is none of its own.
    cap, tail = re.search(r"(?:^|\s)([A-Z])$", prev), WORD.match(line)
    if cap and tail and line[:1].islower():
        letter, rest = cap.group(1), tail.group()
        if vocab[(letter + rest).lower()] > 0 and (letter not in "AI" or vocab[rest] <= 1):
            return prev + line
    return f"{prev} {line}"


def is_heading(line: str, prev: str | None, nxt: str | None, short: float) -> bool:
    """A short title-like line after a finished (or short) line, before a capitalised one."""
    words = line.split()
    labelled = bool(NUMBERED_LABEL.match(line))
    return (
        0 < len(words) <= (MAX_LABELLED_WORDS if labelled else MAX_HEADING_WORDS)
        and len(line) <= (MAX_LABELLED_CHARS if labelled else MAX_HEADING_CHARS)
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith((".", ",", ";", ":"))
        and not BULLET.match(line)
        and words[-1].lower() not in OPEN_ENDING
        and not DATED.search(line)
        and (prev is None or prev.endswith(TERMINAL) or prev.isupper() or len(prev) < short)
        # a question after a question goes on asking ("...the greatest leverage?" "Where is it weakest?"),
        # unless numbered as a questionnaire's items are
        and not (line.endswith("?") and prev is not None and prev.endswith("?") and not line[0].isdigit())
        and nxt is not None
        and (nxt[0].isupper() or nxt[0].isdigit() or bool(BULLET.match(nxt)) or nxt[0] in "“\"'")
    )


# "Figure 1: Relationships and dependency", "Table 1: The ... Model", "Source: TM Forum, 2012": a caption
# wherever it stands, never a heading the text after it belongs to.
FIGURE_CAPTION = re.compile(r"^(?:Figure|Table) \d+\s*[:.–—-]\s|^Source:\s.{1,60}$")  # and a figure's source


def is_caption(line: str) -> bool:
    """Figure and table captions ('Governance: Board and Management') are not content headings; a
    numbered label ('Principle 1: Close to the customer') heads a numbered list's item and is kept."""
    if FIGURE_CAPTION.match(line):
        return True
    if re.match(r"^[A-Z][a-z]+ \d+: ", line):
        return False
    if DATED.search(line) and len(line.split()) <= MAX_SOURCE_NOTE_WORDS and not line.endswith(TERMINAL):
        return True  # a sidebar's source note ("Professionals, September 2016")
    return bool(re.match(r"^[A-Z][\w ]{2,40}: [A-Z][\w ]+$", line))


# A contents line: its title then its page ("Introduction ..... 4"), or its page then its title in a
# column of its own ("15   Success factor #1- be clear ...").
CONTENTS_LINE = re.compile(r"^\S.{2,80}?(?:\.{2,}|\s)\s*\d{1,3}$|^\d{1,3}\s{2,}[A-Z].{2,100}$")


def drop_contents(lines: list[Line]) -> list[Line]:
    """A table of contents is a run of three or more lines ending in page numbers."""
    hits = [t.startswith(TOC_MARK) or bool(CONTENTS_LINE.match(t)) for t, *_ in lines]
    keep = []
    for i, line in enumerate(lines):
        in_run = hits[i] and any(all(hits[j : j + 3]) for j in range(max(0, i - 2), i + 1) if j + 3 <= len(hits))
        if not in_run:
            keep.append(line)
    return keep


def section_headers(pages: list[list[str]]) -> set[str]:
    """Upper-case lines repeated on SECTION_HEADER_PAGES or more pages: a section's running header
    ("4. KEY SUCCESS FACTORS" on each of its pages), a heading only where it first appears."""
    seen = Counter(line for lines in pages for line in set(lines) if line.isupper() and len(line.split()) <= 8)
    return {line for line, n in seen.items() if n >= SECTION_HEADER_PAGES}


SECTION_HEADER_PAGES = 2


def after_gaps(text: str) -> list[tuple[str, bool]]:
    """The text's non-blank lines, stripped, each with whether a blank line is right above it."""
    lines = text.splitlines()
    return [(x.strip(), i > 0 and not lines[i - 1].strip()) for i, x in enumerate(lines) if x.strip()]


def page_lines(pages: list[Page]) -> list[Line]:
    """Each page's lines, furniture left out, with whether a blank line (the loader's paragraph gap) was
    before it."""
    opened = [after_gaps(p.text) for p in pages]
    # Contents columns keep their spacing ("15   Success factor #1") until the contents are dropped.
    toc = {(n, collapse(x)) for n, lines in enumerate(opened) for x, _ in lines if CONTENTS_LINE.match(x)}
    raw = [[(collapse(x), gap) for x, gap in lines] for lines in opened]
    repeated = section_headers([[x for x, _ in lines] for lines in raw])
    shown: set[str] = set()
    for n, lines in enumerate(raw):
        kept = []
        for line, gap in lines:
            if line in repeated and line in shown:
                continue
            shown.add(line)
            kept.append((line if (n, line) not in toc else TOC_MARK + line, gap))
        raw[n] = kept
    header = running_lines([[x for x, _ in lines] for lines in raw])
    cover = {line for line, _ in (raw[0] if raw else []) if len(line.split()) <= BRAND_WORDS}
    out: list[Line] = []
    for n, (page, lines) in enumerate(zip(pages, raw, strict=True)):
        while lines and lines[0][0] in header:
            lines = lines[1:]
        if lines and lines[-1][0].isdigit():
            lines = lines[:-1]
        while 0 < n == len(raw) - 1 and lines and lines[-1][0] in cover:  # the cover's mark on the back page
            lines = lines[:-1]
        out += [(line, page.number, gap) for line, gap in lines if not line.isdigit()]
    return [(line.removeprefix(TOC_MARK), page, gap) for line, page, gap in drop_contents(out)]


# A short line of the cover page that closes the last page is the publisher's mark ("UNIVERSITY OF",
# "CAMBRIDGE", "Cambridge Service Alliance" on the back page), not the last sentence's end.
BRAND_WORDS = 4
TOC_MARK = "\x00"  # marks a line that read as a contents line before its spacing was collapsed


def clean_pdf(pages: list[Page]) -> list[Block]:
    lines = page_lines(rebuild_tables(pages))  # a captioned table, one item per column (`ingest.tables`)
    vocab = vocabulary([t for t, *_ in lines])
    lowercase = {w for t, *_ in lines for w in WORD.findall(t) if w.islower()}
    widths = [len(t) for t, *_ in lines if len(t) >= 40]
    usual = statistics.median(widths) if widths else 80
    short = 0.8 * usual
    lines, asides = set_apart(lines, usual, lambda t: bool(BULLET.match(t)))  # `ingest.sidebars`
    owner: list[int] = []  # the block each main line went into

    blocks: list[Block] = []
    prev: str | None = None
    for i, (raw, page, gap) in enumerate(lines):
        nxt = lines[i + 1][0] if i + 1 < len(lines) else None
        bullet = BULLET.match(raw)
        current = blocks[-1] if blocks else None
        if bullet:
            text = raw[bullet.end() :]
            sub = SUBITEM.match(text)
            if current and current.kind in ("item", "subitem") and len(text) <= 2 and nxt and nxt[:1].islower():
                blocks.append(Block("item", text, page))  # 'n P' + 'artnering': glyph-split word
            elif sub:  # the sub-point's glyph or letter is its nesting, kept by the block's kind
                blocks.append(Block("subitem", text[sub.end() :], page, level=2))
            else:
                blocks.append(Block("item", repair_bullet(text, vocab), page))
        elif POINTS.match(raw):
            blocks.append(Block("points", raw, page))
        elif is_caption(raw) and (
            prev is None or prev.endswith(TERMINAL) or bool(DATED.search(raw)) or bool(FIGURE_CAPTION.match(raw))
        ):
            blocks.append(Block("caption", raw, page))
        elif is_heading(raw, prev, nxt, short) or (
            current and current.kind == "heading" and is_heading(raw, None, nxt, short)
        ):
            blocks.append(Block("heading", raw, page))
        elif (
            current
            and current.kind == "caption"
            and FIGURE_CAPTION.match(current.text)
            and raw[:1].islower()
            and (host := interrupted(blocks))
        ):
            host.text = join(host.text, raw, vocab)  # "... It" [Figure 6 – ...] "assembles the ecosystem"
            host.last_page = page
        elif (
            current is None
            or current.kind in ("heading", "points", "caption")
            or (
                prev is not None
                and prev.endswith(TERMINAL)
                and not raw[:1].islower()
                and (len(prev) < short or (gap and listed(current)))
            )
            or (titled(current) and ends_item(prev, raw, lowercase))
            or next_numbered(raw, blocks, prev, short)
        ):
            blocks.append(Block("paragraph", raw, page))
        else:
            if len(current.text) <= 2 and current.kind == "item":
                current.text += raw  # the glyph-split word rejoined
            else:
                current.text = join(current.text, raw, vocab)
            current.last_page = page
        prev = raw
        owner.append(len(blocks) - 1)
    for after in sorted(asides, reverse=True):  # each sidebar after the paragraph it interrupted
        blocks.insert(owner[after] + 1 if after >= 0 else 0, aside(asides[after], vocab))
    return announced_points(reorder_orphans(with_whole_source_notes(blocks)))


def with_whole_source_notes(blocks: list[Block]) -> list[Block]:
    """A source note set in a narrow column ("IoT" MIT Sloan Management / Review, September 2016 and 6th /
    State of Alliance Study: Social / ... / Professionals, September 2016") is told by its dated line; the short
    lines before that, which end no sentence, are the note too, not headings of the text after them. A heading
    after a finished sentence ("...and unite silos." / "Take an ecosystem perspective") is the text's own."""
    for i, block in enumerate(blocks):
        if block.kind != "caption" or not DATED.search(block.text):
            continue
        for at in range(i - 1, -1, -1):
            before = blocks[at]
            short = len(before.text.split()) <= MAX_HEADING_WORDS and not before.text.endswith(TERMINAL)
            if before.kind not in ("heading", "paragraph", "caption") or not (short or before.kind == "caption"):
                break
            if before.kind == "heading" and at > 0 and blocks[at - 1].text.endswith(TERMINAL):
                break
            before.kind = "caption"
    return blocks


def aside(run: list[Line], vocab: Counter[str]) -> Block:
    text = run[0][0]
    for line, *_ in run[1:]:
        text = join(text, line, vocab)
    return Block("paragraph", text, run[0][1], last_page=run[-1][1], aside=True)


PULL_QUOTE_WORDS = 8  # a repeated line shorter than this ("Key points") is no pull quote


def without_pull_quotes(blocks: list[Block]) -> list[Block]:
    """The blocks without pull quotes: a paragraph whose whole text the document says in another, longer
    block, or says again after it, is set in large type beside the text it repeats ("Different business
    and partnering models can be at play..." on the page of the principle after the one it belongs to). The
    index keeps the text where it is said in full, at its first place. A sidebar is one when the other
    blocks say all of it, however they break it up (`ingest.sidebars.pull_quote`)."""
    flat = [re.sub(r"\s+", " ", WORD_HYPHEN.sub("", b.text)).strip().lower() for b in blocks]  # "go-tomarket" too
    said = shingles(" ".join(t for b, t in zip(blocks, flat, strict=True) if not b.aside))
    kept: list[Block] = []
    for i, (block, text) in enumerate(zip(blocks, flat, strict=True)):
        repeated = (
            block.kind == "paragraph"
            and len(text.split()) >= PULL_QUOTE_WORDS
            and any(text in other and (len(other) > len(text) or j < i) for j, other in enumerate(flat) if j != i)
        )
        if not repeated and not (block.aside and pull_quote(text, said)):
            kept.append(block)
    return kept


def interrupted(blocks: list[Block]) -> Block | None:
    """The paragraph a figure's caption was set inside, mid-sentence: the last block before the captions,
    when it is a paragraph that has not ended its sentence."""
    host = next((b for b in reversed(blocks) if b.kind != "caption"), None)
    if host is not None and host.kind == "paragraph" and not host.text.rstrip().endswith(TERMINAL):
        return host
    return None


def ends_sentence(block: Block) -> bool:
    return block.kind != "paragraph" or block.text.endswith(TERMINAL)


def reorder_orphans(blocks: list[Block]) -> list[Block]:
    """Put text that the PDF placed before its own heading back after it.

    An orphan is a paragraph that opens mid-sentence (lower case) right after a heading, a caption
    or a finished sentence. Its sentence begins in the first later paragraph that stops mid-sentence
    just before a heading; the orphan and the blocks up to the next heading move there.
    """
    i = 0
    while i < len(blocks):
        block = blocks[i]
        before = [b for b in blocks[:i] if b.kind != "caption"]
        if block.kind == "paragraph" and block.text[:1].islower() and before and ends_sentence(before[-1]):
            end = next((j for j in range(i + 1, len(blocks)) if blocks[j].kind == "heading"), len(blocks))
            target = next(
                (
                    j
                    for j in range(end + 1, len(blocks) - 1)
                    if blocks[j].kind == "paragraph"
                    and not blocks[j].text.endswith(TERMINAL)
                    and blocks[j + 1].kind == "heading"
                ),
                None,
            )
            if target is not None:
                run = blocks[i:end]
                rest = blocks[:i] + blocks[end:]
                t = target - (end - i)
                rest[t].text = f"{rest[t].text} {run[0].text}"
                rest[t].last_page = max(rest[t].last_page, run[0].last_page)
                blocks = rest[: t + 1] + run[1:] + rest[t + 1 :]
                continue
        i += 1
    return blocks


def clean_text(pages: list[Page]) -> list[Block]:
    """Text and Markdown: paragraphs are separated by blank lines."""
    blocks: list[Block] = []
    for page in pages:
        for para in re.split(r"\n\s*\n", page.text):
            text = collapse(para)
            if not text:
                continue
            if text.startswith("#"):
                blocks.append(Block("heading", text.lstrip("# "), page.number))
            elif bullet := BULLET.match(text):
                blocks.append(Block("item", text[bullet.end() :], page.number))
            elif len(text.split()) <= 14 and not text.endswith((".", ",", ";")):
                blocks.append(Block("heading", text, page.number))
            else:
                blocks.append(Block("paragraph", text, page.number))
    return numbered_lists(labelled_lists(blocks))
