"""Documents named in a question: "the TM Forum guide", "in Willetts' article", "the strategic partnerships
article". A word of a document's title that no other title has, written as a name (capitalised), after
"according to", or just before a word for a document, names it; a title word counts as a name only when at
most NAME_SPREAD documents use it, so "partnerships" never names one.

    names = document_names(chunks, own_title_words(chunks))
    named_document("what does the TM Forum guide say about exit?", names, own_title_words(chunks))
    -> "tmforum-managing-partnerships"
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.text import tokenize
from ingest.types import Chunk

# Words for a document, after which a title word names it ("the strategic partnerships article").
DOCUMENT_NOUN = re.compile(
    r"\b(?:guide|paper|white ?paper|article|blog|post|briefing|report|document|docs?|pdf|piece|study)\b", re.I
)
NAME_SPREAD = 2  # a title word used by more documents than this is a topic, not a name (tm, willetts: 2)


def title_words(chunks: list[Chunk]) -> dict[str, set[str]]:
    """Each document's title words."""
    return {c.doc_id: set(tokenize(c.title)) for c in chunks}


def own_title_words(chunks: list[Chunk]) -> dict[str, set[str]]:
    """Each document's title words that no other document's title has."""
    titles = title_words(chunks)
    return {doc: words - set().union(*(t for d, t in titles.items() if d != doc)) for doc, words in titles.items()}


def document_names(
    chunks: list[Chunk], own: dict[str, set[str]], about: dict[str, str] | None = None
) -> dict[str, set[str]]:
    """Each document's name words, those few documents use: its own title words (`own_title_words`),
    and the words of its file name ("willetts-win-win-or-lose") and of what the corpus's catalogue says
    it is ("blog article by an executive coach"), which users name it by as well, where no other
    document's title has them."""
    used: dict[str, set[str]] = {}
    for c in chunks:
        used.setdefault(c.doc_id, set()).update(tokenize(c.text))
    titles = title_words(chunks)
    spread = Counter(w for words in used.values() for w in words)
    names = {}
    for doc, words in own.items():
        others = set().union(*(t for d, t in titles.items() if d != doc))
        described = set(tokenize(DOCUMENT_NOUN.sub(" ", f"{doc.replace('-', ' ')} {(about or {}).get(doc, '')}")))
        described -= others  # "a blog article" says what it is, not which one
        names[doc] = {w for w in words | described if len(w) > 1 and spread[w] <= NAME_SPREAD}
    return names


NOUN_REACH = 3  # words before a word for a document that may name it ("the TM Forum guide", "the exec coach's blog")


def named_document(question: str, names: dict[str, set[str]], own: dict[str, set[str]]) -> str | None:
    """The document a question names, if it names exactly one (see the module's docstring): one of its
    name words written as a name or after "according to"; or, before a word for a document, the nearest
    word that one document's name or title has ("the executive coach's article": coach, not executive)."""
    found = set()
    said = [(m, re.sub(r"['’]s?$", "", m.group()).lower()) for m in re.finditer(r"[A-Za-z][\w'’]*", question)]
    for m, word in said:
        before = question[max(0, m.start() - 14) : m.start()].lower()
        as_name = m.group()[0].isupper() and m.start() > 0 and not re.search(r"[.?!:]\s*$", before)
        found |= {doc for doc in names if word in names[doc] and (as_name or "according to" in before)}
    for n, (m, _) in enumerate(said):
        if not DOCUMENT_NOUN.fullmatch(m.group()):
            continue
        for _, word in reversed(said[max(0, n - NOUN_REACH) : n]):
            docs = {doc for doc in names if word in names[doc] or word in own[doc]}
            if docs:
                found |= docs if len(docs) == 1 else set()
                break
    return found.pop() if len(found) == 1 else None


def titled_after_noun(query: str, title: set[str]) -> str:
    """The query without its document's title words where they follow a word for the document and "on" or
    "about" ("the coach's article on strategic partnerships"): there they say which document, not what
    is asked of it."""
    words = "|".join(sorted(map(re.escape, title)))
    if not words:
        return query
    named = re.compile(rf"({DOCUMENT_NOUN.pattern}\s+(?:on|about)\s+)(?:{words})(?:\s+(?:{words}))*\b", re.I)
    return named.sub(lambda m: m.group(1), query)


def without_name(query: str, name: set[str]) -> str:
    """The query without the words that name its document ("the TM Forum guide", "Willetts' blog"). A name
    word is part of the name where it is written as one: beside another name word, capitalised, possessive
    or before a word for a document ("partner everywhere doc"); alone elsewhere it is a topic word ("...
    due diligence on every single partner?")."""
    words = "|".join(sorted(map(re.escape, name)))
    if words:
        run = re.compile(rf"\b(?:{words})(?:[\s-]+(?:{words}))*(?P<own>['’]s?)?(?=\W|$)", re.I)

        def named(m: re.Match[str]) -> str:
            after = query[m.end() :].lstrip()
            as_name = (
                len(re.split(r"[\s-]+", m.group().strip())) > 1
                or m.group()[0].isupper()
                or m.group("own") is not None
                or DOCUMENT_NOUN.match(after) is not None
            )
            return " " if as_name else m.group()

        query = run.sub(named, query)
    query = DOCUMENT_NOUN.sub(" ", query)
    return re.sub(r"\s+", " ", query).strip()
