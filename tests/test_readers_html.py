"""The HTML reader: charset, the notice's container, paragraphs and tables, portal metadata."""

from __future__ import annotations

import pytest

from parser.errors import EmptyInput
from parser.limits import Limits
from parser.readers import read_bytes
from parser.readers.html import read_html

PORTAL_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于印发某某方案的通知_某市人民政府</title>
<script>document.write("脚本里的文字不应出现");</script><style>.x{{color:red}}</style></head>
<body>
<div class="top"><nav><a href="/">首页</a> <a href="/zwgk">政务公开</a></nav></div>
<table class="xxgk_table">
 <tr><td>索 引 号：</td><td>000014349/2017-00123</td><td>主题分类：</td><td>综合政务</td></tr>
 <tr><td>发文机关：</td><td>某市人民政府办公室</td><td>成文日期：</td><td>2017年08月24日</td></tr>
 <tr><td>标　　题：</td><td colspan="3">关于印发某某方案的通知</td></tr>
 <tr><td>发文字号：</td><td>某政办发〔2017〕137号</td><td>发布日期：</td><td>2017年08月28日</td></tr>
</table>
<h1>某市人民政府办公室关于印发某某方案的通知</h1>
<div id="zoom">
 <p>各县区人民政府，
 市政府各部门：</p>
 <p>&nbsp;&nbsp;现将方案印发给你们，请认真贯彻落实。</p>
 <p>一、重点任务<br>1.承接落实省政府取消下放的事项。<br/>牵头单位：市审改办。</p>
 <table border="1">
  <tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>完成时限</th></tr>
  <tr><td colspan="4">（一）深化行政审批制度改革。</td></tr>
  <tr><td>1</td><td>承接落实<br>调整的事项</td><td rowspan="2">市审改办</td><td>持续推进</td></tr>
  <tr><td>2</td><td>回头看</td><td>2017年9月底前</td></tr>
 </table>
</div>
<div class="footer"><footer>版权所有 某市人民政府</footer></div>
<iframe src="ad.html">广告</iframe>
</body></html>
"""


@pytest.mark.parametrize(("charset", "encoding"), [("gb2312", "gb18030"), ("GBK", "gb18030"), ("utf-8", "utf-8")])
def test_portal_page_body_tables_and_metadata(charset: str, encoding: str) -> None:
    data = PORTAL_PAGE.format(charset=charset).encode(encoding)
    doc = read_html(data, Limits())
    assert doc.format == "html"
    assert doc.portal == {
        "索引号": "000014349/2017-00123", "主题分类": "综合政务", "发文机关": "某市人民政府办公室",
        "成文日期": "2017年08月24日", "标题": "关于印发某某方案的通知", "发文字号": "某政办发〔2017〕137号",
        "发布日期": "2017年08月28日",
    }
    assert doc.text.splitlines() == [
        "标题：关于印发某某方案的通知",
        "索引号：000014349/2017-00123",
        "发文字号：某政办发〔2017〕137号",
        "成文日期：2017年08月24日",
        "发文机关：某市人民政府办公室",
        "某市人民政府办公室关于印发某某方案的通知",
        "各县区人民政府，市政府各部门：",
        "现将方案印发给你们，请认真贯彻落实。",
        "一、重点任务",
        "1.承接落实省政府取消下放的事项。",
        "牵头单位：市审改办。",
        "序号 | 重点任务 | 牵头单位 | 完成时限",
        "（一）深化行政审批制度改革。",
        "1 | 承接落实 调整的事项 | 市审改办 | 持续推进",
        "2 | 回头看 | 市审改办 | 2017年9月底前",
    ]
    assert "脚本" not in doc.text and "版权" not in doc.text and "首页" not in doc.text


def test_gbk_page_without_charset_is_detected() -> None:
    html = "<html><body><div class='article'><p>关于进一步深化改革的实施意见，请各单位认真贯彻执行。</p></div></body></html>"
    doc = read_html(html.encode("gb18030"), Limits())
    assert doc.text.splitlines() == ["关于进一步深化改革的实施意见，请各单位认真贯彻执行。"]
    assert doc.encoding == "gb18030"


def test_without_a_known_container_the_densest_block_is_the_notice() -> None:
    html = """<html><body>
    <div class="side"><ul><li><a>首页</a></li><li><a>机构设置</a></li></ul></div>
    <div class="wrap"><div class="zw-a1b2">
      <p>一、总体要求</p><p>深入推进简政放权、放管结合、优化服务改革，加快转变政府职能。</p>
      <p>二、重点任务</p><p>1.全面清理规范行政审批中介服务事项（市审改办牵头）。</p>
    </div><div class="share">分享到</div></div></body></html>"""
    lines = read_html(html.encode(), Limits()).text.splitlines()
    assert lines == [
        "一、总体要求", "深入推进简政放权、放管结合、优化服务改革，加快转变政府职能。",
        "二、重点任务", "1.全面清理规范行政审批中介服务事项（市审改办牵头）。",
    ]


def test_layout_tables_are_read_as_blocks_not_rows() -> None:
    html = """<html><body><table><tr><td>
      <div id="content"><p>第一段通知正文内容。</p><p>第二段通知正文内容。</p></div>
    </td></tr></table></body></html>"""
    assert read_html(html.encode(), Limits()).text.splitlines() == ["第一段通知正文内容。", "第二段通知正文内容。"]


def test_traditional_labels_are_keyed_simplified() -> None:
    html = """<html><head><meta charset="utf-8"></head><body>
    <ul class="info"><li>索引號：011043/2020-01</li><li>發文字號：武政辦〔2020〕1號</li><li>成文日期：2020-01-20</li></ul>
    <div class="TRS_Editor"><p>各區人民政府，市人民政府各部門：現將方案印發給你們。</p></div></body></html>"""
    doc = read_html(html.encode(), Limits())
    assert doc.portal["发文字号"] == "武政辦〔2020〕1號"
    assert doc.portal["索引号"] == "011043/2020-01"
    assert doc.text.splitlines()[0] == "索引号：011043/2020-01"
    assert "各區人民政府，市人民政府各部門：現將方案印發給你們。" in doc.text.splitlines()


def test_page_with_only_scripts_has_no_text() -> None:
    html = "<html><head><script>var x = '通知';</script></head><body><script>init()</script></body></html>"
    with pytest.raises(EmptyInput, match="no text content"):
        read_html(html.encode(), Limits())


def test_mht_archive_is_read_best_effort() -> None:
    body = "<html><body><div id='zoom'><p>关于印发实施方案的通知正文。</p></div></body></html>".encode("gb18030")
    import base64

    mht = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"BOUND\"\r\n\r\n--BOUND\r\n"
        b"Content-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(body) + b"\r\n--BOUND--\r\n"
    )
    doc = read_bytes(mht, "notice.mht")
    assert doc.text.splitlines() == ["关于印发实施方案的通知正文。"]
