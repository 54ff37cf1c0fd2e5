"""`handrail chat`: a conversation in the terminal, or line-delimited JSON for machines.

handrail chat                 # interactive, rich-rendered
handrail chat --jsonl         # {"q": "..."} per line in, one answer object per line out;
                              # {"reset": true} starts a new conversation
"""

from __future__ import annotations

import json
import sys
from typing import IO

from assistant.answer import Assistant
from assistant.conversation import Conversation
from assistant.errors import UserError


def jsonl(conversation: Conversation, stdin: IO[str], stdout: IO[str]) -> None:
    for n, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            if not isinstance(message, dict):
                raise ValueError
        except (ValueError, RecursionError):  # a line nested too deep to parse is just a bad line
            out = {"error": f"line {n}: not a JSON object"}
        else:
            if message.get("reset"):
                conversation.reset()
                if "q" not in message:
                    continue
            question, stage = message.get("q"), message.get("stage")
            try:
                if not isinstance(question, str):
                    raise UserError('"q" must be the question, as a string.')
                if stage is not None and not isinstance(stage, str):
                    raise UserError('"stage" must be a stage id, as a string.')
                out = conversation.ask(question, stage=stage).to_dict()
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
