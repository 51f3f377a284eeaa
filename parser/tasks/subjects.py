"""Units named as the subject of a task's sentences, in prose notices that assign no other way.

Many plans are plain prose: no bracket, label or role clause anywhere, yet each numbered
item says who acts in its sentences (各审批单位要…, 武汉市、宜昌市应在2014年6月底前制定…,
县水务局牵头，组织开展…). A clerk retyping such a notice enters those subjects as the
task's units, and so do the gold files. In a notice that assigns units explicitly
anywhere, an item without an assignment is unassigned on purpose, so this reader runs
only where nothing else assigned a unit (``segment``), and the tasks it gives say so in
their confidence (``SUBJECT_NOTE``).

A subject is the whole text from a sentence's start to one of the words that may follow
it (``role_verbs.json`` ``subject``), and every piece of it must be named like a body or
a place (市水务局, 各审批单位, 武汉市, 各县(市)区), never 我县, 全市 or 本单位.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

import regex

from parser.confidence import unit_shape_problem
from parser.data import load_json
from parser.tasks.assign import ROLE_FIELDS, Field, body_suffixes
from parser.textnorm import match_text

if TYPE_CHECKING:
    from parser.lines import Line
    from parser.tasks.segment import Item

SUBJECT_NOTE = "units read from the subjects of the task's sentences"
"""The warning on an item whose units came from here: a reading a person should confirm."""

_PLACE_SUFFIXES = ("市", "县", "区", "州", "旗", "省", "盟")
_NOT_NAMES = ("我", "本", "全", "该", "此", "其", "如", "由", "各级", "上述", "以上", "有关", "相关")
"""Openings of a subject that stands for no named body (我县, 全市, 本单位, 各级…)."""
_MAX_SUBJECT = 40
_MIN_NAME = 3
"""A subject of two characters ending like a body is more often a verb (执行对象) than a body
(学校): names read from sentences are three characters at least, but for collectives (各村)."""
_MAX_OBJECT = 20
_SELF = regex.compile(r"[本我该][部单级市县区省镇乡]")
"""本部门, 我市, 该单位 inside a phrase: words about the speaker, never a body's name."""
_PLEASE = "请"
"""A forwarding notice's requirement opens with 请 and the body asked to act."""
_SENTENCE_END = regex.compile(r"[。;!?]")
_FULL_STOP = regex.compile(r"[。!?]")
_SEMICOLON = regex.compile(r";")
_DIGIT = regex.compile(r"\d")


_OPENERS = regex.compile(r"[ \t]*(?:即|其中,|同时,|例如,|比如,)?")
"""White space and connectives (即县水务局牵头, 其中,市教育局要…) before a sentence's subject."""


def _sentence_starts(mtext: str, lo: int, hi: int, ends: regex.Pattern[str]) -> list[int]:
    """``lo`` and the position after each end of ``ends`` in ``mtext[lo:hi - 1]``."""
    return [lo, *(hit.end() for hit in ends.finditer(mtext, lo, hi - 1))]


@cache
def _subject_words() -> regex.Pattern[str]:
    """The words that may follow a subject, as one literal alternation: searched in a short
    window after each sentence start (a lazy run of any characters before an alternation,
    tried from every position, was quadratic on a hostile page)."""
    data = load_json("role_verbs.json")["subject"]
    words = sorted({w for ws in data.values() for w in ws}, key=len, reverse=True)
    return regex.compile("|".join(regex.escape(w) for w in words))


_NOT_IN_SUBJECT = frozenset(",;:。“”") | frozenset(" \t\n")
_NOT_FIRST = frozenset("()、")


def _subject_match(mtext: str, at: int, hi: int) -> tuple[int, int, str] | None:
    """(units start, units end, word) when ``mtext[at:]`` opens with two to ``_MAX_SUBJECT``
    + 1 characters, none of them a clause stop, before one of the subject words."""
    if at >= hi or mtext[at] in _NOT_FIRST or mtext[at] in _NOT_IN_SUBJECT:
        return None
    window = min(hi, at + _MAX_SUBJECT + 1 + _LONGEST_WORD)
    stop = _CLAUSE_STOP.search(mtext, at, window)  # the subject and its word stand before any stop
    window = stop.start() if stop is not None else window
    if _seam_re().search(mtext, at + 1, window) is None:
        return None  # no name's last character meets a subject's word: the word scan is not needed
    for hit in _subject_words().finditer(mtext, at + 2, window, overlapped=True):
        if hit.start() - at <= _MAX_SUBJECT + 1:
            return at, hit.start(), hit.group()
    return None


