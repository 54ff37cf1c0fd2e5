"""Handrail in the browser: chat with sources, drafting and export, and the onboarding tour.

    streamlit run app_streamlit.py --server.address 127.0.0.1      # or: make run

A thin shell over `assistant/`: retrieval, composing, drafting and the tour live there. Text from the
corpus is always shown as text (Markdown characters escaped, never HTML).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.answer import Assistant, Conversation
from assistant.clauses import CLAUSE_IDS, CLAUSES, SLOT_HINTS
from assistant.draft import Drafter
from assistant.drafts import Draft
from assistant.errors import HandrailError, UserError
from assistant.export import export, to_text
from assistant.export import md_escape as text  # corpus or user text for st.markdown: shown as written
from assistant.settings import Settings
from assistant.store import Store
from assistant.tour import self_check, tour
from ingest.types import STAGE_TITLES, STAGES

STARTERS = {
    "customer": ["How do we keep the end customer in focus?", "What is value slippage?"],
    "internal": ["What should we check in due diligence?", "What does the go/no-go decision commit us to?"],
    "propose": ["What goes in the memorandum of common understanding?", "Why partner at all?"],
    "design": ["How should governance work in the design stage?", "What should incentives reward?"],
    "manage_deliver": ["How do we manage dynamic change?", "Who owns the IP created during delivery?"],
}
ALL = "All guidance"
PAGE_WIDTH = 640  # pixels: a cited page beside the chat, legible and about a screen high


DOWNLOADS = [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("md", "text/markdown"),
    ("txt", "text/plain"),
]


def where(c: Any) -> str:
    """A citation's place: document, stage > step or case, page."""
    return f"*{text(c.chunk.title)}, {text(c.chunk.label)}, p. {c.page}*"


@st.cache_resource(show_spinner=False)
def ingest_state() -> dict[str, Any]:
    """Once per server process: whether the index has been brought up to date, and a lock for doing it."""
    return {"done": False, "lock": threading.Lock()}


def prepared() -> Settings:
    """Bring the index up to date once per server process, with progress. The page's elements are made
    here, outside any cached function (Streamlit cannot replay them from a cache)."""
    from ingest import index
    from ingest.pipeline import run_ingest

    settings = Settings()
    state = ingest_state()
    if state["done"]:
        return settings
    with state["lock"]:
        if state["done"]:
            return settings
        bar = st.progress(0.0, "Checking the guidance index…")

        def progress(stage: str, done: int, total: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0), f"{stage.capitalize()}: {done} of {total}")

        try:
            run_ingest(settings, progress=progress)
        except UserError as e:
            if not index.read_manifest(settings):
                raise
            st.toast(f"Using the existing index: {e}")
        finally:
            bar.empty()
        state["done"] = True
    return settings


@st.cache_resource(show_spinner=False)
def embedder(_settings: Settings) -> Any:
    from ingest.onnx_embed import embedder_for

    model = embedder_for(_settings)
    # Load the model while the page renders and the user types, not on the first question.
    threading.Thread(target=model.embed_query, args=("partnership",), daemon=True).start()
    return model


@st.cache_resource(show_spinner=False, max_entries=1)
def loaded(version: str | None) -> tuple[Assistant, Store]:
    """The assistant over one index version: when another process ingests, the next run loads the new one."""
    settings = prepared()
    return Assistant.load(settings, embedder(settings)), Store(settings.home / "conversations.sqlite")


def handrail() -> tuple[Settings, Assistant, Store]:
    from ingest import index

    settings = prepared()
    assistant, store = loaded(index.current_version(settings))
    return settings, assistant, store


def scopes(assistant: Assistant) -> dict[str, tuple[str | None, int | None]]:
    out: dict[str, tuple[str | None, int | None]] = {ALL: (None, None)}
    out |= {STAGE_TITLES[s]: (s, None) for s in STAGES}
    out |= {f"Case {n}": (None, n) for n in sorted(assistant.retriever.cases)}
    return out


def conversation(assistant: Assistant, store: Store, cid: str | None) -> Conversation:
    """This session's conversation, taken up again from the store after a refresh."""
    state = st.session_state
    if state.get("cid") != cid or "chat" not in state or state.chat.assistant is not assistant:
        chat = assistant.conversation()
        if cid:
            table = scopes(assistant)
            chat.resume(
                [
                    (m["text"], *table.get(m["scope"] or ALL, (None, None)))
                    for m in store.messages(cid)
                    if m["role"] == "user"
                ]
            )
        state.chat, state.cid = chat, cid
    return state.chat


def highlighted(passage: str, quotes: list[str]) -> str:
    out, rest = "", passage
    for quote in sorted(set(quotes), key=passage.find):
        at = rest.find(quote)
        if at < 0:
            continue
        out += text(rest[:at]) + f":orange-background[{text(quote)}]"
        rest = rest[at + len(quote) :]
    return out + text(rest)


