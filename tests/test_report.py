"""The HTML review page: self-contained, escaped, spans nested and exact, index sortable."""

from __future__ import annotations

import html
import os
from html.parser import HTMLParser

import pytest
import regex

from parser.writers.report import (
    Mark,
    make_laminar,
    month_counts,
    render_index,
    render_notice,
    render_text,
    stray_spans,
    unit_role_counts,
    write_reports,
)
from schemas.notice import Deadline, DocNumber, Meta, Milestone, Notice, Source, Task, Unit

# An invented notice (not from any corpus): three tasks, one with a script tag in it,
# and a closing paragraph with assignment wording outside every task.
SAMPLE_TEXT = "\n".join([
    "某市人民政府办公室关于印发某市营商环境提升行动方案的通知",
    "某政办发〔2024〕12号",
    "各县区人民政府，市政府各部门：",
    "现将《某市营商环境提升行动方案》印发给你们，请认真贯彻执行。",
    "某市人民政府办公室",
    "2024年3月5日",
    "某市营商环境提升行动方案",
    "一、重点任务",
    "（一）优化审批服务。",
    "1.推行企业开办一日办结。牵头单位：市市场监管局；责任单位：各县区政府；配合单位：市税务局、市公安局。完成时限：2024年6月底前。",
    "2.建设统一的政务服务平台<script>alert(1)</script>。牵头单位：市政务服务中心；责任单位：市发展改革委。完成时限：2024年9月底前完成，并持续推进。",
    "3.清理规范涉企收费。责任单位：市财政局。完成时限：长期坚持。",
    "4.做好政策宣传解读。牵头单位：市委宣传部。",
    "二、保障措施",
    "各牵头单位要加强协调，主要负责同志亲自抓（市政府督查室负责督促检查）。",
])


def find(text: str, sub: str, after: int = 0) -> tuple[int, int]:
    start = text.index(sub, after)
    return (start, start + len(sub))


def _units(text: str, names: list[str], after: int, level: str = "city") -> list[Unit]:
    out = []
    for name in names:
        span = find(text, name, after)
        out.append(Unit(text=name, name=name, level=level, collective=name.startswith("各"), span=span))  # type: ignore[arg-type]
    return out


def _task(text: str, number: str, line_start: str, lead: list[str], resp: list[str], coop: list[str],
          deadline: str, milestones: list[tuple[str, str | None, str]], warnings: list[str] | None = None) -> Task:
    s, _ = find(text, line_start)
    e = text.index("\n", s) if "\n" in text[s:] else len(text)
    body = text[s + len(number) + 1:e].split("。", maxsplit=1)[0]
    dspan = find(text, deadline, s)
    ms = [Milestone(kind=k, date=d, precision="month" if d else None, text=w, span=find(text, w, dspan[0]))  # type: ignore[arg-type]
          for k, d, w in milestones]
    return Task(id=number, number=number, section_path=["一、重点任务", "（一）优化审批服务。"], text=body, span=(s, e),
                lead=_units(text, lead, s), responsible=_units(text, resp, s), cooperating=_units(text, coop, s),
                deadline=Deadline(text=deadline, milestones=ms, span=dspan), warnings=warnings or [])


def sample_notice(text: str = SAMPLE_TEXT) -> Notice:
    """A record built by hand over SAMPLE_TEXT, every value at its span."""
    title = text.splitlines()[0]
    issuer_at = text.index("\n某市人民政府办公室\n") + 1
    meta = Meta(
        title=title, plan_title="某市营商环境提升行动方案",
        doc_number=DocNumber(text="某政办发〔2024〕12号", org="某政办发", year=2024, serial=12,
                             span=find(text, "某政办发〔2024〕12号")),
        issuer="某市人民政府办公室", issue_date="2024-03-05",
        spans={"title": find(text, title), "doc_number": find(text, "某政办发〔2024〕12号"),
               "issuer": find(text, "某市人民政府办公室", issuer_at), "issue_date": find(text, "2024年3月5日"),
               "plan_title": find(text, "某市营商环境提升行动方案", len(title))},
    )
    tasks = [
        _task(text, "1", "1.推行", ["市市场监管局"], ["各县区政府"], ["市税务局", "市公安局"], "2024年6月底前",
              [("by", "2024-06-30", "2024年6月底前")]),
        _task(text, "2", "2.建设", ["市政务服务中心"], ["市发展改革委"], [], "2024年9月底前完成，并持续推进",
              [("by", "2024-09-30", "2024年9月底前"), ("ongoing", None, "持续推进")]),
        _task(text, "3", "3.清理", [], ["市财政局"], [], "长期坚持", [("long_term", None, "长期坚持")],
              warnings=["no lead unit"]),
    ]
    return Notice(source=Source(path="corpus/sample_notice.txt", sha256="0" * 64), text=text, meta=meta,
                  tasks=tasks)


