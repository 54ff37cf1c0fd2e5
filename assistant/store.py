"""Conversations kept in SQLite under HANDRAIL_HOME, so a browser refresh loses nothing.

store = Store(settings.home / "conversations.sqlite")
cid = store.new_conversation("What should we check in due diligence?")
store.add(cid, "user", question)
store.add(cid, "assistant", answer.text, answer.to_dict())
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


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.db() as db:
            db.executescript(SCHEMA)

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

    def new_conversation(self, title: str) -> str:
        cid = uuid.uuid4().hex[:12]
        now = time.time()
        with self.db() as db:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?)", (cid, title[:80] or "Conversation", now, now))
        return cid

    def conversations(self, limit: int = 30) -> list[dict[str, Any]]:
        with self.db() as db:
            rows = db.execute("SELECT * FROM conversations ORDER BY updated DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

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

    def messages(self, conversation: str) -> list[dict[str, Any]]:
        with self.db() as db:
            rows = db.execute("SELECT * FROM messages WHERE conversation = ? ORDER BY id", (conversation,)).fetchall()
        out = []
        for row in rows:
            message = dict(row)
            message["answer"] = json.loads(message["answer"]) if message["answer"] else None
            out.append(message)
        return out

    def set_feedback(self, message: int, value: int | None) -> None:
        with self.db() as db:
            db.execute("UPDATE messages SET feedback = ? WHERE id = ?", (value, message))
