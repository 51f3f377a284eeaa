"""Write one command's outputs: a JSON per notice, the CSV tables, an optional workbook and reports."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from parser.errors import write_failed
from parser.writers.csv_out import notice_key, write_assignments_csv, write_tasks_csv
from parser.writers.json_out import write_json
from schemas.notice import Notice


def json_name(notice: Notice) -> str:
    stem = os.path.splitext(notice_key(notice))[0] or "notice"
    return stem + ".json"


def output_stems(notices: Sequence[Notice]) -> list[str]:
    """One file stem per notice, unique within one call.

    A repeated stem (a/x.txt and b/x.txt in one command) gets ``<stem>-<hash of its
    source path>``, so that no notice's JSON or page overwrites another's.
    """
    stems: list[str] = []
    used: set[str] = set()
    for i, notice in enumerate(notices):
        stem = os.path.splitext(json_name(notice))[0]
        if stem in used:
            key = notice.source.path or notice.source.sha256 or str(i)
            stem = f"{stem}-{hashlib.sha256(key.encode('utf-8', 'replace')).hexdigest()[:8]}"
            while stem in used:
                stem = f"{stem}-{i}"
        used.add(stem)
        stems.append(stem)
    return stems


def write_notice_outputs(notices: Sequence[Notice], folder: str, formats: set[str], report: bool = False) -> None:
    """Each file is written whole or not at all (atomic rename); a failed write raises WriteFailed."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise write_failed(exc, folder) from exc
    if "json" in formats:
        for notice, stem in zip(notices, output_stems(notices), strict=True):
            write_json(notice, os.path.join(folder, stem + ".json"))
    if "csv" in formats and notices:
        write_tasks_csv(notices, os.path.join(folder, "tasks.csv"))
        write_assignments_csv(notices, os.path.join(folder, "assignments.csv"))
        try:
            from parser.writers.units_index import write_units_csv
        except ImportError:  # pragma: no cover - while the unit index is not built
            pass
        else:
            write_units_csv(notices, os.path.join(folder, "units.csv"))
    if "xlsx" in formats and notices:
        from parser.writers.xlsx_out import WORKBOOK_NAME, write_notice_workbook

        write_notice_workbook(notices, os.path.join(folder, WORKBOOK_NAME))
    if report and notices:
        from parser.writers.report import write_reports

        write_reports(notices, folder)
