"""Lines of the notice text with their offsets.

Every later stage walks lines, not the raw string: a line knows where it sits in
``text`` and carries its slice of the match text, so a stage can test patterns on the
normalized form and still report spans in the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import regex


@dataclass(slots=True)
class Line:
    """One non-blank line, stripped of surrounding white space.

    Treated as immutable (stages share lines and ``split_runons`` reuses them), but not
    declared frozen: a frozen dataclass sets each field through ``object.__setattr__``,
    which made building a notice's lines four times slower.
    """

    index: int
    """Position among the non-blank lines."""
    start: int
    end: int
    text: str
    """The line as written (stripped)."""
    mtext: str
    """The same slice of the match text (same length as ``text``)."""


_SPACE = " \t\u3000\xa0\ufeff\u200b"


def split_lines(text: str, mtext: str) -> list[Line]:
    """Non-blank lines with their spans; leading/trailing white space is not part of a line."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        body = raw.strip(_SPACE)
        if body:
            # Only spaces precede the first character of ``body``: its first occurrence is
            # where the line starts (no second, left-stripped copy of the line).
            s = pos + raw.find(body[0])
            e = s + len(body)
            out.append(Line(len(out), s, e, body, mtext[s:e]))
        pos += len(raw) + 1
    return out


_RUNON_MIN = 120
"""Only lines this long are candidates for breaks at white space (a page flattened onto
one line is long); a break after an assignment bracket is taken in any line."""


@cache
def _runon_re():  # type: ignore[no-untyped-def]
    """Compiled once (a regex.compile cache lookup per call rebuilt the pattern text)."""
    import regex

    from parser.tasks.assign import deadline_label_alternation, label_alternation

    return regex.compile(
        r"(?<=\S)\s+(?=(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,3}[.、](?!\d))[\p{Han}A-Z]"
        rf"|(?:{label_alternation()})\s*:)"
        # 整改时限:2021年8月13日前 操作间存在鼠粪… — a dated limit's value ends at the white
        # space before the next sentence
        rf"|(?<=(?:{deadline_label_alternation()})\s*:\s*\d[^\s:]{{0,16}}[前底止日月年])\s+(?=[\p{{Han}}(])"
    )


@cache
def _after_close_re():  # type: ignore[no-untyped-def]
    """A closing bracket (and its sentence end) right before the next task or its marker ((二), 2.)."""
    import regex

    return regex.compile(r"\)[。.;]?\s*(?=\p{Han}|\([一二三四五六七八九十\d]{1,3}\)\p{Han}|\d{1,3}[.、]\p{Han})")


@cache
def _role_verbs() -> tuple[str, ...]:
    """Every role verb, for an ``endswith`` test (a pattern anchored at the end was tried
    from every position of the bracket)."""
    from parser.tasks.assign import role_verbs

    return role_verbs()


_MARKER = r"(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,3}[.、](?!\d))[\p{Han}A-Z]"
"""A heading marker and the first character of its words."""
_MARKER_AT = regex.compile(_MARKER)
"""A heading marker and the first character of its words, matched where a cut may be."""

_MARKER_FIRST = frozenset("一二三四五六七八九十(0123456789")
"""What a heading marker opens with: the marker pattern is tried only after one of these."""

_GLUED_STOPS = "。:;"
"""Sentence ends a heading marker may follow with no white space between (``_glued_heading_cuts``)."""

_CLOSERS = (")", "〕")
"""A closing bracket with a heading marker right after it: …奖励,(责任单位:县科技局、财政局)19.对新认定…
— a digest's items joined on one line, each closed by its assignment (〔〕 is kept as written)."""

_TITLE_WORDS = regex.compile(
    r"[\p{Han}“”、]{2,30}?(?=(?:\([一二三四五六七八九十]{1,3}\)|\d{1,3}[.、](?!\d))\p{Han})")
"""A chapter heading whose short title runs into the first numbered item under it with
nothing between (六、支持培育服务业企业发展壮大48.对当年度…): the title ends there. Matched
after each chapter marker found by a literal scan (a pattern with a look-behind tried at
every character cost a third of the line split)."""
_CHAPTER_NUMERALS = "一二三四五六七八九十"
_PAGE_LINE = 240
"""A line this long may be a whole page joined into one line (a policy database's body):
only there are items looked for right after a bracket or a chapter title. A paragraph
rarely is, and the scans cost a quarter of the line split on one."""
_BEFORE_CHAPTER = "。;:)〕"

