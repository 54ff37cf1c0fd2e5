"""The `handrail` command: thin shells over ingest/ and assistant/.

handrail ingest [--corpus DIR] [--rebuild]
handrail sources
handrail ask "QUESTION" [--json] [--stage STAGE]
handrail chat [--jsonl]
handrail draft checklist --stage STAGE [--step S] [--topic T] [--context C] [--format md|txt|docx|json] [-o FILE]
handrail draft mou --party A --party B [--purpose P] [--slot key=value] [--clause id] [--format ...] [-o FILE]
handrail eval [--json] [--split dev|test|all|legacy|blind-dev] [--gate]
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from assistant.errors import HandrailError, UserError
from assistant.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Handrail: grounded answers on B2B partnerships.")
err = Console(stderr=True)
out = Console()
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    """User errors and faults become one line on stderr and an exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except HandrailError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None
        except typer.Exit:  # a command's own exit code ("below threshold" from the gate), already explained
            raise
        except Exception as exc:  # a fault of Handrail's own: one line here, the details in the log
            if disk_full(exc):
                err.print("[red]error:[/red] the disk is full; free some space and run the command again.")
                raise typer.Exit(1) from None
            log = record_fault()
            err.print(f"[red]error:[/red] unexpected failure ({type(exc).__name__}); details in {log}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def disk_full(exc: BaseException) -> bool:
    """Whether a failure is the disk running out of space, however the library that met it words it
    (an OSError with ENOSPC, SQLite's "database or disk is full" inside Chroma)."""
    import errno

    while exc is not None:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if "disk is full" in str(exc).lower() or "no space left" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def record_fault() -> Path:
    """Append the current exception's traceback to HANDRAIL_HOME/handrail.log (no settings or secrets in it)."""
    import traceback

    try:
        home = Settings().home
    except HandrailError:  # settings that cannot be read still leave a place for the log
        home = Settings.model_fields["home"].default
    log = home / "handrail.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a") as f:
            f.write(traceback.format_exc() + "\n")
    except OSError:
        pass
    return log


def settings_for(corpus: Path | None = None) -> Settings:
    settings = Settings()
    if corpus is not None:
        settings.corpus = corpus
    return settings


def indexed_settings() -> Settings:
    """The settings, with the corpus the live index was built from (`ingest --corpus DIR`) unless
    HANDRAIL_CORPUS names one: commands that read the corpus again read the one that was indexed."""
    import os

    from ingest import index

    settings = Settings()
    manifest = index.read_manifest(settings) or {}
    if "HANDRAIL_CORPUS" not in os.environ and manifest.get("corpus"):
        settings.corpus = Path(manifest["corpus"])
    return settings


