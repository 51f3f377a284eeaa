"""Document -> Notice: the stages in order, and nothing else.

reader (done before) → match text → lines → meta → outline → tasks (which call units
and deadlines) → record. Each stage takes and returns plain data, so each can be tested
alone with a few lines of text.
"""

from __future__ import annotations

from datetime import date

from parser import __version__
from parser.confidence import summary
from parser.document import Document
from parser.errors import NotANotice
from parser.lines import split_lines, split_runons
from parser.meta import extract_meta
from parser.options import ParseOptions
from parser.outline import build_outline
from parser.tasks import extract_tasks
from parser.textnorm import normalize
from parser.units import make_context
from schemas.notice import Notice, build


def _notice_date(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None


def parse_document(doc: Document, options: ParseOptions | None = None) -> Notice:
    """Run every stage on a Document and return the validated record."""
    options = options or ParseOptions()
    text = doc.text
    mtext, script = normalize(text)
    lines = split_runons(split_lines(text, mtext))
    meta = extract_meta(text, mtext, doc.portal)
    outline = build_outline(lines, with_sections=False)  # the tasks stage builds the tree
    ctx = make_context(meta, text, options.aliases, mtext)
    result = extract_tasks(text, mtext, lines, outline, ctx, _notice_date(meta.issue_date))
    if options.require_tasks and not result.tasks:
        raise NotANotice("no tasks found", doc.path)
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