_BRACKET_MAX = 60
"""At most this many characters inside an assignment bracket that closes a run-on item before
its next marker (a closer with no opener this near lost its opener to the page)."""
_SENTENCE_BRACKET_MAX = 200
"""At most this many characters inside an assignment bracket that closes one sentence of a
paragraph (a State Council division of work lists ten ministries and more in one bracket)."""


def _bracket_cuts(m: str) -> list[int]:
    """Right after an assignment bracket that closes one sentence when the next starts at
    once (…1150万人左右。(市人口计生委牵头)万元地区生产总值…): unnumbered tasks run on.

    The bracket must open a sentence of its own (after 。 . ; or the line's start) and end
    with a role verb. Found from each closing bracket backwards: a pattern looking behind
    from every position cost more than the rest of the line split, and one scanning for
    every closing bracket cost more than these tests.
    """
    if not _any_sentence_bracket(m):
        return []  # most brackets stand inside a sentence (…（试行）…): no scan
    cuts: list[int] = []
    close = m.find(")")
    while close >= 0:  # the cheap tests first, the pattern of what follows last
        opened = m.rfind("(", max(0, close - _SENTENCE_BRACKET_MAX - 1), close)
        inner = m[opened + 1 : close]
        if (opened >= 0 and len(inner) >= 2 and ")" not in inner and inner.endswith(_role_verbs())
                and _opens_sentence(m, opened) and (hit := _after_close_re().match(m, close)) is not None):
            cuts.append(hit.end())
        close = m.find(")", close + 1)
    return cuts


def _lead_in_cuts(m: str) -> list[int]:
    """After a colon followed by white space and a sentence's first word, on a line already
    known to be a joined page: a paragraph that led in to the list (…指出: 贯彻实施…)."""
    cuts = []
    at = m.find(":")
    while at >= 0:
        end = at + 1
        while end < len(m) and m[end] in " \t\u3000":
            end += 1
        if end > at + 1 and end < len(m) and not m[end].isspace() and not _after_label(m, at):
            cuts.append(end)
        at = m.find(":", at + 1)
    return cuts


def _after_label(m: str, colon: int) -> bool:
    """Does a known label close right before ``colon`` (责任单位: 市发改委: its value follows)?"""
    from parser.tasks.assign import label_words

    end = colon
    while end > 0 and m[end - 1] in " \t":
        end -= 1
    return m.endswith(label_words(), 0, end)


def _glued_heading_cuts(m: str) -> list[int]:
    """After a sentence end with a heading marker right after it, no white space between: a
    page whose paragraphs were joined without any (a policy database's one-line body). Found
    from each stop, which is cheaper than a pattern's character class tried at every position."""
    cuts = []
    for stop in _GLUED_STOPS:
        at = m.find(stop)
        while at >= 0:
            if m[at + 1 : at + 2] in _MARKER_FIRST and _MARKER_AT.match(m, at + 1) is not None:
                cuts.append(at + 1)
            at = m.find(stop, at + 1)
    return cuts


def _assignment_heading_cuts(m: str) -> list[int]:
    """Right after a closing bracket that holds an assignment (a role label, a role verb at
    its end, or only bodies), or whose opener the page lost, when a heading marker follows
    it at once."""
    cuts = []
    for closer in _CLOSERS:
        close = m.find(closer)
        while close >= 0:
            if _MARKER_AT.match(m, close + 1) is not None and _closes_assignment(m, close):
                cuts.append(close + 1)
            close = m.find(closer, close + 1)
    return cuts


def _closes_assignment(m: str, close: int) -> bool:
    opened = m.rfind("(" if m[close] == ")" else "〔", max(0, close - _BRACKET_MAX - 1), close)
    if opened < 0:
        return True  # …政府(行署)〕五、: the page lost the opener; the item ends here all the same
    inner = m[opened + 1 : close]
    if len(inner) < 2 or m[close] in inner:
        return False
    return inner.endswith(_role_verbs()) or _assignment_inside(inner)


def _title_then_item_cuts(m: str) -> list[int]:
    """Where a chapter title run into its first item ends (六、…壮大|48.对…)."""
    cuts = []
    at = m.find("、")
    while at >= 0:
        k = at
        while k > 0 and at - k < 3 and m[k - 1] in _CHAPTER_NUMERALS:
            k -= 1
        if k < at and (k == 0 or m[k - 1] in _BEFORE_CHAPTER) and (hit := _TITLE_WORDS.match(m, at + 1)):
            cuts.append(hit.end())
        at = m.find("、", at + 1)
    return cuts


