"""The answering core's logic on made-up units, with no model and no store: composing from one unit,
lead-ins kept with their items, comparisons, overviews, the coverage rule and conversation inheritance."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from assistant.compare import side_by_side
from assistant.compose import ExtractiveComposer
from assistant.conversation import Conversation
from assistant.judge import FIGURE_UNSTATED, MeaningJudge
from assistant.overview import overview
from assistant.route import Route
from assistant.sides import comparison_sides
from assistant.types import Answer, Citation, Passage
from ingest.text import tokenize
from ingest.types import Chunk


def chunk(cid: str, section: str, text: str, position: int, **meta) -> Chunk:
    return Chunk(cid, "guide", "Guide", 1, 1, section, text, position=position, **meta)


EXIT = chunk(
    "exit",
    "Stage > Exit",
    "Plan the way out before you need it.\n- Agree exit terms early.\n- Include an exit plan detailing the following:\n"
    "  - What happens to shared staff?\n  - What happens to joint property?\n- Name a mediator.",
    1,
    stage="internal",
    step="Exit",
)
CELEBRATE = chunk("party", "Stage > Celebrate", "Celebrate wins together with the partner.", 2, stage="internal")


def filler_text(sentences: int) -> str:
    """Sentences that say nothing, to make a unit long."""
    return " ".join(f"Filler sentence number {n} says nothing much." for n in range(sentences))


def quoted(asked: str, found: Passage) -> list[str]:
    """What the composer quotes, in order, answering the question from the passage found."""
    return [c.quote for c in ExtractiveComposer().compose(asked, Route(query=asked), [found]).citations]


def passage(c: Chunk, fit: float = 0.5) -> Passage:
    return Passage(c, 1.0, chunks=[c], fit={pid: fit for pid in c.piece_ids()}, unit=[c])


def two_chunk_section(section: str, first: str, second: str, found: int) -> Passage:
    """A section of two chunks with these texts, of which the search found chunk `found` (0 or 1)."""
    chunks = [chunk(f"{section}:{n}", section, text, 6 + n) for n, text in enumerate((first, second))]
    return Passage(chunks[found], 1.0, chunks=[chunks[found]], fit={}, unit=chunks)


def test_an_answer_comes_from_the_best_unit_whole_with_its_sub_points():
    answer = ExtractiveComposer().compose("how do we leave?", Route(query="how do we leave?"), [passage(EXIT)])
    assert answer.text.splitlines()[0] == "Plan the way out before you need it. [1]"
    assert "  - What happens to joint property? [1]" in answer.text  # the lead-in keeps its items
    assert all(c.chunk is EXIT and c.quote in EXIT.text for c in answer.citations)


def test_a_weaker_unit_of_the_same_document_adds_nothing():
    answer = ExtractiveComposer().compose("exit", Route(query="exit"), [passage(EXIT), passage(CELEBRATE, 0.1)])
    assert "Celebrate" not in answer.text


def test_a_sentence_of_a_long_opening_that_goes_on_from_the_one_before_is_quoted_with_it():
    opening = (
        f"{filler_text(16)} Some teams are best combined into one sales team. However, there are also cases where "
        "this does not make sense, such as selling into separate markets."
    )
    unit = chunk("sales", "Stage > Structure", f"{opening}\n- Agree who approaches each customer.", 4)
    fits = {pid: 0.1 for pid in unit.piece_ids()}
    fits[next(pid for pid, text, _ in unit.keyed_pieces() if text.startswith("However"))] = 0.9
    found = Passage(unit, 1.0, chunks=[unit], fit=fits, unit=[unit])
    shown = quoted("when does a combined team not make sense?", found)
    at = shown.index("Some teams are best combined into one sales team.")
    assert shown[at + 1].startswith("However, there are also cases")


def test_a_definition_of_a_paragraph_is_quoted_whole_before_its_points():
    unit = chunk("culture", "Stage > Culture", f"{filler_text(17)}\n- Reflect on both cultures.", 5)
    shown = quoted("how do we handle the culture clash?", passage(unit))
    assert sum(1 for q in shown if q.startswith("Filler sentence")) == 17  # about 100 words, all of them


def test_a_lead_in_without_items_is_never_quoted():
    bare = chunk("bare", "Stage > Bare", "Consider the following:\nNothing else is said here at all.", 3)
    answer = ExtractiveComposer().compose("consider", Route(query="consider"), [passage(bare)])
    assert "following:" not in answer.text and "Nothing else is said" in answer.text


def test_a_short_prose_unit_is_quoted_whole_and_a_long_one_as_its_best_run_of_one_paragraph():
    story = chunk(
        "story", "Case 9 > Story", "They met in May. They signed in June. They split the work by skill.", 4, case=9
    )
    answer = ExtractiveComposer().compose(
        "how did they split work?", Route(query="how did they split work?"), [passage(story)]
    )
    assert answer.text == "They met in May. [1] They signed in June. [1] They split the work by skill. [1]"

    filler = filler_text(60)
    essay = chunk(
        "essay",
        "Guide > Essay",
        f"{filler}\nWhen a contract ends, renew it. Or bring the work back in-house. Or switch provider.",
        5,
    )
    fits = {
        pid: (0.6 if "contract" in text or "in-house" in text or "switch" in text.lower() else 0.1)
        for pid, text, _ in essay.keyed_pieces()
    }
    shown = ExtractiveComposer().compose(
        "what when the contract ends?",
        Route(query="what when the contract ends?"),
        [Passage(essay, 1.0, chunks=[essay], fit=fits, unit=[essay])],
    )
    quotes = [c.quote for c in shown.citations]
    # One run of the paragraph that answers, in the author's order; nothing from the paragraph before.
    assert quotes == ["When a contract ends, renew it.", "Or bring the work back in-house.", "Or switch provider."]


def test_a_long_sections_run_comes_from_the_chunk_the_search_found():
    filler = filler_text(60)  # over WHOLE_PROSE_WORDS
    found = two_chunk_section(
        "Guide > Essay",
        f"A contract for services can be run in-house. {filler}",
        f"{filler}\nAll agreements end one day. Then choose: renew or leave.",
        found=1,
    )
    asked = "what about the services contract in-house at the end?"
    quotes = quoted(asked, found)
    # The opening shares more of the question's words, but the search placed the topic in the last chunk.
    assert {"All agreements end one day.", "Then choose: renew or leave."} <= set(quotes)
    assert not any(q.startswith("Filler") for q in quotes)  # no run of the opening's paragraph


def test_a_sentence_that_ends_its_chunk_is_quoted_with_what_the_next_chunk_says_of_it():
    filler = filler_text(60)
    found = two_chunk_section(
        "Guide > Rules",
        f"{filler}\nDON'T: FORGET THE TIDE TABLE.",
        f"The tide table tells a skipper when the harbour is safe. {filler}",
        found=0,
    )
    asked = "what is the tide table and why does it matter?"
    quotes = quoted(asked, found)
    assert "DON'T: FORGET THE TIDE TABLE." in quotes
    assert "The tide table tells a skipper when the harbour is safe." in quotes  # from the next chunk


def test_a_short_prose_chunk_is_quoted_with_the_paragraph_beside_it_on_the_same_point():
    section = "Guide > Handover"
    texts = [
        filler_text(45),  # a long section: over LONG_SECTION_WORDS with the rest
        "Tie down in the contract every promise the supplier makes about new staff in the handover.",
        "To stop broken promises, let another team run the contract than the one that negotiated it. "
        "People who did not negotiate it are more objective.",
        filler_text(30),
    ]
    chunks = [chunk(f"h{n}", section, text, 20 + n) for n, text in enumerate(texts)]
    found = Passage(chunks[2], 1.0, chunks=[chunks[2]], fit={}, unit=chunks)
    quotes = quoted("how do we stop broken promises about new staff in the handover?", found)
    assert quotes[1].startswith("To stop broken promises")  # the chunk the search found
    assert quotes[0].startswith("Tie down in the contract")  # and the paragraph before it, on the same point
    assert not any(q.startswith("Filler") for q in quotes)


def test_a_sentence_pointing_back_is_not_quoted_away_from_what_it_points_to():
    text = (
        f"Keep staff who know the handover. {filler_text(30)}\n{filler_text(25)} The supplier moves people.\n"
        "This makes the staff handover even worse for the contract."
    )
    found = passage(chunk("s1", "Guide > Staff", text, 30))
    quotes = quoted("what about staff in the handover?", found)
    assert quotes[0] == "Keep staff who know the handover."
    assert not any(q.startswith("This makes") for q in quotes)  # "this" would point to a sentence not quoted


def essay_section(opening: str) -> list[Chunk]:
    """An article's long section: an opening, a paragraph of filler, and a paragraph with its own list."""
    filler = filler_text(40)
    return [
        chunk("e1", "Paper > Principle 9: Boards guide partners", f"{opening}\n{filler}", 10),
        chunk("e2", "Paper > Principle 9: Boards guide partners", filler, 11),
        chunk(
            "e3",
            "Paper > Principle 9: Boards guide partners",
            "Small partners get self-service rules. Key partners get a "
            "board that meets:\n- monthly on plans\n- quarterly on results",
            12,
        ),
    ]


def test_a_long_prose_section_is_answered_from_its_best_chunk_and_an_announced_list_stays_whole():
    asked = "should small partners and key partners have the same board?"
    section = essay_section("Governance keeps the ecosystem honest.")
    found = Passage(section[0], 1.0, chunks=[section[0], section[2]], fit={}, unit=section)
    quotes = quoted(asked, found)
    assert "Small partners get self-service rules." in quotes and "monthly on plans" in quotes
    assert "Governance keeps the ecosystem honest." not in quotes  # not the section's distant opening
    # Named by its heading, the section is asked what it is: its opening says.
    named = "what is meant by the principle 'boards guide partners'?"
    quotes = [c.quote for c in ExtractiveComposer().compose(named, Route(query=named), [found]).citations]
    assert quotes[0] == "Governance keeps the ecosystem honest." and "monthly on plans" not in quotes
    # A section that opens by announcing its list is a named list: its items are the answer.
    listed = essay_section("Three rules matter:\n- Keep boards small\n- Share plans\n- Measure results")
    found = Passage(listed[0], 1.0, chunks=[listed[0], listed[2]], fit={}, unit=listed)
    quotes = quoted(asked, found)
    assert {"Keep boards small", "Share plans", "Measure results"} <= set(quotes)


