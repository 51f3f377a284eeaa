"""Which government a notice speaks for, and the full official names of its units.

A notice writes its own bodies with a bare level prefix (市发改委, 县财政局): the place
is implied by who issues it. ``jurisdiction_from`` reads that place from the issuer,
the title, the signature lines and the 文号; ``canonicalize`` expands an abbreviation
from ``parser/data/unit_aliases.tsv`` and puts the place in front.

Nothing here guesses: an abbreviation marked ambiguous, a place the notice does not
name, or a name the table does not know all give ``canonical = None``.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from parser import data
from parser.errors import CorruptFile, MissingFile, NotAFile
from parser.rx import literal_alternation
from parser.textnorm import match_text, to_simplified
from schemas.notice import Level, Meta

ALIAS_COLUMNS = ("alias", "full", "level_hint", "ambiguous", "note")
_LEVELS = ("national", "provincial", "city", "county", "unknown")
_PLACE = "{place}"


def words() -> dict:
    """The splitting/jurisdiction vocabulary (parser/data/unit_words.json)."""
    return data.load_json("unit_words.json")


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """The government a notice is issued by: its place names and its own level."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: Level = "unknown"

    def place(self, level: str) -> str | None:
        """The jurisdiction's name at ``level`` (the place a 省/市/县 prefix stands for)."""
        return {"provincial": self.province, "city": self.city, "county": self.county}.get(level)


@dataclass(frozen=True, slots=True)
class Alias:
    alias: str
    full: str | None
    level: Level
    ambiguous: bool
    note: str = ""


@dataclass(slots=True)
class AliasTable:
    """Alias → full name, exact rows plus rows whose alias holds a ``{place}`` slot."""

    exact: dict[str, Alias] = field(default_factory=dict)
    patterns: list[tuple[regex.Pattern[str], Alias, bool]] = field(default_factory=list)
    full_forms: dict[tuple[str, str], Alias] = field(default_factory=dict)
    """(full template starting with {place}, level) → row: 天水市人民政府政务大厅 is known by its full form."""
    affixes: dict[regex.Pattern[str], tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)
    """Pattern → the literal text before and after its place: a name that does not start
    and end with them cannot match, so ``lookup`` skips the regex."""
    namings: dict = field(default_factory=dict, compare=False, repr=False)
    """(written name, restored suffix, jurisdiction) → its naming, filled by ``parser.units``
    (a pure function of the name and this table; bounded there). Emptied by ``add``."""
    lists: dict = field(default_factory=dict, compare=False, repr=False)
    """(unit list as written, jurisdiction) → its split units, filled by ``parser.units``
    (a pure function of the list and this table; bounded there). Emptied by ``add``."""

    def add(self, row: Alias) -> None:
        """Later rows win, so a user file overrides the shipped table."""
        self.namings.clear()
        self.lists.clear()
        if _PLACE in row.alias:
            self._add_pattern(row.alias, row)
        else:
            self.exact[row.alias] = row
        if row.full and row.full.startswith(_PLACE) and not row.ambiguous:
            self.full_forms[(row.full, row.level)] = row
        if row.full and _PLACE in row.full and not row.full.startswith(_PLACE) and not row.ambiguous:
            # A full name with the place inside (国家税务总局{place}税务局, 中共{place}委员会…)
            # is its own alias, so the canonical name canonicalizes to itself.
            self._add_pattern(row.full, Alias(alias=row.full, full=row.full, level=row.level, ambiguous=False), True)

    def _add_pattern(self, template: str, row: Alias, full_form: bool = False) -> None:
        head, _, tail = template.partition(_PLACE)
        # An alias may write the place short (人行天水中心支行); a full name writes it whole,
        # with the suffix that tells its level (中共天水市委员会… is the city's, not a county's).
        place = r"(\p{Han}{2,10}?)" if full_form else r"(\p{Han}{2,6}?)(?:市)?"
        pat = regex.compile(regex.escape(head) + place + regex.escape(tail))
        self.patterns.insert(0, (pat, row, full_form))
        self.affixes[pat] = (head, tail)
        # Most literal text first (人行{place}中心支行 before 人行{place}支行); the sort
        # is stable, so among equals the later row (a user file) stays first.
        self.patterns.sort(key=lambda pr: -len(pr[1].alias))

    def lookup(self, name: str) -> tuple[Alias, str | None] | None:
        """The row for ``name`` and, for a ``{place}`` row, the place written in it."""
        row = self.exact.get(name)
        if row is not None:
            return row, None
        affixes = self.affixes
        for pat, prow, full_form in self.patterns:
            head, tail = affixes[pat]
            if not (name.startswith(head) and name.endswith(tail)):
                continue
            m = pat.fullmatch(name)
            if m and (not full_form or _level_of(parse_place(m.group(1))) == prow.level):
                return prow, m.group(1)
        return None

    def aliases(self) -> list[str]:
        """Every exact alias (the jieba user dictionary is built from these)."""
        return list(self.exact)

    def __len__(self) -> int:
        return len(self.exact) + len(self.patterns)


