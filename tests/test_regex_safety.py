"""No regular expression of the parser may backtrack catastrophically.

Every compiled ``regex`` pattern of every ``parser.*`` module is collected — module
globals (also inside lists, tuples and dicts) and the return values of the cached
zero-argument pattern builders — and run over worst-case strings with the ``regex``
per-call ``timeout=``. A pattern that needs more than the limit on 1 MB of one
character or on 40,000 nested brackets would hang a batch on a hostile notice, so it
fails here, named with its module. The whole-parse checks (1 MB pathological inputs in
a subprocess, linear growth 1 MB → 4 MB) are at the end.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex

import parser

LIMIT_S = 15.0
"""Per call. A quadratic pattern needs minutes on 1 MB; the slowest linear one about 3 s."""
MB = 1_000_000
ROOT = Path(__file__).resolve().parent.parent


def _modules() -> Iterator[object]:
    for info in pkgutil.walk_packages(parser.__path__, "parser."):
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional extra (dask, pyarrow) missing: nothing to check there
            continue


def _harvest(value: object, depth: int = 0) -> Iterator[regex.Pattern]:
    if isinstance(value, regex.Pattern):
        yield value
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _harvest(item, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from _harvest(item, depth + 1)


def _zero_arg(fn: object) -> bool:
    try:
        sig = inspect.signature(fn)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in sig.parameters.values())


def _builders(module: object) -> Iterator[tuple[str, object]]:
    """Pattern builders: cached zero-arg functions and any zero-arg function named ``*_re``."""
    for name, fn in vars(module).items():
        if not callable(fn) or getattr(fn, "__module__", None) != module.__name__:  # type: ignore[attr-defined]
            continue
        cached = isinstance(fn, functools._lru_cache_wrapper)
        if (cached or name.endswith("_re")) and not inspect.isclass(fn) and _zero_arg(fn):
            yield name, fn


def collect_patterns() -> list[tuple[str, regex.Pattern]]:
    """(where, pattern) for every distinct compiled pattern the parser holds."""
    seen: dict[tuple[object, int], str] = {}
    out: list[tuple[str, regex.Pattern]] = []

    def add(where: str, values: object) -> None:
        for pat in _harvest(values):
            key = (pat.pattern, pat.flags)
            if key not in seen:
                seen[key] = where
                out.append((where, pat))

    for module in _modules():
        mod = module.__name__  # type: ignore[attr-defined]
        for name, value in vars(module).items():
            add(f"{mod}.{name}", value)
        for name, fn in _builders(module):
            try:
                value = fn()  # type: ignore[operator]
            except Exception:  # a builder that needs data or state: its patterns are not collectable
                continue
            add(f"{mod}.{name}()", value)
    return out


PATTERNS = collect_patterns()


TAIL = "x\n年月日号底前完成。）)|、：；牵头单位负责配合"


def _worst_cases() -> dict[str, str]:
    cases = {f"1MB of {ch!r}": ch * MB for ch in ("一", "、", "(", "（", "|", " ", "1", "年", "：", "\n")}
    # The same runs before a tail holding the literals patterns require: without it the regex
    # engine sees a required character is absent and never backtracks (\s*\n\s* on 120k spaces).
    for ch in ("一", "、", "(", "|", " ", "1", "年", "\t"):
        cases[f"1MB of {ch!r} + tail"] = ch * MB + TAIL
    # A number or a lead word, then the run: a pattern whose two space runs meet there
    # (\s*个?\s* after a number) backtracks quadratically from that one position.
    for head in ("20", "三", "自", "（", "牵头单位："):
        cases[f"{head!r} + 1MB of ' ' + tail"] = head + " " * MB + TAIL
    # 200k rather than 40k: quadratic on 40k brackets can still finish inside the limit.
    cases["200k nested ()"] = "(" * 200_000 + "x" + ")" * 200_000
    cases["200k nested （）"] = "（" * 200_000 + "市" + "）" * 200_000
    cases["200k nested 〔〕"] = "〔" * 200_000 + "〕" * 200_000
    cases["牵头单位: runs"] = "牵头单位:" * 10_000
    cases["牵头单位： runs"] = "牵头单位：" * 10_000
    cases["unit list run"] = "市发改委、" * 20_000
    cases["date run"] = "2017年" * 20_000
    cases["date run 2"] = "2017年12月底前" * 10_000
    cases["marker run"] = "（一）" * 20_000
    cases["number run"] = "1.1." * 50_000
    cases["pipe cells"] = " | ".join(["市发改委"] * 20_000)
    return cases


CASES = _worst_cases()


def test_patterns_were_found() -> None:
    """The collector must see the parser's patterns at all, or the check below proves nothing."""
    modules = {where.rsplit(".", 1)[0] for where, _ in PATTERNS}
    assert len(PATTERNS) >= 30, PATTERNS
    for expected in ("parser.deadlines", "parser.tasks.assign", "parser.outline", "parser.units"):
        assert any(m.startswith(expected) for m in modules), (expected, sorted(modules))


