"""Pydantic models of the notice record and the JSON Schema generated from them."""

from schemas.notice import (
    ROLES,
    SCHEMA_VERSION,
    Deadline,
    DocNumber,
    Meta,
    Milestone,
    Notice,
    Reference,
    Section,
    Source,
    Task,
    Unit,
)

__all__ = [
    "ROLES",
    "SCHEMA_VERSION",
    "Deadline",
    "DocNumber",
    "Meta",
    "Milestone",
    "Notice",
    "Reference",
    "Section",
    "Source",
    "Task",
    "Unit",
]
