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
    not_after = tuple(words()["run_together_not_after"])
    if len(parts) < 2 or "".join(parts) != name or not all(p[0] in level_chars and len(p) >= 3 for p in parts):
        return _split_peers(name, tok, table, not_after)
    if any(p.startswith(not_after) for p in parts[1:]):  # 市商务局市场科: 市场 is not 市 + a body
        return None
    return parts


_PEERS_MIN = 12
"""A run of peers without level prefixes is read only from this length on: short names
with an inner body word (县人民政府办公室) are one body far more often than two."""


_MEMBER_KINDS = ("部门", "单位", "科室", "处室", "成员单位")
_WEAK_SUFFIXES = frozenset({"行", "口", "学", "网", "段", "台", "组", "会", "社", "团", "司", "联", "场", "库", "庭"})
"""Body suffixes too common inside other words (运行, 出口, 平台) to cut a run at."""


def _split_peers(name: str, tok: Any, table: AliasTable, not_after: tuple[str, ...]) -> list[str] | None:
    """A table cell that ran its units together without level prefixes (a document-sharing
    site's dump): 教育局经开区高新园(邹区镇)各街道市国有公司, 住建局五星街道南大街街道.

    Cut at body suffixes (a bracket after one qualifies it), and accept only what a list of
    peers looks like and a chain of sub-bodies (省公安厅交通管理局高速公路支队) does not:
    three parts or more, none a bare body word (办公室), and one of them a collective or
    two sharing their suffix.
    """
    if len(name) < _PEERS_MIN:
        return None
    suffixes = tuple(sorted((w for w in words()["body_suffixes"] if w not in _WEAK_SUFFIXES), key=len, reverse=True))
    parts: list[str] = []
    cur, depth = "", 0
    for token in tok.cut(name, HMM=False):
        cur += token
        depth += token.count("(") - token.count(")")
        if depth == 0 and len(cur) >= 3 and cur.endswith(suffixes):
            parts.append(cur)
            cur = ""
    if cur or len(parts) < 3:
        return None
    for i in range(1, len(parts)):  # 高新园 | (邹区镇)各街道: the bracket qualifies the body before it
        if parts[i].startswith("(") and ")" in parts[i]:
            close = parts[i].index(")") + 1
            parts[i - 1], parts[i] = parts[i - 1] + parts[i][:close], parts[i][close:]
    if not all(parts):
        return None
    bare = set(suffixes)
    if any(p in bare or p.startswith(not_after) for p in parts):
        return None
    collectives = tuple(words()["collective_prefixes"])
    if any(p.startswith(collectives) and p.endswith(_MEMBER_KINDS) for p in parts[1:]):
        return None  # 全市经济运行工作专班各部门: the departments of the body before, one collective
    ends = [next((s for s in suffixes if p.split("(")[0].endswith(s)), p) for p in parts]
    if not any(p.startswith(collectives) for p in parts) and len(set(ends)) == len(ends):
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