class TinyRetriever:
    """Just what the judge reads of a retriever."""

    chunks = [EXIT, chunk("sla", "Stage 1 > SLAs", "Agree the SLAs and an NDA with the partner.", 9)]

    def coverage(self, words, text):  # noqa: ANN001
        return 1.0


def test_coverage_is_judged_by_meaning_and_by_figures_stated():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    near, far = passage(EXIT, 0.6), passage(EXIT, 0.2)
    assert judge.judge(Route(query="what should the way out look like?"), [near]).covered
    assert not judge.judge(Route(query="what should the way out look like?"), [far]).covered
    assert not judge.judge(Route(query="how much did the exit cost?"), [near]).covered  # no amount stated


def test_a_regulation_or_standard_the_corpus_never_names_is_not_covered():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    near = [passage(EXIT, 0.6)]
    verdict = judge.judge(Route(query="What does HIPAA require of us at exit?"), near)
    assert not verdict.covered and "HIPAA" in verdict.reason
    verdict = judge.judge(Route(query="How does our exit plan compare with the PRINCE2 closure stage?"), near)
    assert not verdict.covered and "PRINCE2" in verdict.reason  # a method named with its version
    assert judge.judge(Route(query="What should the SLA and the NDA say about exit?"), near).covered  # the corpus's own
    assert judge.judge(Route(query="WHAT SHOULD WE AGREE AT EXIT?"), near).covered  # a question in capitals
    assert judge.judge(Route(query="Should our JV plan its exit?"), near).covered  # two letters are everyday
    assert judge.judge(Route(query="Our CFO asks: should we plan the exit early?"), near).covered  # a job title


def test_a_place_law_or_system_the_corpus_never_names_is_not_covered():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    near = [passage(EXIT, 0.6)]
    verdict = judge.judge(Route(query="How are exit terms taxed in Norway?"), near)
    assert not verdict.covered and "Norway" in verdict.reason
    assert not judge.judge(Route(query="Is the exit plan binding under Ruritanian law?"), near).covered
    assert judge.judge(Route(query="Should our partner Acme agree exit terms early?"), near).covered  # the asker's own
    assert judge.judge(Route(query="What does the exit plan in Stage say about a Mediator?"), near).covered  # known
    assert judge.judge(Route(query="How are exit terms taxed in Norway?", case=2), near).covered  # a case's places
    # a law or forum asked for by name, even as advice, is stated only where a close piece names one
    assert not judge.judge(Route(query="Which country's law should govern the exit plan?"), near).covered
    assert not judge.judge(Route(query="And which arbitration body should we name in it?"), near).covered
    assert judge.judge(Route(query="Which competition law issues should the exit plan cover?"), near).covered


def test_a_numbered_reference_the_corpus_never_writes_is_not_covered():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    near = [passage(EXIT, 0.6)]
    verdict = judge.judge(Route(query="What does Clause 14 of the Model Code say about exit?"), near)
    assert not verdict.covered and "Clause 14" in verdict.reason
    assert judge.judge(Route(query="Is 2 weeks enough to agree exit terms?"), near).covered  # first word: no name
    sla = [passage(TinyRetriever.chunks[1], 0.6)]
    assert judge.judge(Route(query="What does Stage 1 say about the SLAs?"), sla).covered  # "Stage 1" is the corpus's


def test_a_follow_up_pointing_back_is_judged_with_a_lower_bar_only_in_the_case_answered_before():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    found = [passage(EXIT, 0.35)]
    asked = "how often should that mediator meet?"
    assert judge.judge(Route(query=asked, follows=True), found).covered
    assert not judge.judge(Route(query=asked), found).covered  # asked first: the usual bar
    assert not judge.judge(Route(query=asked, follows=True, case=2), found).covered  # a case guessed may be wrong
    assert judge.judge(Route(query=asked, follows=True, case=2, carried=True), found).covered  # answered from it
    assert not judge.judge(Route(query="and the weather?", follows=True), [passage(EXIT, 0.2)]).covered


def test_a_figure_asked_in_one_clause_is_advice_only_when_that_clause_asks_advice():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    near = [passage(EXIT, 0.6)]
    asked = "Which firm should we hire, and how many mediators does an exit usually involve?"
    assert not judge.judge(Route(query=asked), near).covered  # the count is asked as a fact: none is stated
    assert judge.judge(Route(query="How many mediators should we name, and why?"), near).covered  # advice


def test_a_point_of_the_unit_before_is_singled_out_by_a_word_only_it_uses():
    from assistant.points import point_asked

    point = point_asked("and the staff bit?", [EXIT])
    assert [p.text for p in point] == [
        "Include an exit plan detailing the following:",
        "What happens to shared staff?",
        "What happens to joint property?",
    ]  # the point with its sub-points
    assert point_asked("who should the mediator be?", [EXIT])[0].text == "Name a mediator."
    assert point_asked("what happens then?", [EXIT])[0].text.startswith("Include")  # its sub-points' word
    assert point_asked("and the exit?", [EXIT]) is None  # "exit": the unit's own name, and several points'
    assert point_asked("what should the plan be?", [EXIT]) is None  # "plan": a sentence's too, not one point's
    assert point_asked("and the weather?", [EXIT]) is None
    ip = chunk("ip", "Stage > Rights", "- Agree who owns the IP.\n- Agree the price.", 3)
    assert point_asked("and the IP?", [ip])[0].text == "Agree who owns the IP."  # a short word in capitals
    # a sub-point ending on the lead-in of the next point is not quoted without that point
    rates = chunk(
        "rates",
        "Stage > Questions",
        "- 1. How will we price the tours?\n  - Start with day rates. And finally, if it all goes wrong:\n"
        "- 2. How will we part ways?",
        3,
    )
    assert [p.text for p in point_asked("and the pricing one?", [rates])] == ["1. How will we price the tours?"]


@pytest.mark.parametrize(
    ("text", "asked", "said"),
    [
        (
            "However, as one partner stated: 'Write the memo together and keep it short.'\n"
            "'Write the memo together and keep it short.'\nThe memo then guides the design.",
            "what did a partner say about the memo?",
            "keep it short",
        ),
        (  # a line break took a hyphen away in one place and not the other
            "Governance interlocks with every step of the go-tomarket process.\n"
            "Governance interlocks with every step of the go-to-market process.\nEach partner then knows its entry.",
            "how does governance interlock with the market process?",
            "interlocks",
        ),
    ],
)
def test_a_pull_quote_that_repeats_a_sentence_is_quoted_once(text, asked, said):
    quotes = quoted(asked, passage(chunk("pull", "Guide > Voices", text, 4)))
    assert sum(said in q for q in quotes) == 1, quotes


def test_a_comparison_of_them_finds_two_framework_steps_named_before_it():
    steps = [("internal", "Exit"), ("propose", "Memorandum of common understanding"), ("design", "Contract")]
    asked = "Is the memorandum of common understanding or the contract signed first? And how do they differ?"
    sides = comparison_sides(asked, [], steps)
    assert [name for name, _ in sides] == ["Memorandum of common understanding", "Contract"]  # as asked
    assert all(name in q and "signed first" in q for name, q in sides)
    assert comparison_sides("So what is the difference between them?", [], steps) is None  # nothing named


def test_comparison_sides_are_read_from_the_question_form():
    assert comparison_sides("What's the difference between governance and management?") == [
        ("governance", "governance"),
        ("management", "management"),
    ]
    assert comparison_sides("outsourcing vs partnership - which is better?")[1][0].startswith("partnership")
    sides = comparison_sides("Compare how the tractor case and case 4 set their prices.")
    assert sides == [
        ("the tractor case", "the tractor case how set their prices"),
        ("case 4", "case 4 how set their prices"),
    ]
    assert comparison_sides("How did case 1 and case 3 keep everyone coordinated?")[1][0] == "case 3"
    assert comparison_sides("What is governance?") is None


def test_a_comparison_of_the_two_finds_its_sides_in_the_question_or_the_turns_before():
    sides = comparison_sides("Exit comes up in design and again in delivery. How do the two differ?")
    assert [name for name, _ in sides] == ["the design stage", "the delivery stage"]
    assert all(asked.startswith("Exit comes up") and "differ" not in asked for _, asked in sides)
    earlier = ["What did case 1 take away?", "and case 4?"]
    assert [name for name, _ in comparison_sides("what's the difference between them?", earlier)] == [
        "case 1",
        "case 4",
    ]
    assert comparison_sides("How do the two differ?", ["What is the internal team for?"]) is None
    assert comparison_sides("They differ in design, don't they?") is None  # one side named, not two
    a = Answer("q", "answered", "A. [1]", [Citation(1, EXIT, "Agree exit terms early.")])
    b = Answer("q", "answered", "B. [1]", [Citation(1, CELEBRATE, "Celebrate wins together with the partner.")])
    joined = side_by_side("q", [("exit", a), ("parties", b)])
    assert "On exit:\nA. [1]" in joined.text and "On parties:\nB. [2]" in joined.text
    assert [c.marker for c in joined.citations] == [1, 2]


def test_an_overview_lists_a_stages_steps_in_order_from_the_index():
    first = chunk("s1", "Stage > One", "Step one comes first.", 1, stage="design", step="One")
    second = chunk("s2", "Stage > Two", "Step two comes next.", 2, stage="design", step="Two")
    retriever = SimpleNamespace(chunks=[second, first], units={})
    shown = overview("which steps make up design?", Route(query="q", stage="design"), retriever, [])
    assert shown is not None
    assert shown.text.index("One: Step one") < shown.text.index("Two: Step two")
    assert overview("what is design about?", Route(query="q", stage="design"), retriever, []) is None
    walked = overview("walk me through design, step by step", Route(query="q", stage="design"), retriever, [])
    assert walked is not None and "One: Step one" in walked.text