def _parse_rows(fh: io.TextIOBase, where: str) -> list[Alias]:
    lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    reader = csv.DictReader(lines, delimiter="\t")
    if reader.fieldnames is None or "alias" not in reader.fieldnames or "full" not in reader.fieldnames:
        raise CorruptFile(f"alias file needs a header with columns {', '.join(ALIAS_COLUMNS)}", where)
    rows: list[Alias] = []
    for lineno, raw in enumerate(reader, start=2):
        alias = (raw.get("alias") or "").strip()
        if not alias:
            raise CorruptFile(f"alias file row {lineno}: empty alias", where)
        if None in raw:
            raise CorruptFile(f"alias file row {lineno}: more cells than header columns", where)
        level = (raw.get("level_hint") or "unknown").strip() or "unknown"
        if level not in _LEVELS:
            raise CorruptFile(f"alias file row {lineno}: level_hint {level!r} is not one of {', '.join(_LEVELS)}", where)
        full = (raw.get("full") or "").strip() or None
        ambiguous = (raw.get("ambiguous") or "").strip().lower() in {"yes", "y", "true", "1", "ambiguous"}
        rows.append(Alias(alias=to_simplified(alias), full=to_simplified(full) if full else None,
                          level=level, ambiguous=ambiguous or full is None, note=(raw.get("note") or "").strip()))
    return rows


@cache
def _shipped_rows() -> tuple[Alias, ...]:
    with open(data.path("unit_aliases.tsv"), encoding="utf-8", newline="") as fh:
        return tuple(_parse_rows(fh, "parser/data/unit_aliases.tsv"))


def load_aliases(extra_file: str | None = None) -> AliasTable:
    """The shipped alias table, plus a user file of the same format (``--aliases FILE``).

    Built once per process (and once per user file version): rebuilding it cost more
    than parsing a whole notice. Callers only read the table; do not ``add`` to it.
    """
    if not extra_file:
        return _shipped_table()
    if not os.path.exists(extra_file):
        raise MissingFile("alias file not found", extra_file)
    if not os.path.isfile(extra_file):
        raise NotAFile("alias file is not a regular file", extra_file)
    st = os.stat(extra_file)
    return _user_table(os.path.abspath(extra_file), st.st_mtime_ns, st.st_size, extra_file)


@cache
def _shipped_table() -> AliasTable:
    table = AliasTable()
    for row in _shipped_rows():
        table.add(row)
    return table


@lru_cache(maxsize=16)
def _user_table(_abspath: str, _mtime_ns: int, _size: int, extra_file: str) -> AliasTable:
    """The shipped table copied, then the user rows added (later rows win); keyed on the file's version."""
    base = _shipped_table()
    table = AliasTable(exact=dict(base.exact), patterns=list(base.patterns), full_forms=dict(base.full_forms),
                       affixes=dict(base.affixes))
    try:
        with open(extra_file, encoding="utf-8-sig", newline="") as fh:
            rows = _parse_rows(fh, extra_file)
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"alias file is not UTF-8 text ({exc.reason})", extra_file) from exc
    except csv.Error as exc:
        raise CorruptFile(f"alias file is not tab-separated text ({exc})", extra_file) from exc
    for row in rows:
        table.add(row)
    return table


