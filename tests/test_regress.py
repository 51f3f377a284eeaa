"""Each corpus notice's output matches its checked-in expected record (the regression base).

A deliberate parser change updates them with `make regress` (= `python -m
tests.regress --update`); `git diff corpus/*.expected.json` shows in review what it did.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.regress import ROOT, compare_one, expected_path, parse_corpus

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    written, failed = parse_corpus(CORPUS, tmp_path_factory.mktemp("regress"))
    assert not failed
    return {p.stem: p for p in written}


@pytest.mark.parametrize("stem", sorted(p.stem for p in CORPUS.glob("*.txt")))
def test_output_matches_expected(stem: str, outputs: dict[str, Path]) -> None:
    written = outputs[stem]
    lines = compare_one(written, expected_path(CORPUS, written))
    assert not lines, "output changed; review it and run `make regress`:\n" + "\n".join(lines[:60])
