"""Ruled tables from a page's edges: pdfplumber's lattice finder, on tuples.

``find_tables`` gives the cells and box of each table that pdfplumber's ``TableFinder``
sees in the same edges with its default "lines" settings: edges shorter than a point
dropped, edges within 3 pt of a line snapped to their average, pieces of one line within
3 pt of each other joined, edges shorter than 3 pt dropped, crossings within 3 pt, the
smallest cell opening at each crossing, cells grouped into tables by shared corners.

The steps are pdfplumber's (``pdfplumber.table``, 0.11), done in the same order with the
same arithmetic, so every number comes out the same; what differs is that an edge is a
tuple rather than a dict copied at every step, and that each crossing's edges are sets
made once. On a page of a ruled task table that made finding its tables several times
faster; tests/test_lattice.py holds it to pdfplumber's results, on the test and corpus
PDFs and on generated grids.
"""

from __future__ import annotations

import itertools
from typing import Any

Box = tuple[float, float, float, float]
"""x0, top, x1, bottom."""
Edge = tuple[float, float, float, float, float, float]
"""x0, top, x1, bottom, width, height: an edge as pdfplumber's dict has them (a width or
height may differ from x1 - x0 or bottom - top by rounding, as pdfplumber carries it)."""
Point = tuple[float, float]

SNAP = 3.0
JOIN = 3.0
PREFILTER = 1.0
MIN_LENGTH = 3.0
CROSSING = 3.0


def find_tables(edges: list[dict[str, Any]]) -> list[tuple[list[Box], Box]]:
    """(cells, bbox) of each table in the edges (pdfplumber edge dicts), top to bottom."""
    v = [_edge(e) for e in edges if e["orientation"] == "v" and e["height"] >= PREFILTER]
    h = [_edge(e) for e in edges if e["orientation"] == "h" and e["width"] >= PREFILTER]
    v, h = _merge(v, h)
    v = [e for e in v if e[5] >= MIN_LENGTH]
    h = [e for e in h if e[4] >= MIN_LENGTH]
    from pdfplumber.table import cells_to_tables

    out = []
    for cells in cells_to_tables(_cells(_crossings(v, h))):
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        out.append((cells, bbox))
    return out