def test_a_named_document_asked_about_as_a_whole_is_listed_by_its_chapters():
    body = " ".join(["It says a great deal."] * 30)
    parts = [chunk(f"c{n}", f"Guide > {n}. PART {n}", f"Part {n} opens here. {body}", n) for n in (1, 2, 3)]
    units = {(c.doc_id, c.section): [c] for c in parts}
    retriever = SimpleNamespace(chunks=parts, units=units)
    shown = overview("What does the guide cover?", Route(query="q", doc="guide"), retriever, [])
    assert shown is not None and shown.text.startswith("Guide covers, in order:")
    assert shown.text.index("1. PART 1: Part 1 opens here.") < shown.text.index("3. PART 3: Part 3 opens here.")
    assert overview("What does the guide say about exit?", Route(query="q", doc="guide"), retriever, []) is None


def test_what_comes_after_a_step_is_the_next_one_in_the_index_across_stages():
    from assistant.overview import neighbour_step

    one = chunk("s1", "Stage > One", "Step one comes first.", 1, stage="propose", step="One")
    two = chunk("s2", "Stage > Two", "Step two comes next.", 2, stage="propose", step="Two")
    three = chunk("s3", "Stage > Three", "Step three opens design.", 3, stage="design", step="Three")
    retriever = SimpleNamespace(chunks=[three, two, one])
    assert neighbour_step("What comes after one?", Route(query="q", step="One"), retriever) == ("propose", "Two")
    assert neighbour_step("and after that?", Route(query="q", step="Two"), retriever) == ("design", "Three")
    assert neighbour_step("what should happen before it?", Route(query="q", step="Two"), retriever) == (
        "propose",
        "One",
    )
    assert neighbour_step("What comes after three?", Route(query="q", step="Three"), retriever) is None  # the last
    assert neighbour_step("What happens to staff after one?", Route(query="q", step="One"), retriever) is None


def test_what_comes_after_a_stage_it_names_is_the_next_stage_in_the_frameworks_order():
    from assistant.stage_steps import neighbour_stage

    assert neighbour_stage("What comes after the design stage?", Route(query="q")) == ("design", "manage_deliver")
    assert neighbour_stage("and before proposing, what?", Route(query="q")) == ("propose", "internal")
    assert neighbour_stage("so after design, what's left?", Route(query="q", case=3)) == ("design", "manage_deliver")
    assert neighbour_stage("What comes after manage and deliver?", Route(query="q")) is None  # the last stage
    assert neighbour_stage("What should we check after the customer signs?", Route(query="q")) is None
    assert neighbour_stage("In case 3, what came after the design phase?", Route(query="q", case=3, named=True)) is None
    assert neighbour_stage("What comes after the design stage?", Route(query="q", step="Contract")) is None


def test_only_an_elliptical_follow_up_leans_on_the_turn_before():
    chat = Conversation.__new__(Conversation)
    assert chat.is_follow_up("and what did they learn?")
    assert chat.is_follow_up("what about the customers?")
    assert chat.is_follow_up("And what did they take away from it?")
    assert chat.is_follow_up("ok so what were the takeaways?")  # an acknowledgement first says nothing
    assert not chat.is_follow_up("thanks!")
    assert not chat.is_follow_up("thanks! what is the capital of Peru?")
    assert not chat.is_follow_up("What is the capital of Peru?")
    assert not chat.is_follow_up("In general, how do we know whether it is still worth doing?")
    assert chat.is_follow_up("Does the framework turn this into a rule in general?")  # "this": what was just said
    assert not chat.content("and what else should it say?")  # more of what was said: no topic of its own
    assert chat.content("what does it say about exit?") == ["say", "exit"]


def test_a_follow_up_that_points_at_that_example_keeps_the_case_before():
    from assistant.conversation import POINTS_TO_CASE

    assert POINTS_TO_CASE.search("and did the firm in that example keep a board?")
    assert POINTS_TO_CASE.search("In the same case, who paid?")
    assert not POINTS_TO_CASE.search("Which example had a board?")


def test_a_thing_of_the_case_before_pointed_back_at_is_the_cases_not_the_step_a_word_of_it_names():
    from types import SimpleNamespace

    chat = Conversation.__new__(Conversation)
    story = {"the", "yard", "keeps", "a", "refit", "board", "of", "shipwrights"}
    chat.assistant = SimpleNamespace(retriever=SimpleNamespace(case_terms={2: set(tokenize(" ".join(story)))}))
    asked = Route(query="q", step="Refit (or re-rig)", stage="design")
    assert chat.case_thing("who paid for that refit board?", asked, 2)
    assert not chat.case_thing("who paid for that refit board?", asked, None)  # no case before
    assert not chat.case_thing("what does a refit board do?", asked, 2)  # pointed at nothing
    assert not chat.case_thing("who paid for that mooring board?", asked, 2)  # the case never says it
    assert not chat.case_thing("who sits on that board?", asked, 2)  # no word of the step's name


def test_an_mou_is_drafted_when_asked_for_not_when_asked_about():
    from assistant.request import REQUEST_FORM

    for request in (
        "Draft an MoU for Acme and Beta",
        "can you quickly write a memorandum?",
        "give us an MoU",
        "We need an MoU between Acme and Beta.",
        "Please put together the clauses.",
        "can you do me a memo of understanding for Acme and Beta",
        "help me with an MoU",
        "I'd like an MoU for our partnership with Beta Ltd",
    ):
        assert REQUEST_FORM.search(request), request
    for question in (
        "How much notice should an exit clause give?",
        "Who should create the memorandum?",
        "what does the MoU make clear?",
        "Do we need an NDA at the memorandum stage?",
        "Why would we want a memorandum at all?",
        "We're about to write up a memo with a supplier and want it watertight. Is that wise?",
        "We are going to draft the clauses ourselves; what do they usually miss?",
    ):
        assert not REQUEST_FORM.search(question), question
    assert REQUEST_FORM.search("I'd like to write up a memo with our supplier")


def test_a_list_mentioned_in_a_question_is_no_drafting_request(assistant):
    from assistant.draft import Drafter
    from assistant.request import draft_for_request

    drafter = Drafter(assistant.retriever)
    assert draft_for_request(drafter, "The TM Forum guide has a list of questions to ask. Which matter most?") is None
    assert draft_for_request(drafter, "Do we need an NDA at the memorandum stage?") is None
    # "between A and the MoU" compares, it names no party
    assert draft_for_request(drafter, "What's the difference between the review and the MoU?") is None
    assert draft_for_request(drafter, "Can you give me a list of things to check before the go/no-go?") is not None


def test_a_checklist_asked_for_in_everyday_words_is_scoped_by_the_framework(assistant):
    from assistant.draft import Drafter
    from assistant.request import draft_for_request

    drafter = Drafter(assistant.retriever)

    def scope(request: str) -> tuple[str | None, set[str]]:
        draft = draft_for_request(drafter, request)
        assert draft is not None and draft.kind == "checklist"
        return draft.stage, {i.group.split(" > ")[-1] for i in draft.items if i.group.startswith("The ")}

    # one step's matter in other words: that step alone
    assert scope("Can you give me a checklist for looking into a possible partner's finances and track record?")[1] == {
        "Due diligence"
    }
    # the stage named first in what is asked: running it and delivering, not the customers it serves
    stage, steps = scope("Checklist please: the joint service is live, we run it daily and deliver to customers.")
    assert stage == "manage_deliver" and len(steps) > 3
    # aspects listed, mostly one stage's steps: that stage
    stage, _ = scope(
        "Our homework before approaching anyone - our strategy, why partner rather than build, the risks, and when"
        " we would walk away. Can you make a checklist for this stage on our side?"
    )
    assert stage == "internal"


def test_a_case_described_in_brackets_after_its_number_is_searched_for_what_is_asked(assistant):
    from assistant.route import route

    plan = route("What did case 2 (the machine maker and its dealers) set up to share the gains?", assistant.retriever)
    assert plan.case == 2 and plan.named
    assert "dealers" not in plan.query and "share the gains" in plan.query


def test_case_in_an_everyday_idiom_is_not_a_case_study():
    from assistant.route import CASE_IDIOM, CASE_WORDS

    def speaks_of_a_case(q: str) -> bool:
        return bool(CASE_WORDS.search(CASE_IDIOM.sub(" ", q)))

    assert not speaks_of_a_case("Just in case the supplier goes bust, what do we write down?")
    assert not speaks_of_a_case("We need a business case first. Is that really the case?")
    assert speaks_of_a_case("In case 2, who paid for the trial?")
    assert speaks_of_a_case("What did the shipping case learn?")
    assert speaks_of_a_case("and the shipping one?")
    assert not speaks_of_a_case("Set up the review plan for one of our partners.")
    # what is argued for: "case" as the object of a verb of arguing
    assert not speaks_of_a_case("How do I put our case to the finance director?")
    assert not speaks_of_a_case("Which figures would strengthen the case for a second supplier?")
    assert not speaks_of_a_case("How should we frame a compelling case to the board?")
    assert speaks_of_a_case("How did they frame the offer in the shipping case?")
    # a place in what was asked before is no case ("the last one" of three kinds of deal)
    assert not speaks_of_a_case("And what matters most in the last one?")
    # "the one" a clause says more of is a person or a thing, not a case; "the one with ..." tells a story
    assert not speaks_of_a_case("And the one who chairs the board, what does she decide?")
    assert not speaks_of_a_case("Which draft comes first, the one that sets out our shared aims?")
    assert speaks_of_a_case("Tell me about the one with the bakeries.")


def test_what_happened_next_is_not_the_story_of_a_case():
    from assistant.route import asked_part

    assert asked_part("What happened in the shipping case?") == "background"
    assert asked_part("The first offer was turned down. What happened after that?") is None


