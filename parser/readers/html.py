"""Saved government web pages (.html, GBK or UTF-8; .mht best-effort): the notice's own text.

A portal page wraps the notice in navigation, sidebars and scripts. This reader keeps
only the element that holds the notice (found by the ids/classes of common portal
templates in ``data/html_portal.json``, else the smallest block that holds most of the
page's Chinese text), reads its paragraphs and tables like every other format, and
lifts the portal's metadata table (索引号, 发文字号, 成文日期, 发布机构 …) into
``Document.portal``. Those values are also written as ``键：值`` lines at the top of the
text, because on many portals the body itself never repeats its 文号 or date.
"""

from __future__ import annotations

import email
import email.policy
from typing import Any

import regex
from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag

from parser.data import load_json
from parser.document import Document
from parser.errors import EmptyInput, EncodingError
from parser.limits import Limits
from parser.readers.tables import clean_cell_text, place_rows, table_lines
from parser.readers.text import decode, normalize_newlines
from parser.textnorm import to_simplified

_HAN = regex.compile(r"\p{Han}")
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.I)
_XML_ENCODING = regex.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", regex.I)
_WS = regex.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u200b]+")
_NEWLINE_WS = regex.compile(r"(?<![^\S\n])[^\S\n]*\n\s*")  # from a run's start only: 120k spaces before a word took 50 s
_HAN_GAP = regex.compile(r"(?<=[\p{Han}，。、；：？！）“”《》])\n(?=[\p{Han}，。、；：？！（“”《》])")
_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
    "article", "blockquote", "pre", "center", "address", "main", "aside", "figure", "figcaption",
    "tr", "hr", "caption", "tbody", "thead", "tfoot",
}
_BR = "\x00"
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "gb18030"}


def _config() -> dict[str, Any]:
    return load_json("html_portal.json")


# ---------------------------------------------------------------- bytes to markup


