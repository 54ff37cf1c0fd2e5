"""Text as Handrail matches it: words, stems and terms, shared by ingest (the keyword index) and
the assistant (retrieval, routing, judging).

    stems("Capabilities of the mediator")  -> ['capabl', 'mediat']
"""

from __future__ import annotations

import functools
import re

import snowballstemmer

STOPWORDS = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "how",
        "when",
        "where",
        "why",
        "do",
        "does",
        "did",
        "we",
        "our",
        "you",
        "your",
        "they",
        "their",
        "there",
        "as",
        "at",
        "by",
        "from",
        "into",
        "about",
        "can",
        "should",
        "would",
        "could",
        "will",
        "i",
        "me",
        "my",
        "us",
    ]
)


# A prefix written with or without its hyphen ("re-negotiation", "renegotiating"; "co-develop"): the
# hyphenated form also gives the joined word, so that either spelling meets the other.
HYPHENATED_PREFIX = re.compile(r"\b(re|co|pre|non|sub|multi|inter)-([a-z]+)")  # "sub-contractor": "subcontractor"


# What ends a sentence, or a line that finishes one; and a word of letters.
TERMINAL = (".", "!", "?", ":", ";", '"', "”", "’", "'", ")")
WORD = re.compile(r"[A-Za-z]+")
# A hyphen inside a word, which a line break may have put there or taken away ("go-tomarket", "go-to-market").
WORD_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")


def tokenize(text: str) -> list[str]:
    low = text.lower()
    words = [w for w in re.findall(r"[a-z0-9]+(?:/[a-z0-9-]+)?", low) if w not in STOPWORDS]
    return words + [a + b for a, b in HYPHENATED_PREFIX.findall(low)]


STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """What BM25 matches on: "capabilities" and "capability", "mediates" and "mediator" meet."""
    return [stem(w) for w in tokenize(text)]


def terms(text: str) -> set[str]:
    return set(stems(text))


# A numbered label opening a heading: "Principle 2: One platform; ...", "Success factor #1 – be clear ...".
NUMBERED_LABEL = re.compile(r"^(?P<label>[A-Z][a-z]+(?: [a-z]+)?) #?(?P<n>\d{1,2})\s*[:–—-]\s*(?P<title>\S.*)$")


# What a terminal or a page must not be handed from a document: control characters (escape sequences
# that clear a screen, write the clipboard, hide links) and the bidi controls that make "DELIVORPPA"
# display as "APPROVILED". The stored text keeps them, so quotes stay verifiable against it.
UNDISPLAYABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def displayable(text: str) -> str:
    """Text as it may be shown: control and bidi-override characters taken out."""
    return UNDISPLAYABLE.sub("", text)


# A heading's own numbering: "5. ", "2) ", "B. ".
HEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.)]|[A-Z][.)])\s*")


def own_heading(section: str) -> str:
    """A section path's last heading without its numbering ("Guide > 5. RULES OF THUMB" -> "RULES OF THUMB")."""
    return HEADING_NUMBER.sub("", section.split(" > ")[-1]).strip()
