"""Conversations kept in SQLite under HANDRAIL_HOME, so a browser refresh loses nothing.

store = Store(settings.home / "conversations.sqlite")
cid = store.new_conversation("What should we check in due diligence?", owner="ann@example.com")
store.add(cid, "user", question)
store.add(cid, "assistant", answer.text, answer.to_dict())
store.conversations("ann@example.com", search="exit")   # hers only, by title or by what was said

Each conversation belongs to one owner (the signed-in user; LOCAL when the app runs for one person):
listing, reading, renaming and deleting take the owner, and another owner's conversation is not there.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL REFERENCES conversations(id),
    role TEXT NOT NULL, text TEXT NOT NULL, answer TEXT, scope TEXT, feedback INTEGER, created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation, id);
"""
LOCAL = "local"  # the owner of every conversation when nobody signs in (one user, on this machine)


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.db() as db:
            db.executescript(SCHEMA)
            columns = {row["name"] for row in db.execute("PRAGMA table_info(conversations)")}
            if "owner" not in columns:  # a store from before owners: its conversations are the local user's
                db.execute(f"ALTER TABLE conversations ADD COLUMN owner TEXT NOT NULL DEFAULT '{LOCAL}'")

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        """One connection per operation: safe across the app's threads and processes."""
        connection = sqlite3.connect(self.path, timeout=10)
        connection.row_factory = sqlite3.Row
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            with connection:
                yield connection
        finally:
            connection.close()

    def new_conversation(self, title: str, owner: str = LOCAL) -> str:
        cid = uuid.uuid4().hex[:12]
        now = time.time()
        with self.db() as db:
            db.execute(
                "INSERT INTO conversations (id, title, created, updated, owner) VALUES (?, ?, ?, ?, ?)",
                (cid, title[:80] or "Conversation", now, now, owner),
            )
        return cid

    def conversations(self, owner: str = LOCAL, limit: int = 30, search: str = "") -> list[dict[str, Any]]:
        """The owner's conversations, latest first; with `search`, those whose title or messages hold it."""
        query = "SELECT * FROM conversations WHERE owner = ?"
        args: list[Any] = [owner]
        if search.strip():
            like = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query += (
                " AND (title LIKE ? ESCAPE '\\' OR id IN"
                " (SELECT conversation FROM messages WHERE role = 'user' AND text LIKE ? ESCAPE '\\'))"
            )
            args += [like, like]
        with self.db() as db:
            rows = db.execute(query + " ORDER BY updated DESC LIMIT ?", (*args, limit)).fetchall()
        return [dict(r) for r in rows]

    def conversation(self, conversation: str, owner: str = LOCAL) -> dict[str, Any] | None:
        """The conversation's row when it is the owner's; None otherwise."""
        with self.db() as db:
            row = db.execute("SELECT * FROM conversations WHERE id = ? AND owner = ?", (conversation, owner)).fetchone()
        return dict(row) if row else None

    def owns(self, conversation: str, owner: str) -> bool:
        return self.conversation(conversation, owner) is not None

    def rename(self, conversation: str, title: str, owner: str = LOCAL) -> None:
        with self.db() as db:
            db.execute(
                "UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                (title.strip()[:80] or "Conversation", conversation, owner),
            )

    def delete(self, conversation: str, owner: str = LOCAL) -> None:
        """The conversation and its messages, when it is the owner's."""
        with self.db() as db:
            if db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (conversation, owner)).fetchone():
                db.execute("DELETE FROM messages WHERE conversation = ?", (conversation,))
                db.execute("DELETE FROM conversations WHERE id = ?", (conversation,))

    def add(
        self, conversation: str, role: str, text: str, answer: dict[str, Any] | None = None, scope: str | None = None
    ) -> int:
        now = time.time()
        with self.db() as db:
            cursor = db.execute(
                "INSERT INTO messages (conversation, role, text, answer, scope, created) VALUES (?, ?, ?, ?, ?, ?)",
                (conversation, role, text, json.dumps(answer) if answer else None, scope, now),
            )
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation))
            return int(cursor.lastrowid or 0)

    def messages(self, conversation: str, owner: str = LOCAL) -> list[dict[str, Any]]:
        """The conversation's messages in order; none when it is not the owner's."""
        with self.db() as db:
            rows = db.execute(
                "SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation"
                " WHERE m.conversation = ? AND c.owner = ? ORDER BY m.id",
                (conversation, owner),
            ).fetchall()
        out = []
        for row in rows:
            message = dict(row)
            message["answer"] = json.loads(message["answer"]) if message["answer"] else None
            out.append(message)
        return out

    def set_feedback(self, message: int, value: int | None) -> None:
        with self.db() as db:
            db.execute("UPDATE messages SET feedback = ? WHERE id = ?", (value, message))