# --- jurisdiction -----------------------------------------------------------------

@cache
def _place_parts_re() -> regex.Pattern[str]:
    """One administrative name: Han characters up to a level suffix (longest suffix first)."""
    w = words()["place_suffixes"]
    suffixes = sorted({s for lv in w.values() for s in lv}, key=len, reverse=True)
    return regex.compile(r"\p{Han}{1,12}?(?:" + "|".join(map(regex.escape, suffixes)) + r")")  # bounded: linear


@cache
def _suffix_level() -> dict[str, str]:
    out: dict[str, str] = {}
    for lv, sufs in words()["place_suffixes"].items():
        for s in sufs:
            out[s] = lv
    return out


def _part_level(part: str) -> str:
    for suf, lv in sorted(_suffix_level().items(), key=lambda kv: -len(kv[0])):
        if part.endswith(suf):
            return lv
    return "unknown"


_NOT_PLACE_CHARS = "局委厅办总"  # 国家税务总局嘉鱼县 is a body followed by a place, not a place


def _could_be_place(part: str) -> bool:
    """谯城区 is a place; 开发区, 宁波化工区, 社区 and 国家税务总局嘉鱼县 are not."""
    w = words()
    if any(ch in part for ch in _NOT_PLACE_CHARS) or part.startswith(tuple(w["collective_prefixes"])):
        return False
    return part not in w["not_place_words"] and not part.endswith(tuple(w["not_place_endings"]))


def parse_place(run: str) -> dict[str, str]:
    """'亳州市谯城区' → {'city': '亳州市', 'county': '谯城区'}; a bare '县' gives nothing."""
    out: dict[str, str] = {}
    provinces = set(words()["provinces"])
    pos = 0
    for prov in provinces:
        if run.startswith(prov):
            out["provincial"] = prov
            pos = len(prov)
            break
    for m in _place_parts_re().finditer(run, pos):
        part = m.group(0)
        if m.start() != pos or len(part) < 2:
            return out if m.start() == pos else {}
        lv = _part_level(part)
        if lv == "unknown" or lv in out or not _could_be_place(part):
            return {}
        out[lv] = part
        pos = m.end()
    return out if pos == len(run) else {}


def _may_name_government(line: str) -> bool:
    """Whether ``line`` holds every character of some government word (plain loops: this
    runs on 80 lines of every notice)."""
    for chars in _government_chars():
        for ch in chars:
            if ch not in line:
                break
        else:
            return True
    return False


@cache
def _government_chars() -> tuple[tuple[str, ...], ...]:
    """The character sets of the government words, without the sets that contain another
    (人民政府's contain 政府's): a cell can name a government only if it holds one set."""
    sets = {frozenset(w) for w in words()["government_words"]}
    return tuple(tuple(sorted(s)) for s in sets if not any(o < s for o in sets))


@cache
def _issuer_re() -> regex.Pattern[str]:
    gov = "|".join(map(regex.escape, words()["government_words"]))
    return regex.compile(r"^\s*(\p{Han}{0,14}?)(?:" + gov + r")(?:办公室|办公厅)?(?:\(办公室\))?\s*(?:关于|$)")


def _from_issuer_like(value: str) -> tuple[dict[str, str], str | None]:
    """Place parts and the bare level char of an issuer-like string (天水市人民政府办公室, 县人民政府办公室)."""
    parts, level_char = _issuer_like(value)
    return dict(parts), level_char


@lru_cache(maxsize=4096)
def _issuer_like(value: str) -> tuple[dict[str, str], str | None]:
    """Memoized: the same signature and header lines recur across a batch (callers get a copy)."""
    m = _issuer_re().match(match_text(to_simplified(value)))
    if not m:
        return {}, None
    run = m.group(1)
    if run in {"市", "县", "区", "省", "旗", "州"}:
        return {}, run
    return parse_place(run), None


