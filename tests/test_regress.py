"""The corpus outputs match the checked-in expected records (the regression base).

A deliberate parser change updates them with `python -m tests.regress --update`;
`git diff corpus/expected` (or `make regress` before updating) shows what it did.
"""

from __future__ import annotations

from pathlib import Path

from tests.regress import ROOT, compare, parse_corpus


def test_corpus_outputs_match_expected(tmp_path: Path) -> None:
    corpus = ROOT / "corpus"
    written, failed = parse_corpus(corpus, tmp_path)
    assert not failed
    lines = compare(written, corpus / "expected")
    assert not lines, "outputs changed; review and run `python -m tests.regress --update`:\n" + "\n".join(lines[:60])