def _edge(e: dict[str, Any]) -> Edge:
    return (e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"])


def _merge(v: list[Edge], h: list[Edge]) -> tuple[list[Edge], list[Edge]]:
    """pdfplumber's ``merge_edges``: the vertical edges snapped to common x, the horizontal
    ones to common tops; then the pieces of each line joined, line by line."""
    v = _snap(v, 0, across=True)
    h = _snap(h, 1, across=False)
    # Lines in pdfplumber's order: horizontal ones by top, then vertical ones by x (a stable
    # sort of the snapped edges, so pieces at one position keep their order).
    h_lines = itertools.groupby(sorted(h, key=lambda e: e[1]), key=lambda e: e[1])
    v_lines = itertools.groupby(sorted(v, key=lambda e: e[0]), key=lambda e: e[0])
    joined_h = [e for _, line in h_lines for e in _join(list(line), across=True)]
    joined_v = [e for _, line in v_lines for e in _join(list(line), across=False)]
    return joined_v, joined_h


def _snap(edges: list[Edge], at: int, across: bool) -> list[Edge]:
    """pdfplumber's ``snap_objects``: the edges clustered by their position (field ``at``:
    x0 of a vertical edge, top of a horizontal one), values within ``SNAP`` of the one before
    in a cluster, each cluster moved to its mean; clusters in order of position, edges within
    one in their order. A vertical edge moves across (x0 and x1), a horizontal one down."""
    if not edges:
        return []
    values = sorted({e[at] for e in edges})
    cluster_of: dict[float, int] = {}
    k = 0
    for before, value in zip([values[0], *values], values, strict=False):
        if not value <= before + SNAP:  # as pdfplumber asks it
            k += 1
        cluster_of[value] = k
    clusters = [list(group) for _, group in itertools.groupby(sorted(edges, key=lambda e: cluster_of[e[at]]),
                                                             key=lambda e: cluster_of[e[at]])]
    out = []
    for cluster in clusters:
        mean = sum(e[at] for e in cluster) / len(cluster)
        for x0, top, x1, bottom, width, height in cluster:
            if across:
                d = mean - x0
                out.append((x0 + d, top, x1 + d, bottom, width, height))
            else:
                d = mean - top
                out.append((x0, top + d, x1, bottom + d, width, height))
    return out


def _join(line: list[Edge], across: bool) -> list[Edge]:
    """pdfplumber's ``join_edge_group``: the pieces of one line, in order along it, each
    joined to the one before when it starts within ``JOIN`` of its end (extending it when
    it reaches further)."""
    start, end = (0, 2) if across else (1, 3)
    pieces = sorted(line, key=lambda e: e[start])
    joined = [pieces[0]]
    for e in pieces[1:]:
        last = joined[-1]
        if e[start] <= last[end] + JOIN:
            if e[end] > last[end]:
                joined[-1] = _extend(last, e[end], across)
        else:
            joined.append(e)
    return joined


def _extend(e: Edge, to: float, across: bool) -> Edge:
    """pdfplumber's ``resize_object`` of an edge's end: x1 (the width made anew) or bottom
    (the height grown by the difference)."""
    x0, top, x1, bottom, width, height = e
    if across:
        return (x0, top, to, bottom, to - x0, height)
    return (x0, top, x1, to, width, height + (to - bottom))


def _crossings(v: list[Edge], h: list[Edge]) -> dict[Point, tuple[list[Edge], list[Edge]]]:
    """pdfplumber's ``edges_to_intersections``: where a vertical edge meets a horizontal one
    (within ``CROSSING``), with the edges that meet there."""
    found: dict[Point, tuple[list[Edge], list[Edge]]] = {}
    h = sorted(h, key=lambda e: (e[1], e[0]))
    for ve in sorted(v, key=lambda e: (e[0], e[1])):
        x, top, bottom = ve[0], ve[1], ve[3]
        for he in h:
            if top <= he[1] + CROSSING and bottom >= he[1] - CROSSING and x >= he[0] - CROSSING \
                    and x <= he[2] + CROSSING:
                vs, hs = found.setdefault((x, he[1]), ([], []))
                vs.append(ve)
                hs.append(he)
    return found


def _cells(crossings: dict[Point, tuple[list[Edge], list[Edge]]]) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``: the smallest cell opening at each crossing,
    i.e. the first crossing below it on an edge they share and the first to its right on an
    edge they share whose opposite corner is a crossing on both their edges.

    Two crossings share an edge when an edge of the same box passes through both: each
    crossing's edges are made a set of boxes once."""
    v = {p: {e[:4] for e in vs} for p, (vs, _) in crossings.items()}
    h = {p: {e[:4] for e in hs} for p, (_, hs) in crossings.items()}
    points = sorted(crossings)
    by_x: dict[float, list[Point]] = {}  # a column of crossings, top to bottom
    by_y: dict[float, list[Point]] = {}  # a row of crossings, left to right
    for p in points:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    down = {p: k for column in by_x.values() for k, p in enumerate(column)}
    place = {p: k for row in by_y.values() for k, p in enumerate(row)}
    cells = []
    for pt in points:
        cell = _cell_at(pt, by_x[pt[0]][down[pt] + 1:], by_y[pt[1]][place[pt] + 1:], v, h)
        if cell is not None:
            cells.append(cell)
    return cells


def _cell_at(pt: Point, below: list[Point], right: list[Point], v: dict[Point, set[Box]],
             h: dict[Point, set[Box]]) -> Box | None:
    """The smallest cell with its top left corner at ``pt`` (see ``_cells``), or None."""
    down, across = v[pt], h[pt]
    for b in below:
        if down.isdisjoint(v[b]):
            continue
        for r in right:
            if across.isdisjoint(h[r]):
                continue
            corner = (r[0], b[1])
            if corner in v and not v[corner].isdisjoint(v[r]) and not h[corner].isdisjoint(h[b]):
                return (pt[0], pt[1], r[0], b[1])
    return None
