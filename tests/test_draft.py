"""Drafting on the real index: checklists and MoU clauses, every item cited, every format, odd slot values."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from typer.testing import CliRunner

from assistant.clauses import CLAUSES
from assistant.cli import app
from assistant.draft import Drafter
from assistant.drafts import clean_slot
from assistant.errors import UserError
from assistant.export import FORMATS, export
from ingest.types import STAGES

runner = CliRunner()
ODD_NAMES = [
    "Müller & Søn 株式会社",
    'O\'Brien "Quoted" Holdings <b>bold</b> *stars* [link](x)',
    "Acme\nLtd\r\n\x00",
    "Very Long Name " * 80,
]


@pytest.fixture(scope="module")
def drafter(assistant) -> Drafter:
    return Drafter(assistant.retriever)


def assert_grounded(draft) -> None:
    assert draft.items
    for item in draft.items:
        assert item.citations, f"uncited item: {item.text}"
        for c in item.citations:
            assert c.quote in c.chunk.text


@pytest.fixture
def cli_home(real_settings, monkeypatch):
    monkeypatch.setenv("HANDRAIL_HOME", str(real_settings.home))
    return real_settings.home


def test_design_checklist_covers_every_step_with_verbatim_citations(cli_home):
    result = runner.invoke(app, ["draft", "checklist", "--stage", "design", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "checklist" and len(data["items"]) >= 12
    assert data["created"] and data["corpus"]
    groups = {item["group"] for item in data["items"]}
    for step in ("Value exchange process", "Commercial model", "Culture", "Incentives", "Governance"):
        assert f"The partnership - design > {step}" in groups
    assert {"Management structure", "Contract"} <= {g.split(" > ")[-1] for g in groups}
    for item in data["items"]:
        assert item["citations"]
        for c in item["citations"]:
            assert c["quote"] and c["page"] and c["title"]


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_checklist_is_grounded_and_in_framework_order(drafter, stage):
    draft = drafter.checklist(stage=stage)
    assert_grounded(draft)
    steps = [sp for st, sp in sorted(drafter.retriever.steps, key=str) if st == stage]
    covered = {item.group.split(" > ", 1)[-1] for item in draft.items}
    assert all(step in covered for step in steps)
    positions = [item.citations[0].chunk.position for item in draft.items if not item.citations[0].chunk.case]
    assert positions == sorted(positions)


def test_no_draft_quote_opens_on_a_list_number_or_ends_on_a_lone_lead_in(drafter):
    from evals.drafting import hygiene

    drafts = [drafter.checklist(stage=stage) for stage in STAGES] + [drafter.mou(["Acme Ltd", "Dealer plc"])]
    assert all(hygiene(d, drafter.retriever.embedder)["bad_quotes"] == 0 for d in drafts)


def test_near_duplicates_are_merged_into_one_item_citing_both(drafter):
    draft = drafter.checklist(stage="propose")  # its capability point restates a case 2 lesson
    texts = [i.text for i in draft.items]
    assert len(texts) == len(set(texts))
    assert any(len({c.chunk.id for c in i.citations}) > 1 for i in draft.items)


def test_topic_and_step_checklists(drafter):
    assert {i.group for i in drafter.checklist(topic="due diligence").items} == {
        "The partner - internal > Due diligence"
    }
    exit_items = drafter.checklist(topic="exit").items
    assert exit_items and all("Exit" in i.group for i in exit_items)
    assert_grounded(drafter.checklist(topic="gain share with distributors"))


def test_a_step_checklist_holds_every_instruction_of_its_points(drafter):
    items = drafter.checklist(stage="internal", step="Partnering decision (go/no-go)").items
    quoted = [c.quote for i in items for c in i.citations]
    assert len(items) >= 2 and len(set(quoted)) == 1  # one point of the step states two instructions
    assert all(i.text in quoted[0] for i in items)


def test_a_step_checklist_holds_the_questions_under_a_lead_in_and_the_matters_it_names(drafter):
    # Partner strategy: "Motivation for partnering for you:" is no action, its questions are
    strategy = [i.text for i in drafter.checklist(stage="internal", step="Partner strategy").items]
    assert "Why will they be prepared to partner with you?" in strategy and len(strategy) >= 6
    assert not any(t.rstrip(".").endswith(":") or t.startswith("Motivation") for t in strategy)
    # Exit: every point, the ones named as a matter ("Transfer of IP ...") and asked with a full stop too
    exit_items = drafter.checklist(stage="internal", step="Exit").items
    assert len(exit_items) == 5
    assert any(i.text.startswith("Under what circumstances") and i.text.endswith("?") for i in exit_items)


def test_a_topic_checklist_holds_the_unit_that_speaks_to_it_whole(drafter):
    draft = drafter.checklist(topic="how the choice of partner could hurt our good name in the market")
    step = "The partner - internal > Control for reputational risk"
    assert sum(i.group == step for i in draft.items) >= 4
    assert_grounded(draft)


def test_each_thing_a_clause_says_brings_its_own_guidance(drafter):
    draft = drafter.mou(["Acme Ltd", "Dealer plc"], clauses=["commercial", "ip"])
    for item in draft.items:
        texts = [c.quote for c in item.citations]
        assert len(texts) >= 2 and len(texts) == len(set(texts)), item.clause
    ip = next(i for i in draft.items if i.clause == "ip")
    assert any("IP" in c.quote for c in ip.citations)


def test_context_brings_the_closest_cases_lessons_first(drafter):
    plain = drafter.checklist(stage="design")
    draft = drafter.checklist(stage="design", context="dealer network service partnership")
    first = draft.items[:3]
    assert all(i.group == "Lessons from case 2, closest to your situation" for i in first)
    assert all(c.chunk.case == 2 and c.chunk.part == "lessons_learnt" for i in first for c in i.citations[:1])
    assert [i.text for i in plain.items[:3]] != [i.text for i in first]
    assert len(draft.items) <= 30 and draft.context == "dealer network service partnership"


def test_design_checklist_is_short_plain_and_covers_every_step(drafter):
    draft = drafter.checklist(stage="design")
    steps = [sp for st, sp in drafter.retriever.steps if st == "design"]
    assert len(steps) == 7 and {i.group.split(" > ")[-1] for i in draft.items} == set(steps)
    assert len(draft.items) <= 30
    for item in draft.items:
        assert len(item.text.split()) <= 25, item.text
        assert not re.match(r"(Check|Agree an answer):", item.text), item.text
        assert not re.search(r"\b(?:below|above)\b|see case|[?;:][.;]", item.text), item.text
        assert item.text[0].isupper() and item.text[-1] in ".?"
    vectors = np.asarray(drafter.retriever.embedder.embed_documents([i.text for i in draft.items]))
    sims = [float(a @ b) for n, a in enumerate(vectors) for b in vectors[n + 1 :]]
    assert max(sims) < 0.85  # no two items say the same thing


def test_mou_names_parties_keeps_unfilled_slots_visible_and_cites_every_clause(drafter):
    draft = drafter.mou(["Acme Ltd", "Dealer plc"], {"purpose": "guaranteed machine uptime"})
    assert_grounded(draft)
    assert [i.clause for i in draft.items] == [c.id for c in CLAUSES]
    body = " ".join(i.text for i in draft.items)
    assert "Acme Ltd and Dealer plc" in body and "guaranteed machine uptime" in body
    assert "[to be agreed: the term]" in body and "{" not in body


def test_mou_with_no_parties_shows_placeholders(drafter):
    draft = drafter.mou([], clauses=["parties"])
    assert "[to be agreed: name of party 1] and [to be agreed: name of party 2]" in draft.items[0].text


def test_clauses_can_be_picked(drafter):
    assert [i.clause for i in drafter.mou(["A", "B"], clauses=["ip", "exit"]).items] == ["ip", "exit"]


@pytest.mark.parametrize("bad", [{"clauses": ["warranty"]}, {"slots": {"colour": "blue"}}])
def test_unknown_clause_or_slot_is_a_user_error(drafter, bad):
    with pytest.raises(UserError):
        drafter.mou(["A", "B"], **bad)


def test_odd_slot_values_are_cleaned_but_kept():
    assert clean_slot("Acme\nLtd\r\n\x00") == "Acme Ltd"
    assert clean_slot("   ") is None and clean_slot("") is None
    assert len(clean_slot("x" * 5000)) == 300
    assert clean_slot("Müller & Søn 株式会社") == "Müller & Søn 株式会社"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_with_odd_names(drafter, fmt):
    draft = drafter.mou(ODD_NAMES[:3], {"purpose": ODD_NAMES[3]}, clauses=["parties", "purpose", "ip"])
    data = export(draft, fmt)
    if fmt == "docx":
        doc = Document(io.BytesIO(data))
        text = "\n".join(p.text for p in doc.paragraphs)
        numbered = [p.text for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
        assert numbered == ["Parties", "Common vision and purpose", "Intellectual property"]
        notes = parse_xml(doc.part.part_related_by(RT.FOOTNOTES).blob)
        assert len(notes.findall(qn("w:footnote"))) == 2 + 3  # Word's two separators, then one per clause
    else:
        text = data.decode()
    if fmt == "json":
        loaded = json.loads(text)
        assert loaded["parties"][0] == "Müller & Søn 株式会社"
        assert all(item["citations"] and item["heading"] for item in loaded["items"])
        return
    assert "Müller & Søn 株式会社" in text and "Acme Ltd" in text and "\x00" not in text
    if fmt == "md":
        assert r"\<b\>bold\</b\>" in text and r"\*stars\*" in text  # user text cannot become markup
        body, notes = text.split("## Guidance and sources")
        markers = set(re.findall(r"\[\^\d+\]", body))
        assert markers and all(f"\n{m}: " in notes for m in markers)
    if fmt == "txt":
        assert text.count("Source: “") >= 3


def test_checklist_markdown_has_checkboxes_and_footnotes(drafter):
    text = export(drafter.checklist(stage="propose"), "md").decode()
    assert "- [ ] " in text and "## Guidance and sources" in text and "[^1]:" in text


def test_cli_mou_docx_file_and_errors(cli_home, tmp_path):
    out = tmp_path / "mou.docx"
    args = ["draft", "mou", "--party", "Acme Ltd", "--party", "Dealer plc", "--context", "dealer network"]
    result = runner.invoke(app, [*args, "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Acme Ltd" in text and "Dealer plc" in text
    assert len([p for p in doc.paragraphs if p.style.name == "Heading 1"]) == len(CLAUSES) + 1  # and Signatures

    for extra in (["--format", "docx"], ["--format", "pdf"], ["-o", str(tmp_path / "missing" / "x.md")]):
        failed = runner.invoke(app, [*args, *extra])
        assert failed.exit_code == 2 and "Traceback" not in failed.output
    assert runner.invoke(app, ["draft", "checklist"]).exit_code == 2
    assert runner.invoke(app, ["draft", "checklist", "--stage", "launch"]).exit_code == 2


def test_chat_drafts_on_request(assistant):
    answer = assistant.conversation().ask("Please draft a design stage checklist")
    assert answer.status == "answered" and answer.text.startswith("Checklist")
    assert answer.citations and all(c.quote in c.chunk.text for c in answer.citations)
    assert assistant.ask("What goes in the MoU?").text.startswith("Checklist") is False


def test_an_mou_named_with_its_parties_is_drafted_whatever_the_verb(drafter):
    from assistant.request import draft_for_request

    needed = draft_for_request(
        drafter, "MoU needed: Fairfield Health Trust and Aster Analytics, to pilot a triage app."
    )
    assert needed is not None and needed.kind == "mou"
    assert "Fairfield Health Trust" in needed.title and "Aster Analytics" in needed.title
    assert draft_for_request(drafter, "What should the MoU between the company and its dealer cover?") is None


def test_a_checklist_on_a_topic_told_at_length_is_titled_by_the_unit_at_its_core(drafter):
    from assistant.request import draft_for_request

    told = "Could you do a quick list of things to check so that picking this supplier never hurts our brand?"
    draft = draft_for_request(drafter, told)
    assert draft is not None and draft.kind == "checklist"
    headings = {c.section.split(" > ")[-1] for c in drafter.retriever.chunks}
    assert draft.title.removeprefix("Checklist: ") in headings


def test_every_term_a_clause_defines_is_defined_so_in_the_corpus(drafter):
    """A clause that expands a term in brackets ("ARCI (accountable, ...)") expands it as the guidance
    does, and the terms of art it uses are the guidance's own."""
    corpus = re.sub(r"\s+", " ", " ".join(c.text for c in drafter.retriever.chunks)).lower()
    for clause in CLAUSES:
        body = re.sub(r"\{\w+\}", "", clause.body)
        for term, expansion in re.findall(r"\b([A-Z]{2,})\s*\(([^)]+)\)", body):
            assert f"{term.lower()} ({expansion.lower()})" in corpus, (clause.id, term, expansion)
    bodies = " ".join(c.body.lower() for c in CLAUSES)
    for term in ("value exchange process", "review board", "one face to the customer", "arci"):
        assert term in bodies and term in corpus, term