_LONGEST_WORD = 4


@cache
def _seam_re() -> regex.Pattern[str]:
    """Where a subject may meet its word: a body's or a place's last character (or a closing
    bracket, 等, a quote) right before a subject word's first character, or a delegating verb
    (会议要求…, whose subject need not be a body). A cheap character-class scan that rules
    out most sentences before the word alternation is tried."""
    ends = {s[-1] for s in body_suffixes()} | set(_PLACE_SUFFIXES) | set(")等”\"》 ")
    data = load_json("role_verbs.json")["subject"]
    firsts = {w[0] for ws in data.values() for w in ws}
    return regex.compile(f"{_char_class(ends)}(?={_char_class(firsts)})|" + "|".join(map(regex.escape, _delegating())))


def _char_class(chars: set[str] | frozenset[str]) -> str:
    return "[" + "".join(regex.escape(c) for c in sorted(chars)) + "]"


_CLAUSE_STOP = regex.compile(_char_class(_NOT_IN_SUBJECT))
"""``_NOT_IN_SUBJECT`` as a pattern: the first of them ends the window a subject is looked for in."""


_TIME_CLAUSE = 8
"""At most this many characters in a clause before a sentence's subject (今年11月底前, 视天气情况)."""


def _subject_role(mtext: str, end: int, word: str) -> str:
    """Lead when the subject's word is 牵头 or 牵头 follows it within its clause (综合执法局要继续
    牵头做好…), cooperating when it is 配合 or 协助, else responsible."""
    if word in _lead_words():
        return "lead"
    if word in _cooperating_words():
        return "cooperating"
    near = mtext[end : end + _LEAD_REACH]
    at = near.find("牵头")
    return "lead" if at >= 0 and "," not in near[:at] else "responsible"


_LEAD_REACH = 8
"""牵头 within this many characters after a subject (要继续牵头) makes it the lead."""


@cache
def _lead_words() -> tuple[str, ...]:
    return tuple(load_json("role_verbs.json")["subject"]["lead"])


@cache
def _cooperating_words() -> tuple[str, ...]:
    return tuple(load_json("role_verbs.json")["subject"]["cooperating"])


def _helped(text: str, mtext: str, at: int, hi: int, collective: bool) -> list[Field]:
    """交通部门协助文化、文物部门做好…: the bodies a cooperating subject helps, named right
    after its verb and before the next subject word, lead the task."""
    hit = _subject_match(mtext, at, hi)
    if hit is None or hit[0] != at:
        of = mtext.find("的", at, min(hi, at + _MAX_OBJECT))  # 配合市疾控中心的督导检查: whose work it is
        if of > at and _units_ok(mtext[at:of], collective):
            return _piece_fields(text, mtext, at, of, "lead")
        return []
    s, e = hit[0], hit[1]
    if _units_ok(mtext[s:e], collective):
        return _piece_fields(text, mtext, s, e, "lead")
    pieces = _pieces(_bare(mtext[s:e]))
    if len(pieces) > 1 and _named(pieces[-1], collective) and all(_stem(p) for p in pieces[:-1]):
        return [Field("lead", text[s : s + len(_bare(mtext[s:e]))], s)]  # 文化、文物部门: one list, its suffix shared
    return []


def _stem(piece: str) -> bool:
    """A body's name before a suffix its list shares (文化 in 文化、文物部门)."""
    return 2 <= len(piece) <= _SHARED_STEM and regex.fullmatch(r"\p{Han}+", piece) is not None \
        and not piece.startswith(_not_name_starts())


_SHARED_STEM = 4


@cache
def _delegating() -> tuple[str, ...]:
    return tuple(load_json("role_verbs.json")["subject"]["delegating"])


@cache
def _not_name_starts() -> tuple[str, ...]:
    """What never opens a body's name in a sentence: pronouns and the like, delegating verbs."""
    return (*_NOT_NAMES, *_delegating())


