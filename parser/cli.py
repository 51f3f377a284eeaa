"""The notice-parser commands. Argument handling only: every action is a library call.

    notice-parser parse FILE... [-o DIR] [--format json,csv,xlsx] [--report]
    notice-parser parse - -o -            (a notice on stdin, JSON Lines on stdout)
    notice-parser batch SRC...  -o DIR [--jobs N] [--db URL] [--engine dask]
    notice-parser report FILE... -o DIR
    notice-parser diff OLD NEW [--json]
    notice-parser serve [--host 127.0.0.1] [--port 8000] [--workers N]
    notice-parser corrections aliases PATH [-o FILE]

``parse``, ``report``, ``batch`` and ``serve`` take ``--corrections PATH``: reviewers'
corrections saved from the review pages, applied on top of the parser's output.

Errors are printed as one line ``FILE: code: reason`` (a traceback only with
``--debug``); the other files are still written, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from parser import __version__
from parser.errors import InternalError, NoticeError
from parser.limits import Limits
from parser.readers.pdf_page import DEFAULT_ENGINE, ENGINES


def add_limit_options(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that reads inputs."""
    d = Limits()
    p.add_argument("--aliases", metavar="FILE", help="extra unit alias table (TSV, same columns as parser/data/unit_aliases.tsv)")
    p.add_argument("--keywords", action="store_true", help="add jieba keywords to each task")
    p.add_argument("--corrections", metavar="PATH",
                   help="reviewers' corrections to apply on top of the parser's output (a file saved by a review page, or a folder of them)")
    p.add_argument("--max-bytes", type=int, default=d.max_bytes, help="largest input file (default %(default)s)")
    p.add_argument("--max-unzipped-bytes", type=int, default=d.max_unzipped_bytes,
                   help="largest inflated size of .docx/.xlsx/.zip members (default %(default)s)")
    p.add_argument("--max-zip-ratio", type=float, default=d.max_zip_ratio, help="zip-bomb ratio guard (default %(default)s)")
    p.add_argument("--max-pages", type=int, default=d.max_pages, help="most PDF pages read (default %(default)s)")
    p.add_argument("--pdf-engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help="what reads PDF pages: pdfium (fast) or pdfplumber (pure Python); default %(default)s")
    p.add_argument("--debug", action="store_true", help="show tracebacks")


def options_from(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from parser.options import ParseOptions

    limits = Limits(
        max_bytes=args.max_bytes, max_unzipped_bytes=args.max_unzipped_bytes,
        max_zip_ratio=args.max_zip_ratio, max_pages=args.max_pages,
        timeout_s=getattr(args, "timeout", None) or Limits().timeout_s,
    )
    return ParseOptions(limits=limits, aliases=args.aliases, keywords=args.keywords,
                        pdf_engine=getattr(args, "pdf_engine", DEFAULT_ENGINE))


def report_error(exc: BaseException, path: str, debug: bool) -> None:
    """One line per failed file; the traceback only when asked for."""
    original = exc  # the wrapper below has no traceback of its own: --debug shows the real one
    if not isinstance(exc, NoticeError):
        exc = InternalError(f"{type(exc).__name__}: {exc}", path)
    exc.with_path(path)
    print(str(exc), file=sys.stderr)
    if debug:
        traceback.print_exception(original, file=sys.stderr)


def _cmd_parse(args: argparse.Namespace) -> int:
    from parser.pipes import STDIO, JsonLinesOut, UsageError, parse_source, resolve_formats

    stdin_name = getattr(args, "name", "<stdin>")
    try:
        formats = resolve_formats(args.format, args.output, args.report)
        if args.files.count(STDIO) > 1:
            raise UsageError("standard input (-) can be read once only")
    except UsageError as exc:
        print(f"notice-parser {args.command}: error: {exc}", file=sys.stderr)
        return 2
    options = options_from(args)
    corrections = _load_corrections(args)
    to_stdout = JsonLinesOut() if args.output == STDIO else None
    notices, parsed, failed = [], 0, 0
    for path in args.files:
        try:
            notice = parse_source(path, options, stdin_name)
        except Exception as exc:
            report_error(exc, stdin_name if path == STDIO else path, args.debug)
            failed += 1
            continue
        parsed += 1
        if corrections:
            notice = correct(notice, corrections)
        if to_stdout is not None:
            to_stdout.write(notice)  # streamed: a pipe sees each record as soon as it is parsed
            if to_stdout.closed:  # the reader has gone (`| head`): nobody wants the rest
                break
        else:
            notices.append(notice)
    if to_stdout is None:
        from parser.writers.outputs import write_notice_outputs

        write_notice_outputs(notices, args.output, formats, report=args.report)
    where = "standard output" if to_stdout is not None else args.output
    print(f"parsed {parsed} notice(s), {failed} failed; outputs in {where}", file=sys.stderr)
    return 1 if failed else 0


def _load_corrections(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """``--corrections PATH`` loaded (before any parsing: a bad file stops the command), or None."""
    if not getattr(args, "corrections", None):
        return None
    from parser.corrections import load_corrections

    return load_corrections(args.corrections)


def correct(notice, corrections):  # type: ignore[no-untyped-def]
    """The notice with the reviewers' corrections applied (unmatched ones printed on stderr)."""
    from parser.corrections import correct as apply

    return apply(notice, corrections)


def _cmd_batch(args: argparse.Namespace) -> int:
    """The batch command, once its extra formats are checked (the batch reads ``args.formats``)."""
    args.formats = {f.strip() for f in (args.format or "").split(",") if f.strip()}
    wrong = args.formats - {"xlsx"}
    if wrong:
        print(f"notice-parser batch: error: unknown format {', '.join(sorted(wrong))} (known: xlsx)", file=sys.stderr)
        return 2
    return int(args.batch_main(args) or 0)


def _cmd_report(args: argparse.Namespace) -> int:
    args.format = ""
    args.report = True
    return _cmd_parse(args)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="notice-parser", description="Chinese policy notices -> structured tasks")
    ap.add_argument("--version", action="version", version=f"notice-parser {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse notice files into JSON and CSV")
    p.add_argument("files", nargs="+", metavar="FILE", help="notice files; - reads one from standard input")
    p.add_argument("-o", "--output", default="output",
                   help="output folder, or - for JSON Lines on standard output (default %(default)s)")
    p.add_argument("--format", default=None,
                   help="comma list of json,csv,xlsx (default json,csv; with -o - only json)")
    p.add_argument("--name", default="<stdin>", metavar="NAME",
                   help="file name of the notice read from standard input: its extension hints the format "
                        "and it names the record (default %(default)s)")
    p.add_argument("--report", action="store_true", help="also write an HTML review page per notice")
    add_limit_options(p)
    p.set_defaults(func=_cmd_parse)

    p = sub.add_parser("report", help="write an HTML review page per notice")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", default="output", help="output folder (default %(default)s)")
    add_limit_options(p)
    p.set_defaults(func=_cmd_report)

    try:
        from parser.batch import run as batch
    except ImportError:  # pragma: no cover - while batch is not built
        batch = None  # type: ignore[assignment]
    if batch is not None:
        p = sub.add_parser("batch", help="convert folders and zip archives, in parallel, incrementally")
        add_limit_options(p)
        batch.configure(p)
        p.add_argument("--format", default="", metavar="FORMATS",
                       help="extra outputs: xlsx writes notices.xlsx (sheets tasks, assignments, units, notices, errors)")
        # batch never imports the CLI: it gets the options built here
        p.set_defaults(func=_cmd_batch, batch_main=lambda args: batch.main(args, options_from(args)))

    from parser import service

    p = sub.add_parser("serve", help="answer parse requests over HTTP (FastAPI + uvicorn)")
    add_limit_options(p)
    service.configure(p)
    p.set_defaults(func=lambda args: service.main(args, options_from(args)))

    from parser import corrections

    p = sub.add_parser("corrections", help="work with reviewers' corrections files (aliases: export unit names)")
    corrections.configure(p)
    p.set_defaults(func=corrections.main)

    try:
        from parser import diff
    except ImportError:  # pragma: no cover - while diff is not built
        diff = None  # type: ignore[assignment]
    if diff is not None:
        p = sub.add_parser("diff", help="compare two outputs (JSON files or output folders)")
        diff.configure(p)
        p.set_defaults(func=diff.main)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except NoticeError as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


