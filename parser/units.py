"""Unit lists → Unit records.

A unit list is what follows a 牵头单位/责任单位 label: names joined by 、，； or by
spaces in a table cell. The hard parts are the exceptions, each one a rule here:

* a closing 等… tail ("市气象局、市地震局等具有审批、核准权限的有关部门") is a
  qualifier of the unit it follows, not a unit;
* a collective with 、 inside (各县、市、区政府) and anything inside brackets
  (县发改局(粮食局), 各县(市、区)政府) stays one unit;
* items sharing one suffix (哈尔滨、黑河、绥芬河市政府) get the suffix back;
* persons (a 责任领导 column: 2–3 Han characters with a common surname and no body
  suffix) are not units.

All decisions are made on the match text (same length as the notice text), so every
span points at what the notice says. Each step is one pass over the list: no
backtracking regex, no pairwise loops, so a 10,000-item list costs linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from parser.canonical import (
    AliasTable,
    Jurisdiction,
    canonicalize,
    jurisdiction_from,
    level_of_name,
    load_aliases,
    words,
)
from parser.rx import literal_alternation
from parser.textnorm import match_text, to_simplified
from schemas.notice import Level, Meta, Unit, build


@dataclass(slots=True)
class UnitContext:
    """What a notice tells about its units: its jurisdiction and the alias table."""

    jurisdiction: Jurisdiction | None = None
    aliases: AliasTable | None = None
    extra: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict, repr=False)
    """Unit lists already split in this notice (a notice repeats 市政府有关部门 in every task):
    list text → units at offset 0, and each unit's naming. Valid for one jurisdiction and
    table (see ``_memo``)."""


def make_context(meta: Meta | None, text: str, extra_alias_file: str | None = None,
                 mtext: str | None = None) -> UnitContext:
    """Jurisdiction read from the notice plus the shipped (and user) alias table."""
    return UnitContext(jurisdiction=jurisdiction_from(meta, text, mtext), aliases=load_aliases(extra_alias_file))


@cache
def _default_table() -> AliasTable:
    return load_aliases(None)


# --- vocabulary, compiled once ------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Vocab:
    separators: frozenset[str]
    clause_separators: frozenset[str]
    list_end: frozenset[str]
    note_words: tuple[str, ...]
    opens: frozenset[str]
    closes: frozenset[str]
    lead_strip: tuple[str, ...]
    trail_strip: frozenset[str]
    trim_chars: frozenset[str]
    """trail_strip and separators: what ``_trim`` drops at either end."""
    tail_chars: frozenset[str]
    """Brackets, list end and the qualifier: without them ``_segments`` returns the whole run."""
    trail_verbs: tuple[str, ...]
    brackets: frozenset[str]
    """opens and closes: a list without them is cut at its separators alone."""
    separator_re: regex.Pattern[str]
    """One separator character (each is a cut of its own: no + here)."""
    body_suffixes: tuple[str, ...]
    collective_prefixes: tuple[str, ...]
    collective_infixes: re.Pattern[str]
    """The infixes (…有关部门, …各单位), scanned as one literal alternation."""
    merge_words: frozenset[str]
    qualifier: str
    not_qualifier: frozenset[str]
    person_titles: tuple[str, ...]
    surnames: frozenset[str]
    compound_surnames: tuple[str, ...]
    not_person: frozenset[str]
    level_chars: frozenset[str]
    name_starts: tuple[str, ...]
    suffix_heads: tuple[str, ...]
    type_suffixes: frozenset[str]
    shared_body_tails: tuple[str, ...]
    run_together: regex.Pattern[str]
    list_notes: regex.Pattern[str]
    list_note_words: tuple[str, ...]
    """A separator and a word opening a standing note (,以下均需…,不再逐一列出): the list ends there."""


def _longest_first(items: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items), key=len, reverse=True))


@cache
def _vocab() -> _Vocab:
    w = words()
    ends = "|".join(map(regex.escape, _longest_first(w["run_together_ends"])))
    not_after = "|".join(map(regex.escape, w["run_together_not_after"]))
    level = "".join(w["level_chars"])
    # A body ending right before a level prefix that starts another body within a few
    # characters: 市发改委市财政局. Bounded repeats keep this linear.
    run_together = regex.compile(rf"(?:{ends})(?!{not_after})[{level}]\p{{Han}}{{1,12}}?(?:{ends})")
    seps = "".join(map(regex.escape, w["separators"]))
    notes = "|".join(map(regex.escape, _longest_first(w["list_note_openers"])))
    return _Vocab(
        list_notes=regex.compile(rf"[{seps}]\s*(?:{notes})"),
        list_note_words=tuple(w["list_note_openers"]),
        separators=frozenset(w["separators"]),
        clause_separators=frozenset(w["clause_separators"]),
        list_end=frozenset(w["list_end"]),
        note_words=tuple(w["note_words"]),
        opens=frozenset(w["open_brackets"]),
        closes=frozenset(w["close_brackets"]),
        lead_strip=_longest_first(w["strip_leading"]),
        trail_strip=frozenset(w["strip_trailing"]),
        trim_chars=frozenset(w["strip_trailing"]) | frozenset(w["separators"]),
        tail_chars=frozenset(w["open_brackets"]) | frozenset(w["close_brackets"]) | frozenset(w["list_end"])
        | frozenset(w["qualifier_marker"]),
        trail_verbs=_longest_first(w["trailing_verbs"]),
        brackets=frozenset(w["open_brackets"]) | frozenset(w["close_brackets"]),
        separator_re=regex.compile("[" + "".join(regex.escape(c) for c in sorted(w["separators"])) + "]"),
        body_suffixes=_longest_first(w["body_suffixes"]),
        collective_prefixes=_longest_first(w["collective_prefixes"]),
        collective_infixes=literal_alternation(_longest_first(w["collective_infixes"])),
        merge_words=frozenset(w["collective_merge_words"]),
        qualifier=w["qualifier_marker"],
        not_qualifier=frozenset(w["not_qualifier_words"]),
        person_titles=_longest_first(w["person_titles"]),
        surnames=frozenset(w["surnames"]),
        compound_surnames=_longest_first(w["compound_surnames"]),
        not_person=frozenset(w["not_person_words"]),
        level_chars=frozenset(level),
        suffix_heads=_longest_first(w["shared_suffix_heads"]),
        type_suffixes=frozenset(w["shared_type_suffixes"]),
        shared_body_tails=_longest_first(w["shared_body_tails"]),
        name_starts=_longest_first(
            list(w["name_starts"]) + list(w["collective_prefixes"]) + [p for ps in w["level_prefixes"].values() for p in ps]
        ),
        run_together=run_together,
    )


# --- small predicates on normalized names --------------------------------------------

_SPACE = regex.compile(r"\s+")
_HAN_ONLY = regex.compile(r"\p{Han}+")


def _clean(value: str) -> str:
    return _SPACE.sub("", value)


@lru_cache(maxsize=16384)
def has_body_suffix(name: str) -> bool:
    """Whether ``name`` ends like a body (局, 委, 政府, 中心, 管委会 …), brackets ignored."""
    v = _vocab()
    core = name.rstrip(")]）】”")
    if core != name:  # 县发改局(粮食局): judge by what precedes the bracket
        cut = max(core.rfind(ch) for ch in "([（【“")
        core = core[:cut] if cut > 0 else core
    return core.endswith(v.body_suffixes)


_WORD_SPLIT = regex.compile(r"[()\[\]（）【】、]+")


@lru_cache(maxsize=16384)
def is_collective(name: str) -> bool:
    """各…, 有关…, 相关…, 驻市…, …有关部门, …各部门, 镇(街道): a group, not one body."""
    v = _vocab()
    if name.startswith(v.collective_prefixes) or v.collective_infixes.search(name) is not None:
        return True
    if len(name) < 2 or len(name) > 40:
        return False
    words_ = [w for w in _WORD_SPLIT.split(name) if w]
    return bool(words_) and all(w in v.merge_words for w in words_)


@lru_cache(maxsize=16384)
def is_person(name: str) -> bool:
    """A person's name or title rather than a body (张三, 洪金虎, 李四副市长)."""
    v = _vocab()
    if not name or has_body_suffix(name):
        return False
    if name.endswith(v.person_titles):
        return True
    if not _HAN_ONLY.fullmatch(name) or name in v.not_person:
        return False
    if name[-1] in v.level_chars:
        return False  # 武汉市, 黄石市: a place whose first character is also a surname
    if name.startswith(v.compound_surnames):
        return 3 <= len(name) <= 4
    return 2 <= len(name) <= 3 and name[0] in v.surnames and name[0] not in v.level_chars