_LEAD_HAN = regex.compile(r"\p{Han}{2,24}")


def _from_body_issuer(value: str) -> tuple[dict[str, str], str | None]:
    """A department as issuer (青阳县卫生健康委员会, 区实事办): its place, or its bare level char."""
    m = _LEAD_HAN.match(match_text(to_simplified(value)).strip())
    if not m:
        return {}, None
    run = m.group(0)
    body_suffixes = tuple(words()["body_suffixes"])
    if run[0] in _BARE_LEVEL and len(run) >= 3 and run[1:].endswith(body_suffixes) and not run.endswith("政府"):
        return {}, run[0]
    for i in range(2, len(run) - 1):
        if run[i - 1] not in _BARE_LEVEL and not run[:i].endswith(("自治区", "自治州", "地区")):
            continue
        body = run[i:]
        if len(body) >= 2 and body.endswith(body_suffixes):
            parts = parse_place(run[:i])
            if parts:
                return parts, None
    return {}, None


def _level_of(parts: dict[str, str]) -> Level:
    for lv in ("county", "city", "provincial"):
        if lv in parts:
            return lv  # type: ignore[return-value]
    return "unknown"


_BARE_LEVEL = {"市": "city", "州": "city", "县": "county", "区": "county", "旗": "county", "省": "provincial"}


@cache
def _province_scan() -> re.Pattern[str] | None:
    """One alternation of the provinces, when one scan counts each exactly as ``str.count``
    does: no name is a prefix of another and no two overlap."""
    provs = words()["provinces"]
    prefix = any(a != b and b.startswith(a) for a in provs for b in provs)
    # A name's end that begins a name (itself or another) would hide one of two overlapping hits.
    overlap = any(a[-k:] == b[:k] for a in provs for b in provs for k in range(1, min(len(a), len(b))))
    if not provs or prefix or overlap:
        return None
    return literal_alternation(provs)


def _province_in(text: str) -> str | None:
    """The province the notice names most often (甘肃省 in a 天水市 notice), if any."""
    provs = words()["provinces"]
    scan = _province_scan()
    if scan is not None:  # one pass over the text instead of one per province
        # Without prefixes and overlaps, non-overlapping matches are every occurrence.
        found = Counter(scan.findall(text))
        if not found:
            return None
        ns = [found.get(prov, 0) for prov in provs]
    else:
        ns = [text.count(prov) for prov in provs]
    counts: Counter[str] = Counter()
    for prov, n in zip(provs, ns, strict=True):
        if n:
            counts[prov] = n  # in list order: ties go to the earlier province, as before
    return counts.most_common(1)[0][0] if counts else None


_LABEL = regex.compile(r"^[^\p{Han}]*(?:\p{Han}[\p{Han} ]{0,6}[:])?\s*")
_RECIPIENT = regex.compile(r"(?:^|[、,;:\s])([市县区旗省])(?:人民)?政府(?:各|所属|直属)")


def _cells(line: str) -> list[str]:
    """Issuer-like candidates of one line: table cells, without a '发布机构:' label or bullet."""
    if len(line) > 300:
        return []
    out = []
    for raw in line.split("|") if "|" in line else (line,):
        cell = raw.strip()
        if not _bare_cell(cell):
            cell = _LABEL.sub("", cell, count=1)
        if cell and len(cell) <= 60:
            out.append(cell)
    return out


def _bare_cell(cell: str) -> bool:
    """A cell ``_LABEL`` leaves as it is: it opens with a Han character and has no colon
    where a label's would stand. Most lines are such, and skip the pattern."""
    return bool(cell) and "\u4e00" <= cell[0] <= "\u9fff" and ":" not in cell[:_LABEL_SPAN]


_LABEL_SPAN = 8
"""A label in ``_LABEL`` is one Han character and up to six more before its colon."""


