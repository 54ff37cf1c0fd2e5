"""Cleaning rules on small, made-up pages."""

from ingest.clean import clean_pdf, clean_text, reorder_orphans, without_pull_quotes
from ingest.types import Block, Page

HEADER = "Acme Briefing - Executive Summary"
WIDE = "This line is as wide as the others in the document and keeps on going right up to the"


def pages(*texts: str) -> list[Page]:
    return [Page("doc", "Doc", n, f"{HEADER}\n{t}\n{n}") for n, t in enumerate(texts, start=1)]


def test_running_headers_and_page_numbers_are_removed():
    blocks = clean_pdf(pages("First page text ends.", "Second page text ends.", "Third page text ends."))
    text = " ".join(b.text for b in blocks)
    assert HEADER not in text
    assert "ends. 2" not in text and not any(b.text.isdigit() for b in blocks)


def test_paragraph_continues_across_a_page_break():
    blocks = clean_pdf(pages(f"{WIDE}\nend of a line that goes on", "to the next page.", "Another page."))
    assert any("goes on to the next page." in b.text and b.page == 1 and b.last_page == 2 for b in blocks)


def test_hyphen_is_undone_only_for_words_the_document_uses():
    text = f"{WIDE} partner-\nship and co-\noperation matter.\nA partnership is built. Some operation here."
    blocks = clean_pdf(pages(text, "X.", "Y."))
    joined = " ".join(b.text for b in blocks)
    assert "partnership and" in joined
    assert "cooperation" not in joined and "co-operation" in joined


def test_bullet_glyph_noise_is_repaired():
    text = (
        "Intro sentence.\nn I t must be owned.\nn T his is not a niche project.\n"
        "n A silicon maker.\nn P\nartnering is key.\nn P owering an engine."
    )
    # "t" of "don't" and "isn't" is not a word of the document: "I t" is still one split word.
    text = "Don't wait. It isn't late. I can't say.\n" + text
    blocks = clean_pdf(pages(text + "\nIt is this: a silicon maker.", "X.", "Y."))
    items = [b.text for b in blocks if b.kind == "item"]
    assert items[:4] == ["It must be owned.", "This is not a niche project.", "A silicon maker.", "Partnering is key."]
    assert "Powering an engine." in items


def test_heading_and_points_to_consider_are_recognised():
    text = (
        "Intro ends here.\nDue diligence\nDue diligence is important.\n"
        "Points to consider:\n- Check the partner.\n- o their finances."
    )
    blocks = clean_pdf(pages(text, "X.", "Y."))
    kinds = [(b.kind, b.text) for b in blocks]
    assert ("heading", "Due diligence") in kinds
    assert ("points", "Points to consider:") in kinds
    assert ("item", "Check the partner.") in kinds and ("subitem", "their finances.") in kinds  # glyph dropped


def test_text_placed_before_its_heading_moves_after_it():
    blocks = [
        Block("heading", "Design", 1),
        Block("paragraph", "Intro to design.", 1),
        Block("paragraph", "demonstrated and then delivered.", 1),
        Block("item", "A point.", 1),
        Block("heading", "Value exchange", 2),
        Block("paragraph", "The value exchange is how value is", 2),
        Block("heading", "Commercial model", 2),
    ]
    out = [(b.kind, b.text) for b in reorder_orphans(blocks)]
    assert out == [
        ("heading", "Design"),
        ("paragraph", "Intro to design."),
        ("heading", "Value exchange"),
        ("paragraph", "The value exchange is how value is demonstrated and then delivered."),
        ("item", "A point."),
        ("heading", "Commercial model"),
    ]


def test_text_files_split_on_blank_lines():
    blocks = clean_text([Page("t", "T", 1, "A Title\n\nA paragraph that says things.\n\n• an item here")])
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "A Title"),
        ("paragraph", "A paragraph that says things."),
        ("item", "an item here"),
    ]


