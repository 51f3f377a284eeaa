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


_DUMP = (
    "import sys, glob, hashlib\n"
    "from parser import parse_file\n"
    "for f in sorted(glob.glob(sys.argv[1] + '/*.txt')):\n"
    "    print(f, hashlib.sha256(parse_file(f).model_dump_json().encode()).hexdigest())\n"
)


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Records are the same whatever PYTHONHASHSEED a process draws (set and frozenset
    iteration order follows it): a batch's workers and a re-run must agree byte for byte."""
    import os
    import subprocess
    import sys

    digests = []
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _DUMP, str(CORPUS)], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        digests.append(done.stdout)
    assert digests[0].strip()
    for seed, got in enumerate(digests[1:], start=1):
        assert got == digests[0], f"PYTHONHASHSEED={seed} gives other records than PYTHONHASHSEED=0"