def test_a_limit_a_name_or_a_figure_must_be_stated_by_a_close_piece():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    fee = chunk("fee", "Stage > Fee", "The partners agreed a fee of 5% of joint revenue.", 4)
    assert judge.judge(Route(query="what percentage fee did the partners agree?"), [passage(fee, 0.6)]).covered
    assert not judge.judge(Route(query="what percentage fee did they agree?"), [passage(fee, 0.3)]).covered
    assert not judge.judge(Route(query="what minimum score do we need to exit?"), [passage(EXIT, 0.6)]).covered
    assert not judge.judge(Route(query="what was the name of the mediator?"), [passage(EXIT, 0.6)]).covered
    assert judge.judge(Route(query="how many partners should we exit from?"), [passage(EXIT, 0.6)]).covered
    # "need" in another sentence does not make the figure a request for advice; a rate is a figure.
    assert not judge.judge(Route(query="What share is fair to exit on? I need a number."), [passage(EXIT, 0.6)]).covered
    assert not judge.judge(Route(query="what corporate tax rate applies on exit?"), [passage(EXIT, 0.6)]).covered
    assert not judge.judge(
        Route(query="What revenue-share percentage is normal on exit?"), [passage(EXIT, 0.6)]
    ).covered
    # A duration is a figure however it is asked; "what's a usual split" asks for one too.
    assert not judge.judge(
        Route(query="How many weeks' warning should we give before exit?"), [passage(EXIT, 0.6)]
    ).covered
    assert not judge.judge(Route(query="what's a usual profit split on exit?"), [passage(EXIT, 0.6)]).covered
    # "what is <a term>?" asks what it means, though the term ends on a figure's word
    rates = chunk("rates", "Stage > Gains", "A gain share splits the savings between the partners on exit.", 4)
    assert judge.judge(Route(query="what is gain share on exit?"), [passage(rates, 0.6)]).covered
    assert not judge.judge(Route(query="what was the gain share on exit?"), [passage(rates, 0.6)]).covered
    # A limit or a percentage asked for, however the question opens.
    assert not judge.judge(
        Route(query="What's the maximum penalty we may set, as a percentage of the fee, on exit?"), [passage(EXIT, 0.6)]
    ).covered
    # Figures offered as alternatives ask which one, even when put as advice.
    assert not judge.judge(Route(query="should we give 14, 28 or 56 days before exit?"), [passage(EXIT, 0.6)]).covered
    assert not judge.judge(Route(query="is a 70/30 or 80/20 split fair on exit?"), [passage(EXIT, 0.6)]).covered
    # Which system or firm they used, who one party was: a name, which no close piece states here.
    asked = "which planning software did they use for the exit?"
    assert not judge.judge(Route(query=asked), [passage(EXIT, 0.6)]).covered
    assert not judge.judge(Route(query="who was the mediator they named at exit?"), [passage(EXIT, 0.6)]).covered
    # software by its name, asked even as advice
    asked = "which contract tracking software should we buy for the exit?"
    assert not judge.judge(Route(query=asked), [passage(EXIT, 0.6)]).covered
    assert judge.judge(Route(query="who were the parties to the exit plan?"), [passage(EXIT, 0.6)]).covered  # told
    # How much of something a step should hold is a question of degree, put as advice.
    assert judge.judge(
        Route(query="how much detail is supposed to go into the exit plan?"), [passage(EXIT, 0.6)]
    ).covered


def test_a_heading_is_never_quoted_as_a_sentence_and_a_caption_alone_answers_nothing():
    factor = chunk("f1", "Guide > Factor 1 – know why", "Factor 1 – know why\nKnow why you partner at all.", 6)
    caption = chunk("t1", "Guide > Table 9: Levels", "Table 9: Levels", 7)
    answer = ExtractiveComposer().compose("why?", Route(query="why?"), [passage(caption), passage(factor)])
    assert answer.text == "Know why you partner at all. [1]"


def test_a_named_case_part_is_covered_on_the_cases_own_topic():
    story = chunk(
        "bg", "Case 2 > Background", "A maker of tractors sells through dealers.", 5, case=2, part="background"
    )
    judge = MeaningJudge(SimpleNamespace(coverage=lambda words, text: 0.0, chunks=[]), min_closest=0.4)  # type: ignore[arg-type]
    named = Route(query="tell me the story of case 2", case=2, part="background", named=True)
    assert judge.judge(named, [passage(story, 0.2)]).covered  # nothing to weigh but the case's part
    off_topic = Route(
        query="tell me the story of case 2 and the weather in Lima", case=2, part="background", named=True
    )
    assert not judge.judge(off_topic, [passage(story, 0.2)]).covered
    lessons = chunk("ll", "Case 2 > Lessons", "- Share gains early.", 6, case=2, part="lessons_learnt")
    follow_up = Route(query="so what were the takeaways?", case=2, part="lessons_learnt", named=True)
    assert judge.judge(follow_up, [passage(lessons, 0.2)]).covered  # a connective is no topic


def test_a_long_lists_points_show_whole_with_the_sub_points_of_the_best_one():
    text = "\n".join(
        f"- {n}. Practice number {n} for partners.\n  - Why practice {n} matters to the joint team."
        for n in range(1, 7)
    )
    practices = chunk("pr", "Guide > Practices", "Here are the practices:\n" + text, 6)
    p = passage(practices, 0.3)
    p.fit[practices.piece_ids()[6]] = 0.9  # the sub-point of practice 3
    answer = ExtractiveComposer().compose("practices", Route(query="practices"), [p])
    assert all(f"- {n}. Practice number {n}" in answer.text for n in range(1, 7))
    assert "Why practice 3 matters" in answer.text and "Why practice 1 matters" not in answer.text


RULES = chunk(
    "rules",
    "Guide > Rules of the road",
    "A few rules for the road\n"
    + "\n".join(
        f"- KEEP: RULE NUMBER {n} IN MIND. "
        + " ".join(f"Rule {n} matters because partners drift, sentence {k} of its long explanation." for k in range(3))
        for n in range(1, 10)
    ),
    8,
)


def test_a_long_list_asked_for_is_shown_whole_and_otherwise_by_its_best_points():
    p = passage(RULES, 0.3)
    p.fit[RULES.piece_ids()[4]] = 0.9  # rule 4 matches best
    asked = ExtractiveComposer().compose("what are the rules?", Route(query="what are the rules?"), [p])
    assert asked.text.count("- KEEP:") == 9 and "more point" not in asked.text
    other = ExtractiveComposer().compose("why do partners drift?", Route(query="why do partners drift?"), [p])
    assert other.text.count("- KEEP:") == 6 and "(3 more points in" in other.text  # the six best
    assert "RULE NUMBER 4" in other.text


def test_a_quoted_phrase_lifts_the_passages_that_use_it():
    from assistant.route import QUOTED, flat

    plan = Route(query="x", quoted=tuple(flat(m.group(1)) for m in QUOTED.finditer("what is a 'drift rule' for?")))
    assert plan.quoted == (" drift rule ",)
    uses = chunk("u", "Guide > Drift", "Every drift rule needs an owner.", 9)
    assert plan.boost(uses) > plan.boost(CELEBRATE)
    assert not QUOTED.search("our partner's team won't say")  # apostrophes are not quotes


def test_of_two_step_names_the_longer_phrase_is_the_step_named():
    from assistant.route import named_step

    steps = [("internal", "Review (or renew, re-design or re-propose)"), ("design", "Governance")]
    retriever = SimpleNamespace(steps=steps, clips={})
    assert named_step("governance with a technical review board", retriever) == ("design", "Governance")  # type: ignore[arg-type]
    assert named_step("when do we review it?", retriever) == steps[0]  # type: ignore[arg-type]


def test_a_step_is_named_by_the_clipped_name_its_own_text_uses():
    from assistant.route import clipped_names, named_step

    text = "After the survey comes a refit memorandum. The memo lists the yard's duties; each partner signs it."
    step = Chunk("m", "guide", "Guide", 3, 3, "Stage > Refit memorandum of partnering", text, stage="design")
    step.step = "Refit memorandum of partnering"
    clips = clipped_names([step])
    assert clips == {"Refit memorandum of partnering": {"memo"}}  # not "partner" of "partnering": the same stem
    retriever = SimpleNamespace(steps=[("design", step.step)], clips=clips)
    assert named_step("and what comes after the memo?", retriever) == ("design", step.step)  # type: ignore[arg-type]


def naming(documents: list[tuple[str, str, str]], about: dict[str, str] | None = None):  # noqa: ANN201
    """A documents' namer as routing builds it, over (doc id, title, text) with their catalogue's words."""
    from assistant.documents import document_names, named_document, own_title_words

    chunks = [Chunk(doc, doc, title, 1, 1, "S", text) for doc, title, text in documents]
    titles = own_title_words(chunks)
    names = document_names(chunks, titles, about)
    return lambda question: named_document(question, names, titles)


def test_a_document_is_named_by_its_own_title_words_never_by_a_common_one():
    named = naming(
        [
            ("forum-guide", "TM Forum - Managing Partnerships", "Managing partnerships well."),
            ("keith-blog", "Willetts win win or lose", "Partnerships need trust."),
            ("coach-notes", "Strategic partnerships lessons", "Strategic partnerships take work."),
        ]
    )
    assert named("What does the TM Forum guide say?") == "forum-guide"
    assert named("in willetts' blog, what builds trust?") == "keith-blog"
    assert named("The strategic partnerships article lists what?") == "coach-notes"
    assert named("what makes strategic partnerships work?") is None
    assert named("Does the TM Forum guide agree with Willetts?") is None  # two named


