"""``make regress``: what a parser change did to the project's corpus outputs.

Parses ``corpus/*.txt`` into a temporary folder and diffs each record against the
checked-in expected output beside it, ``corpus/<stem>.expected.json`` (see
``parser/diff.py``). ``--update`` rewrites the expected outputs from this run, so that
``git diff`` shows in review what a parser change did. Exit status: 0 no differences,
1 differences or parse failures.

    python -m tests.regress [--update] [--corpus corpus]
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


EXPECTED_SUFFIX = ".expected.json"


def expected_path(corpus: Path, written: Path) -> Path:
    """Where the expected record of one output lives: beside its notice."""
    return corpus / (written.stem + EXPECTED_SUFFIX)


def compare_one(written: Path, want: Path) -> list[str]:
    """Diff lines of one notice against its expected record (empty when equal)."""
    if not want.exists():
        return [f"+ notice {written.name} (no expected output)"]
    result = diff_notice(load(str(want))[1][0].data, load(str(written))[1][0].data)
    if result["equal"]:
        return []
    return [f"@@ {written.name}", *("  " + line for line in format_notice(result))]


def compare(written: Sequence[Path], corpus: Path) -> list[str]:
    """Diff lines per notice that has an expected output, plus new/missing notices."""
    lines: list[str] = []
    stems = {p.stem for p in written}
    for path in written:
        lines.extend(compare_one(path, expected_path(corpus, path)))
    lines.extend(f"- notice {p.name} (expected, not produced)" for p in sorted(corpus.glob("*" + EXPECTED_SUFFIX))
                 if p.name[: -len(EXPECTED_SUFFIX)] not in stems)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.regress", description=__doc__.split("\n\n")[0])
    ap.add_argument("--update", action="store_true", help="rewrite the expected outputs from this run")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"), help="folder of .txt notices (default corpus/)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    with tempfile.TemporaryDirectory(prefix="regress-") as tmp:
        written, failed = parse_corpus(corpus, Path(tmp))
        for line in failed:
            print(f"! {line}")
        if args.update:
            for path in written:
                shutil.copyfile(path, expected_path(corpus, path))
            print(f"updated {len(written)} expected output(s) beside the notices in {corpus}; "
                  "review with git diff before committing")
            return 1 if failed else 0
        try:
            lines = compare(written, corpus)
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
