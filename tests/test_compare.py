"""Comparisons on made-up units: the guidance's own sentence setting the sides apart is quoted first."""

from __future__ import annotations

from assistant.compare import contrasts, side_by_side
from assistant.types import Answer, Citation, Passage
from ingest.types import Chunk

REFIT = Chunk(
    "refit",
    "guide",
    "Guide",
    3,
    3,
    "Stage > Refit",
    "A refit is a big job. Unlike routine upkeep, a refit is decided by the owner alone.\n"
    "Refits differ by yard.\n- Book the dock early.",
    position=1,
)
UPKEEP = Chunk(
    "upkeep", "guide", "Guide", 4, 4, "Stage > Upkeep", "Upkeep never stops. Oil the winches weekly.", position=2
)


def answered(c: Chunk, quote: str) -> Answer:
    return Answer("q", "answered", f"{quote} [1]", [Citation(1, c, quote)], [Passage(c, 1.0)])


def test_the_sentence_that_sets_one_side_against_the_other_leads_the_comparison():
    sides = [("a refit", "a refit"), ("routine upkeep", "routine upkeep")]
    answers = [
        ("a refit", answered(REFIT, "A refit is a big job.")),
        ("routine upkeep", answered(UPKEEP, "Upkeep never stops.")),
    ]
    lead = contrasts(sides, answers)
    # a contrast word and the other side's word; "Refits differ by yard." names no other side
    assert lead == [(REFIT, "Unlike routine upkeep, a refit is decided by the owner alone.")]
    joined = side_by_side("q", answers, lead)
    assert joined.text.startswith(
        "How the guidance tells them apart:\nUnlike routine upkeep, a refit is decided by the owner alone. [1]"
    )
    assert "On a refit:\nA refit is a big job. [1]" in joined.text  # the same place keeps its marker
    assert "On routine upkeep:\nUpkeep never stops. [2]" in joined.text
    assert all(c.quote in c.chunk.text for c in joined.citations)


def test_a_sentence_a_side_already_quotes_is_not_repeated():
    quote = "Unlike routine upkeep, a refit is decided by the owner alone."
    sides = [("a refit", "a refit"), ("routine upkeep", "routine upkeep")]
    answers = [("a refit", answered(REFIT, quote)), ("routine upkeep", answered(UPKEEP, "Upkeep never stops."))]
    assert contrasts(sides, answers) == []


def test_what_the_contrast_sentence_announces_is_quoted_with_it():
    laying_up = Chunk(
        "layup",
        "guide",
        "Guide",
        6,
        6,
        "Stage > Laying up",
        "A boat is laid up each winter. Laying up is done for different reasons than routine upkeep.\n"
        "One would be the end of the season. Another would be a long trip abroad.\n"
        "Covers keep the deck dry.",
        position=4,
    )
    sides = [("laying up", "laying up"), ("routine upkeep", "routine upkeep")]
    answers = [
        ("laying up", answered(laying_up, "A boat is laid up each winter.")),
        ("routine upkeep", answered(UPKEEP, "Upkeep never stops.")),
    ]
    lead = [text for _, text in contrasts(sides, answers)]
    # the two reasons go on from "different reasons than"; the sentence after them does not lean back
    assert lead == [
        "Laying up is done for different reasons than routine upkeep.",
        "One would be the end of the season.",
        "Another would be a long trip abroad.",
    ]


def test_sentences_going_on_with_what_the_one_before_announced_lean_back():
    from assistant.pieces import leans_back

    assert leans_back("Another would be a long trip abroad.")
    assert leans_back("The latter is rarer.")
    assert not leans_back("The other hand holds the line.")
    assert not leans_back("One boat sank.")


BOATS = Chunk(
    "boats",
    "guide",
    "Guide",
    5,
    5,
    "Guide > 2. Hire, charter and ownership",
    "People mix up hiring, chartering and owning a boat. Figure 2 sets them side by side.\n"
    "For years hiring was the cheap way onto the water. Hiring (as opposed to sailing a friend's boat) is"
    " best for a single day.\nChartering is a longer arrangement with a skipper included. Unlike hiring,"
    " chartering runs for a week or more.\nOwnership goes further: an owner answers for the boat all year.",
    position=3,
)


def test_ideas_are_the_sides_named_one_each_without_where_the_question_looks():
    from assistant.compare import ideas

    assert ideas(["hiring, chartering", "a boat of your own"]) == ["hiring", "chartering", "boat of your own"]
    assert ideas(["Hiring vs chartering", "ownership - what's the real difference"]) == [
        "Hiring",
        "chartering",
        "ownership",
    ]
    assert ideas(["ownership in the Sailing guide"]) == ["ownership"]


