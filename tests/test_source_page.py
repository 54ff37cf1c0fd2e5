"""A cited page rendered with its quote highlighted: the quote found in the page's own text, however the
page breaks, hyphenates or bullets it, and painted where it stands."""

from __future__ import annotations

import io

from PIL import Image

from assistant.source_page import page_image, source_file, spans


def test_a_quote_is_found_across_line_breaks_hyphens_and_glyphs():
    page = "Points to consider:\r\n• I t must be cham-\r\npioned by the executive suite. Next point."
    ((first, count),) = spans(page, "It must be championed by the executive suite.")
    assert page[first : first + count] == "I t must be cham-\r\npioned by the executive suite."


def test_a_quote_the_page_holds_only_in_part_is_highlighted_by_its_runs():
    page = "Agree the exit terms early in the design stage. Unrelated text follows here."
    found = spans(page, "Agree the exit terms early in the design stage, and name a mediator for every dispute.")
    assert len(found) == 1 and page[found[0][0] :].startswith("Agree the exit terms early")
    assert spans(page, "Nothing of this stands on the page at all.") == []


def test_a_cited_pdf_page_renders_with_the_quote_painted(real_settings, assistant):
    answer = assistant.ask("What should we check in due diligence?")
    cited = answer.citations[0]
    pdf = source_file(real_settings, cited.chunk.doc_id)
    assert pdf is not None and pdf.suffix == ".pdf"
    png, found = page_image(pdf, cited.page, [cited.quote])
    plain, none_found = page_image(pdf, cited.page, [])
    assert found == 1 and none_found == 0
    image, blank = Image.open(io.BytesIO(png)).convert("RGB"), Image.open(io.BytesIO(plain)).convert("RGB")
    assert image.size == blank.size and image.width > 800

    # The highlight tints the quote's lines amber: far more warm pixels than on the plain render.
    def amber(im: Image.Image) -> int:
        return sum(1 for r, g, b in im.getdata() if r > 200 and 150 < g < 235 and b < 150)

    assert amber(image) > amber(blank) + 2000

    # Focused, the reader lands on the passage: a part of the page, still holding the whole highlight.
    near, _ = page_image(pdf, cited.page, [cited.quote], focus=True)
    focused = Image.open(io.BytesIO(near)).convert("RGB")
    assert focused.width == image.width and focused.height < image.height / 2
    assert amber(focused) == amber(image)