@st.cache_data(show_spinner=False, max_entries=64)
def page_png(pdf: str, page: int, quotes: tuple[str, ...]) -> bytes:
    from assistant.source_page import page_image

    return page_image(Path(pdf), page, list(quotes))[0]


def show_page(doc_id: str, page: int, quotes: list[str], key: str) -> None:
    """The cited PDF page with its quotes highlighted, and the PDF itself to open at that page."""
    from assistant.source_page import source_file

    pdf = source_file(st.session_state.settings, doc_id)
    if pdf is None or pdf.suffix.lower() != ".pdf":
        return
    if not st.toggle(f"Show page {page}", key=f"page-{key}"):
        return
    try:
        st.image(page_png(str(pdf), page, tuple(quotes)), caption=f"{pdf.name}, page {page}", width=PAGE_WIDTH)
    except Exception:  # noqa: BLE001  a file changed or damaged since ingest: the passage text still stands
        st.caption("This page cannot be shown: the PDF has changed since it was indexed.")
        return
    st.download_button(
        f"Open the PDF (the passage is on page {page})", pdf.read_bytes(), pdf.name, "application/pdf", key=f"pdf-{key}"
    )


def show_sources(answer: dict[str, Any], index: dict[str, Any], message_id: int) -> None:
    """Each cited place once, open: its passage with the quotes highlighted (the stored passage when the
    index has moved on), and for a PDF its page as an image with the quotes highlighted on it."""
    passages = {cid: p["text"] for p in answer["passages"] for cid in p.get("chunk_ids", [p["chunk_id"]])}
    passages |= {cid: index[cid].text for cid in passages if cid in index}
    by_marker: dict[int, list[dict[str, Any]]] = {}
    for c in answer["citations"]:
        by_marker.setdefault(c["marker"], []).append(c)
    with st.expander(f"Sources ({len(by_marker)})", expanded=True):
        for marker, cites in by_marker.items():
            c = cites[0]
            st.markdown(f"**\\[{marker}\\] {text(c['title'])}**, {text(c['section'])}, p. {c['page']}")
            passage = passages.get(c["chunk_id"], " … ".join(x["quote"] for x in cites))
            st.markdown(highlighted(passage, [x["quote"] for x in cites]))
            show_page(c["doc_id"], c["page"], [x["quote"] for x in cites], f"{message_id}-{marker}")


def show_answer(answer: dict[str, Any], message_id: int, store: Store, feedback: int | None) -> None:
    index = st.session_state.index
    if answer["status"] == "not_covered":
        st.warning(text(answer["answer"]))
        topics = list(zip(answer.get("nearest", []), answer.get("nearest_questions", []), strict=False))
        for col, (topic, asked) in zip(st.columns(max(1, len(topics))), topics, strict=False):
            if col.button(topic, key=f"near-{message_id}-{topic}", help=asked):
                st.session_state.pending = asked  # a question the guidance answers, from that topic
                st.rerun()
        return
    st.markdown(text(answer["answer"]))
    if answer.get("note"):
        st.caption(text(answer["note"]))
    if answer.get("draft"):
        try:
            downloads(Draft.from_dict(answer["draft"], index), f"m{message_id}")
        except KeyError:  # drafted from an index that has since been rebuilt
            st.caption("Ask for this draft again to download it: the guidance has been re-indexed since.")
    show_sources(answer, index, message_id)
    value = st.feedback("thumbs", key=f"feedback-{message_id}", default=feedback)
    if value != feedback:
        store.set_feedback(message_id, value)


def chat_view(assistant: Assistant, store: Store, scope: str) -> None:
    cid = st.query_params.get("c")
    chat = conversation(assistant, store, cid)
    stage, case = scopes(assistant)[scope]
    slot = st.empty()  # the starters' place, emptied once a question is asked
    if not cid:
        starters = slot.container()
        starters.markdown("Ask about B2B partnerships: each answer quotes the guidance and cites it.")
        for question in STARTERS.get(stage or "", STARTERS["internal"]):
            if starters.button(question, key=f"starter-{question}"):
                st.session_state.pending = question
                st.rerun()
    for m in store.messages(cid) if cid else []:
        with st.chat_message(m["role"]):
            if m["answer"]:
                show_answer(m["answer"], m["id"], store, m["feedback"])
            else:
                st.markdown(text(m["text"]))
    typed = st.chat_input(f"Ask Handrail ({scope})")
    question = typed or st.session_state.pop("pending", None)
    if not question:
        return
    slot.empty()
    if not cid:
        cid = store.new_conversation(question)
        st.query_params["c"] = cid
        st.session_state.cid = cid
    store.add(cid, "user", question, scope=scope)
    with st.chat_message("user"):
        st.markdown(text(question))
    with st.chat_message("assistant"):
        try:
            with st.spinner("Reading the guidance…"):
                answer = chat.ask(question, stage=stage, case=case).to_dict()
        except HandrailError as e:
            st.error(str(e))
            return
        message = store.add(cid, "assistant", answer["answer"], answer, scope=scope)
        show_answer(answer, message, store, None)


