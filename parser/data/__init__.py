"""Domain vocabularies as data files, loaded once and cached.

Adding a synonym, alias or deadline word is a change to a file in this folder (plus a
test case), never to code.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from functools import cache
from typing import Any

DATA_DIR = os.path.dirname(os.path.abspath(__file__))


def path(name: str) -> str:
    return os.path.join(DATA_DIR, name)


@cache
def load_json(name: str) -> Any:
    with open(path(name), encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated file with a header line; lines starting with # are comments."""
    with open(path(name), encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines, delimiter="\t"))


@cache
def vocabulary_hash() -> str:
    """Hash of every data file: part of the parser version seen by batch manifests."""
    digest = hashlib.sha256()
    for name in sorted(os.listdir(DATA_DIR)):
        if name.endswith((".json", ".tsv", ".txt")):
            with open(path(name), "rb") as fh:
                digest.update(name.encode() + b"\0" + fh.read())
    return digest.hexdigest()[:12]
