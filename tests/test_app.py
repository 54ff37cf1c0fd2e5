"""The Streamlit app through Streamlit's AppTest, on the real index: chat, sources, filters, drafting, tour, state."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assistant.store import Store
from tests.conftest import CORPUS, ROOT

APP = str(ROOT / "app_streamlit.py")


@pytest.fixture
def app(real_settings, monkeypatch) -> AppTest:
    monkeypatch.setenv("HANDRAIL_HOME", str(real_settings.home))
    monkeypatch.setenv("HANDRAIL_CORPUS", str(CORPUS))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def sources(at: AppTest) -> str:
    """The text of the last answer's sources panel."""
    panel = [e for e in at.expander if e.label.startswith("Sources")][-1]
    return "\n".join(m.value for m in panel.markdown)


def test_a_question_gives_a_cited_answer_with_a_sources_panel(app):
    ask(app, "What does due diligence on a prospective partner involve?")
    assert [m.name for m in app.chat_message] == ["user", "assistant"]
    answer = app.chat_message[1].markdown[0].value
    assert r"\[1\]" in answer
    panel = sources(app)
    assert "Due diligence" in panel and "p. " in panel and ":orange-background[" in panel


def test_a_follow_up_resolves_against_the_earlier_turn(app):
    ask(app, "Tell me the story of case 3.")
    ask(app, "And what were their lessons?")
    assert len(app.chat_message) == 4
    assert "Case 3" in sources(app) and "Case 1" not in sources(app)


def last_answer(at: AppTest, home) -> dict:
    cid = at.query_params["c"]
    messages = Store(home / "conversations.sqlite").messages(cid[0] if isinstance(cid, list) else cid)
    return messages[-1]["answer"]


def test_a_stage_filter_changes_what_is_cited(app, real_settings):
    ask(app, "What should the contract say?")
    open_answer = sources(app)
    assert {c["stage"] for c in last_answer(app, real_settings.home)["citations"]} != {"manage_deliver"}
    app.sidebar.radio(key="scope").set_value("The partnership - manage and deliver").run()
    app.sidebar.button[0].click().run()  # a new conversation, narrowed to the stage
    ask(app, "What should the contract say?")
    assert sources(app) != open_answer
    assert {c["stage"] for c in last_answer(app, real_settings.home)["citations"]} == {"manage_deliver"}


def test_not_covered_answers_offer_the_nearest_topics(app):
    ask(app, "How many staff did the dealer network in case 2 employ?")
    assert app.warning and "does not cover" in app.warning[0].value
    topics = [b for b in app.button if b.key and b.key.startswith("near-")]
    assert topics
    topics[0].click().run()  # a suggestion asks its question, and the guidance answers it
    assert not app.exception and len(app.chat_message) == 4
    assert r"\[1\]" in app.chat_message[3].markdown[0].value


def test_state_survives_a_rerun_and_a_refresh(app, real_settings):
    ask(app, "Tell me the story of case 3.")
    app.run()
    assert len(app.chat_message) == 2
    cid = app.query_params["c"]
    cid = cid[0] if isinstance(cid, list) else cid
    app.feedback[0].set_value(1).run()
    assert Store(real_settings.home / "conversations.sqlite").messages(cid)[1]["feedback"] == 1

    refreshed = AppTest.from_file(APP, default_timeout=120)
    refreshed.query_params["c"] = cid
    refreshed.run()
    assert len(refreshed.chat_message) == 2  # the conversation came back from SQLite
    ask(refreshed, "And what were their lessons?")
    assert "Case 3" in sources(refreshed)


