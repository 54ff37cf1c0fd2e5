"""Answering on the real index: grounded citations, case routing, refusal, conversation."""

from __future__ import annotations

import io
import json
import re

import pytest

from assistant.chat import jsonl
from assistant.errors import UserError


@pytest.mark.parametrize(
    "question",
    [
        "What does due diligence on a prospective partner involve?",
        "What goes in the MoU?",
        "How should governance work in the design stage?",
    ],
)
def test_every_quote_is_verbatim_in_a_retrieved_passage(assistant, question):
    answer = assistant.ask(question)
    assert answer.status == "answered" and answer.citations
    retrieved = {c.id for p in answer.passages for c in p.chunks}
    for c in answer.citations:
        assert c.chunk.id in retrieved and c.quote in c.chunk.text
        assert f"[{c.marker}]" in answer.text


def test_merged_passages_join_neighbouring_chunks_of_one_section(assistant):
    answer = assistant.ask("What lessons were learnt in case 2?")
    merged = [p for p in answer.passages if len(p.chunks) > 1]
    assert merged, "the lessons of case 2 span several chunks and should come back as one passage"
    ids = [c.id for p in answer.passages for c in p.chunks]
    assert len(ids) == len(set(ids))
    order = {c.id: i for i, c in enumerate(assistant.retriever.chunks)}
    for p in merged:
        assert len({c.section for c in p.chunks}) == 1
        positions = [order[c.id] for c in p.chunks]
        assert positions == list(range(positions[0], positions[0] + len(positions)))
        assert p.chunk in p.chunks and all(c.text in p.text for c in p.chunks)


def test_one_sentence_is_found_by_its_meaning_and_quoted(assistant):
    answer = assistant.ask("Is it worth asking for references where things went wrong?")
    assert "'bad' as well as 'good' references" in answer.citations[0].quote
    closest = max(answer.passages, key=lambda p: p.closest)
    assert "'bad' as well as 'good' references" in closest.text


def test_a_case_named_by_its_story_cites_only_that_case(assistant):
    answer = assistant.ask("What did the dealer network case learn?")
    assert {c.chunk.case for c in answer.citations} == {2}
    assert answer.text.startswith("Case 2 of ")  # found by its story, the case is named for the reader


def test_a_follow_up_in_another_cases_words_moves_to_that_case_and_one_asking_the_framework_leaves_them(assistant):
    chat = assistant.conversation()
    chat.ask("How did the dealer network case share the gains with its dealers?")
    moved = chat.ask("And did the integrator share gains with its partner too?")
    assert moved.status == "answered" and {c.chunk.case for c in moved.citations} == {4}
    chat.ask("In case 3, how were the activities split?")
    general = chat.ask("What does the general guidance say about splitting activities like that?")
    assert general.status == "answered" and {c.chunk.case for c in general.citations} == {None}


def test_a_case_is_carried_at_a_follow_ups_bar_only_from_a_turn_answered_from_it(assistant):
    chat = assistant.conversation()
    chat.ask("What did the dealer network case learn?")
    chat.ask("and how did they get paid?")
    assert chat.turns[-1][1].case == 2 and chat.turns[-1][1].carried
    chat.ask("and what about the first example?")  # may be another case: judged as any question is
    assert not chat.turns[-1][1].carried
    chat.reset()
    assert chat.ask("How many staff did the dealer network in case 2 employ?").status == "not_covered"
    chat.ask("and how did they get paid?")
    assert chat.turns[-1][1].case == 2 and not chat.turns[-1][1].carried  # never answered from case 2


def test_a_follow_up_far_from_every_passage_is_asked_to_be_put_in_full(assistant):
    from assistant.answer import FOLLOW_UP_IN_FULL

    chat = assistant.conversation()
    chat.ask("What should the contract say?")
    answer = chat.ask("and did they pick the blue one in the end?")
    assert answer.status == "not_covered" and answer.text.endswith(FOLLOW_UP_IN_FULL)
    assert "It holds: " not in answer.text  # the documents' titles are no help with what it leans on