# --- the splitting passes ------------------------------------------------------------

@dataclass(slots=True)
class _Piece:
    start: int  # relative to the list text
    end: int
    mname: str  # match-text form without spaces (decisions are made on this)
    suffix: str = ""  # a restored shared suffix
    merged: bool = False


def _trim(m: str, a: int, b: int) -> tuple[int, int]:
    """Drop surrounding spaces, list punctuation, leading 由/请/等 and trailing 牵头/负责."""
    v = _vocab()
    strip = v.trim_chars
    if a < b and not (m[a] in strip or m[a].isspace() or m[b - 1] in strip or m[b - 1].isspace()
                      or m.startswith(v.lead_strip, a, b) or m.endswith(v.trail_verbs, a, b)):
        return a, b  # most pieces are already clean: one look at each end
    changed = True
    while changed and a < b:
        changed = False
        while a < b and (m[a] in strip or m[a].isspace()):
            a += 1
            changed = True
        while a < b and (m[b - 1] in strip or m[b - 1].isspace()):
            b -= 1
            changed = True
        # One C-level test per side first: most pieces carry neither word.
        if m.startswith(v.lead_strip, a, b):
            for word in v.lead_strip:
                if m.startswith(word, a, b):
                    a += len(word)
                    changed = True
                    break
        if m.endswith(v.trail_verbs, a, b):
            for word in v.trail_verbs:
                if b - a > len(word) and m.endswith(word, a, b):
                    b -= len(word)
                    changed = True
                    break
    return a, b


