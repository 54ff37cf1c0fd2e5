"""The briefing's structure, recovered from the real PDF, and extraction quality against corpus-text/."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ingest.clean import clean_pdf
from ingest.loaders import load
from ingest.pipeline import chunk_document
from ingest.structure import structure
from ingest.types import Block
from tests.conftest import CORPUS, CORPUS_TEXT

BRIEFING = CORPUS / "cambridge-b2b-partnership-process.pdf"

# The stage map of the design notes: each stage's steps, as the briefing titles them.
STEPS = {
    "customer": [],
    "internal": [
        "Client strategy",
        "Partner strategy",
        "Due diligence",
        "Control for reputational risk",
        "Partnering decision (go/no-go)",
        "Renew",
        "Review (or renew, re-design or re-propose)",
        "Exit",
    ],
    "propose": ["Why partnering", "Memorandum of common understanding", "Business imperative", "Future state"],
    "design": [
        "Value exchange process",
        "Commercial model",
        "Culture",
        "Incentives",
        "Governance",
        "Management structure",
        "Contract",
    ],
    "manage_deliver": [
        "Communication",
        "Performance",
        "Structure",
        "Contractual agreement",
        "Dynamic change",
        "Outcome",
    ],
}


@pytest.fixture(scope="module")
def chunks():
    return chunk_document(BRIEFING)[0]


def test_every_stage_and_step_is_found_in_order(chunks):
    for stage, steps in STEPS.items():
        found = list(dict.fromkeys(c.step for c in chunks if c.stage == stage and c.step))
        assert found == steps, stage
        assert any(c.stage == stage for c in chunks)


def test_every_step_has_its_points_to_consider(chunks):
    for stage, steps in STEPS.items():
        for step in steps or [None]:
            points = [c for c in chunks if c.stage == stage and c.step == step and c.kind == "points"]
            assert points and any("- " in c.text for c in points), (stage, step)


def test_value_exchange_text_is_put_back_under_its_heading(chunks):
    step = [c for c in chunks if c.step == "Value exchange process"]
    text = " ".join(c.text for c in step)
    assert "the mechanics of how value is demonstrated and then delivered to the customer" in text
    assert "Define the process to demonstrate value to the customer in the sales phase" in text


def test_four_cases_with_their_parts_and_lessons(chunks):
    cases = Counter(c.case for c in chunks if c.case)
    assert sorted(cases) == [1, 2, 3, 4]
    for n in range(1, 5):
        parts = {c.part for c in chunks if c.case == n}
        assert {"background", "process_followed", "lessons_learnt"} <= parts, n
        lessons = [c for c in chunks if c.case == n and c.part == "lessons_learnt"]
        assert lessons and all(c.kind == "lessons" for c in lessons)
    case3 = " ".join(c.text for c in chunks if c.case == 3 and c.part == "lessons_learnt")
    assert "one face to the customer, one face to the provider" in case3
    assert "dealer network" in " ".join(c.text for c in chunks if c.case == 2)


def test_see_case_links_are_kept(chunks):
    links = {(c.step, n) for c in chunks for n in c.see_cases}
    assert ("Governance", 1) in links  # technical review board (see case 1)
    assert ("Management structure", 3) in links  # ARCI (see case 3)
    assert ("Contractual agreement", 4) in links  # who owns the IP (see case 4)
    assert ("Performance", 2) in links  # "see lesson learnt 2.5"


def test_no_chunk_spans_two_steps_or_cases(chunks):
    for c in chunks:
        assert not (c.case and c.stage), c.section
        assert len(re.findall(r"^CASE \d", c.text, re.M)) == 0


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.mark.parametrize(
    "name", ["cambridge-b2b-partnership-process", "tmforum-managing-partnerships", "partner-everywhere-imperative"]
)
def test_pdf_text_matches_the_reference_extraction(name):
    blocks = clean_pdf(load(CORPUS / f"{name}.pdf"))
    ours = words(" ".join(b.text for b in blocks))
    reference = words((CORPUS_TEXT / f"{name}.txt").read_text())
    recall = sum(min(n, ours[w]) for w, n in reference.items()) / sum(reference.values())
    assert recall >= 0.98, f"{name}: word recall {recall:.3f}"
    header = load(CORPUS / f"{name}.pdf")[1].text.splitlines()[0].strip()
    assert not any(b.text == header for b in blocks), "running header left in"


def test_a_pull_quote_is_indexed_once_where_the_text_says_it_in_full():
    from ingest.clean import without_pull_quotes
    from ingest.types import Block

    said = "Roles are the key organising principle of every ecosystem we have studied so far."
    blocks = [
        Block("heading", "Principle 2", 1),
        Block("paragraph", f"As we have seen, companies play many roles. {said}", 1),
        Block("heading", "Principle 3", 2),
        Block("paragraph", said, 2),  # set in large type beside the next principle
        Block("paragraph", "An explicit partnering strategy is the starting point for every one of them.", 2),
        Block("paragraph", "Key points", 3),
        Block("paragraph", "Key points", 4),  # too short to be a pull quote
    ]
    kept = [b.text for b in without_pull_quotes(blocks)]
    assert said not in kept and kept.count("Key points") == 2
    assert kept[2] == "Principle 3" and kept[3].startswith("An explicit partnering strategy")
    # A line break may have joined a hyphenated word in one place and not the other: the quote is the same.
    broken = "Governance interlocks with each step of the go-tomarket process, from first contact on."
    blocks = [
        Block("paragraph", f"Partnering must flow freely. {broken}", 1),
        Block("paragraph", broken.replace("go-tomarket", "go-to-market"), 1),
        Block("paragraph", "Governance, from first contact on, meets the go-to-market process.", 1, aside=True),
    ]
    assert [b.text for b in without_pull_quotes(blocks)] == [blocks[0].text, blocks[2].text]
    blocks[2] = Block("paragraph", "Governance interlocks with each step of the go-to-market process.", 1, aside=True)
    assert [b.text for b in without_pull_quotes(blocks)] == [blocks[0].text]


def test_chunks_fit_the_embedding_window(embedder):
    from ingest.loaders import corpus_files

    for path in corpus_files(CORPUS):
        for c in chunk_document(path)[0]:
            assert embedder.count_tokens(c.embed_text) <= 256, (c.section, embedder.count_tokens(c.embed_text))


def test_the_other_documents_numbered_headings_are_each_a_section_of_their_list():
    for name, label, count in [
        ("tmforum-managing-partnerships.pdf", "Success factor #", 5),
        ("partner-everywhere-imperative.pdf", "Principle ", 5),
    ]:
        sections = {c.section.split(" > ")[-1] for c in chunk_document(CORPUS / name)[0]}
        numbered = sorted(s for s in sections if s.startswith(label))
        assert [s[len(label)] for s in numbered] == [str(n) for n in range(1, count + 1)], name
    contents, _ = chunk_document(CORPUS / "tmforum-managing-partnerships.pdf")
    assert not any(re.search(r"\b\d{1,3}\s+Success factor #\d-", c.text) for c in contents)  # no contents lines


def test_a_legal_notice_is_not_guidance():
    """The TM Forum guide's copyright notice (who may copy or translate it) is no passage of its own."""
    chunks, _ = chunk_document(CORPUS / "tmforum-managing-partnerships.pdf")
    assert not any("All Rights Reserved" in c.text or "languages other than" in c.text for c in chunks)
    assert any(c.section.endswith("INTRODUCTION") for c in chunks)
    blocks = [
        Block("heading", "Notice", 1),
        Block("paragraph", "Copyright © Example Body 2020. All rights reserved.", 1),
    ]
    blocks += [Block("heading", "Governance", 2), Block("paragraph", "Have a review board that meets monthly.", 2)]
    assert [s.path[-1] for s in structure("doc", "Doc", blocks)] == ["Governance"]


