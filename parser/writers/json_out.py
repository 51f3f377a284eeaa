"""The record as JSON: one object per notice, stable key order, UTF-8."""

from __future__ import annotations

import json
import os

from parser.writers.atomic import write_text
from schemas.notice import Notice


def notice_to_json(notice: Notice, indent: int | None = 2) -> str:
    data = notice.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def write_json(notice: Notice, path: str | os.PathLike[str]) -> None:
    write_text(path, notice_to_json(notice))
