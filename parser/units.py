"""Unit lists -> Unit records.  (placeholder: splitting rules are being written)"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from schemas.notice import Unit

_SEP = regex.compile(r"[、,，;；]")


@dataclass(slots=True)
class UnitContext:
    """What a notice tells about its units: its jurisdiction and the alias table."""

    jurisdiction: object | None = None
    aliases: object | None = None
    extra: dict = field(default_factory=dict)


def split_units(text: str, start: int, ctx: UnitContext | None = None) -> list[Unit]:
    """Split a unit list found at ``start`` in the notice text into units with spans."""
    units: list[Unit] = []
    pos = 0
    for piece in [*_SEP.split(text)]:
        s = text.find(piece, pos)
        pos = s + len(piece)
        name = piece.strip(" 。.")
        if not name:
            continue
        off = s + piece.find(name)
        units.append(Unit(text=name, name=name, span=(start + off, start + off + len(name))))
    return units


def make_context(meta: object, text: str, extra_alias_file: str | None = None) -> UnitContext:
    """Placeholder: the notice's jurisdiction and alias table."""
    return UnitContext()
