"""GB/T 9704 elements of a notice.  (placeholder: the extractor is being written)"""

from __future__ import annotations

from schemas.notice import Meta


def extract_meta(text: str, mtext: str, portal: dict[str, str] | None = None) -> Meta:
    """Find 文号, titles, 主送, 署名, 成文日期, references, 抄送, 印发 and 附件."""
    return Meta()