def _assignment_inside(inner: str) -> bool:
    """Does a bracket's text open with a role label or hold nothing but bodies?"""
    from parser.tasks.assign import label_line_re, looks_like_units

    return label_line_re().match(inner) is not None or looks_like_units(inner)


def _opens_sentence(m: str, at: int) -> bool:
    """Does the bracket at ``at`` open a sentence: only white space since the line's start
    or since the last 。 . ; ?"""
    i = at
    while i > 0 and m[i - 1].isspace():
        i -= 1
    return i == 0 or m[i - 1] in "。.;"


def _any_sentence_bracket(m: str) -> bool:
    """Does any "(" of the line open a sentence? A cheap first test for ``_bracket_cuts``:
    the bracket pattern, tried at every closing bracket, cost more than the line split."""
    at = m.find("(")
    while at >= 0:
        if _opens_sentence(m, at):
            return True
        at = m.find("(", at + 1)
    return False


def _spaced(m: str) -> bool:
    """Does white space stand between two words of ``m``? (``str.split`` scans in C; a ``\\s``
    pattern's search walked a long line at a tenth of its speed.)"""
    return len(m.split(None, 1)) > 1


def _cuts(ln: Line) -> list[int]:
    """Where a line holding several paragraphs breaks (offsets in the line)."""
    # Most breaks are at white space: a line without any is not scanned for them (the
    # pattern, which opens with a look behind, was tried at every character).
    long = ln.end - ln.start >= _RUNON_MIN
    cuts = [m.end() for m in _runon_re().finditer(ln.mtext)] if long and _spaced(ln.mtext) else []
    if cuts:  # a joined page: its lead-in closed by a colon ends there too (其中明确指出: 贯彻实施…)
        cuts += _lead_in_cuts(ln.mtext)
    if long:  # …制定实施方案如下:一、工作目标…提质增效。二、工作措施(一)降低…。1.严格执行…
        cuts += _glued_heading_cuts(ln.mtext)
        if ln.end - ln.start >= _PAGE_LINE:  # items glued without a sentence end: only on a joined page
            cuts += _assignment_heading_cuts(ln.mtext)
            cuts += _title_then_item_cuts(ln.mtext)
        cuts = sorted(set(cuts))
    if ")" in ln.mtext[:-2]:  # a bracket that only closes the line breaks nothing
        cuts += _bracket_cuts(ln.mtext)
        cuts = sorted(set(cuts))
    return cuts


_ROW_PIPES = 3
"""A line with this many pipes is a table row: its cells' own numbered items (1.… 2.…) stay in it."""


def _row_cuts(ln: Line, cuts: list[int]) -> list[int]:
    """The cuts of a line, but in a table row only the one after a first cell that is a
    merged group's label (生态环境 | 1、城市大环境绿化… : the label heads the rows below)."""
    if not cuts or ln.mtext.count("|") < _ROW_PIPES:
        return cuts
    first = ln.mtext.find("|")
    head = ln.mtext[:first].strip()
    keep = [c for c in cuts[:1] if not ln.mtext[first + 1 : c].strip() and 0 < len(head) <= _GROUP_LABEL
            and not head[:1].isdigit()]
    return keep


_GROUP_LABEL = 12
"""At most this many characters in a merged group's label cell."""


def split_runons(lines: list[Line]) -> list[Line]:
    """Split lines that hold a whole flattened page at the headings and labels inside them.

    Some pages reach us with every paragraph on one line ("…。 责任单位:县财政局 2.落实…").
    A break is made only where white space follows a sentence end and precedes a heading
    marker or a field label, so ordinary long paragraphs are left alone.
    """
    # The bracket test on the whole line first: the slice copies every line, most hold no ")".
    cuts_at = {ln.index: cuts for ln in lines
               if (ln.end - ln.start >= _RUNON_MIN or (")" in ln.mtext and ")" in ln.mtext[:-2]))
               and (cuts := _row_cuts(ln, _cuts(ln)))}
    if not cuts_at:
        return lines  # no long line holds a break: the lines stand as they are
    out: list[Line] = []
    for ln in lines:
        inner = cuts_at.get(ln.index)
        if inner is None:
            # Lines are never changed: one whose index is unchanged is reused as it is.
            out.append(ln if ln.index == len(out) else Line(len(out), ln.start, ln.end, ln.text, ln.mtext))
            continue
        cuts = [0, *inner, len(ln.text)]
        for a, b in pairwise(cuts):
            piece = ln.text[a:b]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if piece:
                s = ln.start + a + lead
                out.append(Line(len(out), s, s + len(piece), piece, ln.mtext[a + lead:a + lead + len(piece)]))
    return out