def test_a_document_is_also_named_by_its_file_name_and_its_catalogue_description():
    about = {"willetts-blog": "Blog by the founder of TM Forum", "lessons": "Article by an executive coach"}
    named = naming(
        [
            ("forum-guide", "TM Forum - Managing Partnerships", "Managing partnerships well."),
            ("willetts-blog", "Win-win or lose", "Partnerships need trust at TM Forum."),
            ("lessons", "Lessons", "My coaching clients partner."),
        ],
        about,
    )
    assert named("What does Willetts' blog say about trust?") == "willetts-blog"
    assert named("Willetts blog: what builds trust?") == "willetts-blog"  # at the start
    assert named("what does the coach's article say?") == "lessons"
    # Another document's title word in a description names nothing new: the TM Forum guide stays one.
    assert named("What does the TM Forum guide say?") == "forum-guide"


def test_the_word_nearest_a_word_for_a_document_names_it():
    from assistant.documents import named_document

    names = {"brief": {"cambridge"}, "notes": {"coach"}}
    own = {"brief": {"cambridge", "executive", "briefing"}, "notes": {"lessons"}}
    assert named_document("what does the executive coach's article say?", names, own) == "notes"
    assert named_document("what does the executive briefing say?", names, own) == "brief"


def test_a_named_document_that_barely_speaks_to_it_is_not_covered_where_another_does():
    blog = Chunk("b", "blog", "The Blog", 1, 1, "B", "Trust your partner.", position=1)
    guide = Chunk("g", "guide", "The Guide", 1, 1, "G", "Beware the honeymoon effect.", position=2)

    class Corpus(TinyRetriever):
        def search(self, plan, k):  # noqa: ANN001
            return [passage(guide, 0.8), passage(blog, 0.42)] if plan.doc is None else [passage(blog, 0.42)]

    judge = MeaningJudge(Corpus(), min_closest=0.4)  # type: ignore[arg-type]
    verdict = judge.judge(Route(query="what about the honeymoon effect?", doc="blog"), [passage(blog, 0.42)])
    assert not verdict.covered and [p.chunk.doc_id for p in verdict.elsewhere] == ["guide"]
    # Where the named document clearly speaks to it, it answers, however close another document is.
    assert judge.judge(Route(query="trust?", doc="blog"), [passage(blog, 0.6)]).covered


def test_comparison_sides_in_other_forms_of_the_question():
    assert [n for n, _ in comparison_sides("Does the X paper see governance differently from the Y guide?")] == [
        "the X paper",
        "the Y guide",
    ]
    assert all(
        "governance" in q for _, q in comparison_sides("Does the X paper see governance differently from the Y guide?")
    )
    sides = comparison_sides("propose or design - which one comes first, and what's the difference between them?")
    assert [n for n, _ in sides] == ["the proposal stage", "the design stage"]
    steps = [("internal", "Renew"), ("manage_deliver", "Dynamic change"), ("propose", "Why partnering")]
    sides = comparison_sides(
        "Is our partner's change 'dynamic change' or a 'renewal'? How are the two different?", [], steps
    )
    assert [n for n, _ in sides] == ["Dynamic change", "Renew"]  # "renewal" names Renew; "partner" no step


def test_a_labelled_list_of_headings_is_listed_when_asked_for_by_its_label():
    heads = ["Rule 1: Start small", "Rule 2: Share the data", "Rule 3: Review often"]
    chunks = [
        Chunk(f"r{n}", "guide", "Guide", n, n, f"Guide > {h}", f"Sentence {n} about this rule here.", position=n)
        for n, h in enumerate(heads, start=1)
    ]
    retriever = SimpleNamespace(chunks=chunks, units={(c.doc_id, c.section): [c] for c in chunks})
    shown = overview("what are the guide's rules?", Route(query="q"), retriever, [])
    assert shown is not None and shown.text.splitlines()[0] == "Guide: its 3 rules, in order:"
    assert "- Rule 2: Share the data: Sentence 2 about this rule here. [2]" in shown.text
    assert overview("what is the first rule?", Route(query="q"), retriever, []) is None


def test_a_comparison_seeks_the_side_that_names_no_place_beside_the_step_the_other_names():
    from assistant.answer import like_with_like

    index = SimpleNamespace(chunks=[EXIT, CELEBRATE])
    named, other = Route(query="the exit side", step="Exit"), Route(query="the rest")
    casework = Route(query="x", case=2)
    like_with_like([named, other, casework], index)  # type: ignore[arg-type]
    assert other.doc == "guide" and named.doc is None and casework.doc is None
    plain = [Route(query="a"), Route(query="b")]
    assert [p.doc for p in like_with_like(plain, index)] == [None, None]  # type: ignore[arg-type]


def test_a_named_documents_name_leaves_the_query_once_it_scopes_the_search():
    from assistant.documents import without_name

    assert without_name("What does Acme's blog say about exits?", {"acme"}) == "What does say about exits?"
    assert without_name("per the Acme Partners guide, who signs?", {"acme", "partners"}) == "per the , who signs?"
    # a name word alone and in lower case elsewhere is the question's topic
    asked = "acme partners doc: how should we vet new partners?"
    assert without_name(asked, {"acme", "partners"}) == ": how should we vet new partners?"
    assert without_name("the acme doc: who vets partners?", {"acme", "partners"}) == "the : who vets partners?"


def test_a_topic_is_offered_as_the_question_its_kind_of_unit_is_asked_by():
    from assistant.suggest import topic_question

    step = chunk("s", "The partner > Exit", "Plan the exit.", 1, stage="internal", step="Exit")
    part = chunk("p", "Case 7 > Lessons learnt", "They learnt.", 2, case=7)
    section = chunk("d", "Guide > 5. SOME RULES OF THUMB", "Do this.", 3)
    mark = chunk("m", "Guide > CAMBRIDGE", "A mark.", 4)
    assert topic_question(step) == "What should we consider for exit?"
    assert topic_question(part) == "What does case 7 say about lessons learnt?"
    assert topic_question(section) == "What does Guide say about Some rules of thumb?"
    assert topic_question(mark) is None


def test_a_named_documents_section_named_by_its_heading_is_asked_for():
    from assistant.judge import names_a_section

    rules = chunk("r", "Guide > 5. Rules of thumb", "Some text.", 1)
    found = [passage(rules, 0.1)]
    assert names_a_section(Route(query="what about rules of thumb?", doc="guide"), found)
    assert not names_a_section(Route(query="what about rules of thumb?"), found)  # no document named
    assert not names_a_section(Route(query="what about thumb sizes?", doc="guide"), found)


def test_which_of_the_cases_asks_for_one_case_by_name():
    from assistant.answer import WHICH_CASE_ASKED

    assert WHICH_CASE_ASKED.search("Which of the cases is the one about a dealer network?")
    assert WHICH_CASE_ASKED.search("which example had a review board?")
    assert not WHICH_CASE_ASKED.search("What do the cases say about gain share?")


def test_two_questions_in_one_are_split_with_their_situation():
    from assistant.parts import own_words, question_parts

    parts = question_parts("Sales are flat. Should we stop, and if we do, how do we hand the customers over?")
    assert parts == ["Sales are flat. Should we stop?", "Sales are flat. how do we hand the customers over?"]
    assert own_words(parts[1]) == "How do we hand the customers over?"
    assert question_parts("How do we pick and vet a partner?") is None  # one question about two things
    assert question_parts("What is the board, and why?") is None  # "and why?" asks nothing of its own
    # more of what the first part asks about: one question
    assert question_parts("What are the phases of a refit, and what is each one for?") is None
    assert question_parts("What is a steering group, and who should sit on it?") is None
    # a first part that only judges the situation told: one question about the situation
    assert question_parts("Our reseller sends sixty figures. Is that normal, and what should we ask for?") is None
    assert question_parts("Should we stop, and what should we tell the customer?") is not None


def test_a_scrap_of_a_note_broken_off_mid_sentence_answers_nothing():
    scrap = chunk("n", "Paper > State of Alliance Study: Social", "Capital & Alliance Performance,", 3)
    asked = "which certification should I get?"
    assert ExtractiveComposer().compose(asked, Route(query=asked), [passage(scrap)]) is None
    label = chunk("l", "Guide > Tools", "Share the dashboards.", 4)  # short, but whole
    assert ExtractiveComposer().compose(asked, Route(query=asked), [passage(label)]) is not None


def test_comparison_sides_when_both_are_named_before_the_verb_that_compares_them():
    sides = comparison_sides("How did the tractor one and the drone case differ in how they set prices?")
    assert [n for n, _ in sides] == ["the tractor one", "the drone case"]
    assert all("set prices" in q for _, q in sides)
    sides = comparison_sides("How does the X paper's view of boards compare with what the Y guide says boards do?")
    assert [n for n, _ in sides] == ["the X paper", "the Y guide"] and all("view of boards" in q for _, q in sides)
    named = [n for n, _ in comparison_sides("How was the pilot different from the rollout?")]
    assert named == ["the pilot", "the rollout"]
    assert comparison_sides("Compare how the tractor case and case 4 set their prices.")[0][0] == "the tractor case"


def test_a_question_answered_from_the_case_the_conversation_is_in_stays_in_it():
    chat = Conversation.__new__(Conversation)
    chat.turns = [("Tell me about case 2.", Route(query="Tell me about case 2.", case=2, named=True))]
    told = chunk("c2", "Case 2 > Customers", "Farmers bought the service.", 1, case=2)
    elsewhere = chunk("f1", "Stage > Exit", "Plan the exit.", 2)
    answered = Answer("q", "answered", "Farmers bought the service. [1]", [Citation(1, told, "Farmers bought")])
    chat.remember("Why did the farmers buy it?", plan := Route(query="Why did the farmers buy it?"), answered)
    assert plan.case == 2 and plan.named  # the next follow-up leans on case 2, named as before
    mixed = Answer("q", "answered", "x [1] [2]", [Citation(1, told, "Farmers"), Citation(2, elsewhere, "Plan")])
    chat.remember("And the exit?", other := Route(query="And the exit?"), mixed)
    assert other.case is None  # an answer that left the case does not keep it
    refused = Answer("q", "not_covered", "The guidance does not cover that.")
    chat.remember("And the weather?", weather := Route(query="And the weather?"), refused)
    assert weather.case is None


