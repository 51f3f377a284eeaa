"""Lines of the notice text with their offsets.

Every later stage walks lines, not the raw string: a line knows where it sits in
``text`` and carries its slice of the match text, so a stage can test patterns on the
normalized form and still report spans in the original.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Line:
    """One non-blank line, stripped of surrounding white space."""

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
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        s, e = pos, nl
        while s < e and text[s] in _SPACE:
            s += 1
        while e > s and text[e - 1] in _SPACE:
            e -= 1
        if e > s:
            out.append(Line(len(out), s, e, text[s:e], mtext[s:e]))
        pos = nl + 1
    return out