def test_where_an_answer_came_from_is_its_section_and_the_cases_its_points_send_the_reader_to(assistant):
    chat = assistant.conversation()
    before = chat.ask("What does the renew step involve?")
    linked = [c for c in before.citations if "(see case 3)" in c.quote.lower()]
    assert linked, "the renew step's answer quotes its point that sends the reader to case 3"
    came = chat.ask("where does that advice come from?")
    assert came.text.startswith(f"It came from {before.citations[0].chunk.label}") and "Case 3" in came.text
    assert came.citations[0].quote == linked[0].quote and came.citations[-1].chunk.case == 3
    # from a section that sends the reader to no case: the section, quoted
    chat.reset()
    chat.ask("What does the TM Forum guide say about trust?")
    came = chat.ask("where does that come from?")
    assert came.status == "answered" and came.text.startswith("It came from ")
    assert came.citations and came.citations[0].chunk.doc_id.startswith("tmforum")


def test_a_stage_filter_narrows_the_passages(assistant):
    answer = assistant.ask("What should the contract say?", stage="manage_deliver")
    assert {p.chunk.stage for p in answer.passages} == {"manage_deliver"}


def test_out_of_corpus_questions_are_refused_plainly(assistant):
    answer = assistant.ask("What is a good recipe for pancakes?")
    assert answer.status == "not_covered" and not answer.citations
    # Far from everything: what the corpus holds, not partnership topics that happen to be nearest.
    assert "does not cover" in answer.text and "It holds: " in answer.text and not answer.suggestions
    near = assistant.ask("How many staff did the dealer network in case 2 employ?")
    assert near.status == "not_covered" and "nearest topics" in near.text
    assert near.suggestions and all(s.startswith("Case 2") for s in near.suggestions)
    # Each topic offered comes with a question that the guidance answers from that very topic.
    assert len(near.asks) == len(near.suggestions)
    for topic, asked in zip(near.suggestions, near.asks, strict=True):
        followed = assistant.ask(asked)
        assert followed.status == "answered" and followed.citations[0].chunk.label == topic, (topic, asked)


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("How many customers does the case 3 service bring together?", "five different customers"),
        ("How long did case 3 take from the initial offer to contract notification?", "four years"),
        ("What percentage of enterprise customers will not exist, according to John Chambers?", "Forty percent"),
        ("How many staff work at the Cambridge Service Alliance?", None),
        ("How much profit did the case 2 dealers earn?", None),
        ("How much did the partners in case 4 invest?", None),
        ("Is there a standard notice period for ending our agreement with a partner?", None),  # a duration
        ("what notice period is normal when we end a reseller deal with a partner? 30 days? 3 months?", None),
        ("What's the usual ratio of service engineers to dealers in a partnership?", None),  # a ratio is a figure
        ("Which partner management software should we use to track our joint deals?", None),  # no product named
    ],
)
def test_a_figure_is_answered_only_where_the_corpus_states_one(assistant, question, stated):
    answer = assistant.ask(question)
    if stated:
        assert answer.status == "answered" and any(stated in c.chunk.text for c in answer.citations)
    else:
        assert answer.status == "not_covered" and not answer.citations


def test_a_sum_the_guidance_never_states_is_refused_as_a_figure(assistant):
    answer = assistant.ask("What salary should we offer the partnership's lead?")
    assert answer.status == "not_covered" and answer.text.startswith(
        "The partnership guidance in this corpus does not cover that: it gives no figure for it."
    )


def test_advice_on_a_number_is_not_taken_for_a_figure(assistant):
    assert assistant.ask("How many partners should a company aim to work with?").status == "answered"


def test_an_unknown_stage_is_a_user_error(assistant):
    with pytest.raises(UserError, match="Unknown stage 'nowhere'"):
        assistant.ask("What should the contract say?", stage="nowhere")


def test_empty_question_is_a_user_error(assistant):
    with pytest.raises(UserError):
        assistant.ask("   ")


