"""units.csv: one row per unit (canonical name, else name), with task counts per role and due dates.

Records are built directly from the schema, so the index is tested apart from the
parser's extraction.
"""

from __future__ import annotations

import csv
from pathlib import Path

from parser.writers.units_index import UNIT_COLUMNS, unit_rows, units_frame, write_units_csv
from schemas.notice import Deadline, Milestone, Notice, Source, Task, Unit


def unit(name: str, canonical: str | None = None, level: str = "city") -> Unit:
    return Unit(text=name, name=name, canonical=canonical, level=level, span=(0, len(name)))  # type: ignore[arg-type]


def deadline(*dates: str | None) -> Deadline:
    return Deadline(text="…", span=(0, 1), milestones=[
        Milestone(kind="by", date=d, precision="month") if d else Milestone(kind="ongoing") for d in dates])


def task(tid: str, lead=(), responsible=(), cooperating=(), due: Deadline | None = None) -> Task:  # type: ignore[no-untyped-def]
    return Task(id=tid, text="任务", span=(0, 2), lead=list(lead), responsible=list(responsible),
                cooperating=list(cooperating), deadline=due)


def notice(path: str, *tasks: Task) -> Notice:
    return Notice(text="x" * 10, source=Source(path=path), tasks=list(tasks))


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_counts_per_role_and_due_dates(tmp_path: Path) -> None:
    fgw, fgw_alias = unit("市发展改革委", "示例市发展和改革委员会"), unit("市发改委", "示例市发展和改革委员会")
    czj = unit("市财政局")
    a = notice("a.txt",
               task("t1", lead=[fgw], responsible=[czj], due=deadline("2020-06-30", None)),
               task("t2", lead=[fgw_alias], cooperating=[czj], due=deadline("2020-03-31", "2021-12-31")))
    b = notice("b.txt", task("t1", responsible=[fgw, czj], due=deadline(None)))
    path = tmp_path / "units.csv"
    write_units_csv([a, b], path)
    assert path.read_bytes().startswith("\ufeff".encode())
    rows = {r["unit"]: r for r in read(path)}
    assert list(read(path)[0]) == UNIT_COLUMNS
    assert set(rows) == {"示例市发展和改革委员会", "市财政局"}, "aliases with one canonical name count together"
    f = rows["示例市发展和改革委员会"]
    assert (f["lead_tasks"], f["responsible_tasks"], f["cooperating_tasks"], f["notices"]) == ("2", "1", "0", "2")
    assert (f["earliest_due"], f["latest_due"]) == ("2020-03-31", "2021-12-31")
    assert f["names"] == "市发展改革委、市发改委"
    c = rows["市财政局"]
    assert (c["lead_tasks"], c["responsible_tasks"], c["cooperating_tasks"]) == ("0", "2", "1")
    assert c["canonical"] == ""


def test_a_unit_twice_in_one_task_counts_once() -> None:
    u = unit("市教育局")
    frame = units_frame(unit_rows("a", notice("a.txt", task("t1", lead=[u, u], responsible=[u]))))
    row = frame.iloc[0]
    assert (row["lead_tasks"], row["responsible_tasks"]) == (1, 1)


def test_known_level_wins_and_ties_do_not_depend_on_order() -> None:
    names = [unit("市公安局", level="unknown"), unit("市公安局", level="city"), unit("市公安局", level="unknown")]
    rows = list(unit_rows("a", notice("a", *[task(f"t{i}", lead=[u]) for i, u in enumerate(names)])))
    forward, backward = units_frame(rows), units_frame(reversed(rows))
    assert forward.equals(backward)
    assert forward.iloc[0]["level"] == "city"


def test_no_units_gives_the_header_only(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    write_units_csv([notice("a.txt", task("t1"))], path)
    assert path.read_text(encoding="utf-8-sig").strip() == ",".join(UNIT_COLUMNS)


def test_parse_command_writes_units_csv(tmp_path: Path) -> None:
    from parser.cli import main

    src = tmp_path / "n.txt"
    src.write_text("示例市人民政府办公室关于印发示例方案的通知\n一、重点任务\n（一）推进示例工作。\n"
                   "1.完善配套制度。\n牵头单位：市发展改革委\n责任单位：市财政局\n完成时限：2020年6月底前\n",
                   encoding="utf-8")
    assert main(["parse", str(src), "-o", str(tmp_path / "out")]) == 0
    rows = read(tmp_path / "out" / "units.csv")
    assert all(int(r["lead_tasks"]) + int(r["responsible_tasks"]) + int(r["cooperating_tasks"]) > 0 for r in rows)


def test_pandas_and_plain_python_indexes_agree() -> None:
    """The batch (pandas) and parse (plain Python) builds give the same table, ties and all."""
    import random

    from parser.writers.units_index import units_csv_text, units_table

    rng = random.Random(7)
    names = ["市教育局", "市教育局 ", "市财政局", "县政府", "市发改委", "市发展改革委"]
    rows = []
    for _ in range(400):
        name = rng.choice(names)
        canonical = rng.choice(["", "", "示例市发展和改革委员会"]) if "发" in name else ""
        rows.append((canonical or name, name, canonical, rng.choice(["city", "county", "unknown"]),
                     rng.choice(["lead", "responsible", "cooperating"]), f"n{rng.randrange(5)}",
                     f"t{rng.randrange(8)}", rng.choice(["", "2020-03-31", "2021-12-31", "2019-01-31"]),
                     rng.choice(["", "2020-06-30", "2022-12-31"])))
    plain = units_table(rows)
    frame = units_frame(rows)
    assert [[str(v) for v in r] for r in frame.itertuples(index=False)] == plain
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([UNIT_COLUMNS, *plain])
    assert units_csv_text(frame) == "\ufeff" + buf.getvalue()
