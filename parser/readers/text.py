"""Plain-text notices in any common Chinese encoding, recognised without being told.

Order of trust: a BOM; UTF-8 that decodes cleanly; UTF-16 without BOM (every other
byte NUL); then GB18030 (a superset of GBK/GB2312) and Big5 decided by which gives
fewer rare characters; charset-normalizer as the last resort. Line ends are unified
to ``\\n`` so offsets do not depend on the platform that wrote the file.
"""

from __future__ import annotations

import codecs

from parser.document import Document
from parser.errors import EncodingError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _common_han_share(text: str) -> float:
    """Share of Han characters in the CJK Unified block's common range (crude but robust).

    Private-use characters count as uncommon Han: Big5 bytes read as GB18030 decode
    partly into the private-use area, and must lose to the Big5 reading.
    """
    han = common = 0
    for ch in text[:20000]:
        o = ord(ch)
        if 0x3400 <= o <= 0x9FFF or 0x20000 <= o or 0xE000 <= o <= 0xF8FF:
            han += 1
            if 0x4E00 <= o <= 0x9FA5:
                common += 1
    return common / han if han else 1.0


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    for share, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if share > 0.2:
            try:
                return data.decode(enc) + "|" + enc
            except UnicodeDecodeError:
                continue
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); raise EncodingError when nothing fits."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise EncodingError(f"starts with a {enc} byte-order mark but does not decode: {exc.reason}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = _utf16_without_bom(data)
    if found is not None:
        text, _, enc = found.rpartition("|")
        return text, enc
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_han_share(text), enc, text))
    if candidates:
        share, enc, text = max(candidates, key=lambda c: c[0])
        if share > 0.9:
            return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    raise EncodingError("not text in any known encoding (tried UTF-8/16, GB18030, Big5)")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(data: bytes) -> Document:
    text, encoding = decode(data)
    if "\x00" in text:
        raise EncodingError("decoded text holds NUL characters: binary data, not text")
    return Document(text=normalize_newlines(text), format="txt", encoding=encoding)
