"""Drafts exported for documents: Markdown with footnotes, plain text to paste, DOCX, and JSON.

data = export(draft, "docx")     # bytes
Path("mou.docx").write_bytes(data)
"""

from __future__ import annotations

import json
import re

from assistant.drafts import Draft
from assistant.errors import UserError
from assistant.types import Citation
from assistant.word import GUIDANCE, to_docx
from ingest.text import displayable

FORMATS = ("md", "txt", "docx", "json")


def source(c: Citation) -> str:
    return f"“{c.quote}” ({c.chunk.title}, {c.chunk.label}, p. {c.page})"


def sourced(cited: list[Citation]) -> str:
    """The quotes cited at one place, then the place: “…” “…” (title, section, p. n)."""
    c = cited[0]
    return " ".join(f"“{q.quote}”" for q in cited) + f" ({c.chunk.title}, {c.chunk.label}, p. {c.page})"


def meta(draft: Draft) -> str:
    line = f"Draft for discussion, drafted by Handrail on {draft.created} from the partnership guidance."
    if draft.parties:
        line += f" Between {' and '.join(draft.parties)}."
    if draft.purpose:
        line += f" Purpose: {draft.purpose}."
    if draft.context:
        line += f" Context: {draft.context}."
    return line


def md_escape(text: str) -> str:
    """Text for Markdown (and Streamlit's: `$` opens LaTeX, `~` strikes through), shown as written, with
    no control or bidi-override character (see `ingest.text.displayable`)."""
    return re.sub(r"([\\`*_\[\]<>#|{}$~])", r"\\\1", displayable(text))


def to_markdown(draft: Draft, guidance: str = "footnotes") -> str:
    lines = [f"# {md_escape(draft.title)}", "", f"_{md_escape(meta(draft))}_", ""]
    group = None
    sources: dict[int, list[Citation]] = {}  # each place's footnote quotes every passage cited there
    for n, (item, cited) in enumerate(draft.numbered(), 1):
        notes = "".join(dict.fromkeys(f"[^{c.marker}]" for c in cited)) if guidance != "none" else ""
        for c in cited:
            if all(c.quote != q.quote for q in sources.setdefault(c.marker, [])):
                sources[c.marker].append(c)
        if draft.kind == "mou":
            lines += [f"## {n}. {md_escape(item.heading)}", "", f"{md_escape(item.text)} {notes}", ""]
            continue
        if item.group != group:
            group = item.group
            lines += ["", f"## {md_escape(group)}", ""]
        lines.append(f"- [ ] {md_escape(item.text)} {notes}")
    if guidance != "none":
        lines += ["", "## Guidance and sources", ""]
        lines += [f"[^{m}]: {md_escape(sourced(cs))}" for m, cs in sorted(sources.items())]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def to_text(draft: Draft, guidance: str = "footnotes") -> str:
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
        lines += [f"    Source: {source(c)}" for c in cited] if guidance != "none" else []
        lines.append("")
    return "\n".join(lines)


def export(draft: Draft, fmt: str, guidance: str = "footnotes") -> bytes:
    """The draft in a format; `guidance` puts each clause's or item's sources in footnotes (the
    default), in an appendix table (.docx), or leaves them out."""
    if guidance not in GUIDANCE:
        raise UserError(f"Unknown guidance placement {guidance!r}: choose one of {', '.join(GUIDANCE)}.")
    if fmt == "md":
        return to_markdown(draft, guidance).encode()
    if fmt == "txt":
        return to_text(draft, guidance).encode()
    if fmt == "docx":
        return to_docx(draft, guidance)
    if fmt == "json":
        return (json.dumps(draft.to_dict(), ensure_ascii=False, indent=1) + "\n").encode()
    raise UserError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