class _Collect(HTMLParser):
    """Elements with data-kind, their attributes and text content (nesting-aware)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.elements: list[dict] = []
        self.scripts: list[str] = []
        self.urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key):
                self.urls.append(a[key])
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        el = {"tag": tag, "attrs": a, "text": ""}
        self.stack.append(el)
        if "data-kind" in a:
            self.elements.append(el)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._in_script = False
        while self.stack:
            el = self.stack.pop()
            if el["tag"] == tag:
                break

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_script:
            self.scripts[-1] += data
        for el in self.stack:
            el["text"] += data


def parse_page(page: str) -> _Collect:
    c = _Collect()
    c.feed(page)
    c.close()
    return c


def test_every_highlight_is_exactly_its_slice():
    notice = sample_notice()
    page = parse_page(render_notice(notice))
    spans = {t.span for t in notice.tasks}
    for t in notice.tasks:
        spans |= {u.span for r in ("lead", "responsible", "cooperating") for u in getattr(t, r)}
        spans |= {t.deadline.span, *(m.span for m in t.deadline.milestones)}  # type: ignore[union-attr]
    spans |= set(notice.meta.spans.values())
    kinds = {el["attrs"]["data-kind"] for el in page.elements}
    assert {"task", "lead", "responsible", "cooperating", "deadline", "milestone", "title", "doc_number",
            "issuer", "issue_date", "plan_title", "stray"} <= kinds
    seen = set()
    for el in page.elements:
        if el["attrs"].get("data-start") is None:
            continue
        s, e = int(el["attrs"]["data-start"]), int(el["attrs"]["data-end"])
        assert el["text"] == notice.text[s:e]
        if el["attrs"]["data-kind"] != "stray":
            assert (s, e) in spans
            seen.add((s, e))
    assert seen == spans


def test_units_nest_inside_their_task_and_hover_shows_normalized_value():
    notice = sample_notice()
    page = render_notice(notice)
    task_open = page.index('id="task-1"')
    unit_at = page.index('data-kind="lead"', task_open)
    assert unit_at < page.index("</span>", task_open)  # the unit opens before the task closes
    assert 'title="lead: 市市场监管局 · level city"' in page
    assert "deadline: by 2024-09-30 (month); ongoing" in page


def test_notice_text_is_escaped_and_no_foreign_script_runs():
    notice = sample_notice()
    page = render_notice(notice)
    assert "<script>alert(1)</script>" not in page
    assert html.escape("<script>alert(1)</script>") in page
    parsed = parse_page(page)
    assert all("alert(1)" not in s for s in parsed.scripts)
    assert "script-src 'sha256-" in page and "unsafe-inline'; img-src" in page
    assert "script-src 'unsafe-inline'" not in page


def test_page_is_self_contained():
    page = render_notice(sample_notice())
    parsed = parse_page(page)
    assert all(u.startswith("#") for u in parsed.urls), parsed.urls
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "default-src 'none'" in page


def test_side_list_links_every_task_and_flags_warnings():
    notice = sample_notice()
    page = render_notice(notice)
    for t in notice.tasks:
        assert f'href="#task-{t.id}"' in page and f'id="task-{t.id}"' in page
    assert '<li class="warn nolead conf-high" data-task="3">' in page
    assert 'class="warn" data-kind="task"' in page


def test_side_list_puts_the_least_sure_tasks_first():
    notice = sample_notice()
    notice.tasks[2].confidence.level = "low"
    notice.tasks[1].confidence.level = "medium"
    page = render_notice(notice)
    order = [int(x) for x in regex.findall(r'<li class="[^"]*" data-task="(\d+)"', page)]
    levels = {t.id: t.confidence.level for t in notice.tasks}
    ranks = [{"low": 0, "medium": 1, "high": 2}[levels[str(i)]] for i in order]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    assert sorted(order) == sorted(int(t.id) for t in notice.tasks)


def test_assignment_wording_outside_tasks_is_flagged_only_there():
    notice = sample_notice()
    page = parse_page(render_notice(notice))
    strays = [el for el in page.elements if el["attrs"]["data-kind"] == "stray"]
    after_tasks = notice.tasks[-1].span[1]
    assert [el["text"] for el in strays] == ["牵头单位：", "（市政府督查室负责督促检查）"]
    assert all(int(el["attrs"]["data-start"]) > after_tasks for el in strays)


def test_assignment_wording_is_found_in_traditional_script_too():
    text = "前言。\n五、其他\n牽頭單位：市政府辦公室。\n主要負責同志要協作配合。"
    notice = Notice(text=text)
    assert [text[s:e] for s, e in stray_spans(notice, [])] == ["牽頭單位："]
    assert stray_spans(notice, [(0, len(text))]) == []


def test_timeline_counts_tasks_per_dated_month_and_undated_kinds_apart():
    months, undated = month_counts(sample_notice())
    assert months == {"2024-06": 1, "2024-09": 1}
    assert undated == {"ongoing": 1, "long_term": 1}
    page = render_notice(sample_notice())
    assert page.count('class="month"') == 2 and 'data-month="2024-06"' in page


def test_unit_role_chart_ranks_units_by_tasks():
    notice = sample_notice()
    notice.tasks[1].cooperating = [notice.tasks[0].lead[0].model_copy(update={"span": notice.tasks[1].lead[0].span})]
    rows = unit_role_counts(notice)
    assert rows[0][0] == "市市场监管局"
    assert rows[0][1] == {"lead": 1, "responsible": 0, "cooperating": 1}
    assert len(rows) == len({n for n, _, _ in rows})


def test_crossing_spans_are_cut_keeping_units_whole():
    text = "abcdefghij"
    marks = [Mark(0, 6, "task", "task", "t", tag="span"), Mark(4, 9, "unit", "lead", "u")]
    laminar = make_laminar(marks)
    assert Mark(4, 9, "unit", "lead", "u") in laminar
    parts = [m for m in laminar if m.group == "task"]
    assert [(m.start, m.end) for m in parts] == [(0, 4), (4, 6)] and all(m.part for m in parts)
    out = render_text(text, marks)
    assert html.unescape(regex.sub(r"<[^>]+>", "", out)) == text
    assert parse_page(out).elements[1]["text"] == "efghi"


def test_control_characters_survive_as_character_references():
    text = "a\rb<c>&d"
    out = render_text(text, [Mark(0, 3, "meta", "title", "x")])
    assert "&#13;" in out and "&lt;c&gt;&amp;d" in out


def test_same_record_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_reports([sample_notice()], str(a))
    write_reports([sample_notice()], str(b))
    for name in ("sample_notice.html", "index.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_write_reports_names_pages_like_the_json_and_writes_an_index(tmp_path):
    other = sample_notice().model_copy(update={"source": Source(path="x/other.txt")})
    paths = write_reports([sample_notice(), other], str(tmp_path))
    assert [os.path.basename(p) for p in paths] == ["sample_notice.html", "other.html", "index.html"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="sample_notice.html"' in index and 'href="other.html"' in index


def test_pages_with_the_same_stem_do_not_overwrite_each_other(tmp_path):
    a = sample_notice().model_copy(update={"source": Source(path="a/x.txt")})
    b = sample_notice().model_copy(update={"source": Source(path="b/x.txt")})
    paths = write_reports([a, b], str(tmp_path))
    names = [os.path.basename(p) for p in paths]
    assert names[0] == "x.html" and names[1].startswith("x-") and names[1].endswith(".html")
    assert f'href="{names[1]}"' in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert write_reports([a, b], str(tmp_path / "again")) == [str(tmp_path / "again" / n) for n in names]


def test_index_has_sortable_columns_and_counts():
    notice = sample_notice()
    index = render_index([notice])
    assert '<table id="notices">' in index
    assert index.count('data-type="number"') == 5 and index.count('data-type="text"') == 3
    assert 'aria-sort' in index  # the sorting script sets it
    parsed = parse_page(index)
    assert any("localeCompare" in s for s in parsed.scripts)
    assert '<td class="n" data-value="3">3</td>' in index  # tasks
    assert '<td class="n bad" data-value="1">1</td>' in index  # without lead, warnings
    assert '<td class="n bad" data-value="2">2</td>' in index  # wording outside tasks


@pytest.mark.parametrize("bad", ["<img src=x onerror=alert(1)>", '"><script>x</script>', "a&b<"])
def test_untrusted_values_in_attributes_are_escaped(bad):
    notice = sample_notice()
    notice.tasks[0].warnings = [bad]
    notice.tasks[0].lead[0].name = bad
    page = render_notice(notice)
    assert bad not in page
    parsed = parse_page(page)
    assert all(u.startswith("#") for u in parsed.urls)