def _recipient_level(head: str) -> str | None:
    """'区政府各部门' among the recipients: the issuer is that level's government."""
    m = _RECIPIENT.search(head)
    return m.group(1) if m else None


def _from_abbreviation(org: str, text: str, suffix: str) -> str | None:
    """'嘉政办发' + '嘉鱼经济开发区' in the text + a 县 notice → '嘉鱼县'; one candidate only."""
    if not org:
        return None
    first = org[0]
    if not regex.match(r"\p{Han}", first):
        return None
    named = set(regex.findall(regex.escape(first) + r"\p{Han}{1,2}?" + regex.escape(suffix) + r"(?=人民政府|政府)", text))
    if len(named) == 1:
        return named.pop()
    anchors = "|".join(map(regex.escape, words()["abbreviation_anchors"]))
    found = set(regex.findall(regex.escape(first) + r"(\p{Han})(?:" + anchors + ")", text))
    if len(found) == 1:
        return first + found.pop() + suffix
    return None


def jurisdiction_from(meta: Meta | None, text: str, mtext: str | None = None) -> Jurisdiction | None:
    """The notice's own government, from issuer, title, signature lines and 文号; None when unknown.

    ``mtext`` is ``match_text(text)`` when the caller has it already (the pipeline does).
    """
    if mtext is None:
        mtext = match_text(text or "")
    named: list[str] = [s for s in (meta.issuer, meta.printed_by, meta.title) if s] if meta is not None else []
    lines = mtext.splitlines()
    edges = lines[:40] + lines[-40:]
    # Only a cell holding a government word can read as an issuer (``_issuer_re``), and
    # the conversions before that pattern never create the word's characters: lines
    # without them are not cut into cells for this pass.
    issuer_like = named + [cell for line in edges if _may_name_government(line) for cell in _cells(line)]
    parts: dict[str, str] = {}
    bare: str | None = None
    for src in issuer_like:
        found, level_char = _from_issuer_like(src)
        if found and len(found) > len(parts):
            parts = found
        if level_char and bare is None:
            bare = level_char
        if len(parts) >= 2:
            break
    if not parts and bare is None:
        bare = _recipient_level("\n".join(lines[:40]))
    if not parts and bare is None:
        # No government named: a department may issue the notice itself.
        for src in named + [cell for line in edges for cell in _cells(line)]:
            found, level_char = _from_body_issuer(src)
            if found:
                parts = found
                break
            if level_char and bare is None:
                bare = level_char
    level: Level = _level_of(parts)
    if not parts and bare:
        level = _BARE_LEVEL[bare]  # type: ignore[assignment]
        org = meta.doc_number.org if meta is not None and meta.doc_number and meta.doc_number.org else ""
        if not org and meta is not None and meta.doc_number:
            org = regex.sub(r"[\[〔(].*", "", meta.doc_number.text)
        name = _from_abbreviation(match_text(org), mtext, bare)
        if name:
            parts = {level: name}
    if not parts and level == "unknown":
        return None
    province = parts.get("provincial") or _province_in(mtext)
    return Jurisdiction(province=province, city=parts.get("city"), county=parts.get("county"), level=level)


# --- canonical names --------------------------------------------------------------

@cache
def _prefix_levels() -> list[tuple[str, str]]:
    pairs = [(p, lv) for lv, ps in words()["level_prefixes"].items() for p in ps]
    return sorted(pairs, key=lambda pl: -len(pl[0]))


@cache
def _collective_prefixes() -> tuple[str, ...]:
    return tuple(sorted(words()["collective_prefixes"], key=len, reverse=True))


def level_of_name(name: str, jurisdiction: Jurisdiction | None = None) -> Level:
    """Level from the name's prefix (市/县/省/国家…), then from a place it names, else the notice's."""
    body = name
    for pre in _collective_prefixes():
        if body.startswith(pre) and len(body) > len(pre):
            # 驻市…, 市属…, 全县…: the level char inside the prefix is the level.
            inner = [ch for ch in pre if ch in _BARE_LEVEL]
            body = inner[0] + body[len(pre):] if inner else body[len(pre):]
            break
    if body.startswith("团") and len(body) > 1:
        body = body[1:]
    for pre, lv in _prefix_levels():
        if body.startswith(pre):
            return lv  # type: ignore[return-value]
    head = _place_parts_re().match(body)
    if head and head.start() == 0:
        parsed = parse_place(head.group(0))
        if parsed:
            return _level_of(parsed)
    if jurisdiction is not None:
        return jurisdiction.level
    return "unknown"