def _stdlib_patterns() -> list[tuple[str, re.Pattern]]:
    """Every compiled ``re`` pattern the parser holds (module globals and cached builders)."""
    out: list[tuple[str, re.Pattern]] = []
    for module in _modules():
        mod = module.__name__  # type: ignore[attr-defined]
        values = [(f"{mod}.{name}", value) for name, value in vars(module).items()]
        for name, fn in _builders(module):
            try:
                values.append((f"{mod}.{name}()", fn()))  # type: ignore[operator]
            except Exception:
                continue
        for where, value in values:
            items = value if isinstance(value, (list, tuple)) else [value]
            out.extend((where, v) for v in items if isinstance(v, re.Pattern))
    return out


def test_stdlib_re_is_only_used_for_literal_alternations() -> None:
    """``re`` has no timeout, so the parser may use it only through ``rx.literal_alternation``
    (plain words, which cannot backtrack); everything else must be a ``regex`` pattern."""
    from parser.rx import LITERAL_PATTERNS

    found = _stdlib_patterns()
    assert found, "the province scan should be found: the collector would prove nothing"
    stray = [(where, p.pattern[:60]) for where, p in found if p not in LITERAL_PATTERNS]
    assert not stray, stray


def test_timeout_catches_a_backtracking_pattern() -> None:
    """The harness itself: a known catastrophic pattern is reported, not waited out."""
    bad = regex.compile(r"(\w|\w\w)+\b\W?\d")
    assert _slow_case(bad, {"a-run": "a" * 5000}, 0.3) == "a-run"


def _slow_case(pat: regex.Pattern, cases: dict[str, str], limit: float) -> str | None:
    for label, text in cases.items():
        subject: str | bytes = text.encode("utf-8") if isinstance(pat.pattern, bytes) else text
        try:
            if pat.search(subject, timeout=limit) is None:
                continue
            # finditer as the parser uses it: many matches, each cheap, none quadratic.
            for n, _ in enumerate(pat.finditer(subject, timeout=limit)):
                if n > 2000:
                    break
        except TimeoutError:
            return label
    return None


@pytest.mark.parametrize(("where", "pat"), PATTERNS, ids=[w for w, _ in PATTERNS])
def test_pattern_is_linear_on_worst_cases(where: str, pat: regex.Pattern) -> None:
    slow = _slow_case(pat, CASES, LIMIT_S)
    assert slow is None, f"{where}: /{pat.pattern}/ takes over {LIMIT_S}s on {slow}"


# ---------------------------------------------------------------- whole parse