def _decode_html(data: bytes) -> tuple[str, str]:
    """Decode by BOM, then the page's declared charset, then content detection.

    A declared GB2312/GBK is read as GB18030 (its superset), because pages labelled
    GB2312 routinely hold GBK-only characters.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        enc = "gb18030" if declared in _GB_ALIASES else declared
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _mht_html(data: bytes) -> bytes | None:
    """The HTML part of a MIME (.mht) archive, or None when ``data`` is not one."""
    if not data.lstrip()[:200].lower().startswith((b"mime-version", b"from:", b"content-type", b"subject:", b"date:")):
        return None
    msg = email.message_from_bytes(data, policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset()
                if charset:
                    enc = "gb18030" if charset.lower() in _GB_ALIASES else charset
                    try:
                        text = payload.decode(enc)
                        return text.encode("utf-8")
                    except (LookupError, UnicodeDecodeError):
                        pass
                return payload
    return None


# ---------------------------------------------------------------- finding the notice


def _han(el: Tag | NavigableString) -> int:
    return len(_HAN.findall(el.get_text() if isinstance(el, Tag) else str(el)))


def _han_and_depth(body: Tag) -> tuple[dict[int, int], dict[int, int]]:
    """Han count and nesting depth of every element, in two linear passes.

    Calling ``get_text`` per element costs size × depth: 30,000 nested ``<div>`` took minutes.
    """
    nodes = [body, *body.descendants]
    depth = {id(body): 0}
    for node in nodes[1:]:
        depth[id(node)] = depth.get(id(node.parent), 0) + 1
    counts: dict[int, int] = {}
    for node in reversed(nodes):
        own = counts.get(id(node), 0) if isinstance(node, Tag) else (
            len(_HAN.findall(str(node))) if type(node) in (NavigableString, CData) else 0)
        counts[id(node)] = own
        if node is not body and node.parent is not None:
            counts[id(node.parent)] = counts.get(id(node.parent), 0) + own
    return counts, depth


def _container(body: Tag) -> Tag:
    """The element holding the notice: a known template container, else the densest block."""
    names = {n.lower() for n in _config()["containers"]}
    counts, depth = _han_and_depth(body)

    def _han(el: Tag) -> int:
        return counts.get(id(el), 0)

    total = _han(body)
    candidates: list[Tag] = []
    for el in body.find_all(True):
        tokens = [str(el.get("id") or "").lower(), *(c.lower() for c in (el.get("class") or []))]
        if any(t in names for t in tokens if t):
            candidates.append(el)
    good = [el for el in candidates if _han(el) >= max(20, 0.3 * total)]
    if good:
        # The outermost of nested matches can hold the title and metadata too: take the one with most text,
        # and among equals the innermost.
        best = max(_han(el) for el in good)
        inner = [el for el in good if _han(el) >= 0.9 * best]
        return max(inner, key=lambda el: depth[id(el)])
    blocks = [el for el in body.find_all(["div", "td", "article", "section", "main"]) if _han(el) >= 0.6 * total]
    if blocks:
        return max(blocks, key=lambda el: depth[id(el)])
    return body


# ---------------------------------------------------------------- portal metadata


def _label_table() -> list[tuple[str, str]]:
    pairs = [(alias, key) for key, aliases in _config()["labels"].items() for alias in aliases]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _pieces(root: Tag) -> list[str]:
    """Visible text pieces in document order (one per text node), spaces trimmed."""
    out: list[str] = []
    for node in root.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            text = _WS.sub(" ", str(node)).strip()
            if text:
                out.append(text)
    return out


def _portal_metadata(root: Tag) -> dict[str, str]:
    """Label → value pairs such as 索引号：XXX, from a label cell and the value after it."""
    labels = _label_table()
    found: dict[str, str] = {}
    pieces = _pieces(root)
    for i, piece in enumerate(pieces):
        flat = to_simplified(regex.sub(r"\s+", "", piece))
        for alias, key in labels:
            if not flat.startswith(alias):
                continue
            rest = flat[len(alias):]
            if rest and rest[0] not in "：:":
                continue
            # The value as written (not simplified): the text after the original's first colon.
            colon = regex.search(r"[：:]", piece)
            value = piece[colon.end():].strip() if rest and colon else ""
            if not value and i + 1 < len(pieces):
                nxt = pieces[i + 1].strip()
                nxt_flat = to_simplified(regex.sub(r"\s+", "", nxt)).lstrip("：:")
                if nxt_flat and not any(nxt_flat.startswith(a) for a, _ in labels):
                    value = nxt.lstrip("：: ").strip()
            if value and key not in found and len(value) <= 200:
                found[key] = value
            break
    return found


def _string_ranges(root: Tag) -> tuple[list[str], dict[int, tuple[int, int]], dict[int, int], dict[int, int]]:
    """The non-blank strings under ``root`` (whitespace removed) in order; per element the
    range of them it holds, its document-order index and the index of its last descendant.

    One bottom-up pass, so that ``_meta_tables`` need not call ``get_text`` per element:
    that costs size × depth, and 30,000 nested ``<div>`` took minutes.
    """
    nodes = [root, *root.descendants]
    strings: list[str] = []
    ranges: dict[int, tuple[int, int]] = {}
    for node in nodes:
        if type(node) in (NavigableString, CData):
            squeezed = regex.sub(r"\s+", "", str(node))
            if squeezed:
                ranges[id(node)] = (len(strings), len(strings))
                strings.append(squeezed)
    order = {id(n): i for i, n in enumerate(nodes)}
    last = {id(n): i for i, n in enumerate(nodes)}
    for node in reversed(nodes[1:]):
        parent = node.parent
        if parent is None or id(parent) not in order:
            continue
        last[id(parent)] = max(last[id(parent)], last[id(node)])
        if id(node) in ranges:
            lo, hi = ranges[id(node)]
            plo, phi = ranges.get(id(parent), (lo, hi))
            ranges[id(parent)] = (min(lo, plo), max(hi, phi))
    return strings, ranges, order, last


def _meta_tables(root: Tag) -> list[Tag]:
    """Tables (or lists) that are the portal's metadata block, to keep out of the body."""
    labels = _label_table()
    strings, ranges, order, last = _string_ranges(root)
    cum = [0]
    for s in strings:
        cum.append(cum[-1] + len(s))
    longest = 100 * len({key for _, key in labels})  # no block this long can pass the test below
    texts: dict[tuple[int, int], str] = {}
    out: list[Tag] = []
    for table in root.find_all(["table", "ul", "dl", "div"]):
        rng = ranges.get(id(table))
        if rng is None or cum[rng[1] + 1] - cum[rng[0]] >= longest:
            continue
        if rng not in texts:
            texts[rng] = to_simplified("".join(strings[rng[0]:rng[1] + 1]))
        text = texts[rng]
        keys = {key for alias, key in labels if alias + "：" in text or alias + ":" in text}
        if len(keys) >= 3 and len(text) < 100 * len(keys):
            out.append(table)
    # Keep only the outermost of nested hits (hits come in document order).
    kept: list[Tag] = []
    for t in out:
        if not kept or order[id(t)] > last[id(kept[-1])]:
            kept.append(t)
    return kept


