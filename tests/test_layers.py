"""The layering holds: ingest is the bottom layer and never imports the assistant; no import cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ingest_imports_without_the_assistant():
    code = (
        "import sys, ingest.pipeline, ingest.index, ingest.embed, ingest.loaders; "
        "print(any(m == 'assistant' or m.startswith('assistant.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def imports(package: str) -> dict[str, set[str]]:
    """Each module of a package and the modules of the project it imports at its top level."""
    graph = {}
    for path in (ROOT / package).glob("*.py"):
        tree = ast.parse(path.read_text())
        found = set()
        for node in tree.body:
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.split(".")[0] in ("ingest", "assistant")
            ):
                found.add(node.module)
        graph[f"{package}.{path.stem}"] = found
    return graph


def test_no_module_of_ingest_reaches_into_the_assistant_and_modules_stay_small():
    for module, found in imports("ingest").items():
        assert not any(m.startswith("assistant") for m in found), module
    for package in ("ingest", "assistant", "evals"):
        for path in (ROOT / package).glob("*.py"):
            assert len(path.read_text().splitlines()) <= 420, path


def test_no_import_cycles_at_the_top_level():
    graph = {**imports("ingest"), **imports("assistant")}

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " -> ".join((*trail, module))
        for nxt in graph.get(module, ()):
            visit(nxt, (*trail, module))

    for module in graph:
        visit(module, ())
