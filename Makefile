# Handrail task runner. `make help` lists the targets.
VENV     ?= .venv
PY       := $(VENV)/bin/python
HANDRAIL := $(VENV)/bin/handrail
SHARED   ?= ../shared/corpus
export HF_HUB_OFFLINE := 1

.PHONY: help setup corpus ingest run chat test test-fast bench eval lint clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

setup: $(VENV)/.installed  ## create .venv: torch (CPU wheel) first, then Handrail and its dev tools

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev,llm]"
	touch $@

# llama.cpp built for any x86-64 CPU (the native build can crash on CPUs it was not built on).
$(VENV)/.llm-server: $(VENV)/.installed
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PY) -m pip install -q -e ".[llm-server]"
	touch $@

corpus:  ## copy the partnership corpus from ../shared/corpus into corpus/ when it is there
	@if [ -d "$(SHARED)" ]; then for f in $(SHARED)/*; do [ -e "corpus/$$(basename $$f)" ] || cp "$$f" corpus/; done; fi

ingest: setup corpus  ## build or refresh the index from corpus/
	$(HANDRAIL) ingest

run: ingest  ## set up, ingest, and serve the app on http://127.0.0.1:8501
	$(VENV)/bin/streamlit run app_streamlit.py --server.address 127.0.0.1 --server.port 8501 \
		--server.headless true --browser.gatherUsageStats false

chat: ingest  ## set up, ingest, and hold a conversation in the terminal
	$(HANDRAIL) chat

# Debian's Chromium and its ChromeDriver, for the browser test.
/usr/bin/chromedriver:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

# Debian's LibreOffice Writer without a GUI, for the test that renders the Word drafts.
/usr/bin/soffice:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui

test: setup $(VENV)/.llm-server /usr/bin/chromedriver /usr/bin/soffice  ## run the tests (real corpus and model, LLM server, browser, LibreOffice)
	HANDRAIL_TEST_CORPUS=$(SHARED) $(PY) -m pytest -q

test-fast: setup  ## the fast tier: logic with a tiny deterministic embedder, no real model (under a minute)
	HANDRAIL_TEST_CORPUS=$(SHARED) $(PY) -m pytest -q -m "not slow"

bench: ingest  ## the performance benchmark (evals/reports/bench.md, bench.png)
	$(PY) -m evals.bench --corpus corpus

eval: ingest  ## the evaluation set (evals/reports/report.md)
	$(HANDRAIL) eval

lint: setup  ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy ingest assistant evals

clean:  ## remove the index and caches (not .venv)
	rm -rf .handrail .pytest_cache .mypy_cache .ruff_cache test-output