def _named(piece: str, collective: bool) -> bool:
    """Is ``piece`` named like one body or place (not 我县, not 全市, not a phrase)? A
    collective (各区政府) only where ``collective`` allows it."""
    if _SELF.search(piece):
        return False
    if (len(piece) < _MIN_NAME and not piece.startswith("各")) or piece.startswith(_not_name_starts()) or _DIGIT.search(piece):
        return False
    if (not collective and piece.startswith("各")) or unit_shape_problem(piece) is not None:
        return False
    if piece.endswith(body_suffixes()):
        return True
    return piece.endswith(_PLACE_SUFFIXES) and (len(piece) >= 3 or piece.startswith("各"))


def _units_ok(units: str, collective: bool) -> bool:
    return all(_named(_NOTE_END.sub("", p), collective) for p in _pieces(_bare(units)))


def _piece_fields(text: str, mtext: str, s: int, e: int, role: str) -> list[Field]:
    """One field per body of a subject (市交通委、市公安局和区政府: 和 joins two bodies in a
    sentence, which a unit list would keep whole), the closing 等 left out."""
    e = s + len(_bare(mtext[s:e]))
    fields, at = [], s
    for piece in _pieces(mtext[s:e]):
        if piece:
            fields.append(Field(role, text[at : at + len(piece)], at))
        at += len(piece) + 1
    return fields


def _pieces(units: str) -> list[str]:
    """The bodies of a list, split at 、 outside brackets (各乡(镇、街道) is one), and at 和 or 及
    only after a body's name (市公安局和区政府 is two; 县住房和城乡建设局 is one)."""
    out, depth, start = [], 0, 0
    for k, ch in enumerate(units):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and (ch == "、" or (ch in "和及" and units[start:k].endswith(body_suffixes()))):
            out.append(units[start:k])
            start = k + 1
    out.append(units[start:])
    return out


def _subject_at(mtext: str, at: int, hi: int, collective: bool) -> tuple[tuple[int, int], str] | None:
    """The subject opening the sentence at ``at``, or after the delegating verb that follows
    it (学校要求总务处组织…: 总务处 acts): its span and the word after it."""
    if mtext.startswith(_PLEASE, at):  # 一、请市疾控中心按…上报: asked by name, a collective too
        return _object_after(mtext, at + len(_PLEASE), hi, True)
    hit = _subject_match(mtext, at, hi)
    if hit is not None and hit[2] in _delegating():
        return _object_after(mtext, hit[1] + len(hit[2]), hi, collective)
    if hit is None or not _units_ok(mtext[hit[0] : hit[1]], collective):
        return None
    return (hit[0], hit[1]), hit[2]


def _object_after(mtext: str, at: int, hi: int, collective: bool) -> tuple[tuple[int, int], str] | None:
    """The body a delegating verb names: the words before a subject's word when they are named
    like bodies (请各市县住房城乡建设主管部门按照…), else the shortest run of three or more words
    within its clause named like a body (要求总务处立即更换…; the longest would take the verb
    too: 总务处加紧进行 ends like a 行 (bank))."""
    named = _subject_match(mtext, at, hi)  # 请各市县住房城乡建设主管部门按照…: up to a subject's word
    if named is not None and _units_ok(mtext[named[0] : named[1]], collective):
        return (named[0], named[1]), named[2] if named[2] in _cooperating_words() else ""
    stop = at
    while stop < hi and stop - at < _MAX_OBJECT and mtext[stop] not in ",;:。":
        stop += 1
    for end in range(at + 3, stop + 1):
        if _units_ok(mtext[at:end], collective):
            return (at, end), ""
    return None


def subject_fields(text: str, mtext: str, lo: int, hi: int, collective: bool = True) -> list[Field]:
    """The subjects of the sentences in ``mtext[lo:hi]`` that name bodies, in order, each once
    (牵头 after them makes them lead, any other word responsible). ``collective``: may a
    subject be a collective (各审批单位)?"""
    fields: list[Field] = []
    seen: set[str] = set()
    starts = _sentence_starts(mtext, lo, hi, _SENTENCE_END)
    for start in starts:
        opener = _OPENERS.match(mtext, start, hi)
        at = opener.end() if opener else start
        hit = _subject_at(mtext, at, hi, collective)
        comma = mtext.find(",", at, min(hi, at + _TIME_CLAUSE + 1))
        if hit is None and comma >= 0:  # 清明节期间,区森林防火指挥部组织…: after a short time clause
            hit = _subject_at(mtext, comma + 1, hi, collective)
        if hit is None or mtext[hit[0][0]:hit[0][1]] in seen:
            continue
        (s, e), verb = hit
        seen.add(mtext[s:e])
        role = _subject_role(mtext, e, verb)
        fields += _piece_fields(text, mtext, s, e, role)
        if role == "cooperating":
            fields += _helped(text, mtext, e + len(verb), hi, collective)
    return fields


