"""`handrail chat`: a conversation in the terminal, or line-delimited JSON for machines.

handrail chat                 # interactive, rich-rendered
handrail chat --jsonl         # {"q": "..."} per line in, one answer object per line out;
                              # {"reset": true} starts a new conversation
"""

from __future__ import annotations

import json
import sys
from typing import IO

from assistant.answer import Assistant, Conversation
from assistant.errors import UserError


def jsonl(conversation: Conversation, stdin: IO[str], stdout: IO[str]) -> None:
    for n, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            if not isinstance(message, dict):
                raise ValueError
        except ValueError:
            out = {"error": f"line {n}: not a JSON object"}
        else:
            if message.get("reset"):
                conversation.reset()
                if "q" not in message:
                    continue
            try:
                out = conversation.ask(str(message.get("q", "")), stage=message.get("stage")).to_dict()
            except UserError as exc:
                out = {"error": f"line {n}: {exc}"}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()


def interactive(assistant: Assistant) -> None:
    from rich.console import Console
    from rich.markdown import Markdown

    from assistant.cli import print_answer

    console = Console()
    conversation = assistant.conversation()
    console.print("[bold]Handrail[/bold]: ask about B2B partnerships. 'new' starts over, 'quit' leaves.")
    while True:
        try:
            question = console.input("[bold cyan]> [/bold cyan]").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if question.lower() in ("quit", "exit", "q"):
            return
        if question.lower() in ("new", "reset"):
            conversation.reset()
            continue
        if not question:
            continue
        try:
            print_answer(conversation.ask(question))
        except UserError as exc:
            console.print(Markdown(f"*{exc}*"))


def run(assistant: Assistant, as_jsonl: bool) -> None:
    if as_jsonl:
        jsonl(assistant.conversation(), sys.stdin, sys.stdout)
    else:
        interactive(assistant)
