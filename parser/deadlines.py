"""Deadline phrases -> milestones.  (placeholder: the grammar is being written)"""

from __future__ import annotations

from datetime import date

from schemas.notice import Deadline, Milestone


def parse_deadline(text: str, start: int, notice_date: date | None = None) -> Deadline:
    """Parse one deadline phrase found at ``start`` in the notice text."""
    return Deadline(text=text, milestones=[Milestone(kind="unknown", text=text, span=(start, start + len(text)))],
                    span=(start, start + len(text)))


def first_due(deadline: Deadline) -> str | None:
    """Earliest ISO date among the dated milestones (placeholder)."""
    dates = [m.date for m in deadline.milestones if m.date]
    return min(dates) if dates else None