def assign_subjects(items: list[Item], text: str, mtext: str, start: int = 0) -> list[Item]:
    """Give each numbered item with no assignment the bodies its sentences name as their
    subject, and make an unnumbered paragraph whose sentences each open with their body
    (市经信委要…。市住建委、市发改委等要…。市交通委和区政府要…) one task per sentence.
    Only leaves: a heading with numbered items under it is their section, and its
    sentences are theirs to assign. Under a top-level heading a collective subject
    (各区政府要…) is the cover letter's word to every recipient, not an assignment."""
    parents = {it.heading.parent.index for it in items if it.heading is not None and it.heading.parent}
    out: list[Item] = []
    for item in items:
        out.append(item)
        head = item.heading
        if item.fields or item.inherited or item.by_subject or item.start < start:
            continue
        if head is None:
            out[-1:] = _sentence_tasks(item, text, mtext) or [item]
            continue
        if head.index in parents:
            continue
        duties = _heading_duties(item, text, mtext)
        if duties:
            out.extend(duties)
            continue
        fields: list[Field] = []
        for line in item.lines:
            lo = head.body_start if line is head.line else line.start
            fields.extend(f for f in subject_fields(text, mtext, lo, line.end, head.parent is not None)
                          if all(f.text != g.text for g in fields))
        if fields:
            item.fields.extend(fields)
            item.warnings.append(SUBJECT_NOTE)
            item.by_subject = True
    return out


def _sentence_tasks(item: Item, text: str, mtext: str) -> list[Item]:
    """The tasks of an unnumbered paragraph whose sentences each open with the body that acts."""
    from parser.tasks.segment import Item

    found: list[Item] = []
    for line in item.lines:
        for a, b, s, e, role in subject_sentences(mtext, line.start, line.end):
            fields = _piece_fields(text, mtext, s, e, role) + _leading_deadline(text, mtext, line.start, s)
            task = Item(None, a, a, b, b, fields=fields, lines=[line], closed=True,
                        anchor=item.anchor, warnings=[SUBJECT_NOTE], by_subject=True)
            found.append(task)
    return found or _paragraph_tasks(item, text, mtext)


def digest_items(items: list[Item], text: str, mtext: str) -> list[Item]:
    """Each item's sentences that a report of a division of work writes with their bodies in
    charge inside them (``digest_tasks``) become tasks of their own, in place of the item;
    called only when nothing in the notice assigns a unit but by the subjects of sentences,
    and only items left without any are read."""
    from parser.tasks.segment import Item

    out: list[Item] = []
    for item in items:
        found: list[Item] = []
        for line in [] if item.fields else item.lines:  # an item its subjects assigned keeps them
            lo = item.heading.body_start if item.heading is not None and line is item.heading.line else line.start
            for a, b, units in digest_tasks(mtext, lo, line.end):
                fields = [Field(role, text[s:e], s) for s, e, role in units]
                found.append(Item(None, a, a, b, b, fields=fields, lines=[line], closed=True,
                                  anchor=item.anchor, warnings=[SUBJECT_NOTE], by_subject=True))
        out.extend(found or [item])
    return out


def duty_paragraphs(items: list[Item], text: str, mtext: str) -> list[Item]:
    """``_paragraph_tasks`` for every unnumbered paragraph run left without an assignment,
    in a notice that assigns in other ways too (a plan whose duties come first, then a table),
    and for the paragraphs under a heading that has no numbered items of its own."""
    parents: set[int] | None = None  # built only when a heading's paragraphs are long enough to look at
    out: list[Item] = []
    for item in items:
        if item.fields or item.by_subject:
            out.append(item)
        elif item.heading is None:
            out.extend(_paragraph_tasks(item, text, mtext) or [item])
        else:
            out.append(item)
            if len(item.lines) <= DIGEST_MIN:
                continue
            if parents is None:
                parents = {it.heading.parent.index for it in items if it.heading is not None and it.heading.parent}
            if item.heading.index not in parents:
                out.extend(_heading_duties(item, text, mtext))
    return out


