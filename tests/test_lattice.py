"""parser/readers/lattice.py finds the tables pdfplumber's TableFinder finds, cell for cell
and to the last bit of every coordinate: on the ruling lines of every page of the PDFs in
../shared, and on generated grids whose lines are drawn in pieces, a little off their
line, too short, slanted or twice (so that snapping, joining and the length filters all
have work to do).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfplumber.table import TableFinder, TableSettings

from parser.readers import lattice
from parser.readers.pdf_page import edge
from tests.fixtures import SHARED_CORPUS


class _Ruled:
    """What TableFinder asks of a page: its edges."""

    def __init__(self, edges: list[dict[str, Any]]) -> None:
        self.edges = edges


def _pdfplumbers(edges: list[dict[str, Any]]) -> list[tuple[list[tuple[float, ...]], tuple[float, ...]]]:
    return [([tuple(c) for c in t.cells], tuple(t.bbox)) for t in TableFinder(_Ruled(edges)).tables]


def _ours(edges: list[dict[str, Any]]) -> list[tuple[list[tuple[float, ...]], tuple[float, ...]]]:
    return [([tuple(c) for c in cells], tuple(bbox)) for cells, bbox in lattice.find_tables(edges)]


def test_the_tolerances_are_pdfplumbers_defaults() -> None:
    s = TableSettings.resolve(None)
    assert (s.vertical_strategy, s.horizontal_strategy) == ("lines", "lines")
    assert (s.snap_x_tolerance, s.snap_y_tolerance) == (lattice.SNAP, lattice.SNAP)
    assert (s.join_x_tolerance, s.join_y_tolerance) == (lattice.JOIN, lattice.JOIN)
    assert (s.edge_min_length, s.edge_min_length_prefilter) == (lattice.MIN_LENGTH, lattice.PREFILTER)
    assert (s.intersection_x_tolerance, s.intersection_y_tolerance) == (lattice.CROSSING, lattice.CROSSING)


def _shared_pdfs() -> list[Path]:
    return sorted(SHARED_CORPUS.rglob("*.pdf")) if SHARED_CORPUS.is_dir() else []


@pytest.mark.skipif(not _shared_pdfs(), reason="../shared/corpus is absent (a fresh clone has none)")
def test_the_tables_of_the_shared_pdfs_are_pdfplumbers() -> None:
    from parser.readers.pdfium import PdfiumSource

    tables = 0
    for path in _shared_pdfs():
        source = PdfiumSource(path.read_bytes())
        try:
            for k in range(len(source)):
                edges = source.page(k, 100_000).edges
                want = _pdfplumbers(edges)
                assert _ours(edges) == want, f"{path.name} page {k + 1}"
                tables += len(want)
        finally:
            source.close()
    assert tables > 0


# On a grid of half points, with offsets in tenths: distances land exactly on the
# tolerances (3 pt) as often as just inside or outside them.
_POS = st.integers(min_value=0, max_value=1200).map(lambda v: v / 2)
_JITTER = st.integers(min_value=-40, max_value=40).map(lambda v: v / 10)
_GAP = st.integers(min_value=-20, max_value=60).map(lambda v: v / 10)


@st.composite
def _grids(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A ruled grid's edges: each line drawn in up to three pieces, each piece a little off
    the line and apart from the one before by up to twice the join tolerance, some left
    out; then short stubs near the crossings, a slanted edge and a repeated one."""
    xs = sorted(draw(st.lists(_POS, min_size=2, max_size=5, unique=True)))
    ys = sorted(draw(st.lists(_POS, min_size=2, max_size=6, unique=True)))
    edges = []
    for across, positions, (start, end) in ((False, xs, (ys[0], ys[-1])), (True, ys, (xs[0], xs[-1]))):
        for p in positions:
            cuts = [start + (end - start) * k / 100 for k in sorted(draw(st.lists(st.integers(0, 100), max_size=2)))]
            at = start
            for cut in [*cuts, end]:
                if draw(st.integers(0, 3)) or len(cuts) == 0:
                    q = p + draw(_JITTER)
                    a, b = at, max(at, cut)
                    edges.append(edge(a, q, b, q) if across else edge(q, a, q, b))
                at = cut + draw(_GAP)
    for _ in range(draw(st.integers(0, 3))):  # a stub near a line's crossing, of up to 5 pt
        x, y = draw(st.sampled_from(xs)) + draw(_JITTER), draw(st.sampled_from(ys)) + draw(_JITTER)
        length = draw(st.integers(0, 50)) / 10
        edges.append(edge(x, y, x + length, y) if draw(st.booleans()) else edge(x, y, x, y + length))
    if draw(st.booleans()):
        edges.append(edge(xs[0], ys[0], xs[-1], ys[-1]))  # slanted: no orientation
    if edges and draw(st.booleans()):
        edges.append(dict(draw(st.sampled_from(edges))))
    return draw(st.permutations(edges))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_grids())
def test_generated_grids_give_pdfplumbers_tables(edges: list[dict[str, Any]]) -> None:
    assert _ours(edges) == _pdfplumbers(edges)


def test_no_edges_no_tables() -> None:
    assert lattice.find_tables([]) == []
