"""Properties of every parse, over generated notices and arbitrary text (hypothesis).

The generator assembles what real notices are made of — cover lines, headings of every
marker type, tasks in each layout (label lines, a closing bracket with labels, verbs or
bare units, pipe-table rows), units from a small vocabulary, deadline phrases, junk
lines — and then may fold it to full-width or traditional characters. Whatever comes
out, the parse must: raise nothing but a NoticeError; keep every span inside the text
with ``text[start:end]`` equal to the value's own text; keep each task's units inside
the task's span (or, when inherited, inside another task's row or a heading line); give unique task ids; give the same record twice; and validate
against schemas/notice.schema.json.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parser import parse_text
from parser.errors import NoticeError

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UNITS = ["市发展改革委", "市财政局", "市教育局", "市公安局", "市卫生健康委", "各县区政府", "市政府有关部门",
         "市市场监管局", "市住房城乡建设局", "县人民政府", "市委组织部", "省交通运输厅", "东湖街道办事处"]
DEADLINES = ["2019年12月底前", "2020年6月30日前", "持续推进", "长期坚持", "每季度", "2019年底前", "三个月内",
             "2021年上半年", "即日起", "2019年9月", "每年12月底前", "2019—2020年", "按国家要求"]
VERBS = ["推进", "完善", "建立", "开展", "加强", "落实", "建设"]
OBJECTS = ["政务服务改革", "数据共享机制", "信用体系", "营商环境", "项目审批流程", "应急管理体系"]
MARKERS = [
    lambda n: f"{_cn(n)}、", lambda n: f"（{_cn(n)}）", lambda n: f"{n}.", lambda n: f"{n}、",
    lambda n: f"（{n}）", lambda n: f"{n}）", lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[(n - 1) % 10],
    lambda n: f"第{_cn(n)}章 ", lambda n: f"第{_cn(n)}条 ", lambda n: "",
]
LABELS = {"lead": ["牵头单位", "牵头部门", "责任领导"], "responsible": ["责任单位", "责任部门", "主办单位"],
          "cooperating": ["配合单位", "协办单位"], "deadline": ["完成时限", "完成时间", "时间节点"]}


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    return ("" if n < 20 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")


units = st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True)
seps = st.sampled_from(["、", "，", " ", "；"])


@st.composite
def task_block(draw: st.DrawFn, n: int) -> list[str]:
    marker = draw(st.sampled_from(MARKERS))(n)
    body = f"{marker}{draw(st.sampled_from(VERBS))}{draw(st.sampled_from(OBJECTS))}。"
    lead, resp = draw(units), draw(units)
    deadline = draw(st.sampled_from(DEADLINES))
    colon = draw(st.sampled_from(["：", ":", "　"]))
    join = draw(seps)
    layout = draw(st.sampled_from(["labels", "bracket_labels", "bracket_verbs", "bracket_bare", "pipe", "none"]))
    if layout == "labels":
        lines = [body]
        for role, names in (("lead", lead), ("responsible", resp)):
            lines.append(f"{draw(st.sampled_from(LABELS[role]))}{colon}{join.join(names)}")
        if draw(st.booleans()):
            lines.append(f"{draw(st.sampled_from(LABELS['deadline']))}{colon}{deadline}")
        return lines
    if layout == "bracket_labels":
        return [f"{body[:-1]}（牵头单位{colon}{join.join(lead)}；责任单位{colon}{join.join(resp)}；完成时限{colon}{deadline}）"]
    if layout == "bracket_verbs":
        return [f"{body[:-1]}（{join.join(lead)}牵头，{join.join(resp)}配合，{deadline}完成）"]
    if layout == "bracket_bare":
        return [f"{body[:-1]}（{join.join(lead)}）"]
    if layout == "pipe":
        return [f"{n} | {body} | {join.join(lead)} | {join.join(resp)} | {deadline}"]
    return [body]


junk = st.text(alphabet=st.sampled_from(list("市县区局委办的和及、，。；：（）()|—-一二三1234 年月日底前牵头单位责任\t")), max_size=40)


@st.composite
def notice(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ["示例市人民政府办公室关于印发重点任务分工方案的通知", f"示政办发〔{draw(st.integers(2000, 2030))}〕{draw(st.integers(1, 300))}号",
                  "各县区人民政府，市政府各部门：", "现将方案印发给你们，请认真贯彻落实。", "示例市人民政府办公室",
                  f"{draw(st.integers(2000, 2030))}年{draw(st.integers(1, 12))}月{draw(st.integers(1, 28))}日"]
    pipe_header = False
    for s in range(draw(st.integers(0, 3))):
        lines.append(f"{_cn(s + 1)}、{draw(st.sampled_from(OBJECTS))}")
        for n in range(1, draw(st.integers(1, 4)) + 1):
            block = draw(task_block(n))
            if " | " in block[0] and not pipe_header:
                lines.append("序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限")
                pipe_header = True
            lines += block
            if draw(st.integers(0, 4)) == 0:
                lines.append(draw(junk))
    text = "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))
    fold = draw(st.sampled_from(["none", "none", "fullwidth", "traditional", "crlf"]))
    if fold == "fullwidth":
        text = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    elif fold == "traditional":
        text = _s2t(text)
    elif fold == "crlf":
        text = text.replace("\n", "\r\n")
    return text


@cache
def _converter() -> Any:
    from opencc import OpenCC

    return OpenCC("s2t")


def _s2t(text: str) -> str:
    return _converter().convert(text)


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "schemas" / "notice.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _parse(text: str):  # type: ignore[no-untyped-def]
    try:
        return parse_text(text)
    except NoticeError:
        return None


def _inside(span: tuple[int, int] | None, n: int) -> bool:
    return span is None or 0 <= span[0] <= span[1] <= n


def _walk(secs):  # type: ignore[no-untyped-def]
    for sec in secs:
        yield sec
        yield from _walk(sec.children)


def check_record(text: str) -> None:
    rec = _parse(text)
    if rec is None:
        return
    t, n = rec.text, len(rec.text)
    meta = rec.meta
    for name, span in meta.spans.items():
        assert _inside(span, n), (name, span)
    if meta.doc_number is not None and meta.doc_number.span is not None:
        s, e = meta.doc_number.span
        assert _inside((s, e), n) and t[s:e] == meta.doc_number.text, meta.doc_number
    for ref in meta.references:
        assert _inside(ref.span, n)

    def sections(secs) -> None:  # type: ignore[no-untyped-def]
        for sec in secs:
            assert _inside(sec.span, n), sec
            sections(sec.children)

    sections(rec.sections)
    # Where an inherited unit may stand: another task's row (a sub-row takes the merged unit
    # cells of the numbered row above) or a heading line (a group lead over its items).
    heading_lines = []
    for sec in _walk(rec.sections):
        end = t.find("\n", sec.span[0])
        heading_lines.append((sec.span[0], n if end < 0 else end))
    elsewhere = [task.span for task in rec.tasks] + heading_lines
    ids = [task.id for task in rec.tasks]
    assert len(ids) == len(set(ids)), ids
    for task in rec.tasks:
        ts, te = task.span
        assert _inside(task.span, n) and _inside(task.text_span, n), task
        if task.text_span is not None:
            assert ts <= task.text_span[0] <= task.text_span[1] <= te, task
        for unit in (*task.lead, *task.responsible, *task.cooperating):
            us, ue = unit.span
            assert _inside(unit.span, n) and t[us:ue] == unit.text, (unit, t[us:ue])
            assert ts <= us <= ue <= te or any(a <= us <= ue <= b for a, b in elsewhere), (task.id, task.span, unit)
        if task.deadline is not None:
            ds, de = task.deadline.span
            assert _inside(task.deadline.span, n) and t[ds:de] == task.deadline.text, task.deadline
            for m in task.deadline.milestones:
                assert _inside(m.span, n), m
                if m.span is not None and m.text is not None:
                    assert t[m.span[0]:m.span[1]] == m.text, m
    again = parse_text(text)
    assert again.model_dump() == rec.model_dump()
    errors = sorted(_validator().iter_errors(json.loads(rec.model_dump_json())), key=str)
    assert not errors, errors[0].message


@SETTINGS
@given(notice())
def test_generated_notices_keep_every_invariant(text: str) -> None:
    check_record(text)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_raises_only_notice_errors(text: str) -> None:
    check_record(text)


@SETTINGS
@given(st.lists(st.one_of(junk, st.sampled_from(["牵头单位：", "（", "）", " | ", "一、", "（一）", "1.", "\n", "、"])),
                max_size=60))
def test_fragment_soup_keeps_every_invariant(parts: list[str]) -> None:
    check_record("".join(parts))


def test_generator_yields_tasks() -> None:
    """The strategy must produce notices with tasks, or the properties above prove little."""
    found: list[int] = []

    @settings(max_examples=40, deadline=None, database=None)
    @given(notice())
    def collect(text: str) -> None:
        rec = _parse(text)
        found.append(len(rec.tasks) if rec else 0)

    collect()
    assert sum(1 for k in found if k) >= len(found) // 3, found


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
