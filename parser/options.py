"""Options of one parse, carried from the CLI or the Python API down the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from parser.limits import Limits


@dataclass(frozen=True, slots=True)
class ParseOptions:
    limits: Limits = field(default_factory=Limits)
    aliases: str | None = None
    """A user alias table (same TSV format as parser/data/unit_aliases.tsv)."""
    keywords: bool = False
    """Add jieba keywords to each task (loads jieba)."""
    require_tasks: bool = False
    """Raise NotANotice when no task is found (batch uses it to flag non-notices)."""
    pdf_engine: str = "pdfium"
    """What reads a PDF's characters and ruling lines: "pdfium" (fast, the default) or
    "pdfplumber" (pure Python); see parser/readers/pdf_page.py. The layout made of them is the same."""

    def __post_init__(self) -> None:
        from parser.readers.pdf_page import ENGINES

        if self.pdf_engine not in ENGINES:
            raise ValueError(f"unknown PDF engine {self.pdf_engine!r}: choose one of {', '.join(ENGINES)}")
