"""Concurrency: threads and processes reading one index give the answers one reader gives; an ingest
running meanwhile breaks none of them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.answer import Assistant
from tests.conftest import CORPUS

HANDRAIL = str(Path(sys.executable).with_name("handrail"))


@pytest.fixture(scope="module")
def questions() -> list[str]:
    topics = ["due diligence", "exit", "governance", "incentives", "culture", "the contract", "communication"]
    forms = ["What does the guidance say about {}?", "How should we handle {} with a partner?"]
    return [f.format(t) for t in topics for f in forms] + ["What is a good recipe for pancakes?"]


def fingerprint(answer) -> tuple:
    return answer.status, answer.text, tuple((c.chunk.id, c.quote) for c in answer.citations)


def test_eight_threads_and_four_processes_agree_with_one_reader(assistant, real_settings, questions):
    expected = {q: fingerprint(assistant.ask(q)) for q in questions}

    def reader(offset: int) -> list[tuple[str, tuple]]:
        order = questions[offset:] + questions[:offset]
        return [(q, fingerprint(assistant.ask(q))) for q in order]

    env = {"HANDRAIL_HOME": str(real_settings.home), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    cli = [
        subprocess.Popen([HANDRAIL, "ask", q, "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for q in questions[:4]
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(reader, range(8)))
    assert sum(len(r) for r in results) == 8 * len(questions)
    for result in results:
        for q, got in result:
            assert got == expected[q], q
    for q, process in zip(questions[:4], cli, strict=True):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        answer = json.loads(out)
        assert (answer["status"], answer["answer"]) == expected[q][:2]


def test_questions_keep_being_answered_while_an_ingest_runs(real_settings, embedder, tmp_path, questions):
    home = tmp_path / "home"
    shutil.copytree(real_settings.home, home)
    settings = real_settings.model_copy(update={"home": home, "corpus": CORPUS})
    assistant = Assistant.load(settings, embedder)
    expected = {q: fingerprint(assistant.ask(q)) for q in questions[:10]}
    env = {"HANDRAIL_HOME": str(home), "HANDRAIL_CORPUS": str(CORPUS), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    ingest = subprocess.Popen(
        [HANDRAIL, "ingest", "--rebuild"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    failures: list[str] = []
    asked = 0

    def keep_asking() -> None:
        nonlocal asked
        while ingest.poll() is None:
            for q in expected:
                try:
                    if fingerprint(assistant.ask(q)) != expected[q]:
                        failures.append(f"changed: {q}")
                except Exception as e:  # noqa: BLE001 - any failure is what this test looks for
                    failures.append(f"{q}: {type(e).__name__}: {e}")
                asked += 1

    threads = [threading.Thread(target=keep_asking) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert ingest.wait() == 0, ingest.stderr.read().decode() if ingest.stderr else ""
    assert not failures and asked >= 20
    fresh = Assistant.load(settings, embedder)  # the new version, once swapped in, answers the same
    assert all(fingerprint(fresh.ask(q)) == expected[q] for q in expected)
