"""A conversation exported with its citations, as Markdown or as a Word document.

    data = export_conversation(title, store.messages(cid, owner), "md")   # or "docx"

Each answer keeps its [n] markers, and its sources follow it: document, place, page and the quotes.
"""

from __future__ import annotations

import io
from typing import Any

from assistant.errors import UserError

FORMATS = {"md": "text/markdown", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def sources_of(answer: dict[str, Any]) -> list[str]:
    """One line per cited place: marker, document, place, page, and its quotes."""
    places: dict[int, list[dict[str, Any]]] = {}
    for c in answer.get("citations", []):
        places.setdefault(c["marker"], []).append(c)
    return [
        f"[{n}] {cs[0]['title']}, {cs[0]['section']}, p. {cs[0]['page']}: " + " … ".join(f"“{c['quote']}”" for c in cs)
        for n, cs in places.items()
    ]


def turns(messages: list[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    """(who, what was said, its sources) per message."""
    out = []
    for m in messages:
        answer = m.get("answer") or {}
        out.append(("You" if m["role"] == "user" else "Handrail", m["text"], sources_of(answer)))
    return out


def to_markdown(title: str, messages: list[dict[str, Any]]) -> str:
    lines = [f"# {title}", ""]
    for who, said, sources in turns(messages):
        lines += [f"**{who}:**", "", said, ""]
        if sources:
            lines += ["Sources:", "", *[f"- {s}" for s in sources], ""]
    return "\n".join(lines)


def to_docx(title: str, messages: list[dict[str, Any]]) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = title[:255]
    document.core_properties.author = "Handrail"
    document.add_heading(title, level=1)
    for who, said, sources in turns(messages):
        document.add_heading(who, level=3)
        for paragraph in said.split("\n"):
            if paragraph.strip():
                document.add_paragraph(paragraph.strip())
        if sources:
            document.add_paragraph("Sources:").runs[0].italic = True
            for s in sources:
                document.add_paragraph(s, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def export_conversation(title: str, messages: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(title, messages).encode()
    if fmt == "docx":
        return to_docx(title, messages)
    raise UserError(f"A conversation exports as {' or '.join(FORMATS)}, not {fmt}.")
