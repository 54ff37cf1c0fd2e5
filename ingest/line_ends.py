"""Where a wrapped line of a PDF ends what it belongs to: a list item with no full stop, a numbered
paragraph, the next of a numbered run.

    ends_item("- Sell With: ... through a subsidiary or together", "The next paragraph ...", lowercase)
    next_numbered("2. Design Principle Number 2: ...", blocks, prev, short)  # after "1. Design ..."
"""

from __future__ import annotations

from ingest.lists import NUMBERED
from ingest.text import TERMINAL, WORD
from ingest.types import Block

MAX_TITLE_WORDS = 10  # a numbered paragraph this short is a list's title line, as a heading is (`ingest.clean`)
# Words a wrapped line can stop on in mid-phrase; the next line then continues it, capitalised or not.
JOINERS = {"a", "an", "the", "and", "or", "of", "to", "with", "for", "in", "on", "by", "from", "as", "at", "that"}


def ends_item(prev: str | None, line: str, lowercase: set[str]) -> bool:
    """Whether a list item ended on the line before although it has no full stop: it stops on a whole
    phrase and this line opens a new sentence, its first word capitalised although the document writes
    it in lower case elsewhere (so not a name or an acronym such as "DNAs"). A list's last item often
    has no full stop ("- Sell With: ... through a subsidiary or together"), and the paragraph after it
    must not be read as its continuation. (An item that ends on a full stop may go on with a second
    sentence, as the framework's points do, so that case is left to the line widths.)"""
    if prev is None or prev.endswith(TERMINAL) or wraps(prev):
        return False
    first = WORD.match(line)
    opens = bool(first) and line[:1].isupper() and first.group().lower() in lowercase
    return opens and len(line.split()) > 1


def wraps(prev: str) -> bool:
    """The line stops where a phrase goes on to the next: on a comma, a dash or an opening bracket, or on a
    word of JOINERS."""
    words = prev.split()
    return prev.endswith((",", "–", "-", "(")) or (bool(words) and words[-1].lower() in JOINERS)


def titled(block: Block) -> bool:
    """A list item, or a short numbered paragraph that titles one ("5. It is all in the execution"): a line that
    opens a new sentence after it, with no full stop between, ends it (`ends_item`)."""
    numbered = block.kind == "paragraph" and bool(NUMBERED.match(block.text))
    return block.kind == "item" or (numbered and len(block.text.split()) <= MAX_TITLE_WORDS)


def listed(block: Block) -> bool:
    """A list item, or a paragraph numbered as one ("4. When the partnership is fully defined, ..."): the
    paragraph gap after it ends it, though its last line fills the width. (Between paragraphs the gap
    is left to the line widths, as the index was calibrated on them.)"""
    return block.kind in ("item", "subitem") or bool(NUMBERED.match(block.text))


def next_numbered(line: str, blocks: list[Block], prev: str | None, short: float) -> bool:
    """The line opens the next of a numbered run of paragraphs ("2. Design Principle Number 2: ..." after
    "1. Design Principle Number 1: ..."), after a line that does not wrap on to it (it ends a sentence,
    stops short, or stops on a word that ends a phrase): it starts a paragraph of its own rather than
    going on with the item or paragraph before it."""
    number = NUMBERED.match(line)
    if number is None or prev is None or not prev.split():
        return False
    # the line before ends what it says, or stops short, or at least on no word that goes on to the next
    if not (prev.endswith(TERMINAL) or len(prev) < short or not wraps(prev)):
        return False
    before = next((n for b in reversed(blocks) if b.kind == "paragraph" and (n := NUMBERED.match(b.text))), None)
    return before is not None and int(number.group(1)) == int(before.group(1)) + 1