def test_a_filter_no_chunk_passes_reads_no_scope():
    from assistant.scoped import Scope

    assert Scope.read(store=None, pieces=object(), chunks=[]) is None  # ranked by the store, which finds nothing


def test_a_question_naming_its_case_by_number_is_judged_among_its_passages_with_a_lower_bar():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4, min_in_case=0.3)  # type: ignore[arg-type]
    told = chunk("c2", "Case 2 > Service partnering", "The dealers shared the gains with the farmers.", 1, case=2)
    found = [passage(told, 0.33)]
    assert judge.judge(Route(query="in case 2, how did they get paid?", case=2, named=True), found).covered
    # a case told by its story, or carried over from the turn before, may be the wrong one
    assert not judge.judge(Route(query="and how did they get paid?", case=2, named=True), found).covered
    assert not judge.judge(Route(query="in case 2, how did they get paid?", case=2), found).covered
    strict = MeaningJudge(WordlessRetriever(), min_closest=0.4, min_in_case=0.3)  # type: ignore[arg-type]
    raining = Route(query="in case 2, is it raining there?", case=2, named=True)
    assert not strict.judge(raining, [passage(told, 0.1)]).covered  # far even from the case's own text


class WordlessRetriever(TinyRetriever):
    """A retriever in whose passages none of a question's words are found."""

    def coverage(self, words, text):  # noqa: ANN001
        return 0.0


def test_lessons_drawn_ask_for_a_cases_lessons():
    from assistant.route import PART_WORDS, asked_part

    assert asked_part("What lessons did they draw?") == "lessons_learnt"
    assert re.sub(PART_WORDS["lessons_learnt"], " ", "What lessons did they draw?").split() == ["What", "?"]


def test_the_part_of_a_case_asked_for_is_read_from_the_last_sentence_that_asks_for_one():
    from assistant.route import asked_part

    assert asked_part("Tell me about the tractor case. What were they offering their customers?") == "customers"
    assert asked_part("Tell me about the tractor case.") == "background"
    assert asked_part("how did the tractor firm get things started with its dealers?") == "process_followed"
    assert asked_part("how did the tractor firm kick off the joint service?") == "process_followed"
    assert asked_part("how did the tractor firm set the joint venture up?") == "process_followed"  # object inside
    # the customers as who did something is no question about who they were
    assert asked_part("In the tractor case, why did the customers turn down the first offer?") is None
    assert asked_part("What did the tractor firm offer the customers?") == "customers"
    assert asked_part("What did they learn? I mean the tractor case.") == "lessons_learnt"
    # the lessons in a reader's words
    for asked in ("what went wrong for the tractor firm?", "any pitfalls in that case?", "mistakes they made?"):
        assert asked_part(asked) == "lessons_learnt", asked


def test_a_cases_story_words_are_its_own_and_tell_it_apart_in_a_follow_up():
    from assistant.stories import story_words

    chunks = [
        chunk("a1", "Case 1 > Background", "The tractor maker sold through its dealers.", 1, case=1),
        chunk("a2", "Case 1 > Lessons", "The dealers shared fuel savings; it says much.", 2, case=1),
        chunk("b1", "Case 2 > Background", "The navy and the army bought support; it says little.", 3, case=2),
        chunk("f1", "Stage > Review", "Review what it says about the partnership every year.", 4),
    ]
    words = story_words(chunks)
    assert {"tractor", "dealers", "fuel"} <= words[1] and {"navy", "army"} <= words[2]
    assert "says" not in words[1] | words[2]  # every case and the framework use it
    chat = Conversation.__new__(Conversation)
    chat.assistant = SimpleNamespace(retriever=SimpleNamespace(story_words=words))
    assert chat.told_apart("and how did the tractor dealers get paid?", 1)
    assert not chat.told_apart("and what does it say about dealers?", 1)  # one story word is any word


def test_a_follow_up_using_another_cases_own_words_has_moved_to_that_case():
    from assistant.stories import case_vocabulary, other_cases_told

    chunks = [
        chunk("a1", "Case 1 > Background", "The tractor maker sold through its dealers often.", 1, case=1),
        chunk("a2", "Case 1 > Lessons learnt", "The dealers shared fuel savings.", 2, case=1),
        chunk("b1", "Case 2 > Background", "The navy bought defence support from an integrator.", 3, case=2),
        chunk("b2", "Case 2 > Lessons learnt", "The integrator learnt that defence budgets move.", 4, case=2),
        chunk("c1", "Case 3 > Background", "A defence prime and its subcontractor.", 5, case=3),
        chunk("f1", "Stage > Review", "Review the partnership often; defence is one market.", 6),
        chunk("f2", "Stage > Exit", "Learnt lessons and customer needs change often.", 7),
    ]
    vocabulary = case_vocabulary(chunks)
    assert {"tractor", "dealers"} <= vocabulary[1] and "defence" in vocabulary[2] & vocabulary[3]
    assert "often" not in vocabulary[1]  # the framework uses it as much as the cases
    assert "learnt" not in vocabulary[1] | vocabulary[2]  # a part heading every case has, not a story
    terms = {n: {w for c in chunks if c.case == n for w in tokenize(c.text)} for n in (1, 2, 3)}
    assert other_cases_told(["defence", "one"], 1, vocabulary, terms) == {2, 3}
    assert other_cases_told(["integrator"], 1, vocabulary, terms) == {2}
    assert other_cases_told(["dealers", "often", "paid"], 1, vocabulary, terms) == set()  # its own words
    assert other_cases_told(["defence"], 2, vocabulary, terms) == set()  # case 2 says "defence" too


def test_a_story_told_in_the_past_in_one_cases_own_words_is_about_that_case():
    from assistant.stories import story_told

    vocabulary = {1: {"tractor", "dealers", "defence"}, 2: {"navy", "defence"}, 3: {"integrator"}}
    assert story_told("How did the tractor maker get its dealers on board?", vocabulary) == 1
    assert story_told("What happened when the integrator joined forces with a design firm?", vocabulary) == 3
    assert story_told("How did the defence firms share the work?", vocabulary) is None  # two cases' word
    assert story_told("Did the navy and the tractor maker both renegotiate?", vocabulary) is None  # two stories
    assert story_told("How should we get our dealers on board?", vocabulary) is None  # the asker's own situation
    assert story_told("How do dealers get paid?", vocabulary) is None  # no story told


def test_a_question_asking_the_framework_leaves_the_case_and_its_passages():
    from assistant.route import FRAMEWORK_ASKED

    for asked in (
        "What does the general framework say about that?",
        "and what does the generic guidance recommend?",
        "Is that in the framework?",
    ):
        assert FRAMEWORK_ASKED.search(asked), asked
    assert not FRAMEWORK_ASKED.search("Did they build a framework agreement?")
    plan = Route(query="q", general=True)
    assert not plan.admits(chunk("a1", "Case 1 > Background", "x", 1, case=1))
    assert plan.admits(chunk("f1", "Stage > Review", "x", 2, stage="internal", step="Review"))


def test_that_case_points_at_the_one_case_the_answer_before_came_from():
    chat = Conversation.__new__(Conversation)
    chat.turns = []
    told = chunk("c4", "Case 4 > Lessons", "The integrator learnt to recruit a foundation client.", 1, case=4)
    answered = Answer("q", "answered", "x [1]", [Citation(1, told, "The integrator learnt")])
    chat.remember("How do we pick a first client?", first := Route(query="How do we pick a first client?"), answered)
    assert first.case is None and first.told == 4  # a general question keeps no case, but records where it was