def test_numbered_lines_with_explanations_are_a_list_however_each_line_reads():
    text = (
        "Three practices\n\nHere they are.\n\n1. Name a sponsor.\n\nThe sponsor answers for it.\n\n"
        "2. Meet every month to review progress together\n\nReviews catch drift early.\n\n"
        "3. Celebrate the wins\n\nIt builds goodwill.\n\nNext part\n\n1. Not a list on its own here."
    )
    blocks = clean_text([Page("guide", "Guide", 1, text)])
    kinds = [(b.kind, b.text) for b in blocks]
    assert ("item", "1. Name a sponsor.") in kinds and ("item", "3. Celebrate the wins") in kinds
    assert ("subitem", "Reviews catch drift early.") in kinds
    assert ("heading", "Next part") in kinds and ("paragraph", "1. Not a list on its own here.") in kinds


def test_contents_with_pages_first_and_a_sections_running_header_are_not_content():
    contents = "Contents\n15   Success factor #1- be clear\n17   Success factor #2- keep trust\n18   Rules of thumb"
    labelled = "Success factor #1 – be clear about where partners fit into your strategy"
    first = f"Intro ends here.\n4. KEY FACTORS\nSome factors matter.\n{labelled}\nWhy."
    later = "More text ends here.\n4. KEY FACTORS\nSuccess factor #2 – keep trust\nTrust matters."
    blocks = clean_pdf(pages(contents, first, later))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert not any(h.startswith(("15", "17", "18")) for h in headings)  # the contents are gone
    assert headings.count("4. KEY FACTORS") == 1  # a heading where it first appears, not on each page
    assert labelled in headings  # a numbered label's heading may run long


def test_pull_quote_fragments_and_source_notes_are_not_headings():
    text = f"{WIDE} ends.\nTwo-thirds of\nCEOs surveyed expect growth.\nAnalysts, June 2015\nNext Part\nMore text."
    blocks = clean_pdf(pages(text, "X.", "Y."))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "Two-thirds of" not in headings and "Next Part" in headings
    assert ("caption", "Analysts, June 2015") in [(b.kind, b.text) for b in blocks]  # left out of the sections


def test_a_text_with_no_punctuation_never_makes_a_chunk_wider_than_the_window():
    from ingest.chunker import MAX_WORDS, chunk_sections
    from ingest.structure import structure

    words = " ".join(f"word{n}" for n in range(MAX_WORDS * 30))
    blocks = clean_text([Page("flat", "Flat", 1, f"Heading\n\n{words}\n\n- {words}")])
    chunks = chunk_sections(structure("flat", "Flat", blocks))
    assert max(len(c.text.split()) for c in chunks) <= MAX_WORDS + 2  # a list item keeps its "- "
    assert sum(len(c.text.split()) for c in chunks) >= 2 * MAX_WORDS * 30  # nothing dropped


def test_a_last_item_without_a_full_stop_does_not_swallow_the_paragraph_after_it():
    text = (
        "Suppliers come in three kinds, and the kinds matter for the contract:\n"
        "- Resellers: they buy from you and sell on to their own customers at their own prices\n"
        "- Integrators: they build your parts into a system of their own for the\n"
        "Ministry of Works and its agencies\n"
        "- Co-sellers: you and they sell one offering through a subsidiary or together\n"
        "These kinds shape the relationship, and the contract should follow from them as they are.\n"
        "Each of these kinds needs its own terms."
    )
    blocks = clean_pdf(pages(text, "X.", "Y."))
    items = [b.text for b in blocks if b.kind == "item"]
    assert items[-1] == "Co-sellers: you and they sell one offering through a subsidiary or together"
    assert items[1].endswith("for the Ministry of Works and its agencies")  # a name continues its line
    assert any(b.kind == "paragraph" and b.text.startswith("These kinds shape") for b in blocks)


def test_the_covers_mark_closing_the_back_page_is_not_part_of_its_last_sentence():
    cover = "ACME INSTITUTE\nAcme Alliance\nA BRIEFING ON PARTNERS\nThe alliance writes briefings."
    blocks = clean_pdf(
        pages(cover, "Middle page text ends.", "The last lesson is to share.\nACME INSTITUTE\nAcme Alliance")
    )
    last = [b.text for b in blocks if b.page == 3]
    assert last == ["The last lesson is to share."]


