"""Document -> Notice: the stages in order, and nothing else.

reader (done before) → match text → lines → meta → outline → tasks (which call units
and deadlines) → record. Each stage takes and returns plain data, so each can be tested
alone with a few lines of text.
"""

from __future__ import annotations

from datetime import date

import regex

from parser import __version__
from parser.confidence import summary
from parser.document import Document
from parser.errors import NotANotice
from parser.keys import assign_keys
from parser.lines import split_lines, split_runons
from parser.meta import extract_meta
from parser.options import ParseOptions
from parser.outline import build_outline
from parser.tasks import extract_tasks
from parser.textnorm import normalize
from parser.units import make_context
from schemas.notice import Notice, build


def _notice_date(iso: str | None, titles: tuple[str | None, ...] = ()) -> date | None:
    """The date deadlines without a year are read against: the notice's own date, else
    the first of January of the one year its title names (2022年营商环境攻坚行动方案),
    so 9月底前 in an undated page still gets its year."""
    if iso:
        try:
            return date.fromisoformat(iso)
        except ValueError:
            return None
    years = {int(y) for t in titles if t for y in _TITLE_YEAR.findall(t)}
    return date(years.pop(), 1, 1) if len(years) == 1 else None


_TITLE_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")


def parse_document(doc: Document, options: ParseOptions | None = None) -> Notice:
    """Run every stage on a Document and return the validated record."""
    options = options or ParseOptions()
    text = doc.text
    mtext, script = normalize(text)
    lines = split_runons(split_lines(text, mtext))
    meta = extract_meta(text, mtext, doc.portal)
    outline = build_outline(lines, with_sections=False)  # the tasks stage builds the tree
    ctx = make_context(meta, text, options.aliases, mtext)
    result = extract_tasks(text, mtext, lines, outline, ctx, _notice_date(meta.issue_date, (meta.plan_title, meta.title)),
                           meta.spans.get("title"), meta.plan_title)
    if options.require_tasks and not result.tasks:
        raise NotANotice("no tasks found", doc.path)
    assign_keys(result.tasks, meta.doc_number.text if meta.doc_number else None, mtext)
    if options.keywords and result.tasks:
        from parser.keywords import task_keywords

        for task in result.tasks:
            task["keywords"] = task_keywords(task["text"])
    source = {"path": doc.path, "sha256": doc.sha256, "format": doc.format, "encoding": doc.encoding,
              "script": script}
    # One validation of the whole record: tasks, units and deadlines arrive as plain dicts.
    return build(Notice, {
        "parser_version": __version__, "source": source, "text": text, "meta": meta,
        "sections": result.sections, "tasks": result.tasks, "confidence": summary(result.tasks),
        "warnings": result.warnings,
    })
