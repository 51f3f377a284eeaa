# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint schema eval bench fuzz regress clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

## run: parse the project's own corpus into output/ (JSON, CSV, units.csv, reports)
run: $(STAMP)
	$(BIN)/notice-parser parse corpus/*.txt -o output --report

## test: install what the tests need (Python packages, browser, LibreOffice) and run them
test: $(STAMP)
	bash scripts/install_system_deps.sh
	$(BIN)/ruff check parser schemas tests bench
	$(BIN)/python -m pytest -n 2 -q

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

bench: $(STAMP)
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
