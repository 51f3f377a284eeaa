"""Helpers shared by the stages' patterns.

``StartFilter`` answers, for a pattern anchored at a line start, whether a line's first
character can begin a match at all. Most lines of a notice begin no heading and no
label, and a dict lookup on their first character is far cheaper than running the
pattern on each (a ``regex`` call costs about half a microsecond even when it fails at
once). The answer comes from the pattern itself, through ``regex``'s partial matching,
so it stays exact when the vocabulary files change.
"""

from __future__ import annotations

import regex


class StartFilter:
    """Which first characters can open a match of ``pattern`` (memoized per character)."""

    __slots__ = ("_pattern", "_seen")

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self._pattern = pattern
        self._seen: dict[str, bool] = {}

    def __call__(self, line: str) -> bool:
        """False when no match of the pattern can start at ``line[0]``; True otherwise."""
        if not line:
            return True  # the pattern decides (an empty line may still match)
        ch = line[0]
        known = self._seen.get(ch)
        if known is None:
            # A partial match of the one character means some string starting with it matches.
            known = self._pattern.match(ch, partial=True) is not None
            if len(self._seen) < _MAX_SEEN:
                self._seen[ch] = known
        return known


_MAX_SEEN = 8192
"""Bound of the memo: a hostile text of 100,000 distinct characters keeps it small."""