def test_ideas_one_section_sets_apart_are_each_shown_with_the_sentence_that_says_what_it_is():
    from assistant.compare import defined_apart

    shown = defined_apart("hiring vs chartering vs ownership?", ["hiring, chartering", "ownership"], [BOATS])
    assert shown is not None
    lines = shown.text.splitlines()
    assert lines[0] == "How Guide tells them apart:"
    # the sentence that says what it is, not the first that names it
    assert lines[1] == "- Hiring: Hiring (as opposed to sailing a friend's boat) is best for a single day. [1]"
    assert lines[2] == "- Chartering: Chartering is a longer arrangement with a skipper included. [1]"
    assert lines[3].startswith("- Ownership: Ownership goes further")
    assert lines[4] == "Unlike hiring, chartering runs for a week or more. [1]"  # the section's own contrast
    assert all(c.quote in c.chunk.text for c in shown.citations)
    # an idea the section never names: no answer from it
    assert defined_apart("hiring vs leasing?", ["hiring", "leasing"], [BOATS]) is None


MOORINGS = Chunk(
    "m1",
    "guide",
    "Guide",
    5,
    5,
    "Guide > Moorings",
    "Moorings come in kinds:\n- Moor To: You tie up to the quay.\n- Moor With: You raft up beside another boat.",
    position=5,
)


def test_an_idea_is_not_defined_by_a_sentence_labelled_as_another():
    from assistant.compare import defined_apart

    shown = defined_apart("moor to vs moor with?", ["moor with", "moor to"], [MOORINGS])
    assert shown is not None
    lines = shown.text.splitlines()
    # each by the item its own label opens, the label not said twice
    assert lines[1:] == ["- Moor With: You raft up beside another boat. [1]", "- Moor To: You tie up to the quay. [1]"]


SAILS = Chunk(
    "s1",
    "guide",
    "Guide",
    4,
    4,
    "Guide > 3. Crewing and skippering",
    "At the heart of good skippers is calm judgement. Skippers are in charge of the boat at sea."
    " They decide when to sail.\nCrews are a shared arrangement for a season. They are often unpaid.\n"
    "- Crews rotate every week.",
    position=4,
)


def test_an_idea_is_defined_by_the_sentence_opening_on_it_and_the_one_going_on_about_it():
    from assistant.compare import defined_apart

    shown = defined_apart("skippers vs crews?", ["skippers", "crews"], [SAILS])
    assert shown is not None
    lines = shown.text.splitlines()
    assert lines[1] == "- Skippers: Skippers are in charge of the boat at sea. [1] They decide when to sail. [1]"
    assert lines[2] == "- Crews: Crews are a shared arrangement for a season. [1] They are often unpaid. [1]"
    assert all(c.quote in c.chunk.text for c in shown.citations)


def test_comparisons_asked_as_whether_one_differs_or_as_quoted_terms_taken_for_the_same():
    from assistant.sides import comparison_sides

    asked = comparison_sides("Could you tell me whether chartering really differs from hiring?")
    assert [name for name, _ in asked] == ["chartering", "hiring"]
    asked = comparison_sides("Explain how chartering is different from owning a boat.")
    assert [name for name, _ in asked] == ["chartering", "owning a boat"]
    asked = comparison_sides("Friends call 'hiring', 'chartering' and 'owning' the same thing. Are they?")
    assert [name for name, _ in asked] == ["hiring", "'chartering' and 'owning'"]
    assert comparison_sides("We quote 'value' and 'price' in our pitch.") is None  # quoted, not compared
    # "differ from one another": the sides are those listed before it
    asked = comparison_sides("How do hiring, chartering and owning a boat differ from one another?")
    assert [name for name, _ in asked] == ["hiring, chartering", "owning a boat"]
    # a quoted term is the side; the words after it say where the term is used
    asked = comparison_sides("Is there a difference between 'refit' and 'overhaul' in the sailing manual? Same to me.")
    assert [name for name, _ in asked] == ["refit", "overhaul"]
    # each quoted term called what it is ("a 'refit' stage and a separate 'overhaul' stage")
    asked = comparison_sides("The course has a 'refit' stage and a separate 'overhaul' stage. They sound the same.")
    assert [name for name, _ in asked] == ["refit", "overhaul"]
    # listed unquoted after the verb that uses them, taken for the same thing
    asked = comparison_sides("Friends use hiring, chartering and owning a boat as if they were the same. Are they?")
    assert [name for name, _ in asked] == ["hiring", "chartering and owning a boat"]
    asked = comparison_sides("the crew treat skipper, captain and master interchangeably - is that right?")
    assert [name for name, _ in asked] == ["skipper", "captain and master"]
    assert (
        comparison_sides("We use charts, tide tables and a compass to plan. What else?") is None
    )  # used, not compared
    asked = comparison_sides("At the club they say hiring, chartering and owning as if they're the same. Are they?")
    assert [name for name, _ in asked] == ["hiring", "chartering and owning"]


