"""What the app's views share: corpus text shown as written, and a citation's place."""

from __future__ import annotations

from typing import Any

from assistant.export import md_escape as text  # corpus or user text for st.markdown: shown as written

__all__ = ["text", "where"]


def where(c: Any) -> str:
    """A citation's place: document, stage > step or case, page."""
    return f"*{text(c.chunk.title)}, {text(c.chunk.label)}, p. {c.page}*"