# ---------------------------------------------------------------- body text


class _Writer:
    """Walks the container, writing one line per block and one line per table row."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def flush(self) -> None:
        """End a block: source line breaks are whitespace (none between Chinese characters), <br> a new line."""
        text = "".join(self.buf)
        self.buf.clear()
        text = _HAN_GAP.sub("", _NEWLINE_WS.sub("\n", text)).replace("\n", " ")
        for raw in text.split(_BR):
            line = _WS.sub(" ", raw).strip()
            if line:
                self.lines.append(line)

    def walk(self, el: Tag) -> None:
        for child in el.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name == "br":
                self.buf.append(_BR)
                continue
            if name == "table":
                if _is_layout_table(child):
                    self.flush()
                    for cell in child.find_all(["td", "th"]):
                        if cell.find_parent("table") is child:
                            self.walk(cell)
                            self.flush()
                    continue
                self.flush()
                self.lines.extend(table_lines(_table_cells(child)))
                continue
            block = name in _BLOCK_TAGS
            if block:
                self.flush()
            self.walk(child)
            if block:
                self.flush()

    def text_lines(self) -> list[str]:
        self.flush()
        return self.lines


def _cell_text(cell: Tag) -> str:
    """A cell's text: its blocks and <br> lines joined by spaces (the unit splitter handles those)."""
    w = _Writer()
    w.walk(cell)
    return clean_cell_text("\n".join(w.text_lines()))


def _is_layout_table(table: Tag) -> bool:
    """A table used to lay out the page (one column, or holding other tables), not data."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    if not rows:
        return True
    widths = [sum(_span(td, "colspan") for td in tr.find_all(["td", "th"], recursive=False)) for tr in rows]
    if max(widths, default=0) <= 1:
        return True
    return any(td.find("table") is not None for tr in rows for td in tr.find_all(["td", "th"], recursive=False))


def _span(td: Tag, attr: str) -> int:
    value = regex.sub(r"\D", "", str(td.get(attr) or "1"))
    return max(1, min(int(value or 1), 1000))


def _table_cells(table: Tag) -> list[Any]:
    rows: list[list[tuple[str, int, int]]] = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        rows.append([
            (_cell_text(td), _span(td, "colspan"), _span(td, "rowspan"))
            for td in tr.find_all(["td", "th"], recursive=False)
        ])
    return place_rows(rows)


def _outside_title(body: Tag, container: Tag) -> str | None:
    """The page's headline when the template puts it above the content container."""
    if container is body or container.find(["h1", "h2"]) is not None:
        return None
    for h in body.find_all(["h1", "h2"]):
        if container in h.descendants or h in container.descendants:
            continue
        text = _WS.sub(" ", h.get_text(" ")).strip()
        if len(_HAN.findall(text)) >= 6:
            return text
    return None


# ---------------------------------------------------------------- entry point


def read_html(data: bytes, limits: Limits) -> Document:
    """Read a saved web page (or .mht) into a Document with the portal's metadata."""
    mht = _mht_html(data)
    if mht is not None:
        data = mht
    try:
        markup, encoding = _decode_html(data)
    except EncodingError:
        raise
    soup = BeautifulSoup(normalize_newlines(markup), "lxml")
    cfg = _config()
    for tag in soup.find_all(cfg["drop_tags"]):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    body = soup.body or soup
    portal = _portal_metadata(body)
    container = _container(body)
    for table in _meta_tables(container):
        table.decompose()
    writer = _Writer()
    title = _outside_title(body, container)
    if title:
        writer.lines.append(title)
    writer.walk(container)
    lines = writer.text_lines()
    if not any(_HAN.search(ln) or regex.search(r"\w", ln) for ln in lines):
        raise EmptyInput("no text content: the page holds only scripts or markup")
    head = [f"{key}：{portal[key]}" for key in cfg["emit"] if key in portal]
    text = "\n".join([*head, *lines]) + "\n"
    return Document(text=text, format="html", encoding=encoding, portal=portal)
