"""Text normalization that never moves an offset.

Patterns run on a *match text*: the record's ``text`` with full-width ASCII folded to
half-width, punctuation variants folded to one form, and traditional characters mapped
to simplified ones, character by character. Because the match text has exactly the
same length as ``text``, an offset found in one is an offset in the other, so every
span in the record points at what the notice really says.

Whole-name conversion (``to_simplified``) uses OpenCC's phrase tables and may change
length; it is only used on extracted values (unit names), never on the text itself.
"""

from __future__ import annotations

import os
from functools import cache

# Punctuation variants folded to one form so that one pattern serves all of them.
_PUNCT_FOLD = {
    "﹝": "〔", "［": "[", "【": "[", "】": "]", "］": "]", "﹞": "〕",
    "〘": "〔", "〙": "〕", "⁽": "(", "⁾": ")",
    "﹙": "(", "﹚": ")", "（": "(", "）": ")",
    "：": ":", "；": ";", "，": ",", "﹐": ",", "､": "、", "﹑": "、",
    "．": ".", "﹒": ".", "·": "·", "。": "。", "！": "!", "？": "?",
    "－": "-", "‐": "-", "‑": "-", "–": "—", "―": "—", "─": "—", "━": "—",
    "〜": "~", "～": "~", "\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " ",
    "\u2009": " ", "\u200b": " ", "\ufeff": " ",
    "“": "“", "”": "”", "「": "“", "」": "”", "『": "“", "』": "”",
    "〈": "《", "〉": "》", "＜": "<", "＞": ">", "︰": ":",
}


def _opencc_dir() -> str | None:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    return os.path.join(os.path.dirname(opencc.__file__), "dictionary")


@cache
def _trad_chars() -> dict[str, str]:
    """OpenCC's one-character traditional→simplified table (first candidate)."""
    folder = _opencc_dir()
    table: dict[str, str] = {}
    if folder is None:
        return table
    with open(os.path.join(folder, "TSCharacters.txt"), encoding="utf-8") as fh:
        for line in fh:
            src, _, targets = line.rstrip("\n").partition("\t")
            first = targets.split(" ")[0] if targets else ""
            if len(src) == 1 and len(first) == 1 and first != src:
                table[src] = first
    return table


# Blocks most notice text is written in (Latin and punctuation, CJK symbols, CJK unified
# ideographs, half/full-width forms).
_IDENTITY_BLOCKS = ((0x0000, 0x3400), (0x4E00, 0xA000), (0xFF00, 0x10000))


@cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0)
    for src, dst in _PUNCT_FOLD.items():
        table[ord(src)] = dst
    for src, dst in _trad_chars().items():
        table.setdefault(ord(src), dst)
    # Fold again what the full-width fold produced: （ → ( etc. are already 1:1.
    for code, dst in list(table.items()):
        again = _PUNCT_FOLD.get(dst)
        if again is not None:
            table[code] = again
    return table


@cache
def _translation() -> dict[int, str | int]:
    """The fold table plus identity entries for the common blocks.

    ``str.translate`` raises and swallows a KeyError for every character its table
    lacks, which was most of its cost; an identity entry (an ordinal) maps the character
    to itself without one. Characters outside these blocks still pass unchanged.
    """
    table: dict[int, str | int] = {}
    for lo, hi in _IDENTITY_BLOCKS:
        table.update(zip(range(lo, hi), range(lo, hi), strict=True))
    table.update(_fold_table())
    return table


_ARRAY_MIN = 256
"""Below this length ``str.translate`` is faster than the array lookup (its set-up costs ~2 µs)."""


@cache
def _lookup():  # type: ignore[no-untyped-def]
    """The translation as a numpy array over the Basic Multilingual Plane (256 KiB).

    ``str.translate`` looks every character up in a dict (~30 ns each); indexing an array
    with the text's code points does the same mapping in one vectorised step, ten times
    faster on a whole notice. numpy is imported only when a long text first needs it.
    """
    import numpy as np

    table = np.arange(0x10000, dtype=np.uint32)
    for code, dst in _fold_table().items():
        if code < 0x10000:
            table[code] = dst if isinstance(dst, int) else ord(dst)
    return np, table