def draft_view(drafter: Drafter) -> None:
    checklist_tab, mou_tab = st.tabs(["Checklist", "MoU clauses"])
    with checklist_tab, st.form("checklist"):
        what = st.radio("For", ["A stage", "A topic"], horizontal=True)
        stage = st.selectbox("Stage", STAGES, format_func=STAGE_TITLES.get)
        topic = st.text_input("Topic (when drafting for a topic)", placeholder="due diligence, exit, gain share…")
        context = st.text_input("Your situation (optional)", placeholder="dealer network service partnership")
        if st.form_submit_button("Draft checklist"):
            run_draft(
                lambda: drafter.checklist(
                    stage=stage if what == "A stage" else None, topic=topic or None, context=context
                )
            )
    with mou_tab, st.form("mou"):
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
                k: st.text_input(hint.capitalize(), key=f"slot-{k}") for k, hint in SLOT_HINTS.items() if k != "purpose"
            }
        if st.form_submit_button("Draft MoU"):
            slots["purpose"] = purpose
            run_draft(lambda: drafter.mou(parties, slots, chosen or None, context))
    if draft := st.session_state.get("draft"):
        show_draft(draft)


def run_draft(make: Any) -> None:
    try:
        st.session_state.draft = make()
    except HandrailError as e:
        st.error(str(e))


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


def tour_view(assistant: Assistant) -> None:
    stops = tour(assistant.retriever)
    state = st.session_state
    at = state.setdefault("tour_stop", 0)
    st.progress((at + 1) / (len(stops) + 1), f"Step {at + 1} of {len(stops) + 1}")
    if at < len(stops):
        stop = stops[at]
        st.header(stop.title)
        if stop.purpose:
            st.markdown(f"**What it is for.** {text(stop.purpose.quote)}")
            st.caption(f"{text(stop.purpose.chunk.title)}, p. {stop.purpose.page}")
        if stop.steps:
            st.markdown("**Its steps:** " + text(" → ".join(stop.steps)))
        if stop.points:
            st.markdown("**Key points to consider**")
            for c in stop.points:
                st.markdown(f"- {text(c.quote)} *({text(c.chunk.label)}, p. {c.page})*")
        if stop.case and stop.case_story:
            st.markdown(f"**A case that illustrates it: case {stop.case}.** {text(stop.case_story.quote)}")
            if stop.case_lesson:
                st.markdown(f"Lesson learnt: {text(stop.case_lesson.quote)} {where(stop.case_lesson)}")
    else:
        st.header("Check yourself")
        questions = self_check(assistant.retriever)
        with st.form("self-check"):
            picks = [st.radio(q.prompt, q.options, index=None, key=f"check-{n}") for n, q in enumerate(questions)]
            if st.form_submit_button("Check my answers"):
                right = sum(p == q.answer for p, q in zip(picks, questions, strict=True))
                st.markdown(f"**{right} of {len(questions)} right.**")
                for p, q in zip(picks, questions, strict=True):
                    verdict = "Right" if p == q.answer else f"The answer is {q.answer}"
                    st.markdown(f"- {text(verdict)}: “{text(q.evidence.quote)}” {where(q.evidence)}")
    back, forward = st.columns(2)
    if back.button("Previous", disabled=at == 0):
        state.tour_stop = at - 1
        st.rerun()
    if forward.button("Next", disabled=at >= len(stops)):
        state.tour_stop = at + 1
        st.rerun()


def sidebar(settings: Settings, assistant: Assistant, store: Store) -> tuple[str, str]:
    with st.sidebar:
        st.title("Handrail")
        view = st.radio("View", ["Chat", "Draft", "Learn the process"], key="view")
        scope = st.radio(
            "Stage map", list(scopes(assistant)), key="scope", help="Narrow the conversation to a stage or case."
        )
        if st.button("New conversation"):
            st.query_params.clear()
            st.session_state.pop("chat", None)
            st.session_state.cid = None
            st.rerun()
        past = store.conversations()
        if past:
            st.markdown("**Past conversations**")
            for c in past[:12]:
                if st.button(c["title"], key=f"conv-{c['id']}"):
                    st.query_params["c"] = c["id"]
                    st.rerun()
        with st.expander("Settings"):
            st.text(f"Composer: {settings.generator}")
            if settings.generator != "extractive":
                st.text(
                    f"Model: {settings.llm_model or 'default'} at {settings.llm_base_url or 'the provider default'}"
                )
            st.text(f"Index: {len(assistant.retriever.chunks)} passages")
    return view, scope


def main() -> None:
    st.set_page_config(page_title="Handrail", page_icon="🤝", layout="wide")
    try:
        settings, assistant, store = handrail()
    except HandrailError as e:
        st.error(str(e))
        st.stop()
    st.session_state.index = assistant.retriever.by_id
    st.session_state.settings = settings
    view, scope = sidebar(settings, assistant, store)
    if view == "Chat":
        chat_view(assistant, store, scope)
    elif view == "Draft":
        draft_view(Drafter(assistant.retriever))
    else:
        tour_view(assistant)


main()
