"""A cited PDF page as an image, with the quoted passage highlighted where it stands on the page.

    png = page_image(Path("corpus/briefing.pdf"), page=24, quotes=["Define the exit early."])
    source_file(settings, "cambridge-b2b-partnership-process")   # the corpus file a document came from
    catalogued(settings)   # [(title, what it is), ...] for the About panel

Rendered with pypdfium2 (PDFium, permissive licence). The quote is found in the page's own text with
everything but letters and digits set aside, so that the page's line breaks, hyphenation, bullet glyphs
and spacing (which ingest repaired in the quote) do not stop the match; its characters' boxes are then
painted over. A quote the page does not hold whole is highlighted by the runs of its words it does hold.
"""

from __future__ import annotations

import io
from pathlib import Path

from ingest import index
from ingest.settings import Settings

SCALE = 1.6  # pixels per PDF point: an A4 page renders about 950 pixels wide, legible beside the chat
HIGHLIGHT = (255, 200, 0, 110)  # the translucent amber of the app's quote highlight
WINDOW_WORDS = 6  # a quote not found whole is looked for in runs of this many words
CLOSING = ".,;:?!)’”'\""
FOCUS_MARGIN = 0.12  # of the page's height shown above and below the highlights: the paragraphs around them
MIN_RUN_CHARS = 12  # a shorter run (letters and digits) matches too much of a page to mean anything


def source_file(settings: Settings, doc_id: str) -> Path | None:
    """The corpus file a document was ingested from, while it is still there."""
    manifest = index.read_manifest(settings) or {}
    corpus = Path(manifest.get("corpus") or settings.corpus)
    for name, document in manifest.get("documents", {}).items():
        if document.get("doc_id") == doc_id and (corpus / name).is_file():
            return corpus / name
    return None


def catalogued(settings: Settings) -> list[tuple[str, str]]:
    """Each indexed document's title and what it is (ingest.sources), as the index records them."""
    documents = (index.read_manifest(settings) or {}).get("documents", {})
    return [(d.get("title") or name, d.get("about", "")) for name, d in documents.items()]


def folded(text: str) -> tuple[str, list[int]]:
    """The text's letters and digits, lower-cased, with each one's position in the text."""
    kept = [(ch.lower(), i) for i, ch in enumerate(text) if ch.isalnum()]
    return "".join(ch for ch, _ in kept), [i for _, i in kept]


def spans(page_text: str, quote: str) -> list[tuple[int, int]]:
    """Where the quote stands in the page's text, as (first character, count) runs."""
    hay, where = folded(page_text)

    def run(at: int, length: int) -> tuple[int, int]:
        first, last = where[at], where[at + length - 1]
        if last + 1 < len(page_text) and page_text[last + 1] in CLOSING:  # the sentence's full stop too
            last += 1
        return first, last - first + 1

    needle, _ = folded(quote)
    if len(needle) >= MIN_RUN_CHARS and (at := hay.find(needle)) >= 0:
        return [run(at, len(needle))]
    words = quote.split()
    found: list[tuple[int, int]] = []
    start = 0
    for n in range(0, len(words), WINDOW_WORDS):
        piece, _ = folded(" ".join(words[n : n + WINDOW_WORDS]))
        at = hay.find(piece, start) if len(piece) >= MIN_RUN_CHARS else -1
        if at >= 0:
            found.append(run(at, len(piece)))
            start = at + len(piece)
    return found


def page_image(pdf: Path, page: int, quotes: list[str], focus: bool = False) -> tuple[bytes, int]:
    """The page (1-based) as PNG bytes with the quotes highlighted, and how many quotes were found on it;
    with `focus`, the part of the page around the highlights (FOCUS_MARGIN of the page above and below),
    so the reader lands on the passage."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    document = pdfium.PdfDocument(str(pdf))
    try:
        sheet = document[min(max(page, 1), len(document)) - 1]
        text_page = sheet.get_textpage()
        text = text_page.get_text_range()
        _, height = sheet.get_size()
        image = sheet.render(scale=SCALE).to_pil().convert("RGBA")
        layer = image.copy()
        layer.putalpha(0)
        draw = ImageDraw.Draw(layer)
        hits, boxes = 0, []
        for quote in quotes:
            runs = spans(text, quote)
            hits += bool(runs)
            for first, count in runs:
                for i in range(text_page.count_rects(first, count)):
                    left, bottom, right, top = text_page.get_rect(i)
                    boxes.append((left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE))
                    draw.rectangle(boxes[-1], fill=HIGHLIGHT)
        out = io.BytesIO()
        image.alpha_composite(layer)
        if focus and boxes:
            margin = FOCUS_MARGIN * image.height
            upper = max(0, int(min(b[1] for b in boxes) - margin))
            lower = min(image.height, int(max(b[3] for b in boxes) + margin))
            image = image.crop((0, upper, image.width, lower))
        image.convert("RGB").save(out, format="PNG")
        return out.getvalue(), hits
    finally:
        document.close()