def _codes(text: str):  # type: ignore[no-untyped-def]
    """The text's code points as a numpy array, or None when one lies outside the BMP."""
    np, _ = _lookup()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return codes if np.maximum.reduce(codes, initial=0) < 0x10000 else None  # not .max(): a Python wrapper


def _translate_array(text: str) -> str | None:
    """``text`` mapped through the fold table by array lookup; None if it leaves the BMP."""
    codes = _codes(text)
    return None if codes is None else _lookup()[1][codes].tobytes().decode("utf-32-le", "surrogatepass")


def normalize(text: str) -> tuple[str, str]:
    """``(match_text(text), detect_script(text))`` from one look at the code points.

    The pipeline needs both for every notice; for a long text both come from one array
    of code points instead of a translation plus a GB2312 encoding and a scan per
    traditional character.
    """
    codes = _codes(text) if len(text) >= _ARRAY_MIN else None
    if codes is None:
        return match_text(text), detect_script(text)
    np, table = _lookup()
    folded = table[codes]
    mtext = folded.tobytes().decode("utf-32-le", "surrogatepass")
    # Inside the CJK block only traditional-only forms fold (punctuation and full-width
    # forms lie outside it): the characters that changed there are the traditional ones.
    head, head_folded = codes[:_SCRIPT_SAMPLE], folded[:_SCRIPT_SAMPLE]
    in_block = (head >= 0x4E00) & (head <= 0x9FFF)
    han = int(np.count_nonzero(in_block))
    ratio = np.count_nonzero(in_block & (head != head_folded)) / han if han else 0.0
    return mtext, _script(float(ratio))


def match_text(text: str) -> str:
    """Same-length normalized copy of ``text`` for pattern matching."""
    out = _translate_array(text) if len(text) >= _ARRAY_MIN else None
    if out is None:
        out = text.translate(_translation())
    if len(out) != len(text):  # pragma: no cover - guarded by the 1:1 tables
        raise AssertionError("match text changed length")
    return out


@cache
def _trad_set() -> frozenset[str]:
    """The traditional-only characters as a frozenset: ``isdisjoint`` on a frozenset walks a
    string twice as fast as on a dict's keys view."""
    return frozenset(_trad_chars())


@cache
def _trad_in_gb2312() -> tuple[str, ...]:
    """The few traditional-only characters that GB2312 can still encode (乾, 後, 於 …)."""
    out = []
    for ch in sorted(_trad_chars()):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        out.append(ch)
    return tuple(out)


def _has_trad(head: str) -> bool:
    """Whether ``head`` holds a traditional-only character.

    A text GB2312 encodes (most simplified notices) can hold only the few traditional
    characters GB2312 has, each found by one ``in``; the codec runs in C without making a
    str per character, which the set test must do. Anything else takes the set test.
    """
    try:
        head.encode("gb2312")
    except UnicodeEncodeError:
        return not _trad_set().isdisjoint(head)
    return any(ch in head for ch in _trad_in_gb2312())


_SCRIPT_SAMPLE = 20000
"""Script detection looks at this many characters."""


def trad_ratio(text: str, sample: int = _SCRIPT_SAMPLE) -> float:
    """Share of Han characters that are traditional-only forms (script detection)."""
    table = _trad_chars()
    head = text[:sample]
    if not _has_trad(head):  # most notices hold no traditional form
        return 0.0
    han = trad = 0
    for ch in head:
        if "\u4e00" <= ch <= "\u9fff":
            han += 1
            if ch in table:
                trad += 1
    return trad / han if han else 0.0


def detect_script(text: str) -> str:
    """'traditional' when enough characters are traditional-only forms."""
    return _script(trad_ratio(text))


def _script(ratio: float) -> str:
    return "traditional" if ratio > 0.08 else "simplified"


@cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(value: str) -> str:
    """Whole-phrase traditional→simplified conversion (OpenCC t2s) of a short value."""
    if _trad_set().isdisjoint(value):
        return value
    return _converter().convert(value)