def test_asking_for_more_of_a_named_part_names_no_topic_of_its_own():
    strict = MeaningJudge(WordlessRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    lessons = chunk("c1", "Case 1 > Lessons learnt", "Keep a review board.", 1, case=1, part="lessons_learnt")
    asked = Route(query="What else did they learn from it?", case=1, named=True, part="lessons_learnt")
    assert strict.asks_for_a_named_part(asked, [passage(lessons, 0.2)])
    about = Route(query="What did they learn about pricing?", case=1, named=True, part="lessons_learnt")
    assert not strict.asks_for_a_named_part(about, [passage(lessons, 0.2)])  # a topic the case never speaks of
    # a verb that stands for what they did ("by doing so") is no topic either
    done = Route(query="So what did they learn by doing so?", case=1, named=True, part="lessons_learnt")
    assert strict.asks_for_a_named_part(done, [passage(lessons, 0.2)])


def test_a_named_document_asked_about_as_a_whole_is_listed_by_its_parts():
    from assistant.overview import DOCUMENT_ASKED

    for question in (
        "What does the TM Forum guide cover?",
        "The Willetts blog in a nutshell?",
        "Someone sent me the Partner Everywhere paper. What's its basic argument?",
        "What are the main points of the TM Forum guide?",
        "Can you summarise the strategic partnerships article?",
    ):
        assert DOCUMENT_ASKED.search(question), question
    for question in (
        "What's the main point the TM Forum guide makes about exit clauses?",
        "Summarise what the Willetts blog says about trust",
        "What does the TM Forum guide say about governance?",
    ):
        assert not DOCUMENT_ASKED.search(question), question


def test_a_count_is_stated_with_words_between_it_and_the_thing_counted_and_answered_there():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    kpis = chunk("kpis", "Stage > Targets", "Ideally there should be no more than about five high-level targets.", 5)
    verdict = judge.judge(Route(query="how many targets is too many?"), [passage(EXIT, 0.6), passage(kpis, 0.6)])
    assert verdict.covered and verdict.stated_in is not None and verdict.stated_in.chunk is kpis
    assert judge.judge(Route(query="how should we exit?"), [passage(EXIT, 0.6)]).stated_in is None


def test_a_count_of_a_thing_named_by_several_words_is_stated_where_its_last_word_is_counted():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    kpis = chunk("kpis", "Stage > Targets", "Ideally there should be no more than about five high-level targets.", 5)
    asked = Route(query="what does the guide say about how many delivery targets to hold a partner to?")
    verdict = judge.judge(asked, [passage(EXIT, 0.6), passage(kpis, 0.6)])
    assert verdict.covered and verdict.stated_in is not None and verdict.stated_in.chunk is kpis


def test_a_figure_put_up_to_be_confirmed_must_be_stated_even_when_asked_as_advice():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    asked = "What fee split is usual on exit - is 40/60 the norm, or should we push for more?"
    assert not judge.judge(Route(query=asked.replace("the norm", "the standard")), [passage(EXIT, 0.6)]).covered
    # a figure that sets the scene is no figure asked for
    assert judge.judge(Route(query="We hold 50/50. How should we exit?"), [passage(EXIT, 0.6)]).covered


def test_a_sum_of_money_must_be_stated_even_when_asked_as_advice():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    for asked in (
        "How much should we budget for the exit?",
        "What fee should we agree for the exit?",
        "What fee range is usual for the exit?",
    ):
        verdict = judge.judge(Route(query=asked), [passage(EXIT, 0.6)])
        assert not verdict.covered and verdict.reason == FIGURE_UNSTATED, asked
    # what to charge for is the guidance's to say, not a sum
    assert judge.judge(Route(query="How much should we charge for the exit?"), [passage(EXIT, 0.6)]).covered


def test_a_documents_title_words_after_the_word_for_it_name_it_and_ask_nothing():
    from assistant.documents import titled_after_noun

    title = {"sailing", "boats", "handbook"}
    assert titled_after_noun("the coach's article on sailing boats - what about storms?", title) == (
        "the coach's article on  - what about storms?"
    )
    # elsewhere the same words are what is asked
    assert titled_after_noun("what does the article say about storms for sailing boats?", title) == (
        "what does the article say about storms for sailing boats?"
    )


def test_a_question_about_a_named_document_is_judged_among_its_passages_with_a_lower_bar():
    guide = Chunk("g", "guide", "The Guide", 1, 1, "G", "Plan the transition period with care.", position=1)

    class Corpus(TinyRetriever):
        chunks = [guide]

        def search(self, plan, k):  # noqa: ANN001
            return [passage(guide, 0.33)]

    judge = MeaningJudge(Corpus())  # type: ignore[arg-type]
    asked = "what does the guide warn about for the handover weeks?"
    assert judge.judge(Route(query=asked, doc="guide"), [passage(guide, 0.33)]).covered
    assert not judge.judge(Route(query=asked), [passage(guide, 0.33)]).covered  # no document: the usual bar
    assert not judge.judge(Route(query="and the weather?", doc="guide"), [passage(guide, 0.2)]).covered


def test_a_chunk_that_opens_by_pointing_back_is_quoted_from_what_it_points_to():
    filler = filler_text(60)
    found = two_chunk_section(
        "Guide > Handover",
        f"{filler}\nKeep a skipper aboard who knows the engine.",
        f"This matters most when the engine fails at sea during the handover. {filler}",
        found=1,
    )
    asked = "what matters when the engine fails during the handover?"
    quotes = quoted(asked, found)
    assert quotes[:2] == ["Keep a skipper aboard who knows the engine.", quotes[1]]
    assert quotes[1].startswith("This matters most")


def test_a_figure_asked_however_typed_is_stated_by_a_sentence_naming_what_it_is_of():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    # "whats" and "what’s" ask for a figure as "what's" does
    assert not judge.judge(Route(query="whats a usual profit split on exit?"), [passage(EXIT, 0.6)]).covered
    assert not judge.judge(Route(query="what’s a usual profit split on exit?"), [passage(EXIT, 0.6)]).covered
    # a period stated of something else is no notice period; one of the thing asked about is
    run = chunk("run", "Stage > Exit", "The exit process covered a period of roughly four years.", 5)
    notice = chunk("notice", "Stage > Exit", "Give a notice period of 90 days before exit.", 6)
    assert not judge.judge(Route(query="is there a standard notice period on exit?"), [passage(run, 0.6)]).covered
    verdict = judge.judge(Route(query="is there a standard notice period on exit?"), [passage(notice, 0.6)])
    assert verdict.covered and verdict.stated_in is not None and verdict.stated_in.chunks == [notice]
    # the duration named before what it should be, and figures offered one question at a time
    for asked in ("what notice period is normal on exit?", "which notice period do we give on exit? 30 days? 60 days?"):
        assert not judge.judge(Route(query=asked), [passage(run, 0.6)]).covered, asked
        assert judge.judge(Route(query=asked), [passage(notice, 0.6)]).covered, asked


def test_a_figure_is_answered_from_the_passage_that_states_it(assistant):
    answer = assistant.ask("What's the typical contract length for managed services?")
    assert answer.status == "answered"
    assert any("five- or seven-year contracts" in c.quote for c in answer.citations)


def test_a_run_of_prose_does_not_end_on_the_label_of_what_follows():
    filler = filler_text(60)
    rules = chunk(
        "k1",
        "Guide > Rules",
        f"{filler}\nDO: KEEP THE LOGBOOK. Write the logbook every watch. The logbook records the weather."
        " DON'T: SAIL ALONE. Always tell someone ashore.",
        6,
    )
    found = Passage(rules, 1.0, chunks=[rules], fit={}, unit=[rules])
    asked = "how often should the logbook be written, and what goes in the logbook?"
    quotes = quoted(asked, found)
    assert "Write the logbook every watch." in quotes
    assert "DON'T: SAIL ALONE." not in quotes


def test_how_often_is_answered_where_a_frequency_is_stated_and_never_refused_for_want_of_one():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    board = chunk("board", "Stage > Board", "Set up a review board. The board meets on a monthly basis.", 7)
    plain = chunk("plain", "Stage > Review", "Review the partnership with both teams.", 8)
    verdict = judge.judge(
        Route(query="how often does the review board meet?"), [passage(plain, 0.6), passage(board, 0.6)]
    )
    assert verdict.covered and verdict.stated_in is not None and verdict.stated_in.chunk is board
    verdict = judge.judge(Route(query="how often should we review it?"), [passage(plain, 0.6)])
    assert verdict.covered and verdict.stated_in is None
    # "Once a partner is on board" states no frequency
    once = chunk("once", "Stage > Onboard", "Once a partner is on board, agree the plan.", 9)
    assert judge.judge(Route(query="how often do we agree the plan?"), [passage(once, 0.6)]).stated_in is None


def test_a_count_asked_as_advice_is_answered_where_a_count_is_given_and_never_refused_for_want_of_one():
    judge = MeaningJudge(TinyRetriever(), min_closest=0.4)  # type: ignore[arg-type]
    general = chunk("gen", "Stage > Partners", "Choose partners who fit your strategy.", 10)
    counted = chunk("cnt", "Stage > Focus", "Keep to about three partners at a time.", 11)
    asked = Route(query="how many partners should we take on?")
    verdict = judge.judge(asked, [passage(general, 0.6), passage(counted, 0.6)])
    assert verdict.covered and verdict.stated_in is not None and verdict.stated_in.chunk is counted
    verdict = judge.judge(asked, [passage(general, 0.6)])
    assert verdict.covered and verdict.stated_in is None


def test_a_request_names_its_parties_and_purpose_however_it_is_typed():
    from assistant.request import parties_in, purpose_in

    typed = "pls draft an mou between harbour lights ltd and quay software to run ferry ticketing together"
    assert parties_in(typed) == ["harbour lights ltd", "quay software"]
    assert purpose_in(typed) == "to run ferry ticketing together"
    assert parties_in("draft an mou between us and the other side") == []  # no names, only who they are
    ours = "We're Tarn Robotics and we'll team up with Fell Optics AG. Draft an MoU, the aim being to sell drones."
    assert parties_in(ours) == ["Tarn Robotics", "Fell Optics AG"]
    assert purpose_in(ours) == "to sell drones"
    adverb = "Draft an MoU between Tarn Robotics and Fell Optics AG to jointly build inspection drones."
    assert purpose_in(adverb) == "to jointly build inspection drones"


def test_a_checklist_request_is_scoped_by_what_it_lists_and_what_it_points_back_to(assistant):
    from assistant.draft import Drafter
    from assistant.request import asked_topic, draft_for_request

    drafter = Drafter(assistant.retriever)
    # "a checklist for that": what the sentences before told
    told = (
        "We will sell a joint service to a big airport. First I want to learn how the airport runs. Checklist for that?"
    )
    assert asked_topic(told).startswith("We will sell a joint service")
    # a checklist named before the memorandum is a checklist, the memorandum its moment
    signed = draft_for_request(drafter, "Make me a checklist for the weeks after we sign the memorandum with them.")
    assert signed is not None and signed.kind == "checklist"
    # aspects of one step, listed: that step's checklist
    listed = draft_for_request(
        drafter,
        "Give me a checklist for when one of us pulls out: liabilities, the IP we built, seconded people, fraud.",
    )
    assert listed is not None and {i.group.split(" > ")[-1] for i in listed.items} == {"Exit"}


def test_a_checklist_request_is_read_by_the_sentence_that_asks_and_the_step_it_is_about(assistant):
    from assistant.draft import Drafter
    from assistant.request import asked_topic, draft_for_request

    drafter = Drafter(assistant.retriever)

    def steps_of(draft) -> set[str]:
        return {i.group.split(" > ")[-1] for i in draft.items if " > " in i.group}

    # the memorandum is what was done, the checklist what the asking sentence names; "all of that" points back
    signed = (
        "We signed the memorandum with Pell Ltd last month and now plan the detail together: how value flows,"
        " pricing, culture, incentives and oversight. Could you give me a checklist covering all of that?"
    )
    drafted = draft_for_request(drafter, signed)
    assert drafted is not None and drafted.kind == "checklist" and drafted.stage == "design"
    assert asked_topic(signed).startswith("We signed the memorandum")
    assert asked_topic("We run a depot. I want to learn how it works. A checklist for that whole piece?").startswith(
        "We run a depot."
    )
    # a heading word used in passing ("the KPIs that must look right first") gives way to what is asked about
    vote = (
        "We vote next week on whether to approach them or drop it. Make me a checklist for that decision: what we"
        " would commit, the risk of word getting out, and the KPIs that must look right first."
    )
    decided = draft_for_request(drafter, vote)
    assert decided is not None and steps_of(decided) == {"Partnering decision (go/no-go)"}
    panel = (
        "We need a technical review panel over the joint delivery team that meets monthly, and rules for when the"
        " two sides disagree. What should be on the checklist?"
    )
    oversight = draft_for_request(drafter, panel)
    assert oversight is not None and steps_of(oversight) == {"Governance"}


def test_a_sentence_tail_cut_from_its_opening_is_never_quoted_alone():
    filler = filler_text(60)
    found = two_chunk_section(
        "Guide > Crew",
        f"{filler}\nThe skipper briefs the crew on the tides.",
        f"and the crew checks the tides before sailing. {filler}",
        found=1,
    )
    asked = "who checks the tides before sailing and briefs the crew?"
    quotes = quoted(asked, found)
    at = quotes.index("and the crew checks the tides before sailing.")
    assert at > 0 and quotes[at - 1] == "The skipper briefs the crew on the tides."


def upkeep_found(opening: str, points: str) -> Passage:
    """An upkeep step found for a question about blame: its sentences about blame match it best."""
    upkeep = chunk("upkeep", "Stage > Upkeep", f"{opening}{points}", 7)
    fits = {pid: (0.7 if "blame" in text else 0.1) for pid, text, _ in upkeep.keyed_pieces()}
    return Passage(upkeep, 1.0, chunks=[upkeep], fit=fits, unit=[upkeep])


def test_a_long_openings_best_sentence_is_quoted_with_the_sentences_after_it_that_point_back():
    opening = (
        f"Upkeep keeps the boat afloat. {filler_text(20)}\n"
        "Crews often blame each other when the boat leaks. This is usually a sign of unclear duties."
        " These duties should be written down at once. The harbour master keeps the records."
    )
    found = upkeep_found(opening, "\n- Check the hull.\n- Oil the winches.")
    assert quoted("the crews blame each other, what now?", found) == [
        "Upkeep keeps the boat afloat.",  # the opening's first sentence
        "Crews often blame each other when the boat leaks.",  # its best one
        "This is usually a sign of unclear duties.",  # and those pointing back to it
        "These duties should be written down at once.",
        "Check the hull.",
        "Oil the winches.",
    ]


def test_each_chosen_sentence_of_an_opening_keeps_the_sentences_that_go_on_from_it():
    opening = (
        f"Upkeep keeps the boat afloat. This matters in every season. These seasons are long. {filler_text(20)}\n"
        "Crews often blame each other when the boat leaks. This is usually a sign of unclear duties."
        " The harbour master keeps the records."
    )
    found = upkeep_found(opening, "\n- Check the hull.")
    shown = quoted("the crews blame each other, what now?", found)
    # the first sentence's follower does not use up what the best sentence's may carry
    assert shown[:5] == [
        "Upkeep keeps the boat afloat.",
        "This matters in every season.",
        "These seasons are long.",
        "Crews often blame each other when the boat leaks.",
        "This is usually a sign of unclear duties.",
    ]


def test_a_list_quoted_whole_keeps_the_sentence_that_announces_it():
    text = (
        "The owner split the refit into three jobs:\n- the deck;\n- the cabins;\n- the mast.\n"
        "The crew met the owner after the refit. This led to a new plan. Such a plan set three rules:\n"
        "- check the hull;\n- log the engine hours; and\n- train the crew."
    )
    unit = chunk("refit", "Case 9 > New plan", text, 40)
    quotes = quoted("what did the new plan change about the hull and the engine and the crew?", passage(unit))
    assert "Such a plan set three rules:" in quotes and "This led to a new plan." in quotes  # read together
    assert {"check the hull;", "log the engine hours; and", "train the crew."} <= set(quotes)


def test_a_question_asked_after_what_it_is_about_is_split_but_not_after_a_clause_of_time():
    from assistant.parts import own_words, question_parts

    parts = question_parts(
        "In the refit case, the one with the old ferry, why did the plan fail and what was done next?"
    )
    assert parts is not None and all(p.startswith("In the refit case, the one with the old ferry, ") for p in parts)
    assert [own_words(p) for p in parts] == ["Why did the plan fail?", "What was done next?"]
    assert question_parts("Before we sign, how do we check the yard, and what do we do with what we find?") is None
    # a word said before asking ("like how did ...") is no situation of its own
    parts = question_parts("Tell me about the refit case. like how was it planned and how was the crew paid")
    assert parts == [
        "Tell me about the refit case. how was it planned?",
        "Tell me about the refit case. how was the crew paid?",
    ]


def test_a_case_is_found_by_its_order_among_the_cases_its_words_fit():
    from assistant.route import case_by_order

    words = {1: {"ferry", "refit", "hull"}, 2: {"dealer", "tractor"}, 3: {"ferry", "crew"}, 4: {"software"}}
    assert case_by_order("What did the first case learn?", words) == 1
    assert case_by_order("In the second ferry case, who paid for the crew?", words) == 3
    assert case_by_order("What about the last example?", words) == 4
    assert case_by_order("Did the first ferry case keep a review board?", words) == 1
    assert case_by_order("In the third ferry case?", words) is None  # only two cases speak of ferries
    assert case_by_order("What is the first step of the design stage?", words) is None


def test_a_closing_it_is_said_in_full_as_the_one_thing_the_turn_before_spoke_of():
    from assistant.antecedent import antecedent, resolved

    before = "They set up a steering group for the refit. What was that group for?"
    quotes = ["The steering group reviews the refit plan each month.", "Crews report to it."]
    assert antecedent(before, quotes) == "group"  # the last thing asked about that the answer speaks of
    assert resolved("And who chairs it?", before, quotes) == "And who chairs the group?"
    assert resolved("Is it binding?", before, quotes) == "Is it binding?"  # "it" as a subject is left
    # one thing: the plural the question before ended on is not what "it" is
    offered = "What did the yard offer its owners?"
    assert antecedent(offered, ["The yard offered its owners a fixed-price refit."]) == "yard"
    assert resolved("Who paid for it?", "What was the weather like?", ["Nothing here."]) == "Who paid for it?"


def test_the_last_one_is_the_last_of_the_things_the_question_before_named_in_a_row():
    from assistant.antecedent import named_in_a_row, resolved

    before = "How do leasing, revenue sharing and joint ventures compare for a refit yard?"
    assert named_in_a_row(before) == ["leasing", "revenue sharing", "joint ventures"]
    assert resolved("And who carries the risk in the last one?", before, []) == (
        "And who carries the risk in joint ventures?"
    )
    assert resolved("What about the first one?", "Should we hire a broker, a yard or a surveyor?", []) == (
        "What about a broker?"
    )
    assert resolved("And the last one?", "What is a refit plan?", []) == "And the last one?"  # nothing in a row


def test_a_label_in_capitals_is_quoted_only_with_what_it_opens():
    text = "DO: CHECK THE HULL. Inspect it every month.\n\nDON'T: SKIP THE LOG BOOK."
    rules = chunk("rules", "Guide > Rules of thumb", text, 3)
    quotes = quoted("what should we do about the hull?", passage(rules))
    assert "DO: CHECK THE HULL." in quotes and "Inspect it every month." in quotes
    assert "DON'T: SKIP THE LOG BOOK." not in quotes  # it announces what the answer does not say


def test_a_follow_up_on_the_unit_just_shown_quotes_a_sentence_that_points_back_with_the_one_it_points_to():
    from assistant.points import narrowed

    vetting = chunk(
        "vet",
        "Stage > Vetting",
        "Vetting looks at the partner's finances and skills. The findings are kept current for the life of "
        "the deal. This may be done in an audit cycle, or similar.\n- Keep a file of what you found.",
        3,
        stage="internal",
        step="Vetting",
    )
    found = passage(vetting)
    before = ExtractiveComposer().compose("what is vetting?", Route(query="what is vetting?"), [found])
    asked = "is it done in an audit cycle?"
    answer = narrowed(asked, Route(query=asked), before)
    assert answer is not None
    quotes = [c.quote for c in answer.citations]
    assert quotes[:2] == [
        "The findings are kept current for the life of the deal.",
        "This may be done in an audit cycle, or similar.",
    ]


def test_within_one_case_the_closest_sentence_counts_as_much_as_the_closest_chunk():
    from assistant.retrieve import HybridRetriever

    told = chunk("told", "Case 1 > Background", "A bakery shares its ovens.", 1, case=1, part="background")
    paid = chunk("paid", "Case 1 > Process followed", "They split the savings.", 2, case=1, part="process_followed")
    index = SimpleNamespace(
        by_id={c.id: c for c in (told, paid)},
        signals=("dense", "keyword", "pieces"),
        merge=lambda ranked, k: [[cid] for cid in ranked[:k]],
    )
    ranks = {"dense": [("told", 0.6)], "keyword": [], "pieces": [("paid", 0.7)]}
    _, anywhere = HybridRetriever.fuse(index, Route(query="How did they get paid?"), ranks, 2)
    _, in_case = HybridRetriever.fuse(index, Route(query="How did they get paid?", case=1), ranks, 2)
    assert anywhere["told"] > anywhere["paid"]  # across the corpus a whole chunk's match weighs more
    assert in_case["told"] == pytest.approx(in_case["paid"])  # within a case, its parts share the case's words


def test_the_general_framework_asked_for_is_its_steps_not_a_case_nor_another_document():
    step = chunk("s", "Stage > Start", "Start with a talk.", 1, stage="internal", step="Start")
    case = chunk("c", "Case 1 > Background", "A bakery shares ovens.", 2, case=1, part="background")
    other = Chunk("o", "blog", "Blog", 1, 1, "Blog > Tips", "Talk early.", position=1)
    asked = Route(query="What does the general framework say about talking?", general=True)
    assert [c.id for c in (step, case, other) if asked.admits(c)] == ["s"]
