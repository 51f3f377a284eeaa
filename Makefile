# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package version, with its hashes, that the project and its tests install: made by
# `make lock` from pyproject.toml (the dependencies and the test extra), so a fresh clone,
# a developer and CI install the same files.
LOCK := requirements.lock
UV_VERSION := 0.13.9

.PHONY: helper run test test-fonts lint lock lock-upgrade schema eval bench fuzz regress clean

$(STAMP): pyproject.toml $(LOCK)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/python -m parser.readers.pdfium_build --optional
	touch $(STAMP)

## lock: resolve pyproject.toml's dependencies and test extra again into requirements.lock (with hashes),
## keeping the versions it pins where pyproject.toml still allows them; lock-upgrade takes the newest
lock:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes \
		--quiet $(UV_FLAGS) -o $(LOCK)

lock-upgrade:
	$(MAKE) lock UV_FLAGS=--upgrade

## helper: the pdfium engine's compiled glyph loop (parser/readers/pdfium_chars.c), rebuilt when its
## source changed; without a C compiler the engine reads the same glyphs through ctypes, slower
helper: $(STAMP)
	$(BIN)/python -m parser.readers.pdfium_build --optional --if-needed

## run: parse the project's own corpus into output/ (JSON, CSV, units.csv, reports)
run: $(STAMP) helper
	$(BIN)/notice-parser parse corpus/*.txt -o output --report

## test: install what the tests need (Python packages, browser, LibreOffice, CJK fonts) and run them,
## then the font-dependent ones again once per CJK font set (Noto CJK only, WenQuanYi only)
test: $(STAMP)
	bash scripts/install_system_deps.sh
	$(BIN)/python -m parser.readers.pdfium_build --optional --if-needed
	$(BIN)/ruff check parser schemas tests bench
	$(BIN)/python -m pytest -n 2 -q
	bash scripts/test_font_sets.sh $(BIN)/python -n 2 -q -m fonts

## test-fonts: only the font-dependent tests, once per CJK font set (FONTCONFIG_FILE per set)
test-fonts: $(STAMP)
	bash scripts/test_font_sets.sh $(BIN)/python -n 2 -q -m fonts

lint: $(STAMP)
	$(BIN)/ruff check parser schemas tests bench

## schema: regenerate schemas/notice.schema.json from the pydantic models
schema: $(STAMP)
	$(BIN)/python -m schemas.generate

## eval: score the parser against the gold annotations in corpus/ and ../shared
## (../shared/corpus, its real/ notices as txt, docx and pdf, and unlabelled/); the last
## lines are ../shared/corpus's per-format totals, which the before-stop hook shows
eval: $(STAMP)
	$(BIN)/python -m parser.evaluation corpus --formats txt
	$(BIN)/python -m parser.evaluation ../shared/corpus/unlabelled --formats txt
	$(BIN)/python -m parser.evaluation ../shared/corpus/real
	$(BIN)/python -m parser.evaluation ../shared/corpus

bench: $(STAMP) helper
	$(BIN)/pip install -q -e ".[bench]"
	$(BIN)/python -m bench.run

fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --inputs 100000

## regress: show what a parser change did to the corpus outputs, then accept it
## (rewrites corpus/<stem>.expected.json; `git diff corpus` shows the change in review)
regress: $(STAMP)
	-$(BIN)/python -m tests.regress
	$(BIN)/python -m tests.regress --update

clean:
	find output -mindepth 1 ! -name README.md -exec rm -rf {} + ; rm -rf .pytest_cache