def test_two_steps_taken_for_the_same_are_each_asked_what_they_are():
    from assistant.sides import comparison_sides, named_steps

    steps = [("plan", "Crew"), ("plan", "Crew structure"), ("sail", "Structure"), ("plan", "Route")]
    asked = "The design stage has a route step and a crew structure step. Aren't those really the same thing?"
    # "crew structure" names that step, not also "Crew" and "Structure"
    assert named_steps(asked, steps) == ["Route", "Crew structure"]
    assert comparison_sides(asked, [], steps) == [
        ("Route", "What is the Route step?"),
        ("Crew structure", "What is the Crew structure step?"),
    ]
    # a topic asked of both stays the question put to each
    sides = comparison_sides("Route and crew structure: how do the two differ in cost?", [], steps)
    assert sides is not None and all("cost" in q for _, q in sides)


def test_a_side_is_also_named_by_its_units_heading_and_summed_up_when_the_other_holds_the_comparison():
    refit = Chunk(
        "refit2",
        "guide",
        "Guide",
        3,
        3,
        "Stage > Refit",
        "A refit is a big job. A refit takes more effort than upkeep.\n- Book the dock early.",
        position=1,
    )
    upkeep = Chunk(
        "upkeep2",
        "guide",
        "Guide",
        4,
        4,
        "Stage > Upkeep",
        "Upkeep never stops.\n- Oil the winches weekly.",
        position=2,
    )
    sides = [("a refit", "a refit"), ("fixing things as we go", "fixing things as we go")]
    answers = [
        ("a refit", answered(refit, "A refit is a big job.")),
        (
            "fixing things as we go",
            Answer(
                "q",
                "answered",
                "Upkeep never stops. [1]\n- Oil the winches weekly. [1]",
                [Citation(1, upkeep, "Upkeep never stops."), Citation(1, upkeep, "Oil the winches weekly.")],
                [Passage(upkeep, 1.0)],
            ),
        ),
    ]
    # "upkeep" is no word of the second side's question, but the heading of the unit that answered it
    lead = contrasts(sides, answers)
    assert lead == [(refit, "A refit takes more effort than upkeep.")]
    joined = side_by_side("q", answers, lead)
    assert "On fixing things as we go:\nUpkeep never stops. [2]" in joined.text
    assert "Oil the winches" not in joined.text  # the side the comparison was not made in: its opening only


def test_an_ideas_sentence_is_quoted_from_the_idea_past_a_lead_in_run_into_it():
    from assistant.compare import defined_apart

    boats = Chunk(
        "boats2",
        "guide",
        "Guide",
        5,
        5,
        "Guide > 2. Hire and charter",
        "Figure 2 shows the differences between the two ways: Hiring (as opposed to owning) is best for a day.\n"
        "Chartering is a longer arrangement with a skipper included.",
        position=3,
    )
    shown = defined_apart("hiring vs chartering?", ["hiring", "chartering"], [boats])
    assert shown is not None
    assert shown.text.splitlines()[1] == "- Hiring: Hiring (as opposed to owning) is best for a day. [1]"
    assert all(c.quote in c.chunk.text for c in shown.citations)  # still verbatim


def test_once_the_guidance_compares_them_each_side_is_summed_up_by_its_opening():
    quote = "Unlike routine upkeep, a refit is decided by the owner alone."
    citations = [Citation(1, REFIT, "A refit is a big job."), Citation(2, REFIT, "Book the dock early.")]
    long = Answer(
        "q", "answered", "A refit is a big job. [1]\n- Book the dock early. [2]", citations, [Passage(REFIT, 1.0)]
    )
    answers = [("a refit", long), ("routine upkeep", answered(UPKEEP, "Upkeep never stops."))]
    sides = [("a refit", "a refit"), ("routine upkeep", "routine upkeep")]
    joined = side_by_side("q", answers, contrasts(sides, answers))
    assert joined.text.startswith("How the guidance tells them apart:\n" + quote)
    # the side the comparison was made in is not quoted whole under it: the comparison says how they differ
    assert "Book the dock early." not in joined.text and "A refit is a big job." in joined.text