def _segments(m: str, a: int, b: int) -> list[tuple[int, int, int]]:
    """(start, end, tail_end) runs of the list: ``m[start:end]`` holds units, ``m[end:tail_end]`` its 等… tail.

    A tail runs from a top-level 等 to the next top-level ，or ； ("市发改委等，各市政府" has
    a unit after the tail), so 、 inside a tail (等具有审批、核准权限的有关部门) stays in it.
    A top-level 。 ends the list: what follows is a new sentence, not units.
    """
    v = _vocab()
    if a <= b and v.tail_chars.isdisjoint(m[a:b]):
        # No bracket, 等 or 。: nothing below can split or end the run, whatever its
        # clause separators (they cut only after a 等 tail): one segment.
        return [(a, b, b)]
    out: list[tuple[int, int, int]] = []
    depth = 0
    seg = a
    tail = -1
    i = a
    while i < b:
        ch = m[i]
        if ch in v.opens:
            depth += 1
        elif ch in v.closes:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in v.list_end:
            break
        elif depth == 0 and tail >= 0 and ch in v.clause_separators:
            out.append((seg, tail, i))
            seg, tail = i + 1, -1
        elif depth == 0 and tail >= 0 and ch == "、" and m.startswith(v.collective_prefixes, i + 1):
            # 等相关区直部门、各镇(办)、经开区: a collective after the tail's 、 starts the list again
            out.append((seg, tail, i))
            seg, tail = i + 1, -1
        elif depth == 0 and tail >= 0 and ch in _TAIL_CONJ_FIRST and (after := _collective_after_conj(m, i, b)):
            # 等省直有关部门和各市人民政府: the collective after 和 is a unit of its own
            out.append((seg, tail, i))
            seg, tail = after, -1
            i = after
            continue
        elif depth == 0 and tail < 0 and ch == v.qualifier and i > seg and _opens_tail(m, i):
            tail = i
        i += 1
    out.append((seg, tail, i) if tail >= 0 else (seg, i, i))
    return out


