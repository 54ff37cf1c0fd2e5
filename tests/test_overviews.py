"""Overviews from the index's structure, on made-up units: the case studies one line each, the process
as a whole, and a named document that has no stages of its own."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.case_list import cases_asked, per_case
from assistant.overview import STAGES_ASKED, overview
from assistant.route import Route
from ingest.types import Chunk


def chunk(cid: str, section: str, text: str, position: int, doc: str = "guide", **meta) -> Chunk:
    return Chunk(cid, doc, doc.title(), 1, 1, section, text, position=position, **meta)


INTRO = chunk(
    "intro",
    "Guide > Introduction",
    "Our first example, case 1, is a bakery that shares ovens. The example of case 2 is a courier that"
    " pools vans. case 3, likewise, is a florist network.\nSee case 2 for the van rota (see case 2).",
    1,
)
CASES = [
    chunk(f"c{n}", f"Case {n} > Background", f"Case {n} opens on its own story number {n}.", 10 + n, case=n)
    for n in (1, 2, 3)
]
STEP = chunk("s1", "Stage > Start", "The process starts with a talk.", 2, stage="internal", step="Start")


def retriever(*chunks: Chunk) -> SimpleNamespace:
    return SimpleNamespace(chunks=list(chunks), units={}, cases={c.case for c in chunks if c.case})


def test_a_sentence_the_layout_ran_together_is_cut_where_the_next_case_is_taken_up():
    text = "The example of case 2 is a courier that pools vans. case 3, likewise, is a florist network."
    assert per_case(text) == [
        (2, "The example of case 2 is a courier that pools vans."),
        (3, "case 3, likewise, is a florist network."),
    ]
    assert all(said in text for _, said in per_case(text))  # each case's words stay verbatim


def test_the_case_studies_are_listed_each_with_its_introduction_and_its_own_opening():
    index = retriever(INTRO, *CASES)
    shown = overview("What are the three case studies each about?", Route(query="q"), index, [])
    assert shown is not None
    lines = shown.text.splitlines()
    assert lines[0] == "The case studies, in the briefing's order:"
    assert lines[2].startswith("- Case 2: The example of case 2 is a courier that pools vans. [1]")
    assert "Case 2 opens on its own story number 2." in lines[2]
    assert lines[3].startswith("- Case 3: case 3, likewise, is a florist network. [1]")
    assert all(c.quote in c.chunk.text for c in shown.citations)
    assert not any("see case" in c.quote for c in shown.citations)  # a pointer introduces no case


def test_asking_which_case_tells_a_story_is_not_a_list_of_the_cases():
    index = retriever(INTRO, *CASES)
    assert cases_asked("Give me a rundown of all the cases", index)
    assert cases_asked("Which case studies are there in the guide?", index)
    assert cases_asked("what cases does it have, and what is each about?", index)
    assert not cases_asked("Which case studies talk about ovens?", index)
    assert not cases_asked("Which of the cases is the one with the florists?", index)
    assert not cases_asked("What did the cases with a courier learn?", index)
    assert not cases_asked("What are the cases about?", retriever(STEP))  # an index with no cases


def test_the_process_asked_for_as_a_whole_is_its_stages():
    for question in (
        "Can you walk me through the whole partnership process?",
        "Give me the big picture of how the process runs, start to finish",
        "what does the process look like end to end?",
        "What are the main parts of the Acme partnership framework?",
    ):
        assert STAGES_ASKED.search(question), question
    assert not STAGES_ASKED.search("What process did they follow in the second case?")
    index = retriever(STEP, chunk("o1", "Other > Levels", "Five levels of maturity.", 1, doc="other"))
    stages = overview("What are the stages?", Route(query="q"), index, [])
    assert stages is not None and "Start" not in stages.text.splitlines()[0]
    # another document named: the framework's stages are not its answer
    assert overview("What are the stages in the other paper?", Route(query="q", doc="other"), index, []) is None


def test_the_stages_open_with_the_documents_own_numbered_summary_of_them_and_list_each_stages_steps():
    summary = chunk(
        "sum",
        "Guide > Summary",
        "We wrote this guide with bakers.\nWe defined a three-stage process:\n1. Mix the dough.\n2. Let it rise."
        "\n3. Bake it hot.\nEach stage has its pitfalls.",
        0,
    )
    stage = chunk("s0", "Stage", "This section details the stage. The process starts with a talk.", 1, stage="internal")
    index = retriever(summary, stage, STEP)
    stages = overview("Walk me through the whole process, please", Route(query="q"), index, [])
    assert stages is not None
    lines = stages.text.splitlines()
    assert lines[1:5] == [
        "We defined a three-stage process: [1]",
        "1. Mix the dough. [1]",
        "2. Let it rise. [1]",
        "3. Bake it hot. [1]",
    ]
    # a stage opens on what it is, not on a sentence about the text; its steps are named by their headings
    assert lines[6] == "- The partner - internal: The process starts with a talk. [2] Its steps: Start."
    assert all(c.quote in c.chunk.text for c in stages.citations)
    # numbered lines that do not follow a line announcing stages are no summary of them
    plain = chunk("sum", "Guide > Summary", "Some tips:\n1. Mix.\n2. Rise.\n3. Bake.", 0)
    assert "We defined" not in overview("What are the stages?", Route(query="q"), retriever(plain, STEP), []).text


def test_an_entry_of_the_list_given_before_is_found_by_its_place_or_its_heading():
    from assistant.overview import listed_entry

    listed = [("guide", "Guide > Principle 1: Near the buyer"), ("guide", "Guide > Principle 2: Rules guide work")]
    assert listed_entry("Tell me more about the first one.", listed) == listed[0]
    assert listed_entry("and the last?", listed) == listed[1]
    assert listed_entry("what about number 2", listed) == listed[1]
    assert listed_entry("And the rules one?", listed) == listed[1]
    assert listed_entry("the fifth principle?", listed) is None  # the list has two
    assert listed_entry("How did they win the first customer?", listed) is None  # "first" says no place
    assert listed_entry("Tell me more about the first one.", []) is None  # no list was given


def test_the_entries_of_an_overview_are_kept_for_the_next_turn():
    index = retriever(INTRO, *CASES)
    shown = overview("What are the three case studies each about?", Route(query="q"), index, [])
    assert shown is not None and shown.listed == [("guide", f"Case {n} > Background") for n in (1, 2, 3)]


RULES = chunk(
    "rules",
    "Guide > Rules of thumb",
    "Some rules of thumb follow.\n- Do: plan early.\n- Don't: rush the signing.\n- Do: keep notes.\n"
    "- Don’t: blame the partner.\n- Don't: skip the review.\n- Do: celebrate wins.",
    5,
)


def test_the_statements_a_list_labels_are_asked_for_by_the_label_in_the_plural():
    from assistant.overview import rules_asked
    from tests.test_core_units import passage

    asked = rules_asked("What are the don'ts?", [passage(RULES)])
    assert asked is not None
    title, entries = asked
    assert title == "Guide, Rules of thumb:"
    assert [text for _, text in entries] == [
        "Don't: rush the signing.",
        "Don’t: blame the partner.",
        "Don't: skip the review.",
    ]
    both = rules_asked("any dos and don'ts?", [passage(RULES)])
    assert both is not None and len(both[1]) == 6
    assert rules_asked("What should we do first?", [passage(RULES)]) is None  # "do" is not the label's plural
    assert rules_asked("What are the don'ts?", [passage(STEP)]) is None  # no unit labels them
    shown = overview("What are the don'ts?", Route(query="q"), retriever(RULES), [passage(RULES)])
    assert shown is not None and shown.text.splitlines()[1] == "- Don't: rush the signing. [1]"


def test_a_document_asked_about_as_a_whole_opens_with_its_own_summary(assistant):
    briefing = assistant.ask("Could you summarise the Cambridge briefing for me?")
    lines = briefing.text.splitlines()
    assert lines[0].endswith("sums itself up in its executive summary:")
    assert any(line.startswith("The aim of this executive briefing is") for line in lines)
    assert [line[:2] for line in lines if line[:1].isdigit()] == ["1.", "2.", "3.", "4."]  # its four stages
    assert {c.chunk.section.split(" > ")[-1] for c in briefing.citations} == {"Executive summary"}
    paper = assistant.ask("what is the main message of the Partner Everywhere paper?")
    lines = paper.text.splitlines()
    assert "key points to take away" in lines[0]
    assert lines[1].startswith("The speed, scale, and scope of partnering are unprecedented.")
    assert "Its parts, in order:" in lines and any(line.startswith("- Principle 5") for line in lines)
    assert all(c.quote in c.chunk.text for c in paper.citations)
    # A document with no summary of itself is listed by its parts, as before.
    assert assistant.ask("What is the TM Forum guide about?").text.splitlines()[0].endswith("covers, in order:")
    # A step of the document named in the question is what is asked about, not the document as a whole.
    step = assistant.ask("In the Cambridge briefing, what does the due diligence step contain?")
    assert "sums itself up" not in step.text
    assert {c.chunk.step for c in step.citations} == {"Due diligence"}


def test_a_list_asked_for_by_name_is_each_list_the_top_passages_belong_to():
    from tests.test_core_units import passage

    tips = [
        chunk(f"tip{n}", f"Guide > Tip #{n} – {name}", f"Tip #{n} – {name}\n{name.capitalize()} matters.", 20 + n)
        for n, name in enumerate(("plan ahead", "talk often", "share wins"), start=1)
    ]
    units = {(c.doc_id, c.section): [c] for c in tips}
    found = [passage(tips[1]), passage(RULES), passage(STEP)]
    shown = overview(
        "Give me the short list of what helps",
        Route(query="q"),
        SimpleNamespace(chunks=tips, units=units, cases=set()),
        found,
    )
    assert shown is not None
    lines = shown.text.splitlines()
    assert lines[0] == "Guide: its 3 tips, in order:"
    assert lines[1] == "- Tip #1 – plan ahead: Plan ahead matters. [1]"
    assert "Guide, Rules of thumb:" in lines and "- Don't: skip the review. [4]" in lines
    assert all(c.quote in c.chunk.text for c in shown.citations)
    # the same passages, asked about one topic and not for a list, are no overview
    assert (
        overview(
            "Why does talking often help?",
            Route(query="q"),
            SimpleNamespace(chunks=tips, units=units, cases=set()),
            found,
        )
        is None
    )


def test_the_labelled_statements_asked_for_alone_are_named_but_not_on_a_topic_of_the_questions_own():
    from assistant.overview import only_rules_asked

    assert only_rules_asked("What are the dos and don'ts?")
    assert only_rules_asked("give me the short list of the don'ts")
    assert not only_rules_asked("What are the dos and don'ts of tax law?")  # a topic of its own: judged as asked
    assert not only_rules_asked("What should we do first?")  # no label asked for


def test_the_stages_summary_keeps_the_sentence_that_sums_it_up_and_each_stage_is_told_by_what_it_is():
    summary = chunk(
        "sum",
        "Guide > Summary",
        "We defined a three-stage process:\n1. Mix the dough.\n2. Let it rise.\n3. Bake it hot."
        "\nThis guide was written with bakers.\nOverall, the process should be tasted at every stage. It never ends.",
        0,
    )
    stage = chunk(
        "s0",
        "Stage",
        "Throughout the stages the bakers work together. The internal process is the mixing process.",
        1,
        stage="internal",
    )
    index = retriever(summary, stage, STEP)
    stages = overview("Walk me through the whole process, please", Route(query="q"), index, [])
    assert stages is not None
    lines = stages.text.splitlines()
    assert lines[5] == "Overall, the process should be tasted at every stage. [1]"  # not the line about the guide
    assert "It never ends." not in stages.text
    # the stage is told by the sentence naming it and saying what it is, not by its first sentence
    assert "- The partner - internal: The internal process is the mixing process. [2]" in stages.text


def test_an_answer_from_a_stages_introduction_goes_on_to_list_its_steps():
    from types import SimpleNamespace

    from assistant.stage_steps import with_its_steps
    from assistant.types import Answer, Citation, Passage
    from ingest.types import STAGE_TITLES, Chunk

    def made(cid: str, step: str | None, text: str, position: int) -> Chunk:
        section = STAGE_TITLES["design"] + (f" > {step}" if step else "")
        return Chunk(
            cid, "brief", "Brief", position, position, section, text, position=position, stage="design", step=step
        )

    intro = made("intro", None, "Design is detailed planning. This section details the steps.", 1)
    steps = [
        made("rig", "Rigging", "Rigging sets the sails.\n- Check the ropes.", 2),
        made("hull", "Hull", "The hull keeps water out.", 3),
    ]
    retriever = SimpleNamespace(chunks=[steps[1], intro, steps[0]])
    quote = "Design is detailed planning."
    answer = Answer(
        "what is design?", "answered", f"{quote} [1]", [Citation(1, intro, quote)], [Passage(intro, 1.0)], "design"
    )
    shown = with_its_steps(answer, retriever)  # type: ignore[arg-type]
    assert shown.text.splitlines()[1:] == [
        "Its steps, in the briefing's order:",
        "- Rigging: Rigging sets the sails. [2]",
        "- Hull: The hull keeps water out. [3]",
    ]
    assert all(c.quote in c.chunk.text for c in shown.citations)
    assert [c.marker for c in shown.citations] == [1, 2, 3]
    # an answer quoting a step too is left as it is
    mixed = Answer(
        "q", "answered", "x [1] y [2]", [Citation(1, intro, quote), Citation(2, steps[0], "Rigging sets the sails.")]
    )
    assert with_its_steps(mixed, retriever) is mixed  # type: ignore[arg-type]
