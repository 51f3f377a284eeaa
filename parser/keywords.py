"""jieba-based helpers: run-together unit names and task keywords.

jieba takes about a second to load its dictionary, so it is imported inside the
functions: a notice whose lists all have separators, parsed without ``--keywords``,
never pays for it.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from parser.canonical import AliasTable, words


@cache
def _tokenizer(aliases: tuple[str, ...]) -> Any:
    """A private jieba tokenizer whose user dictionary is the alias table."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for alias in aliases:
        tok.add_word(alias, freq=100_000)
    return tok


def _ends_body(value: str) -> bool:
    return value.endswith(tuple(words()["run_together_ends"]))


def split_run_together(name: str, table: AliasTable) -> list[str] | None:
    """'市发改委市财政局' → ['市发改委', '市财政局']; None when it is one name.

    jieba (with every alias as a user word) cuts the string; tokens are then grouped
    into bodies, each ending at a body suffix and starting with a level prefix. If any
    group does not look like a body the cut is refused: a wrong split is worse than none.
    """
    if len(name) < 4:
        return None
    tok = _tokenizer(tuple(sorted(table.aliases())))
    level_chars = set(words()["level_chars"])
    parts: list[str] = []
    cur = ""
    for token in tok.cut(name, HMM=False):
        cur += token
        if _ends_body(cur) and (token in table.exact or len(cur) >= 3):
            parts.append(cur)
            cur = ""
    if cur:
        if not parts:
            return None
        parts[-1] += cur
    if len(parts) < 2 or "".join(parts) != name:
        return None
    if not all(p[0] in level_chars and len(p) >= 3 for p in parts):
        return None
    not_after = tuple(words()["run_together_not_after"])
    if any(p.startswith(not_after) for p in parts[1:]):  # 市商务局市场科: 市场 is not 市 + a body
        return None
    return parts


def task_keywords(text: str, k: int = 5) -> list[str]:
    """The ``k`` most telling words of a task's text (jieba TF-IDF), digits and single characters left out."""
    if not text or not text.strip() or k <= 0:
        return []
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    tags = jieba.analyse.extract_tags(text, topK=k * 3)
    out: list[str] = []
    for tag in tags:
        if len(tag) < 2 or tag.isdigit() or any(ch.isdigit() for ch in tag):
            continue
        out.append(tag)
        if len(out) == k:
            break
    return out