_TAIL_CONJ = ("以及", "和", "及", "与")
_TAIL_CONJ_FIRST = frozenset(c[0] for c in _TAIL_CONJ)


def _collective_after_conj(m: str, i: int, b: int) -> int:
    """Where the collective after a conjunction at ``i`` starts (和各市人民政府), else 0."""
    for conj in _TAIL_CONJ:
        if m.startswith(conj, i):
            j = i + len(conj)
            return j if j < b and m.startswith(_vocab().collective_prefixes, j) else 0
    return 0


def _opens_tail(m: str, i: int) -> bool:
    """Whether the 等 at ``i`` closes a list (not 高等, 等级, nor right after a separator)."""
    v = _vocab()
    if m[i - 1 : i + 1] in v.not_qualifier or m[i : i + 2] in v.not_qualifier:
        return False
    return not (m[i - 1].isspace() or m[i - 1] in v.separators)


def _cut(m: str, a: int, b: int) -> list[tuple[int, int]]:
    """Bracket-aware split on separators; a space splits only after a full body name."""
    v = _vocab()
    seg = m[a:b]
    if v.brackets.isdisjoint(seg) and seg.split() == [seg]:
        # No bracket and no white space: the cuts are exactly the separators (C-level scan).
        out = []
        s = a
        for hit in v.separator_re.finditer(m, a, b):
            out.append((s, hit.start()))
            s = hit.end()
        out.append((s, b))
        return out
    out: list[tuple[int, int]] = []
    depth = 0
    s = a
    i = a
    while i < b:
        ch = m[i]
        if ch in v.opens:
            depth += 1
        elif ch in v.closes:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in v.separators:
            out.append((s, i))
            s = i + 1
        elif depth == 0 and ch.isspace():
            j = i
            while j < b and m[j].isspace():
                j += 1
            # Only the end of the piece matters (its suffix, or a short person's name):
            # looking at a bounded tail keeps a piece with many spaces linear.
            left = _clean(m[max(s, i - 40) : i]) if i - s > 12 else _clean(m[s:i])
            if left and j < b and m[j] not in v.separators and _space_splits(left, _next_token(m, j, b)):
                out.append((s, i))
                s = j
            i = j
            continue
        i += 1
    out.append((s, b))
    return out


def _next_token(m: str, j: int, b: int) -> str:
    """The characters after a space up to the next space or separator (at most 12)."""
    v = _vocab()
    k = j
    while k < b and k - j < 12 and not m[k].isspace() and m[k] not in v.separators:
        k += 1
    return m[j:k]


def _space_splits(left: str, right: str) -> bool:
    """A space separates two names only when both look whole: 市发改委 市财政局, 张三 李四.

    A space inside one name (a PDF line break in 市政府 办公室) leaves a right side
    that does not start like a name, so it is joined instead.
    """
    v = _vocab()
    if is_person(left):
        return True
    if not has_body_suffix(left) or not right:
        return False
    return right.startswith(v.name_starts) or is_person(right) or _place_named(right) or (
        _named_body(left) and _named_body(right))


def _named_body(token: str) -> bool:
    """Does ``token`` name a body on its own: a stem of two or more characters before its body
    suffix (安监站, 交警六中队)? 办公室 or 组织部 after 市委 could be the rest of one name a
    line break cut; two such tokens side by side (安监站 安监所) are two bodies."""
    for suffix in _vocab().body_suffixes:
        if token.endswith(suffix):
            return len(token) - len(suffix) >= _STEM
    return False


_STEM = 2


def _place_named(token: str) -> bool:
    """'天水市发改委': a place name of 2–5 characters and its level char open the token."""
    v = _vocab()
    return any(token[j] in v.level_chars for j in range(2, min(len(token) - 1, 6)))


