"""The notice record: the pydantic models behind every JSON file the tool writes.

The field names and meanings follow ``../shared/contract/NOTICE_OUTPUT.md``; fields
added here (spans on every value, keywords, meta extras) never change the meaning of
the contract's fields. ``make schema`` writes ``schemas/notice.schema.json`` from
these models, and a test keeps the two in sync.

Spans are ``[start, end)`` character offsets into ``Notice.text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Span = tuple[int, int]
Level = Literal["national", "provincial", "city", "county", "unknown"]
MilestoneKind = Literal[
    "by",
    "ongoing",
    "periodic",
    "follow_upstream",
    "conditional",
    "long_term",
    "start",
    "range",
    "unknown",
]
Precision = Literal["day", "month", "quarter", "half", "year"]
Period = Literal["week", "month", "quarter", "half", "year"]
Role = Literal["lead", "responsible", "cooperating"]
ROLES: tuple[Role, ...] = ("lead", "responsible", "cooperating")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    path: str | None = None
    sha256: str | None = None
    format: Literal["txt", "docx", "pdf", "html", "xlsx", "xls", "doc", "wps", "rtf"] = "txt"
    encoding: str | None = None
    script: Literal["simplified", "traditional"] = "simplified"


class DocNumber(_Model):
    text: str
    org: str | None = None
    year: int | None = None
    serial: int | None = None
    span: Span | None = None


class Reference(_Model):
    title: str
    doc_number: str | None = None
    span: Span | None = None


class Meta(_Model):
    title: str | None = None
    plan_title: str | None = None
    doc_number: DocNumber | None = None
    issuer: str | None = None
    issue_date: str | None = Field(default=None, description="成文日期, ISO yyyy-mm-dd")
    recipients: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list, description="抄送")
    printed_by: str | None = Field(default=None, description="印发机关 of the 印发 line")
    printed_date: str | None = None
    attachments: list[str] = Field(default_factory=list, description="附件 names")
    spans: dict[str, Span] = Field(
        default_factory=dict,
        description="where each scalar meta field was found: field name -> span",
    )


class Section(_Model):
    id: str
    marker: str
    level: int
    title: str
    span: Span
    children: list[Section] = Field(default_factory=list)


class Unit(_Model):
    text: str = Field(description=(
        "as written; for a table cell wrapped over several lines (a box-drawn table) its "
        "lines joined, while span covers them in the text"))
    name: str
    canonical: str | None = None
    collective: bool = False
    level: Level = "unknown"
    qualifier: str | None = None
    span: Span


class Milestone(_Model):
    kind: MilestoneKind
    date: str | None = None
    start: str | None = None
    precision: Precision | None = None
    period: Period | None = None
    text: str | None = None
    span: Span | None = None


class Deadline(_Model):
    text: str = Field(description="the phrase as written (a wrapped table cell: its lines joined)")
    milestones: list[Milestone] = Field(default_factory=list)
    span: Span


class Leader(_Model):
    """A person named for the task (牵头领导, 责任领导, 分管领导 …): never a unit."""

    role: str = Field(description="the label as written, e.g. 牵头领导")
    text: str
    span: Span


class TaskField(_Model):
    """Any other labelled value of the task (目标任务, 推进情况, 备注, 数据提供单位 …), kept so
    that nothing in a row is lost and nothing leaks into a unit."""

    label: str
    text: str
    span: Span


ConfidenceLevel = Literal["high", "medium", "low"]


class Confidence(_Model):
    """How far the parser trusts the task, and the checks that lowered it."""

    level: ConfidenceLevel = "high"
    reasons: list[str] = Field(default_factory=list)


class ConfidenceSummary(_Model):
    """Tasks per confidence level: a reviewer starts with the low ones."""

    high: int = 0
    medium: int = 0
    low: int = 0


class Task(_Model):
    """One task. Units inherited from a group heading (X牵头工作（N项）) or from a table
    cell merged down several rows keep the span where they are written, which then lies
    outside the task's own span."""

    id: str
    number: str | None = None
    section_path: list[str] = Field(default_factory=list)
    text: str
    span: Span
    text_span: Span | None = None
    lead: list[Unit] = Field(default_factory=list)
    responsible: list[Unit] = Field(default_factory=list)
    cooperating: list[Unit] = Field(default_factory=list)
    deadline: Deadline | None = None
    leaders: list[Leader] = Field(default_factory=list)
    fields: list[TaskField] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    confidence: Confidence = Field(default_factory=Confidence)
    warnings: list[str] = Field(default_factory=list)


class Notice(_Model):
    schema_version: str = SCHEMA_VERSION
    parser_version: str | None = None
    source: Source = Field(default_factory=Source)
    text: str
    meta: Meta = Field(default_factory=Meta)
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    confidence: ConfidenceSummary = Field(default_factory=ConfidenceSummary)
    warnings: list[str] = Field(default_factory=list)


Section.model_rebuild()


ExtraMode = Literal["ignore", "forbid"]
INTERNAL_EXTRA: ExtraMode = "ignore"
"""How ``build`` treats keys a model does not know.

The models forbid them: the JSON Schema says ``additionalProperties: false`` and loading a
record with a stray field fails. Records the parser builds itself come from code, not
input, so ``build`` skips that check, which is a fifth of the cost of validating a notice;
``tests/test_schema.py`` parses the corpus with ``"forbid"`` to keep the code honest.
"""


def build(model: type[_Model], fields: dict):  # type: ignore[no-untyped-def]
    """``model(**fields)`` for the parser's own field dicts: one call into pydantic-core,
    which validates nested dicts (tasks, units, deadlines) as it goes."""
    return model.__pydantic_validator__.validate_python(fields, extra=INTERNAL_EXTRA)