def test_a_hyphenated_prefix_meets_the_joined_spelling():
    from ingest.text import terms

    assert terms("renegotiating the deal") & terms("Re-negotiation was necessary")
    assert terms("a co-developed offer") & terms("codeveloped")
    assert "subcontractor" in terms("the focus company a sub-contractor") and "contractor" in terms("a sub-contractor")
    assert "cross" in terms("cross-functional")  # only prefixes that are no words of their own are joined


def test_a_figure_or_table_caption_and_a_source_note_are_captions_not_headings():
    from ingest.clean import is_caption

    assert is_caption("Figure 1: Relationships and dependency")
    assert is_caption("Table 1: The Partnership Maturity Model")
    assert is_caption("Source: Industry survey, 2012")
    assert not is_caption("Figure 1 shows some of the key differences:")  # a sentence about the figure
    assert not is_caption("Principle 1: Close to the customer")  # a numbered list's item heading


def test_a_letter_split_off_by_a_bullet_is_rejoined_but_a_short_word_opening_the_point_is_kept():
    from collections import Counter

    from ingest.clean import repair_bullet

    vocab = Counter({"in": 40, "an": 30, "the": 90, "owering": 1, "powering": 0, "t": 0, "it": 12})
    assert repair_bullet("P owering the network", vocab) == "Powering the network"
    assert repair_bullet("I t must be agreed", vocab) == "It must be agreed"
    assert repair_bullet("In contracts put the rules", vocab) == "In contracts put the rules"
    assert repair_bullet("An original design", vocab) == "An original design"


def test_a_figure_caption_set_inside_a_sentence_does_not_cut_it():
    text = f"{WIDE}\nThe central team is charged with the capability to partner everywhere. It\n"
    text += (
        " Figure 6 – Control and influence spheres\nassembles the ecosystem that delivers solutions.\nA new paragraph."
    )
    blocks = clean_pdf(pages(text, "X.", "Y."))
    assert any("partner everywhere. It assembles the ecosystem that delivers solutions." in b.text for b in blocks)
    assert not any(b.text.startswith("assembles") for b in blocks)


def test_the_points_a_point_announces_are_its_sub_points_while_they_read_as_its_list():
    text = (
        "Points to consider:\n- Agree the terms early.\n- Settle what the leaving party owes:\n"
        "- Debts may have built up over the years;\n- Who carries the open risks? (Ask early.)\n"
        "- Name a mediator for disputes.\n- What happens to the staff?"
    )
    blocks = clean_pdf(pages(text, "Second page text ends.", "Third page text ends."))
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["Debts may have built up over the years;"] == "subitem"
    assert kinds["Who carries the open risks? (Ask early.)"] == "subitem"
    assert kinds["Name a mediator for disputes."] == "item"  # a point of its own ends the list
    assert kinds["What happens to the staff?"] == "item"  # announced by no point


def test_a_paragraph_gap_after_a_list_item_that_fills_its_line_ends_the_item():
    item = f"- Agree the review dates with the partner. {WIDE} end."
    after = "The rest of this section sets out how the review works in the partnership as a whole, in detail."
    glued = clean_pdf(pages(f"{item}\n{after}", "X.", "Y."))
    apart = clean_pdf(pages(f"{item}\n\n{after}", "X.", "Y."))  # the loader's blank line: a paragraph gap
    assert any(b.kind == "item" and after in b.text for b in glued)  # the line widths alone cannot tell
    assert [b.kind for b in apart if after in b.text] == ["paragraph"]
    assert not any(after in b.text for b in apart if b.kind == "item")


SIDEBAR = ["A hull that", "is surveyed", "every winter", "outlasts one", "that is not."]


def test_a_sidebar_set_inside_a_sentence_does_not_cut_it_and_a_pull_quote_is_said_once():
    body = [WIDE, WIDE, "The yard lifts each boat out in the autumn, when the"]
    after = ["surveyor checks the hull and the rudder fittings before any refit starts.", WIDE, "A hull that"]
    after += ["is surveyed every winter outlasts one that is not, whatever the boat is made of.", "Next part."]
    blocks = clean_pdf(pages("\n".join(body + SIDEBAR + after), "X.", "Y."))
    assert "when the surveyor checks the hull" in " ".join(b.text for b in blocks)
    text = " ".join(b.text for b in without_pull_quotes(blocks))
    assert text.count("every winter outlasts one") == 1  # the sidebar repeated the text: a pull quote