def test_a_markdown_footnote_quotes_every_passage_its_clauses_cite_at_that_place():
    from assistant.drafts import Draft, DraftItem
    from assistant.export import to_markdown
    from assistant.types import Citation
    from ingest.types import Chunk

    memo = Chunk("m", "guide", "Guide", 3, 3, "Propose > Memo", "Write the memo first. Sign an NDA too.")
    items = [
        DraftItem("The partners write a memo.", [Citation(1, memo, "Write the memo first.")], heading="Memo"),
        DraftItem("Exchanges are confidential.", [Citation(1, memo, "Sign an NDA too.")], heading="Secrets"),
    ]
    text = to_markdown(Draft("mou", "Memorandum", items, "f"))
    assert text.count("[^1]") == 3  # both clauses, one footnote
    assert "[^1]: “Write the memo first.” “Sign an NDA too.” (Guide, Propose \\> Memo, p. 3)" in text


def test_a_clause_is_backed_by_the_points_of_its_own_step_that_speak_to_it(drafter):
    exit_clause = next(i for i in drafter.mou(["A Ltd", "B plc"]).items if i.clause == "exit")
    quotes = [c.quote for c in exit_clause.citations]
    # the Exit step's own points on scenarios and breaking off, beside its liabilities
    assert "Define exit scenarios for the partners." in quotes
    assert any(q.startswith("Under what circumstances can the partnership be broken immediately") for q in quotes)
    assert all(c.chunk.step == "Exit" for c in exit_clause.citations if c.quote.startswith(("Define exit", "Under")))