_SLOTS = {"{province}": "provincial", "{city}": "city", "{county}": "county"}


def _expand(row: Alias, place: str | None, jurisdiction: Jurisdiction | None = None) -> str | None:
    """The row's full name with its slots filled; None when a slot has no name to take."""
    if row.ambiguous or not row.full:
        return None
    full = row.full
    if _PLACE in full:
        if not place:
            return None
        full = full.replace(_PLACE, place)
    for slot, level in _SLOTS.items():
        if slot in full:
            name = jurisdiction.place(level) if jurisdiction is not None else None
            if not name:
                return None
            full = full.replace(slot, name)
    return full


def _with_place(place_short: str, level: str, jurisdiction: Jurisdiction | None) -> str:
    """A place written inside an alias ('天水' of 人行天水中心支行) in its full form ('天水市')."""
    if jurisdiction is not None:
        for name in (jurisdiction.city, jurisdiction.county, jurisdiction.province):
            if name and name.startswith(place_short) and len(name) - len(place_short) <= 3:
                return name
    suffix = {"city": "市", "county": "县", "provincial": "省"}.get(level, "")
    return place_short if place_short.endswith(("市", "县", "区", "省")) else place_short + suffix


def _lookup(name: str, jurisdiction: Jurisdiction | None, table: AliasTable) -> tuple[str | None, Level] | None:
    hit = table.lookup(name)
    if hit is None:
        return None
    row, written = hit
    if written is not None:
        return _expand(row, _with_place(written, row.level, jurisdiction)), row.level
    place = jurisdiction.place(row.level) if jurisdiction is not None else None
    return _expand(row, place, jurisdiction), row.level


def _place_carrying(name: str, table: AliasTable) -> tuple[str | None, Level] | None:
    """'天水市发改委' → the 市发改委 row with place 天水市 (the name names its own place)."""
    parts_re = _place_parts_re()
    pos = 0
    prefix = ""
    for m in parts_re.finditer(name):
        if m.start() != pos:
            break
        pos = m.end()
        prefix = name[:pos]
        rest = name[pos:]
        parsed = parse_place(prefix)
        if not parsed or not rest:
            continue
        lv = _level_of(parsed)
        level_char = prefix[-1]
        if level_char not in _BARE_LEVEL:
            continue
        hit = table.lookup(level_char + rest)
        if hit is not None and hit[1] is None:
            row = hit[0]
            return _expand(row, prefix if row.level == lv else None), lv
        full_row = table.full_forms.get((_PLACE + rest, lv))
        if full_row is not None:
            return _expand(full_row, prefix), lv
    return None


def canonicalize(name: str, jurisdiction: Jurisdiction | None, table: AliasTable) -> tuple[str | None, Level]:
    """(full official name or None, level) of a normalized unit name."""
    name = to_simplified(name)
    found = _lookup(name, jurisdiction, table)
    if found is None:
        found = _place_carrying(name, table)
    if found is None:
        base, paren = _split_paren(name)
        if paren:
            inner = canonicalize(base, jurisdiction, table)
            if inner[0]:
                return inner[0] + paren, inner[1]
            return None, inner[1]
        return None, level_of_name(name, jurisdiction)
    canonical, level = found
    return canonical, level


def _split_paren(name: str) -> tuple[str, str]:
    """'县发改局(粮食局)' → ('县发改局', '(粮食局)'): a second plaque kept as written."""
    m = regex.fullmatch(r"(.+?)([(（][^()（）]+[)）])", name)
    return (m.group(1), m.group(2)) if m else (name, "")