def _heading_duties(item: Item, text: str, mtext: str) -> list[Item]:
    """(一)加强领导、明确职责 over 市水务部门作为牵头责任单位,负责…。 / 市财政部门负责…。: the
    paragraphs under a heading, when they are a division of duties, are its tasks and the
    heading their section; the heading keeps its own line only. [] when they are not."""
    from parser.tasks.segment import Item

    head = item.heading
    if head is None or len(item.lines) <= DIGEST_MIN or item.lines[0] is not head.line:
        return []
    body = Item(None, item.lines[1].start, item.lines[1].start, item.text_end, item.end, lines=item.lines[1:],
                anchor=head)
    found = _paragraph_tasks(body, text, mtext)
    if found:
        item.lines = item.lines[:1]
        item.text_end = item.end = head.line.end
    return found


def _paragraph_tasks(item: Item, text: str, mtext: str) -> list[Item]:
    """区住建局负责…。 / 区委农办要…。 / 规划分局负责…。: a division of duties written one
    paragraph per body, each opening with the body by name, when ``DIGEST_MIN`` paragraphs
    do; a collective's paragraph in such a run (各街道办事处要…) is one more, and a paragraph
    that opens with no body is more words of the one before."""
    from parser.tasks.segment import Item

    ends = sum(1 for line in item.lines if line.mtext.rstrip().endswith(_PARAGRAPH_ENDS))
    if ends < DIGEST_MIN and not (ends == DIGEST_MIN - 1 and _at_text_end(mtext, item.lines[-1].end)):
        return []  # not that many sentences: titles, numbers and dates are no duties (and cost a look each)
    opening = [_opening(mtext, line) for line in item.lines]
    if sum(1 for o, line in zip(opening, item.lines, strict=True) if o is not None
           and not mtext.startswith("各", o[1][0][0]) and not line.mtext.rstrip().endswith(":")) < DIGEST_MIN:
        return []  # too few paragraphs open with a named body: no list, and no later sentence is looked at
    found: list[Item] = []
    for line, first in zip(item.lines, opening, strict=True):
        if first is not None:
            at, hit = first
        elif found:  # a continuation the page joined to the next body's paragraph
            at, hit = _later_subject(mtext, line.start, line.end)
        else:
            at, hit = line.end, None  # the run has not begun: an opening paragraph's sentences
        if hit is not None and line.mtext.rstrip().endswith(":"):
            at, hit = line.end, None  # 市直各有关部门要…,具体要求是: leads in to the duties, assigns none
        if found and at > line.start:  # the words before it are more of the paragraph above
            found[-1].lines.append(line)
            found[-1].text_end = found[-1].end = at if hit is not None else line.end
        if hit is None:
            continue
        (s, e), word = hit
        fields = _piece_fields(text, mtext, s, e, _subject_role(mtext, e, word))
        found.append(Item(None, at, at, line.end, line.end, fields=fields, lines=[line],
                          closed=True, anchor=item.anchor, warnings=[SUBJECT_NOTE], by_subject=True))
    return found


_TRAILING_SPACE = regex.compile(r"\s*\Z")


def _at_text_end(mtext: str, pos: int) -> bool:
    """Does only white space follow ``pos``: the page's last line, which the page may have cut
    inside its sentence (asked of one line, never of every item: no copy of the text)."""
    return _TRAILING_SPACE.match(mtext, pos) is not None


def _opening(mtext: str, line: Line) -> tuple[int, tuple[tuple[int, int], str]] | None:
    """Where a duty paragraph's words start and its body: the subject opening the line
    (区住建局负责…), or the body keying it before a colon (市发展改革委:负责…, whose words
    start after the colon)."""
    hit = _subject_at(mtext, line.start, line.end, True)
    if hit is not None:
        return line.start, hit
    keyed = keyed_unit(mtext, line.start, line.end) if mtext.find(":", line.start, line.end) >= 0 else None
    if keyed is None:
        return None
    s, e, words = keyed
    return words, ((s, e), "")


_PARAGRAPH_ENDS = ("。", ";")
"""How a paragraph of duties ends: a sentence."""


def _later_subject(mtext: str, lo: int, hi: int) -> tuple[int, tuple[tuple[int, int], str] | None]:
    """In a line that opens with no body, where a later sentence opens with one (同时,要…。
    区人社局负责…: a PDF joined a continuation paragraph to the next one) and its subject;
    (hi, None) if none does."""
    for start in _sentence_starts(mtext, lo, hi, _FULL_STOP)[1:]:
        hit = _subject_at(mtext, start, hi, True)
        if hit is not None:
            return start, hit
    return hi, None


