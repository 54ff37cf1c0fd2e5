"""Conversations belong to their owner; the app serves beyond this machine only with sign-in or when the
operator opens it to everyone."""

from __future__ import annotations

from pathlib import Path

from assistant.access import LOCAL, owner_of, serving_refusal
from assistant.store import Store
from assistant.transcript import export_conversation


def test_serving_beyond_this_machine_needs_sign_in_or_an_explicit_opening():
    assert serving_refusal("127.0.0.1", sign_in=False, open_to_everyone=False) is None
    assert serving_refusal("localhost", sign_in=False, open_to_everyone=False) is None
    refusal = serving_refusal("0.0.0.0", sign_in=False, open_to_everyone=False)
    assert refusal and "HANDRAIL_OPEN_TO_EVERYONE" in refusal and "\n" not in refusal
    assert serving_refusal("0.0.0.0", sign_in=True, open_to_everyone=False) is None
    assert serving_refusal("0.0.0.0", sign_in=False, open_to_everyone=True) is None


def test_the_owner_is_the_signed_in_identity():
    assert owner_of({"is_logged_in": True, "email": "ann@example.com"}) == "ann@example.com"
    assert owner_of({"is_logged_in": True, "sub": "42"}) == "42"
    assert owner_of({"email": "someone@example.com"}) is None  # not signed in


def test_a_conversation_is_listed_read_renamed_and_deleted_only_by_its_owner(tmp_path: Path):
    store = Store(tmp_path / "c.sqlite")
    ann = store.new_conversation("Exit terms for the dealer deal", "ann")
    store.add(ann, "user", "What happens to IP at exit?")
    bob = store.new_conversation("Gain share", "bob")
    assert [c["id"] for c in store.conversations("ann")] == [ann]
    assert store.messages(ann, "bob") == [] and len(store.messages(ann, "ann")) == 1
    assert [c["id"] for c in store.conversations("ann", search="IP at")] == [ann]  # by what was asked
    assert store.conversations("ann", search="gain") == []  # bob's title is not searched for ann
    assert store.conversations("ann", search="100%") == []  # LIKE's wildcards are taken literally
    store.rename(ann, "Renamed by bob", "bob")
    store.delete(ann, "bob")
    assert store.conversations("ann")[0]["title"] == "Exit terms for the dealer deal"
    store.rename(ann, "IP at exit", "ann")
    assert store.conversations("ann")[0]["title"] == "IP at exit"
    store.delete(ann, "ann")
    assert store.conversations("ann") == [] and store.messages(ann, "ann") == []
    assert [c["id"] for c in store.conversations("bob")] == [bob]


def test_a_store_from_before_owners_belongs_to_the_local_user(tmp_path: Path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE conversations (id TEXT PRIMARY KEY, title TEXT NOT NULL, created REAL, updated REAL)")
        db.execute("INSERT INTO conversations VALUES ('old1', 'Kept', 1, 1)")
    assert [c["title"] for c in Store(path).conversations(LOCAL)] == ["Kept"]


def test_a_conversation_exports_with_its_sources():
    answer = {
        "citations": [
            {"marker": 1, "title": "Guide", "section": "Exit", "page": 4, "quote": "Agree exit terms early."},
            {"marker": 1, "title": "Guide", "section": "Exit", "page": 4, "quote": "Name a mediator."},
        ]
    }
    messages = [
        {"role": "user", "text": "How do we exit?", "answer": None},
        {"role": "assistant", "text": "Agree exit terms early. [1]", "answer": answer},
    ]
    md = export_conversation("Exit", messages, "md").decode()
    assert "**You:**" in md and "Agree exit terms early. [1]" in md
    assert "[1] Guide, Exit, p. 4: “Agree exit terms early.” … “Name a mediator.”" in md
    docx = export_conversation("Exit", messages, "docx")
    assert docx[:2] == b"PK"