def test_a_figure_asked_about_a_clause_is_a_question_not_a_draft(drafter):
    from assistant.request import draft_for_request

    asked = "We want an exit clause in our supply contract. What notice period is usual, 30 days? 3 months?"
    assert draft_for_request(drafter, asked) is None
    drafted = draft_for_request(drafter, "Draft an exit clause for Acme Ltd and Beta plc with 30 or 90 days' notice")
    assert drafted is not None and drafted.kind == "mou"  # a request opening on drafting is one


def test_a_clause_is_backed_by_its_own_steps_point_before_another_documents_item_about_as_close():
    from assistant.guidance import OWN_STEP_MARGIN, closest
    from assistant.pieces import Piece
    from assistant.types import Passage
    from ingest.types import Chunk

    def entry(step: str | None) -> list[Piece]:
        chunk = Chunk(f"c-{step}", "doc", "Doc", 1, 1, f"S > {step}", "Have a review board.", step=step)
        return [Piece(Passage(chunk, 0.0), chunk, "Have a review board.", True, 0, pid=f"c-{step}:0")]

    own, other = entry("Governance"), entry(None)
    assert closest([(0.60, other), (0.60 - OWN_STEP_MARGIN / 2, own)], "Governance")[1] is own
    assert closest([(0.60, other), (0.60 - OWN_STEP_MARGIN * 2, own)], "Governance")[1] is other
    assert closest([(0.60, other), (0.58, own)], None)[1] is other