def _leading_deadline(text: str, mtext: str, lo: int, subject: int) -> list[Field]:
    """今年11月底前,市经信委要…: a time limit in the clause before the subject is the
    sentence's deadline, though the task's words start at its subject."""
    from parser.deadlines import find_deadline_clause

    start = max(lo, *(mtext.rfind(ch, lo, subject) + 1 for ch in "。!?"))
    found = find_deadline_clause(text[start:subject], start, norm=mtext[start:subject]) if subject > start else None
    return [Field("deadline", found[0], found[1])] if found else []


def subject_sentences(mtext: str, lo: int, hi: int) -> list[tuple[int, int, int, int, str]]:
    """Sentences of ``mtext[lo:hi]`` one of whose clauses opens with its subject (今年11月底前,
    市经信委要…), as ``duty_sentences`` gives them; [] unless ``DIGEST_MIN`` of them do."""
    starts = _sentence_starts(mtext, lo, hi, _FULL_STOP)
    found = []
    for a, b in pairwise([*starts, hi]):
        if _inside_bracket(mtext, lo, a):
            continue
        end = _sentence_end(mtext, a, b)
        for at in _clause_starts(mtext, a, end):
            hit = _subject_at(mtext, at, end, True)
            if hit is not None:
                (s, e), word = hit
                found.append((s, end, s, e, _subject_role(mtext, e, word)))
                break
    return found if len(found) >= DIGEST_MIN else []


_DUTY_SENTENCE = regex.compile(
    r"(?:即|其中,|同时,)?(?P<units>[^,;:。“”()\s][^,;:。“”\s]{1,30}?)(?P<verb>牵头负责|牵头|负责)(?!人|同志|的)[,:]?")
DIGEST_MIN = 3
"""Sentences in a row that open with their body in charge before a paragraph is read as a list."""


def _inside_bracket(mtext: str, lo: int, at: int) -> bool:
    """Is ``at`` inside a bracket opened since ``lo`` ((分管副省长负责,省国资委牵头。…): an
    assignment bracket's clauses are no sentences of the paragraph)."""
    return mtext.count("(", lo, at) > mtext.count(")", lo, at)


def _has_duty_verb(mtext: str, a: int, b: int) -> bool:
    return mtext.find("负责", a, b) >= 0 or mtext.find("牵头", a, b) >= 0


def _duty_clause(mtext: str, a: int, b: int) -> regex.Match[str] | None:
    """The first clause of the sentence ``mtext[a:b]`` that opens with its body in charge
    (提出,各部门要各司其责,法规股负责…: the third)."""
    for at in _clause_starts(mtext, a, b):
        hit = _DUTY_SENTENCE.match(mtext, at, b)
        if hit is not None and _units_ok(hit.group("units"), True) and not _inside_bracket(mtext, a, at):
            return hit
    return None


def _clause_starts(mtext: str, a: int, b: int) -> Iterator[int]:
    """``a`` and the position after each comma of ``mtext[a:b]``, in order."""
    at = a
    while at < b:
        yield at
        comma = mtext.find(",", at, b)
        if comma < 0:
            return
        at = comma + 1


def _sentence_end(mtext: str, a: int, b: int) -> int:
    """The end of the sentence ``mtext[a:b]`` without its closing stops and white space."""
    while b > a and mtext[b - 1] in "。; \t":
        b -= 1
    return b


def duty_sentences(mtext: str, lo: int, hi: int) -> list[tuple[int, int, int, int, str]]:
    """县水务局牵头,组织开展…。县环保局牵头,督促…。县交委牵头,…: a news digest lists the
    tasks of a plan one sentence each, every sentence opening with the body in charge; so does
    a division of duties (法规处负责…;市场处负责…;食品处负责…). Returns
    (sentence start, end, units start, units end, role) for each, or [] unless at least
    ``DIGEST_MIN`` sentences of the paragraph have that form."""
    starts = _sentence_starts(mtext, lo, hi, _SENTENCE_END)
    spans = [(a, b) for a, b in pairwise([*starts, hi]) if _has_duty_verb(mtext, a, b)]
    if len(spans) < DIGEST_MIN:
        return []  # too few sentences name a duty at all: no pattern needs trying
    found = []
    for a, b in spans:
        if _inside_bracket(mtext, lo, a):
            continue
        end = _sentence_end(mtext, a, b)
        hit = _duty_clause(mtext, a, b)
        if hit is not None:
            found.append((hit.start("units"), end, *hit.span("units"), _role_of(hit.group("verb"))))
        elif (tail := _DUTY_TAIL.search(mtext, a, end + 1)) is not None and _units_ok(_bare(tail.group("units")), True):
            words = _OPENERS.match(mtext, a, end)
            found.append((words.end() if words else a, tail.start(), *tail.span("units"), _role_of(tail.group("verb"))))
    return found if len(found) >= DIGEST_MIN else []


