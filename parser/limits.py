"""Limits on what one input may cost, with defaults a user can change."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 50 * MiB
    """Largest input file read at all."""
    max_unzipped_bytes: int = 100 * MiB
    """Largest total of the members a .docx/.xlsx/.zip may inflate to."""
    max_zip_ratio: float = 200.0
    """Largest inflate ratio of one zip member (zip-bomb guard)."""
    max_members: int = 10_000
    max_pages: int = 1000
    max_page_chars: int = 50_000
    """Characters one PDF page may draw (a dense A4 page holds a few thousand)."""
    max_text_chars: int = 20_000_000
    timeout_s: float = 60.0
    """Per-file time limit in batch mode."""