def test_drafting_view_offers_downloads_and_copy_ready_text(app):
    app.sidebar.radio(key="view").set_value("Draft").run()
    app.selectbox[0].set_value("design")
    app.button(key="FormSubmitter:checklist-Draft checklist").click().run()
    assert not app.exception
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Download .docx", "Download .md", "Download .txt"]
    assert app.code and app.code[0].value.startswith("Checklist: The partnership - design")
    assert any("Governance" in h.value for h in app.markdown)

    # A reload (or the link, shared) opens the same view and the same draft, under its own tab.
    assert app.query_params["view"] in ("draft", ["draft"])
    reloaded = AppTest.from_file(APP, default_timeout=120)
    for key in ("view", "draft"):
        value = app.query_params[key]
        reloaded.query_params[key] = value[0] if isinstance(value, list) else value
    reloaded.run()
    assert not reloaded.exception
    assert reloaded.sidebar.radio(key="view").value == "Draft"
    assert reloaded.code[0].value == app.code[0].value
    checklist_tab, mou_tab = reloaded.tabs
    assert checklist_tab.code and not mou_tab.code


def test_a_link_with_a_broken_draft_says_so_and_drafts_nothing(real_settings, monkeypatch):
    monkeypatch.setenv("HANDRAIL_HOME", str(real_settings.home))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"], at.query_params["draft"] = "draft", '{"kind": "mou", "parties": 7'
    at.run()
    assert not at.exception and not at.code
    assert any("could not be redrawn" in i.value for i in at.info)


def test_a_draft_asked_for_in_the_chat_offers_its_downloads(app):
    ask(app, "Please draft an MoU between Kite Robotics GmbH and Harbour Services plc to offer crane uptime.")
    labels = [b.label for b in app.get("download_button") if b.label.startswith("Download")]
    assert labels == ["Download .docx", "Download .md", "Download .txt"]
    assert "Kite Robotics GmbH and Harbour Services plc" in app.chat_message[1].markdown[0].value


def test_the_tour_walks_the_stages_and_checks_the_learner(app):
    app.sidebar.radio(key="view").set_value("Learn the process").run()
    assert app.header[0].value == "The partnership process at a glance"
    assert app.query_params.get("stop") in (None, "0", ["0"])
    overview = "\n".join(m.value for m in app.markdown)
    assert all(f"{n}. " in overview for n in range(1, 6)) and "Due diligence" in overview
    [b for b in app.button if b.label == "Next"][0].click().run()
    assert app.header[0].value == "The partnership - customer"
    [b for b in app.button if b.label == "Next"][0].click().run()
    assert app.header[0].value == "The partner - internal"
    assert app.query_params["stop"] in ("2", ["2"])  # the position is in the URL
    reloaded = AppTest.from_file(APP, default_timeout=120)
    reloaded.query_params["view"], reloaded.query_params["stop"] = "learn", "2"
    reloaded.run()
    assert reloaded.header[0].value == "The partner - internal"  # a reload keeps the view and the stop
    assert "Due diligence" in [h.value for h in app.subheader]
    for _ in range(4):
        [b for b in app.button if b.label == "Next"][0].click().run()
    assert app.header[0].value == "Check yourself"
    for radio in app.radio:
        if radio.key and radio.key.startswith("check-"):
            radio.set_value(radio.options[0])
    app.button(key="FormSubmitter:self-check-Check my answers").click().run()
    marks = [m.value for m in app.markdown]
    assert any("right." in m for m in marks)
    assert any(m.startswith("✗") and "p. " in m for m in marks)  # a wrong answer, with the passage that explains it


def test_a_tour_step_is_asked_about_in_the_chat(app):
    app.sidebar.radio(key="view").set_value("Learn the process").run()
    app.query_params["stop"] = "4"
    app.run()
    assert app.header[0].value == "The partnership - design"
    app.button(key="ask-design-Governance").click().run()
    assert app.sidebar.radio(key="view").value == "Chat"
    assert [m.name for m in app.chat_message] == ["user", "assistant"]
    assert "Governance" in sources(app)


