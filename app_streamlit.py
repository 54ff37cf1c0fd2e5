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

from assistant.access import LOCAL, owner_of, serving_refusal
from assistant.answer import Assistant
from assistant.conversation import Conversation
from assistant.draft import Drafter
from assistant.drafts import Draft
from assistant.errors import HandrailError, UserError
from assistant.settings import Settings
from assistant.source_page import catalogued
from assistant.store import Store
from assistant.transcript import FORMATS, export_conversation
from assistant.views.common import text
from assistant.views.drafting import downloads, draft_view
from assistant.views.navigation import VIEWS, chose, close_sidebar_on_phone, view_chosen
from assistant.views.touring import tour_view
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
                    for m in store.messages(cid, st.session_state.owner)
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
def page_png(pdf: str, page: int, quotes: tuple[str, ...], focus: bool = True) -> bytes:
    from assistant.source_page import page_image

    return page_image(Path(pdf), page, list(quotes), focus)[0]


def show_page(doc_id: str, page: int, quotes: list[str], key: str) -> None:
    """The cited PDF page with its quotes highlighted, and the PDF itself to open at that page."""
    from assistant.source_page import source_file

    pdf = source_file(st.session_state.settings, doc_id)
    if pdf is None or pdf.suffix.lower() != ".pdf":
        return
    if not st.toggle(f"Show page {page}", key=f"page-{key}"):
        return
    whole = st.checkbox("The whole page", key=f"whole-{key}")  # else the part around the passage
    try:
        png = page_png(str(pdf), page, tuple(quotes), focus=not whole)
        st.image(png, caption=f"{pdf.name}, page {page}", width=PAGE_WIDTH)
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


def plain(answer: dict[str, Any]) -> str:
    """The answer as text to paste: its markers, then each cited place once."""
    from assistant.transcript import sources_of

    return "\n".join([answer["answer"], "", *sources_of(answer)])


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
    with st.popover("Copy"):  # the answer with its sources, as plain text, one click to the clipboard
        st.code(plain(answer), language=None, wrap_lines=True)
    value = st.feedback("thumbs", key=f"feedback-{message_id}", default=feedback)
    if value != feedback:
        store.set_feedback(message_id, value)


def chat_view(assistant: Assistant, store: Store, scope: str) -> None:
    owner = st.session_state.owner
    cid = st.query_params.get("c")
    if cid and not store.owns(cid, owner):  # another user's, or deleted: it opens nothing
        st.info("That conversation is not among yours. A new one starts here.")
        st.query_params.pop("c", None)
        cid = None
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
    for m in store.messages(cid, owner) if cid else []:
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
    created = not cid
    if created:
        cid = store.new_conversation(question, owner)
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
    if created:
        st.rerun()  # the sidebar, drawn before the conversation existed, lists it and offers its actions


def sidebar(settings: Settings, assistant: Assistant, store: Store) -> tuple[str, str]:
    owner = st.session_state.owner
    with st.sidebar:
        st.title("Handrail")
        if "view" not in st.session_state:  # a reload, or a shared link, opens the view in the URL
            named = st.query_params.get("view") or ("learn" if "stop" in st.query_params else None)
            st.session_state.view = next((k for k, v in VIEWS.items() if v == named), "Chat")
        view = st.radio("View", list(VIEWS), key="view", on_change=view_chosen)
        scope = ALL
        if view == "Chat":  # the stage map narrows the conversation, and nothing else
            scope = st.radio(
                "Stage map",
                list(scopes(assistant)),
                key="scope",
                help="Narrow the conversation to a stage or case.",
                on_change=chose,
            )
            conversations(store, owner)
        with st.expander("About"):
            st.caption(f"{len(assistant.retriever.chunks)} passages from {len(titles(assistant))} documents:")
            for title, about in catalogued(settings):
                st.caption(f"**{text(title)}**" + (f" — {text(about)}" if about and about != title else ""))
            st.caption(f"Answers are composed by: {settings.generator}.")
            if owner != LOCAL:
                st.caption(f"Signed in as {text(owner)}.")
                st.button("Sign out", on_click=st.logout)
        if st.session_state.pop("chose", 0):
            close_sidebar_on_phone()
    return view, scope


def titles(assistant: Assistant) -> list[str]:
    return list(dict.fromkeys(c.title for c in assistant.retriever.chunks))


def conversations(store: Store, owner: str) -> None:
    """The user's conversations: a new one, search, open; the open one renamed, exported or deleted."""
    if st.button("New conversation", on_click=chose):
        st.query_params.pop("c", None)
        st.session_state.pop("chat", None)
        st.session_state.cid = None
        st.rerun()
    search = st.text_input("Search your conversations", key="search", placeholder="exit, case 3, gain share…")
    past = store.conversations(owner, search=search)
    if past or search:
        st.markdown("**Your conversations**" if not search else f"**{len(past)} found**")
    for c in past[:12]:
        if st.button(c["title"], key=f"conv-{c['id']}", on_click=chose):
            st.query_params["c"] = c["id"]
            st.rerun()
    cid = st.query_params.get("c")
    current = store.conversation(cid, owner) if cid else None
    if current is None:
        return
    with st.expander("This conversation"):
        title = st.text_input("Title", value=current["title"], key=f"title-{cid}")
        if st.button("Rename", key=f"rename-{cid}"):
            store.rename(cid, title, owner)
            st.rerun()
        name = current["title"][:60]
        for fmt, mime in FORMATS.items():
            st.download_button(
                f"Export as .{fmt}",
                lambda fmt=fmt: export_conversation(name, store.messages(cid, owner), fmt),  # made when clicked
                f"{name}.{fmt}",
                mime,
                key=f"export-{fmt}-{cid}",
            )
        if st.button("Delete", key=f"delete-{cid}", type="secondary"):
            store.delete(cid, owner)
            st.query_params.pop("c", None)
            st.session_state.pop("chat", None)
            st.rerun()


def signed_in(settings: Settings) -> str:
    """Who is using the app (LOCAL when nobody signs in); stops the page when it must not serve."""
    try:
        sign_in = "auth" in st.secrets
    except FileNotFoundError:
        sign_in = False
    refusal = serving_refusal(st.get_option("server.address"), sign_in, settings.open_to_everyone)
    if refusal:
        st.error(refusal)
        st.stop()
    if not sign_in:
        return LOCAL
    owner = owner_of(st.user)
    if owner is None:
        st.title("Handrail")
        st.markdown("Sign in to see your conversations.")
        st.button("Sign in", on_click=st.login, type="primary")
        st.stop()
    return str(owner)


def main() -> None:
    st.set_page_config(page_title="Handrail", page_icon="🤝", layout="wide")
    try:
        settings = Settings()
        st.session_state.owner = signed_in(settings)
        with st.spinner("Opening the guidance…"):  # a cold start shows what it is doing, never a blank page
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
