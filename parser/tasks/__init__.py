"""Tasks: segmentation and field attachment, for every layout.  (being written)"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.notice import Task


@dataclass(slots=True)
class TaskResult:
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extract_tasks(text, lines, outline, ctx, notice_date) -> TaskResult:  # type: ignore[no-untyped-def]
    return TaskResult()
