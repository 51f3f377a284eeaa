"""Clean-ups every reader's text gets, for damage that copies of notices carry.

Only damage that is unambiguous is repaired, so a clean notice passes through
unchanged: pinyin glosses that some mirror sites insert after characters
("建設(shè)", "經(jīng)貿(mào)委") are removed. A gloss needs a tone mark, so "(GDP)" or
"(IPv6)" stay.
"""

from __future__ import annotations

import regex

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_GLOSS = regex.compile(
    rf"(?<=[\p{{Han}}?])\((?=[a-zü{_TONED}]{{0,7}}[{_TONED}])[a-zü{_TONED}]{{1,8}}\)"
)


def clean_text(text: str) -> str:
    """The text with mirror-inserted pinyin glosses removed."""
    if "(" not in text or not any(ch in text for ch in _TONED):
        return text
    return _GLOSS.sub("", text)