def test_the_app_moves_to_a_new_index_version(real_settings, embedder, tmp_path, monkeypatch):
    import shutil

    import streamlit as st

    from ingest.pipeline import run_ingest

    home = tmp_path / "home"
    shutil.copytree(real_settings.home, home)
    monkeypatch.setenv("HANDRAIL_HOME", str(home))
    monkeypatch.setenv("HANDRAIL_CORPUS", str(CORPUS))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    ask(at, "What does due diligence on a prospective partner involve?")
    before = at.session_state["chat"].assistant.retriever.store._collection.name

    run_ingest(real_settings.model_copy(update={"home": home}), rebuild=True, embedder=embedder)  # another process
    ask(at, "And what about the risk to our reputation?")
    after = at.session_state["chat"].assistant.retriever.store._collection.name
    assert after != before and (home / "index" / "CURRENT").read_text().strip() in after
    assert len(at.chat_message) == 4 and sum(e.label.startswith("Sources") for e in at.expander) == 2
    st.cache_resource.clear()


def test_the_app_opens_on_an_existing_index_when_its_corpus_folder_is_empty(real_settings, monkeypatch, tmp_path):
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    monkeypatch.setenv("HANDRAIL_HOME", str(real_settings.home))
    monkeypatch.setenv("HANDRAIL_CORPUS", str(empty))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    ask(at, "What does due diligence on a prospective partner involve?")
    assert "Due diligence" in sources(at)


def test_a_citation_opens_its_pdf_page_with_the_quote_highlighted(app):
    ask(app, "What does due diligence on a prospective partner involve?")
    toggles = [t for t in app.toggle if t.label.startswith("Show page")]
    assert toggles and not app.get("image")  # the page is shown when asked for, not before
    toggles[0].set_value(True).run()
    assert not app.exception
    images = app.get("image")
    assert len(images) == 1
    assert [b for b in app.get("download_button") if "Open the PDF" in b.proto.label]


def signed_in_app(real_settings, monkeypatch, email: str) -> AppTest:
    monkeypatch.setenv("HANDRAIL_HOME", str(real_settings.home))
    monkeypatch.setenv("HANDRAIL_CORPUS", str(CORPUS))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "test"}
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception
    return at


def test_a_signed_in_user_sees_and_opens_only_their_own_conversations(real_settings, monkeypatch):
    ann = signed_in_app(real_settings, monkeypatch, "ann@example.com")
    ask(ann, "What should the exit strategy in the contract detail?")
    cid = ann.query_params["c"]
    cid = cid[0] if isinstance(cid, list) else cid
    bob = signed_in_app(real_settings, monkeypatch, "bob@example.com")
    assert not [b for b in bob.button if b.key == f"conv-{cid}"]  # not listed
    bob.query_params["c"] = cid
    bob.run()  # her link opens nothing of hers
    assert not bob.exception and not bob.chat_message and "not among yours" in bob.info[0].value
    again = signed_in_app(real_settings, monkeypatch, "ann@example.com")
    assert [b for b in again.button if b.key == f"conv-{cid}"]


def test_signing_in_is_asked_for_when_configured(real_settings, monkeypatch):
    monkeypatch.setenv("HANDRAIL_HOME", str(real_settings.home))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "test"}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception and [b for b in at.button if b.label == "Sign in"] and not at.chat_input


def test_a_conversation_is_searched_renamed_exported_and_deleted(app):
    ask(app, "What does the go/no-go decision commit us to?")
    cid = app.query_params["c"]
    cid = cid[0] if isinstance(cid, list) else cid
    app.text_input(key="search").input("go/no-go").run()
    assert [b for b in app.button if b.key == f"conv-{cid}"]
    app.text_input(key="search").input("pancakes").run()
    assert not [b for b in app.button if b.key == f"conv-{cid}"]
    app.text_input(key="search").input("").run()
    app.text_input(key=f"title-{cid}").input("Go/no-go notes").run()
    app.button(key=f"rename-{cid}").click().run()
    assert [b for b in app.button if b.key == f"conv-{cid}" and b.label == "Go/no-go notes"]
    assert {b.proto.label for b in app.get("download_button")} >= {"Export as .md", "Export as .docx"}
    app.button(key=f"delete-{cid}").click().run()
    assert not app.exception and not [b for b in app.button if b.key == f"conv-{cid}"]
