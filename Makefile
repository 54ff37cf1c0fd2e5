# Handrail task runner. `make help` lists the targets.
VENV     ?= .venv
PY       := $(VENV)/bin/python
HANDRAIL := $(VENV)/bin/handrail
SHARED   ?= ../shared/corpus
export HF_HUB_OFFLINE := 1

.PHONY: help setup corpus ingest run ask chat test eval lint clean

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

run: ingest  ## set up, ingest, and start a conversation in the terminal
	$(HANDRAIL) chat

test: setup $(VENV)/.llm-server  ## run the tests (real corpus from ../shared/corpus, real model, local LLM server)
	HANDRAIL_TEST_CORPUS=$(SHARED) $(PY) -m pytest -q

lint: setup  ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy ingest assistant evals

clean:  ## remove the index and caches (not .venv)
	rm -rf .handrail .pytest_cache .mypy_cache .ruff_cache