_DUTY_TAIL = regex.compile(
    r",由(?P<units>[^,;:。“”()\s][^,;:。“”\s]{1,60}?)(?P<verb>分工负责|牵头负责|牵头|负责)(?:落实)?。?$")
"""完善药品集中采购和使用机制,由国家医保局、国家卫生健康委等分工负责。: the task's words, then
the bodies in charge closing its sentence."""


_DIGEST_DUTY = regex.compile(
    r"(?:《[^》]{1,40}》)?(?:明确|要求|规定|提出|指出)?,?由?"
    r"(?P<units>[^,;:。“”()\s《》][^,;:。“”\s《》]{1,200}?)(?:等(?:有关|相关)?(?:部门|单位)?)?"
    r"(?:还|也|均|都|分别)?(?P<will>将|要|会)?(?P<how>按照?职责分工|按职责|分工|共同|牵头)?负责(?!人|同志|的|任)")
"""《意见》要求国家发展改革委、生态环境部等按职责分工负责,年内持续推进。 / 发展改革委、财政部等
部门还将负责推动…: a report of a division of work names each task's bodies inside its sentence."""
_DIGEST_SENTENCE = regex.compile(r"[^。!?\n]+")
_DIGEST_PAIR = regex.compile(
    r"[^,;:。由]{0,30}?由(?P<first>[^,;:。“”()\s《》由][^,;:。“”\s《》]{1,120}?)"
    r"(?P<verb>牵头|负责),(?P<second>[^,;:。“”()\s《》][^,;:。“”\s《》]{1,120}?)(?:等(?:有关|相关)?(?:部门|单位)?)?"
    r"(?:配合|参与|协助|协同)")
"""…提出由市城投集团牵头,市应急局、市水务局配合 / …工作由X负责,Y参与: a report's pair of roles in one
clause, whatever words stand before its 由."""


def _reported(hit: regex.Match[str], units: str) -> bool:
    """Is the duty worded as a report of a division of work: several bodies, or one that
    will take charge by its share of the work (将负责, 按职责分工负责)? A cover letter's own
    arrangement (由办公室负责抓好督办) is neither."""
    return len(_pieces(_bare(units))) >= 2 or hit.group("will") is not None or (hit.group("how") or "") not in ("", "牵头", "共同")


def digest_tasks(mtext: str, lo: int, hi: int) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """The sentences of ``mtext[lo:hi]`` that name the bodies in charge of them as a news
    report of a division of work does (``_DIGEST_PAIR``, ``_DIGEST_DUTY``): (sentence start,
    end, [(units start, units end, role)]). Read only where nothing else in the notice
    assigns a unit."""
    found = []
    for sent in _DIGEST_SENTENCE.finditer(mtext, lo, hi):
        a, b = sent.span()
        if not (_has_duty_verb(mtext, a, b) or mtext.find("由", a, b) >= 0):
            continue
        for at in _clause_starts(mtext, a, b):
            units = None if _inside_bracket(mtext, a, at) else _digest_units(mtext, at, b)
            if units:
                start = a + len(mtext[a:b]) - len(mtext[a:b].lstrip())
                found.append((start, _sentence_end(mtext, a, b), units))
                break
    return found


def _digest_units(mtext: str, at: int, b: int) -> list[tuple[int, int, str]]:
    """The bodies and roles a report's clause at ``at`` names, or []."""
    pair = _DIGEST_PAIR.match(mtext, at, b)
    if pair is not None and _units_ok(pair.group("first"), True) and _units_ok(_bare(pair.group("second")), True):
        s2, e2 = pair.span("second")
        return [(*pair.span("first"), "lead" if pair.group("verb") == "牵头" else "responsible"),
                (s2, s2 + len(_bare(mtext[s2:e2])), "cooperating")]
    hit = _DIGEST_DUTY.match(mtext, at, b)
    if hit is None:
        return []
    s, e = hit.span("units")
    by = mtext.rfind("由", s, e)  # 具体工作由市发改委牵头负责: the bodies follow 由
    s = by + 1 if by >= 0 else s
    if not (_units_ok(mtext[s:e], True) and _reported(hit, mtext[s:e])):
        return []
    return [(s, e, "lead" if hit.group("how") == "牵头" else "responsible")]