def test_jsonl_conversation_resolves_follow_ups_and_resets(assistant):
    lines = [
        {"q": "Tell me the story of case 1."},
        {"q": "And what were their lessons?"},
        {"reset": True, "q": "And what were their lessons?"},
    ]
    stdin = io.StringIO("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    stdout = io.StringIO()
    jsonl(assistant.conversation(), stdin, stdout)
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert {c["case"] for c in out[1]["citations"]} == {1}
    assert any(c["section"] == "Case 1 > lessons learnt" for c in out[1]["citations"])
    fresh = assistant.conversation().ask("And what were their lessons?").to_dict()
    assert out[2]["answer"] == fresh["answer"] != out[1]["answer"]  # the reset forgot case 1
    assert "error" in out[3]


def test_a_question_naming_a_document_is_answered_from_that_document_alone(assistant):
    answer = assistant.ask("According to the TM Forum guide, how should we pick a partner?")
    assert answer.status == "answered"
    assert {c.chunk.doc_id for c in answer.citations} == {"tmforum-managing-partnerships"}


def test_a_named_document_that_never_uses_a_word_another_document_heads_a_section_with_does_not_cover_it(assistant):
    refused = assistant.ask("Does Willetts' blog set out a maturity model for partnerships?")
    assert refused.status == "not_covered" and "TM Forum" in refused.text
    assert assistant.ask("What is the maturity model in the TM Forum guide for?").status == "answered"
    # the situation told before the question is not what the document is asked about
    told = assistant.ask(
        "We are about to re-design our partner teams. What design principles does Partner Everywhere give?"
    )
    assert told.status == "answered"
    # every sentence that asks is read, and the framework's stages are not the blog's
    asked = assistant.ask("Is Willetts' blog any help on partnership maturity? What are the levels, lowest first?")
    assert asked.status == "not_covered" and "TM Forum" in asked.text
    # ... but a word another document heads a section with does not move a question the named one speaks
    # to far more closely: the coach's own strategy questions, though Partner Everywhere heads "Three
    # Questions to Ask Yourself"
    # the tail of "you're" is no word of a heading ("re-design")
    signed = assistant.ask("what does the strategic partnerships article say you're meant to do after you've signed?")
    assert signed.status == "answered"
    own = assistant.ask("Which questions does the strategic partnerships article say partners should ask?")
    assert own.status == "answered"
    assert {c.chunk.doc_id for c in own.citations} == {"strategic-partnerships-lessons"}


def test_the_case_studies_are_listed_one_line_each_from_the_index(assistant):
    answer = assistant.ask("Give me a quick rundown of all the case studies in the Cambridge briefing")
    assert answer.status == "answered"
    assert [line.split(":")[0] for line in answer.text.splitlines()[1:]] == [f"- Case {n}" for n in (1, 2, 3, 4)]
    assert all(c.quote in c.chunk.text for c in answer.citations)


def test_a_follow_up_points_at_an_entry_of_the_list_given_before(assistant):
    chat = assistant.conversation()
    assert chat.ask("What are the stages of the partnership process?").status == "answered"
    second = chat.ask("ok, say more about the second one")
    assert second.status == "answered" and {c.chunk.stage for c in second.citations} == {"internal"}
    last = chat.ask("and the last?")
    assert {c.chunk.stage for c in last.citations} == {"manage_deliver"}


def test_after_a_step_that_opens_the_next_stage_comes_that_stage(assistant):
    answer = assistant.ask("And once the go/no-go is decided, what happens after it?")
    assert "comes Why partnering (The partnership - propose)" in answer.text
    first = answer.citations[0]
    assert first.marker == 1 and first.chunk.step == "Partnering decision (go/no-go)" and "next stage" in first.quote
    assert all(c.quote in c.chunk.text for c in answer.citations)
    assert "comes Control for reputational risk" in assistant.ask("What comes after due diligence?").text


def test_what_comes_after_a_stage_is_the_next_stage_by_its_introduction_and_steps(assistant):
    answer = assistant.ask("What happens once the design stage is over, what comes after design?")
    assert answer.text.startswith("After The partnership - design comes The partnership - manage and deliver:")
    assert {c.chunk.stage for c in answer.citations} == {"manage_deliver"}
    assert "Its steps, in the briefing's order:" in answer.text and "- Dynamic change:" in answer.text


def test_a_follow_up_with_words_of_its_own_that_points_back_is_answered_on_the_topic_before(assistant):
    chat = assistant.conversation()
    assert chat.ask("What should the performance system in delivery do?").status == "answered"
    kept = chat.ask("and how do we keep that from slipping?")
    assert kept.status == "answered" and kept.citations[0].chunk.step == "Performance"
    assert chat.ask("and will it rain in Leeds tomorrow?").status == "not_covered"


def test_a_follow_up_singling_out_a_point_of_the_answer_before_gets_that_point(assistant):
    chat = assistant.conversation()
    assert chat.ask("What should the contract say?").citations[0].chunk.step == "Contract"
    lawyer = chat.ask("what about the lawyer?")
    assert lawyer.status == "answered" and lawyer.text.startswith("- Anticipate that your contracting department")
    assert {c.chunk.step for c in lawyer.citations} == {"Contract"}
    assert chat.ask("how much does the lawyer charge per hour?").status == "not_covered"  # a figure never stated


def test_a_follow_up_answered_from_the_unit_just_shown_gets_the_points_it_asks_about_not_all_again(assistant):
    chat = assistant.conversation()
    first = chat.ask("What should go into the memorandum with our partner?")
    assert first.citations[0].chunk.step == "Memorandum of common understanding"
    nda = chat.ask("should the NDA be part of it?")
    assert nda.status == "answered" and "non-disclosure agreements (NDA)" in nda.text
    assert {c.chunk.step for c in nda.citations} == {"Memorandum of common understanding"}
    assert len(nda.citations) < len(first.citations)
    again = chat.ask("and what else should it say?")  # asking for more is not narrowed: it is "what else?"
    assert again.status == "answered" and len(again.citations) > len(nda.citations)
    assert not {c.quote for c in again.citations} & {c.quote for c in first.citations + nda.citations}


def test_what_else_gives_the_points_not_shown_yet_then_says_a_unit_is_done(assistant):
    chat = assistant.conversation()
    first = chat.ask("Our partner keeps asking for more money mid-contract. What do we do?")
    assert re.search(r"\(\d+ more points in .*; ask “what else\?” for them\.\)$", first.text)  # and how to ask
    rest = chat.ask("what else?")
    shown = {c.quote for c in first.citations}
    assert rest.status == "answered" and rest.citations and not {c.quote for c in rest.citations} & shown
    assert {c.chunk.section for c in rest.citations} == {first.citations[0].chunk.section}
    assert "more point" not in rest.text
    chat = assistant.conversation()
    chat.ask("What are the points to consider for the contract?")
    beyond = chat.ask("what else?")
    assert beyond.text.startswith("That was all of The partnership - design > Contract.")
    assert all(c.chunk.step != "Contract" for c in beyond.citations)


def test_a_step_of_another_document_is_not_named_by_a_question_about_one_document(assistant):
    from assistant.route import route

    assert route("What does the Cambridge briefing say about performance?", assistant.retriever).step == "Performance"
    other = route("What does the TM Forum guide say about performance measures?", assistant.retriever)
    assert other.doc == "tmforum-managing-partnerships" and other.step is None and other.stage is None


def test_a_case_side_of_a_comparison_is_searched_for_what_is_compared_not_for_its_story(assistant):
    asked = (
        "How did the machine manufacturer case and the user-experience firm case differ in how they chose "
        "their first customers?"
    )
    answer = assistant.ask(asked)
    on_case_4 = [c.quote for c in answer.citations if c.chunk.case == 4]
    assert any("foundation client" in q for q in on_case_4), on_case_4


def test_a_follow_up_after_asking_which_case_stays_in_the_case_found(assistant):
    chat = assistant.conversation()
    found = chat.ask("Which of the Cambridge cases is about a machine manufacturer and its dealers?")
    assert found.text.startswith("Case 2 of")
    learnt = chat.ask("What did they learn?")
    assert learnt.status == "answered"
    assert {(c.chunk.case, c.chunk.part) for c in learnt.citations} == {(2, "lessons_learnt")}


def test_a_question_after_one_of_the_cases_is_answered_from_the_case_it_finds(assistant):
    answer = assistant.ask("Did any of the Cambridge cases set up a technical review board?")
    assert answer.text.startswith("Case 1 of")
    assert {c.chunk.case for c in answer.citations} == {1}
    assert any("technical review board" in c.quote for c in answer.citations)


def test_an_off_topic_question_after_a_case_question_is_refused(assistant):
    chat = assistant.conversation()
    assert chat.ask("What did case 2 learn?").status == "answered"
    assert chat.ask("What is the tallest mountain in Peru?").status == "not_covered"
    assert chat.ask("thanks!").status == "not_covered"


def test_the_frameworks_view_of_what_a_case_said_is_answered_from_the_frameworks_steps(assistant):
    chat = assistant.conversation()
    assert chat.ask("What did case 2 learn about the large multinational customers?").status == "answered"
    answer = chat.ask("What does the framework make of that for partnerships generally?")
    assert answer.status == "answered"
    assert all(c.chunk.step for c in answer.citations)  # neither a case nor another document
    assert any("one of the companies to be in the lead coordinating" in c.quote for c in answer.citations)


def test_a_follow_up_on_a_thing_the_answer_sent_the_reader_to_a_case_for_is_answered_from_that_case(assistant):
    chat = assistant.conversation()
    first = chat.ask("How should we set up governance when designing the partnership?")
    assert any("see case 1" in c.quote for c in first.citations)  # the review board point sends the reader to case 1
    answer = chat.ask("Who is on that board?")
    assert answer.text.startswith("Case 1 of")
    assert {c.chunk.case for c in answer.citations} == {1}
    assert any("staffed with system architects" in c.quote for c in answer.citations)
    assert len(answer.citations) <= 3  # the lesson about the board, not every lesson of the case


def test_a_named_list_of_numbered_headings_is_answered_with_all_its_items(assistant):
    answer = assistant.ask("What key strategy questions should prospective partners work through?")
    assert answer.status == "answered"
    assert sum(line.startswith("- ") for line in answer.text.splitlines()) == 8


def test_a_documents_numbered_principles_are_listed_in_order(assistant):
    answer = assistant.ask("What are the design principles in the Partner Everywhere paper?")
    listed = [line for line in answer.text.splitlines() if line.startswith("- Principle")]
    assert [line.split(":")[0] for line in listed] == [f"- Principle {n}" for n in range(1, 6)]
    assert all(c.quote in c.chunk.text for c in answer.citations)


def test_jsonl_answers_every_bad_line_with_one_error_and_goes_on(assistant):
    lines = [
        "[" * 100_000,
        '{"q": null}',
        '{"q": "What is due diligence?", "stage": 3}',
        '{"q": "What is due diligence?"}',
    ]
    stdout = io.StringIO()
    jsonl(assistant.conversation(), io.StringIO("\n".join(lines) + "\n"), stdout)
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [("error" in o) for o in out] == [True, True, True, False]
    assert "string" in out[1]["error"] and out[3]["status"] == "answered"


def test_a_question_after_which_case_is_answered_naming_the_case(assistant):
    answer = assistant.ask("Which case study is about a machine maker teaming up with its dealer network?")
    assert answer.status == "answered" and answer.text.startswith("Case 2 of ")
    assert all(c.chunk.case == 2 for c in answer.citations)


def test_a_case_asked_for_after_an_answer_is_the_one_its_guidance_points_to(assistant):
    """A follow-up asking for a case where "that" happened, after a step's answer whose points say
    "(see case N)", is answered from a case the guidance sends the reader to, not a guess by its words."""
    chat = assistant.conversation()
    before = chat.ask("How do we keep performance on track once the partnership is delivering?")
    linked = {int(n) for c in before.citations for n in re.findall(r"see (?:case|lesson learnt) (\d)", c.quote)}
    assert linked
    answer = chat.ask("Is there a case study where that happened?")
    assert answer.status == "answered"
    assert {c.chunk.case for c in answer.citations} <= linked


def test_a_case_the_answer_before_points_to_is_the_one_whose_quote_speaks_of_what_is_asked(assistant):
    chat = assistant.conversation()
    before = chat.ask("What does renewing a partnership involve?")
    # the points the Renew step sends to case 3 are shown with the sentence that announces them
    assert any(c.quote.endswith("(see Case 3):") for c in before.citations)
    answer = chat.ask("That bit about the usage-based review dates: which case was it from?")
    # that quote is about a renewed dialogue, not review dates: case 3 is not where the question points
    assert answer.status == "answered" and 3 not in {c.chunk.case for c in answer.citations}


def test_a_comparison_whose_sides_are_found_in_one_place_says_it_once(assistant):
    answer = assistant.ask("my team uses governance, management and oversight interchangeably - is there a difference?")
    assert answer.status == "answered" and "On governance" not in answer.text
    lines = [line for line in answer.text.splitlines() if line.strip()]
    assert len(lines) == len(set(lines))  # nothing said twice


def test_a_count_asked_as_advice_after_a_long_story_is_answered_where_the_count_is_stated(assistant):
    asked = (
        "Our supplier contract is drowning in measures: a huge weekly pack that nobody on either side reads, "
        "and the provider moans about the overhead. How many metrics should we keep?"
    )
    answer = assistant.ask(asked)
    assert answer.status == "answered"
    assert "five high-level metrics" in answer.citations[0].chunk.text  # led by where the count is given


def test_how_many_counts_what_the_question_gave_a_number_of():
    from assistant.figures import counted_nouns

    def counted(question: str) -> list[str]:
        return counted_nouns(question, question.lower().index("how many") + len("how many "))

    assert counted("We run 40 SLAs. How many should we keep?") == ["SLAs"]
    assert counted("How many metrics should we keep?") == ["metrics"]
    assert counted("How many should we keep?") == ["should"]  # nothing counted: as asked
    assert counted("How many service level targets to set?") == ["service", "level", "targets"]


def test_a_figure_asked_of_several_sides_is_asked_as_one_question(assistant):
    answer = assistant.ask(
        "In the dealer case, what share of the savings goes to the company vs the dealer vs the customer?"
    )
    assert answer.status == "not_covered" and not answer.citations  # no passage gives the split


def test_an_answer_drawn_from_one_case_alone_names_the_case_though_the_question_asked_none(assistant):
    answer = assistant.ask("What is an Economic Interest Grouping?")
    assert {c.chunk.case for c in answer.citations} == {3}
    assert answer.text.startswith("Case 3 of ")  # the reader is told where the answer comes from


def test_a_law_of_a_jurisdiction_the_guidance_never_names_is_refused(assistant):
    refused = assistant.ask("Under NZ commerce law, may two partners agree on the prices they quote?")
    assert refused.status == "not_covered" and not refused.citations
    # two capitals the briefing itself uses (its case 1 has a UK presence) are no unknown jurisdiction
    answered = assistant.ask("Does UK employment law matter for the staff we second to the partnership?")
    assert answered.status == "answered"


def test_a_case_named_by_its_order_among_the_defence_cases_is_that_case(assistant):
    answer = assistant.ask("What did the second defence case learn?")
    assert answer.status == "answered" and {c.chunk.case for c in answer.citations} == {3}


def test_who_sits_on_it_after_a_case_board_is_answered_from_the_board(assistant):
    chat = assistant.conversation()
    chat.ask("In the first case, the two companies set up a board together. What was that board for?")
    answer = chat.ask("Who sits on it?")
    assert answer.status == "answered"
    assert any("The board is staffed with system architects" in c.quote for c in answer.citations)


def test_the_last_one_after_three_kinds_of_deal_in_a_named_guide_is_the_last_kind_there(assistant):
    chat = assistant.conversation()
    chat.ask("How does the TM Forum guide tell outsourcing, managed services and partnerships apart?")
    answer = chat.ask("And what does it put at the heart of the last one?")
    assert answer.status == "answered" and {c.chunk.case for c in answer.citations} == {None}
    assert any(c.quote.startswith("At the heart of a partnership is trust") for c in answer.citations)


def test_a_law_named_by_its_title_that_the_guidance_never_names_is_refused(assistant):
    refused = assistant.ask("Which clauses of the Partnership Act govern how a partner may exit?")
    assert refused.status == "not_covered" and not refused.citations


def test_and_another_named_document_asks_the_question_before_of_that_document(assistant):
    chat = assistant.conversation()
    chat.ask("What does Willetts' blog say about trust?")
    answer = chat.ask("And the TM Forum guide?")
    assert answer.status == "answered"
    assert {c.chunk.doc_id for c in answer.citations} == {"tmforum-managing-partnerships"}
    assert "trust" in " ".join(c.quote for c in answer.citations).lower()


def test_which_case_was_that_names_the_one_case_the_answer_came_from_or_says_it_came_from_none(assistant):
    chat = assistant.conversation()
    first = chat.ask("What is an Economic Interest Grouping?")  # answered from case 3, though no case was asked
    assert {c.chunk.case for c in first.citations} == {3}
    assert chat.ask("Which case was that?").text.startswith("That was Case 3.")
    chat = assistant.conversation()
    chat.ask("Who makes the go/no-go call on a partnership?")
    answer = chat.ask("which case was that from?")
    assert answer.text.startswith("That was not from one of the case studies")
    assert answer.citations and answer.citations[0].chunk.case is None


def test_which_case_was_that_and_a_second_question_answers_both_in_that_case(assistant):
    chat = assistant.conversation()
    chat.ask("What is an Economic Interest Grouping?")  # answered from case 3
    answer = chat.ask("Which case was that, and what did they learn from it?")
    assert answer.text.startswith("That was Case 3.")
    assert {c.chunk.case for c in answer.citations} == {3}
    assert "lessons_learnt" in {c.chunk.part for c in answer.citations}
    assert {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)} == {c.marker for c in answer.citations}
    chat = assistant.conversation()
    chat.ask("What is an Economic Interest Grouping?")
    named = chat.ask("which case was that, and what is the capital of France?")  # the case covers no such thing
    assert named.text.startswith("That was Case 3.") and {c.chunk.case for c in named.citations} == {3}
    assert len(named.citations) == 1


def test_it_goes_on_standing_for_what_the_turn_before_said_in_full(assistant):
    chat = assistant.conversation()
    chat.ask("In case 1, what was the technical review board for?")
    chat.ask("who sits on it?")  # "who sits on the board?"
    assert "the board" in chat.plan("and who paid for running it?").query


def test_a_corpus_that_fits_in_memory_is_ranked_exactly_and_the_same_every_time(assistant, monkeypatch):
    import numpy as np

    from assistant.route import Route
    from assistant.scoped import unit, vectors

    retriever = assistant.retriever
    ids, matrix = vectors(retriever.store, [c.id for c in retriever.chunks])
    asked = "our partner keeps missing the dates we agreed, what should we do?"
    plan = Route(query=asked)

    def approximate(*args, **kwargs):
        raise AssertionError("an unfiltered search went to the approximate index")

    monkeypatch.setattr(retriever.store, "similarity_search_by_vector_with_relevance_scores", approximate)
    retriever.recent.clear()
    vector, ranks = retriever.rankings(plan, 40)
    exact = [ids[i] for i in np.argsort(-(matrix @ unit(vector)))[:40]]
    assert [cid for cid, _ in ranks["dense"]] == exact