@app.command()
@reports_errors
def ingest(
    corpus: Path = typer.Option(None, "--corpus", help="Folder of documents (default: HANDRAIL_CORPUS or ./corpus)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-embed everything."),
) -> None:
    """Build or refresh the index from the corpus folder."""
    from rich.progress import Progress

    from ingest.pipeline import run_ingest

    settings = settings_for(corpus)
    with Progress(console=err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        summary = run_ingest(settings, rebuild=rebuild, progress=progress)
    for line in summary.errors:
        err.print(f"[yellow]skipped:[/yellow] {line}", highlight=False)
    state = "unchanged, nothing to do" if summary.unchanged else f"{summary.embedded} embedded, {summary.reused} reused"
    out.print(
        f"Indexed {summary.documents} documents, {summary.pages} pages, {summary.chunks} chunks, "
        f"{summary.pieces} pieces "
        f"({state}) in {summary.seconds:.1f} s"
    )
    if summary.per_stage:
        out.print("  by stage: " + ", ".join(f"{k} {v}" for k, v in summary.per_stage.items()))
    if summary.per_case:
        out.print("  by case:  " + ", ".join(f"case {k} {v}" for k, v in summary.per_case.items()))


@app.command()
@reports_errors
def sources() -> None:
    """List what is indexed."""
    from ingest import index

    settings = Settings()
    manifest = index.read_manifest(settings)
    if not manifest:
        raise UserError("No index yet: run `handrail ingest` first.")
    chunks = index.read_chunks(settings)
    for name, doc in manifest["documents"].items():
        n = sum(1 for c in chunks if c.doc_id == doc["doc_id"])
        title = doc.get("title") or next((c.title for c in chunks if c.doc_id == doc["doc_id"]), name)
        pages = f"{doc['pages']} page" + ("s" if doc["pages"] != 1 else "")
        out.print(f"{as_shown(name)}  [dim]{as_shown(title)}[/dim]  {pages}, {n} chunks", highlight=False)
        if doc.get("about"):
            out.print(f"  [dim]{as_shown(doc['about'])}[/dim]", highlight=False)


def as_shown(text: str) -> str:
    """Corpus or user text for the terminal: no control or bidi-override character, no Rich markup."""
    from rich.markup import escape

    from ingest.text import displayable

    return escape(displayable(text))


def print_answer(answer: Any) -> None:
    status = "" if answer.status == "answered" else "[yellow]Not covered.[/yellow] "
    out.print(status + as_shown(answer.text), highlight=False)
    shown = set()
    for c in answer.citations:
        if c.marker not in shown:
            shown.add(c.marker)
            ch = c.chunk
            out.print(
                f"[dim]\\[{c.marker}] {as_shown(ch.title)}, {as_shown(ch.label)}, p. {c.page}[/dim]", highlight=False
            )
    if answer.note:
        out.print(f"[dim italic]{as_shown(answer.note)}[/dim italic]", highlight=False)


@app.command()
@reports_errors
def ask(
    question: str = typer.Argument(..., help="Your question."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    stage: str = typer.Option(None, "--stage", help="Narrow to one stage."),
) -> None:
    """Ask one question and get a cited answer."""
    from assistant.answer import Assistant

    answer = Assistant.load(Settings()).ask(question, stage=stage)
    if as_json:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
    else:
        print_answer(answer)


@app.command()
@reports_errors
def chat(as_jsonl: bool = typer.Option(False, "--jsonl", help="JSON lines in, JSON lines out.")) -> None:
    """Hold a conversation; follow-up questions resolve against earlier turns."""
    from assistant import chat as chat_module
    from assistant.answer import Assistant

    chat_module.run(Assistant.load(Settings()), as_jsonl)


draft_app = typer.Typer(no_args_is_help=True, help="Draft a checklist or MoU clauses, each point cited.")
app.add_typer(draft_app, name="draft")
FORMAT = typer.Option(None, "--format", help="md, txt, docx or json (default: the file's suffix, else md).")
OUTPUT = typer.Option(None, "-o", "--output", help="Write to this file (needed for docx).")
FORCE = typer.Option(False, "--force", help="Replace the output file if it exists.")
GUIDANCE_OPTION = typer.Option(
    "footnotes", "--guidance", help="Where each clause's guidance goes: footnotes (default), appendix or none."
)


def drafter() -> Any:
    from assistant.answer import Assistant
    from assistant.draft import Drafter

    return Drafter(Assistant.load(Settings()).retriever)


def write_draft(
    draft: Any, fmt: str | None, output: Path | None, force: bool = False, guidance: str = "footnotes"
) -> None:
    """The draft on stdout, or in a file written whole or not at all (a temporary file beside it,
    then renamed), never replacing an existing file unless asked."""
    from assistant.export import FORMATS, export

    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    fmt = fmt or (suffix if suffix in FORMATS else "md")
    data = export(draft, fmt, guidance)
    if output is None:
        if fmt == "docx":
            raise UserError("A DOCX draft needs a file: add -o FILE.docx.")
        sys.stdout.write(data.decode())
        return
    if output.exists() and not force:
        raise UserError(f"{output} already exists; add --force to replace it.")
    try:
        atomic_write(output, data)
    except OSError as e:
        raise UserError(f"Cannot write {output}: {e.strerror or e}.") from None
    err.print(f"{draft.title}: {len(draft.items)} items written to {output}", highlight=False)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file in `path`'s folder, then rename it over `path`: a full disk or a
    crash leaves the old file (or none), never a partial one."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@draft_app.command()
@reports_errors
def checklist(
    stage: str = typer.Option(None, "--stage", help="customer, internal, propose, design or manage_deliver."),
    step: str = typer.Option(None, "--step", help="One step of the stage, e.g. 'Due diligence'."),
    topic: str = typer.Option(None, "--topic", help="A topic instead, e.g. 'exit'."),
    context: str = typer.Option(None, "--context", help="Your situation, e.g. 'dealer network service partnership'."),
    fmt: str = FORMAT,
    output: Path = OUTPUT,
    force: bool = FORCE,
    guidance: str = GUIDANCE_OPTION,
) -> None:
    """A checklist from the framework's points to consider and the cases' lessons learnt."""
    if not (stage or step or topic):
        raise UserError("Say what the checklist is for: --stage, --step or --topic.")
    draft = drafter().checklist(stage=stage, step=step, topic=topic, context=context)
    write_draft(draft, fmt, output, force, guidance)


@draft_app.command()
@reports_errors
def mou(
    party: list[str] = typer.Option([], "--party", help="A party's name; give it once per party."),
    purpose: str = typer.Option(None, "--purpose", help="The partnership's purpose."),
    context: str = typer.Option(None, "--context", help="Your situation; picks the closest case's lessons."),
    slot: list[str] = typer.Option([], "--slot", help="Another slot as key=value, e.g. start_date=2027-01-01."),
    clause: list[str] = typer.Option([], "--clause", help="Only these clauses (ids); all when not given."),
    fmt: str = FORMAT,
    output: Path = OUTPUT,
    force: bool = FORCE,
    guidance: str = GUIDANCE_OPTION,
) -> None:
    """Memorandum of understanding clauses with slots; unfilled slots stay visible as \\[to be agreed: ...]."""
    slots = {"purpose": purpose} if purpose else {}
    for pair in slot:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UserError(f"--slot takes key=value, not {pair!r}.")
        slots[key.strip()] = value
    write_draft(drafter().mou(party, slots, clause, context), fmt, output, force, guidance)


@app.command(name="eval")
@reports_errors
def evaluate(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    split: str = typer.Option("test", "--split", help="dev, test (sealed: figures only), all, legacy or blind-dev."),
    gate: bool = typer.Option(False, "--gate", help="Exit 1 when a figure breaks evals/thresholds.toml."),
) -> None:
    """Run the evaluation set; print the figures and write a report under evals/reports/."""
    from evals.cases import SPLITS
    from evals.harness import check_thresholds, run_eval, write_report

    if split not in SPLITS:
        raise UserError(f"--split must be one of {', '.join(SPLITS)}.")
    report = run_eval(indexed_settings(), split=split)
    root = Path(__file__).resolve().parents[1] / "evals"
    path = write_report(report, root / "reports")
    figures = {k: v for k, v in report.items() if k != "rows"}
    if as_json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        out.print(path.read_text().split("## Per stage")[0], highlight=False)
        out.print(f"report: {path}")
    failures = check_thresholds(report, root / "thresholds.toml") if gate else []
    for failure in failures:
        err.print(f"[red]below threshold:[/red] {failure}")
    if failures:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
