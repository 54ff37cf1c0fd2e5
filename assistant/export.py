"""Drafts exported for documents: Markdown with footnotes, plain text to paste, DOCX, and JSON.

data = export(draft, "docx")     # bytes
Path("mou.docx").write_bytes(data)
"""

from __future__ import annotations

import io
import json
import re

from assistant.drafts import Draft
from assistant.errors import UserError
from assistant.types import Citation
from ingest.text import displayable

FORMATS = ("md", "txt", "docx", "json")


def source(c: Citation) -> str:
    return f"“{c.quote}” ({c.chunk.title}, {c.chunk.label}, p. {c.chunk.page})"


def meta(draft: Draft) -> str:
    line = f"Drafted by Handrail on {draft.created} from the partnership guidance (corpus {draft.corpus})."
    if draft.context:
        line += f" Context: {draft.context}."
    return line


def md_escape(text: str) -> str:
    """Text for Markdown (and Streamlit's: `$` opens LaTeX, `~` strikes through), shown as written, with
    no control or bidi-override character (see `ingest.text.displayable`)."""
    return re.sub(r"([\\`*_\[\]<>#|{}$~])", r"\\\1", displayable(text))


def to_markdown(draft: Draft) -> str:
    lines = [f"# {md_escape(draft.title)}", "", f"_{md_escape(meta(draft))}_", ""]
    group = None
    sources: dict[int, Citation] = {}
    for n, (item, cited) in enumerate(draft.numbered(), 1):
        notes = "".join(dict.fromkeys(f"[^{c.marker}]" for c in cited))
        sources |= {c.marker: c for c in cited if c.marker not in sources}
        if draft.kind == "mou":
            lines += [f"## {n}. {md_escape(item.heading)}", "", f"{md_escape(item.text)} {notes}", ""]
            continue
        if item.group != group:
            group = item.group
            lines += ["", f"## {md_escape(group)}", ""]
        lines.append(f"- [ ] {md_escape(item.text)} {notes}")
    lines += ["", "## Guidance and sources", ""]
    lines += [f"[^{m}]: {md_escape(source(c))}" for m, c in sorted(sources.items())]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def to_text(draft: Draft) -> str:
    lines = [draft.title, "=" * len(draft.title), meta(draft), ""]
    group = None
    for n, (item, cited) in enumerate(draft.numbered(), 1):
        if draft.kind == "mou":
            lines += [f"{n}. {item.heading}", item.text]
        else:
            if item.group != group:
                group = item.group
                lines += [group, "-" * len(group)]
            lines.append(f"[ ] {item.text}")
        lines += [f"    Source: {source(c)}" for c in cited]
        lines.append("")
    return "\n".join(lines)


def to_docx(draft: Draft) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = draft.title
    doc.add_heading(draft.title, level=0)
    doc.add_paragraph(meta(draft)).runs[0].italic = True
    group = None

    def sources(cited: list[Citation]) -> None:
        for c in cited:
            run = doc.add_paragraph(style="List Bullet").add_run(source(c))
            run.font.size = Pt(9)

    for n, (item, cited) in enumerate(draft.numbered(), 1):
        if draft.kind == "mou":
            doc.add_heading(f"{n}. {item.heading}", level=1)
            doc.add_paragraph(item.text)
            doc.add_paragraph().add_run("Guidance and sources").bold = True
            sources(cited)
            continue
        if item.group != group:
            group = item.group
            doc.add_heading(group, level=1)
        doc.add_paragraph(f"☐ {item.text}")
        sources(cited)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def export(draft: Draft, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(draft).encode()
    if fmt == "txt":
        return to_text(draft).encode()
    if fmt == "docx":
        return to_docx(draft)
    if fmt == "json":
        return (json.dumps(draft.to_dict(), ensure_ascii=False, indent=1) + "\n").encode()
    raise UserError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