def test_a_sidebar_that_says_something_new_is_a_paragraph_after_the_one_it_interrupted():
    aside = ["Moorings are", "checked by", "divers twice", "each season."]
    body = [WIDE, "The yard lifts each boat out in the autumn, when the"]
    body += aside + ["surveyor checks the hull and the rudder fittings before any refit starts.", "Next part."]
    blocks = clean_pdf(pages("\n".join(body), "X.", "Y."))
    texts = [b.text for b in blocks]
    interrupted = next(i for i, t in enumerate(texts) if "when the surveyor checks" in t)
    assert texts[interrupted + 1] == "Moorings are checked by divers twice each season."


def test_short_lines_that_end_no_sentence_are_no_sidebar():
    cover = ["Harbour Guide", "Authors:", "Ann Quay", "Bo Slip", "Notice"]
    notice = ["Copyright 2020 Harbour Guild. All rights reserved.", WIDE]
    blocks = clean_pdf(pages("\n".join(cover + notice), "X.", "Y."))
    assert [b.text for b in blocks][:2] == ["Harbour Guide", "Authors:"]
    assert "Notice" in [b.text for b in blocks if b.kind == "heading"]


def test_a_question_after_a_question_is_the_texts_own_not_a_heading():
    text = (
        f"{WIDE} ends.\nWhich roles suit your company best and where does it have the greatest leverage?\n"
        f"Where is it weakest?\n{WIDE} ends.\nNext Part\nMore text."
    )
    blocks = clean_pdf(pages(text, "X.", "Y."))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "Where is it weakest?" not in headings and "Next Part" in headings
    assert "greatest leverage? Where is it weakest?" in " ".join(b.text for b in blocks)


def test_a_numbered_run_of_paragraphs_is_not_glued_to_the_item_before_and_a_drop_cap_joins_its_word():
    text = (
        f"{WIDE} ends.\nKey Points\n1. D\nesign Principle Number 1: Close to the Customer:\n"
        "- Knowledge of the business and of the partners\n- Stronger alignment with the business and shared goals\n"
        "2. Design Principle Number 2: One platform for every partner, whatever\n"
        "role it plays in the ecosystem and in the market.\n"
        "3. Design Principle Number 3: Align and integrate with the business.\nMore text follows here."
    )
    vocab_page = "Design matters. Design again. The design of it."
    blocks = clean_pdf(pages(text, vocab_page, "Y."))
    said = [b.text for b in blocks]
    assert "1. Design Principle Number 1: Close to the Customer:" in said
    assert "Stronger alignment with the business and shared goals" in said
    assert any(t.startswith("2. Design Principle Number 2: One platform") and t.endswith("market.") for t in said)
    assert any(t.startswith("3. Design Principle Number 3") for t in said)


def test_the_short_lines_of_a_dated_source_note_are_the_note_not_headings():
    text = (
        f"{WIDE} ends.\nTake the bike scheme\n{WIDE} on and on, see the\nReview, September 2016 and 6th\n"
        "Study of Alliances: Social\nCapital & Performance,\nAssociation of Alliance\nProfessionals, September 2016\n"
        f"{WIDE} again.\nNext Part\nMore text."
    )
    blocks = clean_pdf(pages(text, "X.", "Y."))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "Take the bike scheme" in headings and "Next Part" in headings  # after a finished sentence: the text's
    assert "Study of Alliances: Social" not in headings and "Association of Alliance" not in headings
    captions = [b.text for b in blocks if b.kind == "caption"]
    assert "Association of Alliance" in captions and "Professionals, September 2016" in captions


def test_a_short_numbered_title_ends_where_a_new_sentence_opens_after_it():
    text = (
        f"{WIDE} ends.\nPrinciples\n1. Close to the\ncustomer\n2. It is all in\nthe execution\n"
        "Different models can be at play within a network addressing a single use case.\n"
        f"{WIDE} and the models are different.\nNext Part\nMore text."
    )
    said = [b.text for b in clean_pdf(pages(text, "X.", "Y."))]
    assert "2. It is all in the execution" in said
    assert any(t.startswith("Different models can be at play") for t in said)