def test_each_case_part_carries_the_story_of_its_case(chunks):
    """A case's later parts ("Service partnering") are embedded with the sentence that opens the case, so
    a question telling the story ("the machine manufacturer and its dealers") finds every part of it."""
    for n in (1, 2, 3, 4):
        parts = [c for c in chunks if c.case == n]
        opening = parts[0].text.split(". ")[0]
        assert parts[0].story == ""  # the chunk that tells it needs it no second time
        later = parts[1:]
        assert later and all(c.story.startswith(opening) and c.story in c.embed_text for c in later), n
    assert "dealer network" in next(c.story for c in chunks if c.case == 2 and c.part == "lessons_learnt")
    assert all(not c.story for c in chunks if c.case is None)


def test_the_layouts_paragraph_gap_ends_a_numbered_point_whose_last_line_fills_the_width():
    pages = load(BRIEFING)
    summary = next(p.text for p in pages if "After the workshop" in p.text)
    assert "\n\nAfter the workshop" in summary  # the loader's blank line where the layout leaves a gap
    blocks = clean_pdf(pages)
    fourth = next(b.text for b in blocks if b.text.startswith("4. When the partnership is fully defined"))
    assert fourth.endswith("starts delivering to the customer.")
    assert any(b.kind == "paragraph" and b.text.startswith("After the workshop") for b in blocks)
