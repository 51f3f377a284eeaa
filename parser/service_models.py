"""The service's own answers, beside the record's models (``schemas.notice``): the OpenAPI
document is generated from these and from those."""

from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.notice import Notice


class ErrorBody(BaseModel):
    """Why a request failed: the parser's error code (see ``parser.errors``) and a one-line reason."""

    code: str = Field(description="stable error code, e.g. empty, corrupt, too_large, timeout")
    reason: str = Field(description="one line, for people")


class NoticeWithReport(BaseModel):
    """The answer to ``report=1``: the record and its review page."""

    record: Notice
    report: str = Field(description="the review page: one self-contained HTML document")


class Health(BaseModel):
    status: str = Field(description='"ok"')
    version: str
    workers: int = Field(description="parse worker processes")
    timeout_s: float = Field(description="per-file time limit in seconds")
    max_bytes: int = Field(description="largest file accepted")