def _drop_note(m: str, s: int, e: int) -> int:
    """End of a piece without a closing note in brackets: 县发改局(首位单位为牵头单位,下同)."""
    v = _vocab()
    if e - s < 3 or m[e - 1] not in v.closes:
        return e
    depth = 0
    for i in range(e - 1, s - 1, -1):
        if m[i] in v.closes:
            depth += 1
        elif m[i] in v.opens:
            depth -= 1
            if depth == 0:
                inner = m[i + 1 : e - 1]
                return i if i > s and any(word in inner for word in v.note_words) else e
    return e


def _pieces(m: str, a: int, b: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    spaced = _SPACE.search(m, a, b) is not None  # without white space _clean is the identity
    for cut_s, cut_e in _cut(m, a, b):
        s, e = _trim(m, cut_s, cut_e)
        noted = _drop_note(m, s, e)
        if noted != e:  # _trim is idempotent: only a dropped note can leave more to trim
            s, e = _trim(m, s, noted)
        if s >= e:
            continue
        name = (_clean(m[s:e]) if spaced else m[s:e]).strip("“”\"'")
        if name:
            pieces.extend(_split_conjoined(_Piece(s, e, name)))
    return pieces


_CONJ = regex.compile(r"以及|及|和|与")


def _split_conjoined(piece: _Piece) -> list[_Piece]:
    """Two bodies joined by 及/以及 (县市政府及开发区管委会), or by 和/与 where a collective
    follows (省直有关部门和各市人民政府), are two units. Names with 和 inside
    (市文化和旅游局, 各县市区党委和人民政府) are not cut: the part after a name's 和 names
    no body of its own, or starts no collective."""
    name = piece.mname
    if piece.end - piece.start != len(name) or not _CONJ.search(name):
        return [piece]
    v = _vocab()
    for hit in _CONJ.finditer(name):
        left, right = name[: hit.start()], name[hit.end() :]
        if len(left) < 2 or len(right) < 3 or left in v.collective_prefixes:
            continue  # 市属及驻市有关单位: 市属 qualifies what follows, it names nothing
        if not (has_body_suffix(left) or is_collective(left)):
            continue
        if not (has_body_suffix(right) or is_collective(right)):
            continue
        opens_body = (right.startswith(v.collective_prefixes)  # 和各县区政府
                      or v.collective_infixes.search(right) is not None  # 和市直相关单位
                      or (hit.group() in ("及", "以及") and right[:1] not in "其"))
        if not opens_body:
            continue
        a = piece.start
        return [_Piece(a, a + hit.start(), left), *_split_conjoined(_Piece(a + hit.end(), piece.end, right))]
    return [piece]


_BRACKETED = regex.compile(r"\([^()]{1,8}\)")
_LONE_KINDS = ("单位", "部门")
"""A kind of body alone after a collective (市直有关部门、单位): the same collective's other half."""


def _merge_collectives(pieces: list[_Piece]) -> list[_Piece]:
    """各县、市、区政府 and 相关市、县政府 are one collective: merge until a body suffix."""
    v = _vocab()
    out: list[_Piece] = []
    i = 0
    while i < len(pieces):
        cur = pieces[i]
        i += 1
        lone_kind = i < len(pieces) and pieces[i].mname in _LONE_KINDS and is_collective(cur.mname)
        if cur.mname.startswith(v.collective_prefixes) or lone_kind:  # 市直有关部门、单位 too
            names = [cur.mname]
            last = cur.mname  # only the last item decides whether the group is closed
            end = cur.end
            while i < len(pieces):
                nxt = pieces[i]
                open_ended = not has_body_suffix(last)
                bare = _BRACKETED.sub("", nxt.mname)  # 各开发区、镇(街道): 镇 is a merge word
                if not (nxt.mname in v.merge_words or (bare in v.merge_words and not last.endswith(("部门", "单位")))
                        or (open_ended and len(nxt.mname) <= 6 and nxt.mname[0] in v.level_chars)
                        or (_only_level_word(last, v) and _LEVEL_GOVERNMENT.fullmatch(bare))):
                    break
                names.append(nxt.mname)
                last, end = nxt.mname, nxt.end
                i += 1
            if len(names) > 1:
                cur = _Piece(cur.start, end, "、".join(names), merged=True)
        out.append(cur)
    return out


_LEVEL_GOVERNMENT = regex.compile(r"[县市区乡镇]{1,3}(?:人民)?政府")
"""县政府, 县市政府 (县(市)政府 with its bracket taken out): what closes 各区、县(市)政府."""


def _only_level_word(name: str, v: _Vocab) -> bool:
    """Is ``name`` a collective prefix followed by a merge word alone (各区, 各县, 各乡镇)?
    Its 区 is a level, not a body suffix: the group goes on to the government named next."""
    return any(name.startswith(p) and name[len(p):] in v.merge_words for p in v.collective_prefixes)


def _shared_suffix(last: str, bare: list[_Piece]) -> str:
    """The suffix the bare items share with ``last``: 绥芬河市政府 → 市政府, 南山街道办事处 → 街道办事处;
    县政府 → 政府 after 省、市."""
    v = _vocab()
    if all(len(p.mname) == 1 and p.mname in v.level_chars for p in bare):
        return last[1:] if last[0] in v.level_chars and len(last) > 1 else ""
    if any(len(p.mname) < 2 for p in bare):
        return ""
    for j in range(2, min(len(last), 8)):
        if last.startswith(v.suffix_heads, j):
            return last[j:]
    stem = len(bare[0].mname)  # 文化、文物部门: stems of one length before the type they share
    if (stem <= _TYPE_STEM and all(len(p.mname) == stem for p in bare) and last[stem:] in v.type_suffixes
            and last[0] not in v.level_chars and not any(is_person(p.mname) for p in bare)):
        return last[stem:]
    return ""


_TYPE_STEM = 3
"""The longest stem a list's bare items may be when they share a type suffix (发改、经信委)."""


def _overlap_cut(name: str, suffix: str) -> str:
    """The part of a shared suffix the item lacks: 银川市 takes 人民政府 of 市人民政府, not
    the whole (银川市市人民政府)."""
    for k in range(min(len(name), len(suffix) - 1), 0, -1):
        if name.endswith(suffix[:k]):
            return suffix[k:]
    v = _vocab()
    if len(suffix) > 1 and len(name) >= 3 and name[-1] in v.level_chars and suffix[0] in v.level_chars:
        # 海东市、临夏州发展改革部门: the item's own level word stands for the 州 (a two-character
        # name's last character is part of the name: 兰州、天水市发改委 → 兰州市发改委)
        return suffix[1:]
    return suffix


def _place_tail(name: str) -> str:
    """The body tail after a place word (南沙区政府 → 政府), or ""."""
    for tail in _vocab().shared_body_tails:
        if name.endswith(tail) and len(name) > len(tail) + 1 and name[-len(tail) - 1] in _vocab().level_chars:
            return tail
    return ""


def _restore_suffixes(pieces: list[_Piece]) -> None:
    """哈尔滨、黑河、绥芬河市政府: bare place names take the last item's place-level suffix."""
    v = _vocab()
    run: list[_Piece] = []
    for p in pieces:
        bare = (
            not has_body_suffix(p.mname)
            and not is_collective(p.mname)
            and _HAN_ONLY.fullmatch(p.mname) is not None
            and len(p.mname) <= 6
            and not p.mname.endswith(v.person_titles)
        )
        if bare:
            run.append(p)
            continue

        # A bare item right before a place-named body is a place sharing its suffix
        # (兰州、天水市发改委), even when it could also read as a person's name.
        if run and has_body_suffix(p.mname) and not any(ch in p.mname for ch in "()（）"):
            suffix = _shared_suffix(p.mname, run)
            if suffix:
                for q in run:
                    q.suffix = _overlap_cut(q.mname, suffix)
        run = []
    _restore_place_tails(pieces)


_COUNTY_LEVEL = "区县市旗"


def _restore_place_tails(pieces: list[_Piece]) -> None:
    """黄埔区、南沙区政府: places named at the body's level take its tail (→ 黄埔区政府)."""
    v = _vocab()
    places: list[_Piece] = []
    for p in pieces:
        tail = _place_tail(p.mname)
        if tail:
            level = p.mname[-len(tail) - 1]
            # A county-level government is shared across county-level places (川汇区、商水县、
            # 项城市、沈丘县人民政府): their governments are peers whatever the place's kind.
            peers = _COUNTY_LEVEL if level in _COUNTY_LEVEL and tail.endswith("政府") else level
            for q in places:
                if q.mname.endswith(tuple(peers)) and not q.suffix:
                    q.suffix = tail
            places = []
        elif (p.mname[-1:] in v.level_chars and len(p.mname) <= 8 and _HAN_ONLY.fullmatch(p.mname)
              and not is_collective(p.mname)):
            places.append(p)
        else:
            places = []


_PEERS_MIN = 12
"""From this length a name without separators may be peers run together (``keywords._split_peers``)."""


def _run_together(piece: _Piece, table: AliasTable) -> list[_Piece]:
    """A table cell with no separator (市发改委市财政局): jieba splits it, only when it looks so."""
    v = _vocab()
    long_run = len(piece.mname) >= _PEERS_MIN and _HAN_ONLY.match(piece.mname) is not None
    if piece.merged or not (long_run or (v.run_together.search(piece.mname) and not is_collective(piece.mname))):
        return [piece]
    if piece.end - piece.start != len(piece.mname):  # spaces inside: offsets would not map 1:1
        return [piece]
    from parser.keywords import split_run_together

    parts = split_run_together(piece.mname, table)
    if not parts:
        return [piece]
    out: list[_Piece] = []
    pos = piece.start
    for part in parts:
        out.append(_Piece(pos, pos + len(part), part))
        pos += len(part)
    return out


def split_units(text: str, start: int, ctx: UnitContext | None = None) -> list[Unit]:
    """Split a unit list found at ``start`` in the notice text into units with spans."""
    return [build(Unit, fields) for fields in unit_fields(text, start, ctx)]


def unit_fields(text: str, start: int, ctx: UnitContext | None = None) -> list[dict]:
    """``split_units`` as plain field dicts: the pipeline validates the whole record once
    (one call into pydantic-core for the notice instead of one per unit)."""
    if not text:
        return []
    table = ctx.aliases if ctx is not None and ctx.aliases is not None else _default_table()
    jurisdiction = ctx.jurisdiction if ctx is not None else None
    memo = _memo(ctx, jurisdiction, table)
    units = memo.get(text) if memo is not None else None
    if units is None:
        units = _shared_split(text, jurisdiction, table, memo)
        if memo is not None:
            memo[text] = units
    # The memo holds plain tuples: each call builds its own records, spans moved by ``start``.
    return [
        {"text": w, "name": name, "canonical": canonical, "collective": collective, "level": level,
         "qualifier": qualifier, "span": (s + start, e + start)}
        for w, name, canonical, collective, level, qualifier, s, e in units
    ]


def _memo(ctx: UnitContext | None, jurisdiction: Jurisdiction | None, table: AliasTable) -> dict | None:
    """The context's memo, emptied if its jurisdiction or table changed since it was filled."""
    if ctx is None:
        return None
    memo = ctx.memo
    owner = memo.get(_MEMO_OWNER)
    if owner is None or owner[1] is not table or (owner[0] is not jurisdiction and owner[0] != jurisdiction):
        memo.clear()
        memo[_MEMO_OWNER] = (jurisdiction, table)
    return memo


_MEMO_OWNER = ("owner",)  # a tuple key: never a list text

_UnitRow = tuple[str, str, "str | None", bool, Level, "str | None", int, int]
"""(text, name, canonical, collective, level, qualifier, start, end): a Unit's fields, spans
relative to the list."""


def _before_list_note(m: str) -> int:
    """Where a unit list ends before a standing note written into it (…,各县市区,以下均需
    各县市区落实,不再逐一列出); a note inside a bracket (…(列第一位者为牵头,下同)) is the
    bracket reader's."""
    v = _vocab()
    if not any(word in m for word in v.list_note_words):
        return len(m)  # most lists (a pattern search cost more than the rest of the split)
    for hit in v.list_notes.finditer(m):
        at = hit.start()
        if sum(c in v.opens for c in m[:at]) == sum(c in v.closes for c in m[:at]):
            return at
    return len(m)


def _split(text: str, jurisdiction: Jurisdiction | None, table: AliasTable, memo: dict | None = None) -> list[_UnitRow]:
    """The units of one list, spans relative to the list's start."""
    m = match_text(text)
    a, b = _trim(m, 0, _before_list_note(m))
    units: list[_UnitRow] = []
    for seg_a, seg_b, tail_end in _segments(m, a, b):
        pieces = _merge_collectives(_pieces(m, seg_a, seg_b))
        _restore_suffixes(pieces)
        before = len(units)
        for piece in pieces:
            for p in _run_together(piece, table):
                if not p.suffix and is_person(p.mname):
                    continue
                units.append(_unit(text, p, jurisdiction, table, memo))
        if tail_end > seg_b and len(units) > before:
            t_b = _trim(m, seg_b, tail_end)[1]
            qualifier = to_simplified(_clean(text[seg_b:t_b])) if t_b > seg_b else None
            if qualifier:
                w, name, canonical, collective, level, _, us, ue = units[-1]
                units[-1] = (w, name, canonical, collective, level, qualifier, us, ue)
    return units


# A reading aid in Latin letters (市经(jīng)贸(mào)委) is not part of the name.
_GLOSS = regex.compile(r"[(（][\p{Latin}\p{M}]+[)）]")


def _unit(text: str, p: _Piece, jurisdiction: Jurisdiction | None, table: AliasTable,
          memo: dict | None = None) -> _UnitRow:
    written = text[p.start : p.end]
    key = ("unit", written, p.suffix)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _shared_naming(written, p.suffix, jurisdiction, table)
        if memo is not None:
            memo[key] = found
    name, canonical, collective, level = found
    return (written, name, canonical, collective, level, None, p.start, p.end)


def _shared_split(text: str, jurisdiction: Jurisdiction | None, table: AliasTable,
                  memo: dict | None) -> list[_UnitRow]:
    """``_split`` memoized on the alias table: the notices of one government write the same
    lists (市财政局, 各县区政府，市政府有关部门) again and again, and a list splits the
    same way under the same jurisdiction and table."""
    key = (text, jurisdiction)
    found = table.lists.get(key)
    if found is None:
        found = _remember(table.lists, key, _split(text, jurisdiction, table, memo))
    return found


_TABLE_MEMO_MAX = 8192
"""Bound of each memo on an alias table (lists, namings): emptied when full."""


def _remember(cache: dict, key: object, value):  # type: ignore[no-untyped-def]
    """Store ``value`` in a bounded table memo and return it."""
    if len(cache) >= _TABLE_MEMO_MAX:
        cache.clear()
    cache[key] = value
    return value


def _shared_naming(written: str, suffix: str, jurisdiction: Jurisdiction | None,
                   table: AliasTable) -> tuple[str, str | None, bool, Level]:
    """``_naming`` memoized on the alias table: the same name under the same jurisdiction
    always gets the same canonical form and level."""
    key = (written, suffix, jurisdiction)
    found = table.namings.get(key)
    if found is None:
        found = _remember(table.namings, key, _naming(written, suffix, jurisdiction, table))
    return found


def _naming(written: str, suffix: str, jurisdiction: Jurisdiction | None,
            table: AliasTable) -> tuple[str, str | None, bool, Level]:
    """(name, canonical, collective, level) of a unit as written: the same in every list of a notice."""
    name = to_simplified(_GLOSS.sub("", _clean(written)).strip("“”\"'「」") + suffix)
    collective = is_collective(match_text(name))
    if collective:
        canonical, level = None, level_of_name(name, jurisdiction)
    else:
        canonical, level = canonicalize(name, jurisdiction, table)
    return name, canonical, collective, level