def _notice(target_bytes: int) -> str:
    """A generated notice of about ``target_bytes`` of UTF-8: a cover and a repeated realistic task block."""
    head = ("衡川市人民政府办公室关于印发重点任务分工方案的通知\n衡政办发〔2019〕12号\n"
            "各县区人民政府，市政府各部门：\n现将方案印发给你们，请认真贯彻落实。\n"
            "衡川市人民政府办公室\n2019年3月1日\n重点任务分工方案\n")
    parts = [head]
    size = len(head.encode("utf-8"))
    n = 0
    while size < target_bytes:
        n += 1
        block = (f"{_cn(n)}、第{n}部分重点任务\n"
                 f"（一）推进第{n}项改革。完善配套政策，加强督查考核，确保按期完成。\n"
                 "牵头单位：市发展改革委。\n责任单位：市财政局、市教育局、各县区政府。\n"
                 "完成时限：2019年12月底前。\n"
                 f"（二）建设第{n}批项目（市住房城乡建设局牵头，市自然资源局、市生态环境局配合，2020年6月底前完成）。\n"
                 f"序号 | 工作任务 | 牵头单位 | 完成时限\n{n} | 开展专项整治 | 市市场监管局 | 持续推进\n")
        parts.append(block)
        size += len(block.encode("utf-8"))
    return "".join(parts)


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    return "".join(digits[int(d)] for d in str(n))


def _timed_parse(tmp: Path, name: str, text: str) -> float:
    """Seconds one ``parse_file`` takes in a fresh interpreter (imports and warm-up excluded)."""
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    code = ("import sys,time; from parser import parse_file, parse_text; parse_text('一、任务\\n牵头单位：市财政局。\\n');"
            "t=time.perf_counter(); parse_file(sys.argv[1]); print(time.perf_counter()-t)")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return float(proc.stdout.strip().splitlines()[-1])


def test_parse_time_grows_linearly(tmp_path: Path) -> None:
    """4 MB of notice may take at most 6× the time of 1 MB (a ratio, not a wall-clock bound)."""
    t1 = _timed_parse(tmp_path, "one.txt", _notice(MB))
    t4 = _timed_parse(tmp_path, "four.txt", _notice(4 * MB))
    assert t4 < 6 * t1, f"1 MB: {t1:.2f}s, 4 MB: {t4:.2f}s, ratio {t4 / t1:.1f}"


PATHOLOGICAL = {
    "one line without punctuation": "推进改革发展" * (MB // 18),
    "100k pipes": "|" * 100_000,
    "pipes between units": "市财政局|" * 100_000,
    "50k nested brackets": "（" * 50_000 + "市财政局" + "）" * 50_000,
    "50k nested ascii brackets": "(" * 50_000 + ")" * 50_000,
    "200k enumeration commas": "、" * 200_000,
    "unit list of 100k": "牵头单位：" + "市发改委、" * 100_000,
    "100k markers": "（一）" * 100_000,
    "100k label lines": "牵头单位：\n" * 100_000,
    "date run": "2017年" * 100_000,
    "label then 300k brackets": "一、任务\n牵头单位：" + "（" * 300_000 + "市财政局\n",
    "label then 300k closing brackets": "一、任务\n牵头单位：市财政局" + "）" * 300_000 + "\n",
    "number then 300k spaces": "完成时限：20" + " " * 300_000 + "18年9月底前\n",
}
HANG_S = 60.0


@pytest.mark.parametrize("case", list(PATHOLOGICAL), ids=list(PATHOLOGICAL))
def test_pathological_input_parses_or_fails_cleanly(tmp_path: Path, case: str) -> None:
    """Each ~1 MB pathological file finishes (record or NoticeError) well inside the hang limit."""
    path = tmp_path / "bad.txt"
    path.write_text(PATHOLOGICAL[case], encoding="utf-8")
    code = ("import sys; from parser import parse_file; from parser.errors import NoticeError\n"
            "try: parse_file(sys.argv[1])\nexcept NoticeError as e: print('notice-error', e.code)\n")
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                              timeout=HANG_S, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: parse did not finish in {HANG_S:.0f}s (hang)")
    assert proc.returncode == 0, f"{case}: crashed after {time.monotonic() - start:.1f}s\n{proc.stderr[-3000:]}"
