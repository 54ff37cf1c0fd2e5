"""The drafting view: a checklist or MoU clauses drafted from the guidance, shown under its own tab,
with its downloads."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from assistant.clauses import CLAUSE_IDS, CLAUSES, SLOT_HINTS
from assistant.draft import Drafter
from assistant.errors import HandrailError
from assistant.export import export, to_text
from assistant.views.common import text, where
from ingest.types import STAGE_TITLES, STAGES

DOWNLOADS = [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("md", "text/markdown"),
    ("txt", "text/plain"),
]


def draft_view(drafter: Drafter) -> None:
    if "draft" not in st.session_state and (asked := st.query_params.get("draft")):
        redraw(drafter, asked)  # a reload, or a shared link, shows the draft it was showing
    checklist_tab, mou_tab = st.tabs(["Checklist", "MoU clauses"])
    with checklist_tab:
        with st.form("checklist"):
            what = st.radio("For", ["A stage", "A topic"], horizontal=True)
            stage = st.selectbox("Stage", STAGES, format_func=STAGE_TITLES.get)
            topic = st.text_input("Topic (when drafting for a topic)", placeholder="due diligence, exit, gain share…")
            context = st.text_input("Your situation (optional)", placeholder="dealer network service partnership")
            if st.form_submit_button("Draft checklist"):
                asked = {"stage": stage} if what == "A stage" else {"topic": topic}
                run_draft(drafter, {"kind": "checklist", **asked, "context": context})
        shown("checklist")
    with mou_tab:
        with st.form("mou"):
            parties = [st.text_input(f"Party {n}") for n in (1, 2)]
            purpose = st.text_input("Purpose of the partnership")
            context = st.text_input("Your situation (optional) ", placeholder="dealer network service partnership")
            chosen = st.multiselect(
                "Clauses",
                CLAUSE_IDS,
                default=CLAUSE_IDS,
                format_func=lambda c: next(x.heading for x in CLAUSES if x.id == c),
            )
            with st.expander("Other details (left as [to be agreed: …] when empty)"):
                slots = {
                    k: st.text_input(hint.capitalize(), key=f"slot-{k}")
                    for k, hint in SLOT_HINTS.items()
                    if k != "purpose"
                }
            if st.form_submit_button("Draft MoU"):
                slots = {k: v for k, v in slots.items() if v} | {"purpose": purpose}
                request = {"kind": "mou", "parties": parties, "slots": slots, "clauses": chosen, "context": context}
                run_draft(drafter, request)
        shown("mou")


def shown(kind: str) -> None:
    """The current draft, under its own kind's tab."""
    if (draft := st.session_state.get("draft")) is not None and draft.kind == kind:
        show_draft(draft)


def make(drafter: Drafter, request: dict[str, Any]) -> Any:
    """The draft a request asks for: {"kind": "checklist", "stage"|"topic", "context"} or
    {"kind": "mou", "parties", "slots", "clauses", "context"}, as the forms make it and the URL keeps it."""
    context = str(request.get("context") or "")
    if request["kind"] == "checklist":
        return drafter.checklist(stage=request.get("stage"), topic=request.get("topic") or None, context=context)
    parties = [str(p) for p in request.get("parties", [])]
    slots = {str(k): str(v) for k, v in dict(request.get("slots", {})).items()}
    return drafter.mou(parties, slots, [str(c) for c in request.get("clauses", [])] or None, context)


def run_draft(drafter: Drafter, request: dict[str, Any]) -> None:
    try:
        st.session_state.draft = make(drafter, request)
    except HandrailError as e:
        st.error(str(e))
        return
    st.query_params["draft"] = json.dumps(request, separators=(",", ":"))


def redraw(drafter: Drafter, asked: str) -> None:
    try:
        request = json.loads(asked)
        if not isinstance(request, dict) or request.get("kind") not in ("checklist", "mou"):
            raise ValueError(asked)
        st.session_state.draft = make(drafter, request)
    except (ValueError, TypeError, AttributeError, HandrailError):
        st.query_params.pop("draft", None)
        st.info("The draft in this link could not be redrawn; draft it again below.")


def downloads(draft: Any, key: str) -> None:
    """The draft's download buttons: Word, Markdown and plain text."""
    for col, (fmt, mime) in zip(st.columns(3), DOWNLOADS, strict=True):
        col.download_button(
            f"Download .{fmt}", export(draft, fmt), draft.file_name(fmt), mime, key=f"download-{fmt}-{key}"
        )


def show_draft(draft: Any) -> None:
    st.subheader(draft.title)
    st.caption(f"Drafted {draft.created} from the partnership guidance")
    downloads(draft, "view")
    group = None
    for item, cited in draft.numbered():
        heading = item.heading or item.group
        if heading != group:
            group = heading
            st.markdown(f"#### {text(heading)}")
        marks = "".join(dict.fromkeys(f"\\[{c.marker}\\]" for c in cited))
        st.markdown(f"{'' if draft.kind == 'mou' else '☐ '}{text(item.text)} {marks}")
        with st.expander("Guidance", expanded=False):
            for c in cited:
                st.markdown(f"\\[{c.marker}\\] {text(c.quote)}  \n{where(c)}")
    st.markdown("**Copy-ready text**")
    st.code(to_text(draft), language=None)
