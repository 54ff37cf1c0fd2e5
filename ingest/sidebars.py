"""Sidebars: a narrow column set beside the text (a pull quote, a callout) is lifted out of the flow.

    main, asides = set_apart(lines, usual, is_item)   # asides[i]: the sidebar lines that came after main line i

A PDF's text layer gives a sidebar's lines in content order, often in the middle of the paragraph it
stands beside ("... may lead" [Roles are the | key organizing | principle in the | ecosystem.] "go-to-market
activities."), so cleaning would glue the two into one sentence. A sidebar is told by its shape: a run
of lines far shorter than the document's usual line, which the main column never makes (a paragraph's
last line is one short line, a heading one or two). Cleaning sets each run after the paragraph it
interrupted, as a paragraph of its own marked `aside`; a pull quote, one whose every word the rest of
the document says too, is then left out of the index (`ingest.clean.without_pull_quotes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.text import WORD_HYPHEN
from ingest.types import Line

# Measured on the Partner Everywhere paper, whose sidebars run 10-25 characters a line against a usual
# line of 73: a sidebar's line is at most NARROW of the usual line. A run may hold a longer line (up to
# BRIDGE of the usual line: "milestones for outcomes – the types of") between narrow ones, and is a
# sidebar when at least MIN_LINES of its lines, and most of them, are narrow. List items are never part
# of one: a list of short items is the main column's.
NARROW, BRIDGE = 0.35, 0.6
MIN_LINES = 4
MIN_NARROW_SHARE = 2 / 3
# A sidebar says something: it ends a sentence. Short lines that end none are a cover's title and authors,
# a figure's labels or a list's items, and stay where the page sets them.
SENTENCE_END = (".", "!", "?", '"', "”", "’", ")")
# A sidebar is a pull quote when the main column says every run of SHINGLE words of it: then the index
# loses nothing by leaving it out. One reworded ("Leadership has to dispel this behavior" beside "...
# dispel this view of partners") says words the document says nowhere else, and is kept.
SHINGLE = 4


def set_apart(
    lines: list[Line], usual: float, is_item: Callable[[str], bool]
) -> tuple[list[Line], dict[int, list[Line]]]:
    """The lines of the main column, and each sidebar's lines keyed by the index (in the main lines) of
    the line it came after (-1: before the first). A run opens on a narrow line and closes on one that
    ends a sentence, on its page or over the page break, and the main column's full lines stand before
    and after it."""

    def narrow(k: int) -> bool:
        return len(lines[k][0]) <= NARROW * usual and not is_item(lines[k][0])

    def beside_text(start: int, end: int) -> bool:  # full lines of the main column before and after it
        first, last = lines[start][1], lines[end - 1][1]
        before = any(len(t) > BRIDGE * usual for t, page, _ in lines[:start] if page >= first - 1)
        after = any(len(t) > BRIDGE * usual for t, page, _ in lines[end:] if page <= last + 1)
        return last - first <= 1 and before and after

    main: list[Line] = []
    asides: dict[int, list[Line]] = {}
    i = 0
    while i < len(lines):
        end = i
        opens = narrow(i) and not lines[i][0][:1].islower()  # a sidebar opens a sentence; lower case goes on one
        while opens and end < len(lines) and len(lines[end][0]) <= BRIDGE * usual and not is_item(lines[end][0]):
            end += 1
        while end > i and not (narrow(end - 1) and lines[end - 1][0].endswith(SENTENCE_END)):
            end -= 1
        count = sum(1 for k in range(i, end) if narrow(k))
        if count >= MIN_LINES and count >= MIN_NARROW_SHARE * (end - i) and beside_text(i, end):
            asides.setdefault(len(main) - 1, []).extend(lines[i:end])
            i = end
        else:
            main.append(lines[i])
            i += 1
    return main, asides


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", WORD_HYPHEN.sub("", text.lower()))
    return {tuple(words[k : k + SHINGLE]) for k in range(len(words) - SHINGLE + 1)}


def pull_quote(aside: str, main: set[tuple[str, ...]]) -> bool:
    """Whether the main column (`main`: its shingles) says all of the sidebar."""
    own = shingles(aside)
    return bool(own) and own <= main
