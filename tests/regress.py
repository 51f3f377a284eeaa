"""``make regress``: what a parser change did to the project's corpus outputs.

Parses ``corpus/*.txt`` into a temporary folder and diffs each record against the
checked-in ``corpus/expected/<stem>.json`` (see ``parser/diff.py``). ``--update``
rewrites the expected outputs from this run; whoever reviews the diff decides when
to commit them. Exit status: 0 no differences, 1 differences or parse failures.

    python -m tests.regress [--update] [--corpus corpus] [--expected corpus/expected]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from parser import parse_file
from parser.diff import diff_notice, format_notice, load
from parser.errors import NoticeError
from parser.writers.json_out import write_json
from parser.writers.outputs import json_name

ROOT = Path(__file__).resolve().parent.parent


def parse_corpus(corpus: Path, out: Path) -> tuple[list[Path], list[str]]:
    """JSON outputs written to ``out``, and one line per file that failed."""
    written, failed = [], []
    for path in sorted(corpus.glob("*.txt")):
        try:
            notice = parse_file(path)
        except NoticeError as exc:
            failed.append(str(exc))
            continue
        # A path relative to the corpus, so that expected outputs read the same on every machine.
        notice.source.path = (Path(corpus.name) / path.relative_to(corpus)).as_posix()
        target = out / json_name(notice)
        write_json(notice, target)
        written.append(target)
    return written, failed


def compare(written: Sequence[Path], expected: Path) -> list[str]:
    """Diff lines per notice that has an expected output, plus new/missing notices."""
    lines: list[str] = []
    names = {p.name for p in written}
    for path in written:
        want = expected / path.name
        if not want.exists():
            lines.append(f"+ notice {path.name} (no expected output)")
            continue
        result = diff_notice(load(str(want))[1][0].data, load(str(path))[1][0].data)
        if not result["equal"]:
            lines.append(f"@@ {path.name}")
            lines.extend("  " + line for line in format_notice(result))
    lines.extend(f"- notice {p.name} (expected, not produced)" for p in sorted(expected.glob("*.json"))
                 if p.name not in names)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.regress", description=__doc__.split("\n\n")[0])
    ap.add_argument("--update", action="store_true", help="rewrite the expected outputs from this run")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"), help="folder of .txt notices (default corpus/)")
    ap.add_argument("--expected", default=None, help="expected outputs (default CORPUS/expected)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    expected = Path(args.expected) if args.expected else corpus / "expected"
    with tempfile.TemporaryDirectory(prefix="regress-") as tmp:
        written, failed = parse_corpus(corpus, Path(tmp))
        for line in failed:
            print(f"! {line}")
        if args.update:
            expected.mkdir(parents=True, exist_ok=True)
            for path in written:
                shutil.copyfile(path, expected / path.name)
            print(f"updated {len(written)} expected output(s) in {expected}; review with git diff before committing")
            return 1 if failed else 0
        if not expected.is_dir() or not any(expected.glob("*.json")):
            print(f"no expected outputs yet ({len(written)} notice(s) parsed; `python -m tests.regress --update` "
                  f"writes them to {expected})")
            return 1 if failed else 0
        try:
            lines = compare(written, expected)
        except NoticeError as exc:
            print(f"! {exc}")
            return 1
    for line in lines:
        print(line)
    print(f"{len(written)} notice(s) parsed, {len(failed)} failed, "
          f"{sum(1 for x in lines if not x.startswith('  '))} with differences", file=sys.stderr)
    return 1 if lines or failed else 0


if __name__ == "__main__":
    sys.exit(main())