def _role_of(verb: str) -> str:
    return "lead" if verb.startswith("牵头") else "responsible"


def _bare(units: str) -> str:
    """The list without its closing 等 tail (国家医保局、国家药监局等部门 → …国家药监局)."""
    at = units.rfind("等")
    return units[:at] if at > 0 and at >= len(units) - 4 else units


_COUNTED = regex.compile(
    r"(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,3})项由(?P<units>[^,;:。“”()\s][^,;:。“”\s]{1,40}?)"
    r"(?P<verb>牵头负责|牵头|负责)[,:]?分别(?:是|为)[:]?(?P<list>[^。]{4,800}?)(?:。|$)")
"""有3项由国家卫生健康委牵头,分别是A;B;C。: a digest counts a body's tasks and lists them."""


def counted_tasks(mtext: str, lo: int, hi: int) -> list[tuple[int, int, int, int, str]]:
    """The tasks of each ``_COUNTED`` list in ``mtext[lo:hi]`` whose count agrees with its ; list,
    as ``duty_sentences`` gives them."""
    from parser.outline import cn_to_int

    found = []
    for hit in _COUNTED.finditer(mtext, lo, hi):
        if not _units_ok(hit.group("units"), True):
            continue
        ls, le = hit.span("list")
        cuts = [*_sentence_starts(mtext, ls, le + 1, _SEMICOLON), le + 1]
        items = [(a, b - 1) for a, b in pairwise(cuts) if b - 1 - a >= 2]
        n = hit.group("n")
        if len(items) != (int(n) if n.isdigit() else cn_to_int(n.replace("两", "二"))):
            continue
        found += [(a, b, *hit.span("units"), _role_of(hit.group("verb"))) for a, b in items]
    return found


_KEYED_UNIT = regex.compile(r"[ \t]*(?P<units>[^,;:。“”\s][^,;:。“”\s]{1,30}?)[ \t]*:[ \t]*(?=\S)")


def keyed_unit(mtext: str, lo: int, hi: int) -> tuple[int, int, int] | None:
    """(units start, end, words start) when ``mtext[lo:hi]`` opens with bodies and a colon
    (市卫生局:负责…, 各区县政府(地区管委会):落实…), else None."""
    hit = _KEYED_UNIT.match(mtext, lo, hi)
    if hit is None:
        return None
    units = hit.group("units")
    if not (_units_ok(units, True) or _short_body(units)):
        return None
    return hit.start("units"), hit.end("units"), hit.end()


_SHORT_BODY_ENDS = ("委", "局", "办", "厅", "署")


def _short_body(name: str) -> bool:
    """经委, 财委: a two-character body, named before its duties' colon (in running prose
    such a pair is too often a word to count)."""
    return len(name) == 2 and name.endswith(_SHORT_BODY_ENDS) and regex.fullmatch(r"\p{Han}{2}", name) is not None


_NOTE_END = regex.compile(r"\([^()]{1,12}\)$")
"""A bracketed note closing a body's name (各区县政府(地区管委会)): the name ends before it."""


def plan_body_start(mtext: str, plan_title: str | None) -> int | None:
    """Where the sentences that may name subjects begin: the notice's start when it issues
    no plan, else the plan's own heading line (a cover letter's numbered requirements,
    各区政府要…, are no tasks); None when the plan is not on the page (a cover only)."""
    if not plan_title:
        return 0
    want = _BARE.sub("", match_text(plan_title))
    at = len(mtext)
    while (at := mtext.rfind("\n", 0, at)) >= 0:
        end = mtext.find("\n", at + 1)
        line = mtext[at + 1 : len(mtext) if end < 0 else end]
        if len(line) <= len(want) + 8 and _BARE.sub("", line) == want:
            return at + 1
    return None


_BARE = regex.compile(r"[\s《》“”\"]")


def assigns_nothing(items: list[Item]) -> bool:
    """Does no item name a unit but by a sentence's subject (a prose notice, whose subjects are
    its units)?"""
    return not any(f.role in ROLE_FIELDS for it in items if not it.by_subject for f in it.fields)
