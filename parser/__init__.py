"""notice-parser: Chinese government policy notices -> structured task records.

Public API::

    from parser import parse_file, parse_text
    notice = parse_file("天政办发〔2017〕137号.txt")   # schemas.Notice
    notice.tasks[0].lead[0].name
"""

from __future__ import annotations

import gc
import os

__version__ = "0.1.0"

__all__ = ["__version__", "clear_memos", "parse_bytes", "parse_file", "parse_text"]


def parse_file(path: str | os.PathLike[str], options=None):  # type: ignore[no-untyped-def]
    """Read and parse one notice file of any supported format."""
    from parser.readers import read_file

    opts = _opts(options)
    with _GcPaused():
        return _run(read_file(path, opts.limits, opts.pdf_engine), opts)


def parse_bytes(data: bytes, name: str = "<bytes>", options=None):  # type: ignore[no-untyped-def]
    """Parse a notice held in memory (e.g. a zip member); ``name`` hints the format."""
    from parser.readers import read_bytes

    opts = _opts(options)
    with _GcPaused():
        return _run(read_bytes(data, name, opts.limits, opts.pdf_engine), opts)


def parse_text(text: str, options=None, path: str | None = None):  # type: ignore[no-untyped-def]
    """Parse a notice given as a string."""
    import hashlib

    from parser.document import Document
    from parser.readers.text import normalize_newlines

    with _GcPaused():
        doc = Document(text=normalize_newlines(text), format="txt", encoding=None, path=path,
                       sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
        return _run(doc, _opts(options))


def clear_memos() -> None:
    """Forget what earlier parses memoized: split unit lists and unit namings (per alias
    table), deadline readings, issuer readings, the unit predicates and unit-shape checks,
    key elements, portal line heads and label lines.

    These memos hold pure functions of their keys and are bounded, so results never
    depend on them; only speed does. ``make bench`` clears them to time a first parse.
    """
    from parser import canonical, confidence, deadlines, keys, meta, units
    from parser.tasks import assign, segment

    shipped = canonical._shipped_table()
    shipped.lists.clear()
    shipped.namings.clear()
    segment._LABEL_MEMO.clear()
    canonical._user_table.cache_clear()  # user tables carry their own memos: drop them whole
    for memo in (canonical._issuer_like, deadlines._specs, deadlines._phrase_specs,
                 units.has_body_suffix, units.is_collective, units.is_person,
                 assign.looks_like_units, assign.bare_label, confidence.unit_shape_problem, keys._path_element,
                 keys._number_words, keys._prefix_words, meta._is_portal_head):
        memo.cache_clear()


class _GcPaused:
    """Pause CPython's cyclic garbage collector for one parse, and restore it after.

    A parse builds thousands of short-lived containers (lines, items, fields, field
    dicts) and no reference cycles: every one is freed by its reference count. With the
    collector on, it traverses the live ones two or three times per notice and promotes
    them: with it running the seed notice took 14 % longer per parse (mean, collections
    included; ``make bench`` measures it again). Paused, the next collection after the
    parse finds them already gone. A collector the caller has disabled stays disabled.
    """

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        if self.was_enabled:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


def _opts(options):  # type: ignore[no-untyped-def]
    from parser.options import ParseOptions

    return options or ParseOptions()


def _run(doc, opts):  # type: ignore[no-untyped-def]
    from parser.errors import InternalError, NoticeError
    from parser.pipeline import parse_document

    try:
        return parse_document(doc, opts)
    except NoticeError as exc:
        raise exc.with_path(doc.path) from exc
    except RecursionError as exc:
        raise InternalError("input nests too deeply", doc.path) from exc
