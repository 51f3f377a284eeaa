"""The JSON Schema file matches the models, and records validate against it."""

from __future__ import annotations

import json

import jsonschema

from parser import parse_text
from schemas.generate import SCHEMA_PATH, schema_text

NOTICE = """某市人民政府办公室关于印发某市重点任务分工方案的通知
某政办发〔2020〕12号
各县区人民政府，市政府各部门：
现将《某市重点任务分工方案》印发给你们，请认真贯彻落实。
某市人民政府办公室
2020年3月5日
一、重点任务
1.推进政务服务一网通办。
牵头单位：市政务服务中心。
责任单位：各县区政府。
完成时限：2020年6月底前。
"""


def test_schema_file_is_up_to_date() -> None:
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        assert fh.read() == schema_text(), "run `make schema` and commit schemas/notice.schema.json"


def test_parsed_record_validates_against_schema() -> None:
    notice = parse_text(NOTICE)
    assert notice.tasks, "the sample notice has one task"
    data = json.loads(notice.model_dump_json())
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        jsonschema.validate(data, json.load(fh))


def test_schema_rejects_unknown_milestone_kind() -> None:
    notice = parse_text(NOTICE)
    data = json.loads(notice.model_dump_json())
    data["tasks"][0]["deadline"]["milestones"][0]["kind"] = "someday"
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        schema = json.load(fh)
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("an unknown milestone kind must not validate")


def test_parser_builds_no_stray_fields(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``schemas.notice.build`` ignores unknown keys in production; with the models' own
    "forbid" every corpus notice must still build, so no key the code writes is misspelt."""
    from pathlib import Path

    import schemas.notice
    from parser import parse_file

    monkeypatch.setattr(schemas.notice, "INTERNAL_EXTRA", "forbid")
    corpus = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
    assert corpus
    for path in corpus:
        assert parse_file(path, None).tasks is not None


def test_build_rejects_stray_fields_when_forbidden(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The check above can fail: a stray key is an error under "forbid"."""
    import pytest
    from pydantic import ValidationError

    import schemas.notice
    from schemas.notice import Unit, build

    monkeypatch.setattr(schemas.notice, "INTERNAL_EXTRA", "forbid")
    with pytest.raises(ValidationError):
        build(Unit, {"text": "市财政局", "name": "市财政局", "span": (0, 4), "nmae": "x"})
