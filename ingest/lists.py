"""Lists as a reader sees them, recognised in a document's blocks after cleaning.

    blocks = announced_points(numbered_lists(labelled_lists(blocks)))

- paragraphs that open with the same short label down a run ("Do: ...", "Don't: ...") are a list's items;
- numbered lines 1, 2, 3... in order are a named list's items ("8 key questions", "6 practices");
- the points a point announces ("Define liabilities for the exiting partner:") are its sub-points while
  they read as a list's members (questions, or lines ending on a semicolon), where the PDF's text has
  lost their indentation.
"""

from __future__ import annotations

import re

from ingest.types import Block

LABEL = re.compile(r"^([A-Z][\w’' ]{0,14}):\s")
MIN_LABELLED_RUN = 3  # paragraphs in a row opening with the same label ("Do: ...", "Don't: ...") form a list


def labelled_lists(blocks: list[Block]) -> list[Block]:
    """Paragraphs that open with a short label repeated down a run ("Do: ...", "Don't: ...") are the
    items of a list, as a reader sees them."""
    labels = [m.group(1) if b.kind == "paragraph" and (m := LABEL.match(b.text)) else None for b in blocks]
    for i, label in enumerate(labels):
        if label is None:
            continue
        run = [j for j in range(max(0, i - 8), min(len(blocks), i + 9)) if labels[j] == label]
        if len(run) >= MIN_LABELLED_RUN:
            blocks[i].kind = "item"
    return blocks


NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+\S")
MIN_NUMBERED_RUN = 3  # numbered lines 1, 2, 3... in order form a named list ("8 key questions", "6 practices")
MAX_NUMBERED_WORDS = 30  # longer than this, a numbered line is a paragraph that happens to open with a number


def numbered_lists(blocks: list[Block]) -> list[Block]:
    """Short lines numbered 1, 2, 3... in order, each followed by its explanation, are a list: the
    numbered lines its items and each explanation a sub-point of its item, however the lines were
    first read (a line ending in "." reads as a paragraph, one without as a heading). The last item's
    explanation is the one paragraph after it."""
    numbers = [
        int(m.group(1))
        if b.kind in ("heading", "paragraph")
        and (m := NUMBERED.match(b.text))
        and len(b.text.split()) <= MAX_NUMBERED_WORDS
        else None
        for b in blocks
    ]
    i = 0
    while i < len(blocks):
        if numbers[i] != 1:
            i += 1
            continue
        run, j = [i], i + 1
        while j < len(blocks) and (blocks[j].kind != "heading" or numbers[j] is not None):
            if numbers[j] == numbers[run[-1]] + 1:
                run.append(j)
            elif numbers[j] is not None:
                break
            j += 1
        if len(run) < MIN_NUMBERED_RUN:
            i += 1
            continue
        # The last item's explanation is its first paragraph; what follows closes the section.
        end = min(j, run[-1] + 2)
        for k in range(run[0], end):
            if k in run:
                blocks[k].kind = "item"
            elif blocks[k].kind == "paragraph":
                blocks[k].kind, blocks[k].level = "subitem", 2
        i = j
    return blocks


# A list member: a question ("How are risks handled?"), or a line ending on a semicolon ("... throughout the
# project;"), a trailing aside in brackets aside ("...competitor? (Important for later design.)").
MEMBER = re.compile(r"(?:\?|;)\s*$")
ASIDE = re.compile(r"\s*\([^()]*\)\W*$")


def announced_points(blocks: list[Block]) -> list[Block]:
    """The items after an item that announces them (ends on a colon) are its sub-items while they read as
    members of its list; the first that reads as a point of its own ends them."""
    for i, block in enumerate(blocks):
        if block.kind != "item" or not block.text.rstrip().endswith(":"):
            continue
        for member in blocks[i + 1 :]:
            if member.kind != "item" or not MEMBER.search(ASIDE.sub("", member.text)):
                break
            member.kind, member.level = "subitem", 2
    return blocks
