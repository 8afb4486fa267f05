"""Incremental base models (issue 7): a nightly build reads only new and changed raw
files, and gives exactly the rows a full refresh of the same files gives.

A small sample is built in full, then receives two days of deliveries (re-exports, late
versions of orders, new orders, lines that arrive a day before their orders), a monthly
file re-exported with rows removed and changed, and a file withdrawn. After each day an
incremental build runs; at the end a full refresh of the same folder is built into
another warehouse, and every base and staging relation is compared row by row.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from customer_analytics.increment import write_increment
from tests.conftest import generate_sample
from tests.parsed_dbt import ParsedDbt

SAMPLE_CUSTOMERS = 300
SAMPLE_SEED = 5
INCREMENTAL_MODELS = [
    "base_events__behaviour_events",
    "base_web_shop__orders",
    "base_web_shop__order_lines",
    "base_app__orders",
    "base_app__order_items",
    "base_pos__sales",
    "base_marketplace__orders",
    "base_marketplace__order_items",
]
COMPARED = [
    *INCREMENTAL_MODELS,
    "stg_events__behaviour_events",
    "stg_web_shop__orders",
    "stg_web_shop__order_lines",
    "stg_app__orders",
    "stg_app__order_items",
    "stg_pos__sales",
    "stg_marketplace__orders",
    "stg_marketplace__order_items",
    "stg_web_shop__rejected_rows",
    "stg_marketplace__rejected_rows",
    "stg_events__rejected_rows",
]
# The incremental models with what they read and the staging views compared, without
# dbt's tests (make test runs those).
STAGING = [
    "build",
    "--select",
    "+config.materialized:incremental",
    *[relation for relation in COMPARED if relation.startswith("stg_")],
    "--exclude-resource-type",
    "test",
    "unit_test",
]
# A fifth of the keys of each feed take part in each kind of change.
PER_MILLION = 200_000
WITHDRAWN_FILE = "events/events_202302.parquet"


@dataclass
class History:
    raw_dir: Path
    incremental: Path
    full: Path
    target: Path
    snapshots: dict[str, dict[str, int]]
    reexported: Path | None = None


def _warehouse(folder: Path, name: str) -> Path:
    """A warehouse file of its own folder: the parsed project names its database after
    the file, so every warehouse here is a `warehouse.duckdb`."""
    (folder / name).mkdir(parents=True, exist_ok=True)
    return folder / name / "warehouse.duckdb"


def _build(parsed: ParsedDbt, raw_dir: Path, warehouse: Path, *extra: str) -> None:
    result = parsed.invoke([*STAGING, *extra], raw_dir, warehouse)
    assert result.success, result.text[-3000:]


def _status_counts(warehouse: Path, model: str, like: str) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            f"select coalesce(row_status_reason, row_status), count(*) from staging.{model}"
            " where _source_file like ? group by 1",
            [like],
        ).fetchall()
    return dict(rows)


def _reexport_month(raw_dir: Path) -> Path:
    """Replace the largest monthly marketplace file by a re-export: 3 rows fewer, 3
    amounts changed."""
    path = max((raw_dir / "marketplace").glob("orders_2*.csv"), key=lambda p: p.stat().st_size)
    with duckdb.connect() as con:
        con.execute(
            f"create table month as select *, row_number() over () as n from read_csv("
            f"'{path}', header = true, all_varchar = true)"
        )
        assert con.execute("select count(*) from month").fetchone()[0] > 10
        con.execute("delete from month where n in (3, 6, 9)")
        con.execute(
            "update month set total_amount = cast(try_cast(total_amount as decimal(18, 2))"
            " + 1 as varchar) where n in (1, 2, 4)"
        )
        con.execute(
            f"copy (select * exclude (n) from month order by n) to '{path}'"
            " (format csv, header true, force_quote *)"
        )
    return path


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> ParsedDbt:
    return ParsedDbt.shared(tmp_path_factory)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, parsed: ParsedDbt) -> Iterator[History]:
    base = tmp_path_factory.mktemp("incremental")
    raw_dir = base / "raw"
    generate_sample(raw_dir, base / "truth", SAMPLE_CUSTOMERS, SAMPLE_SEED)
    history = History(raw_dir, _warehouse(base, "incremental"), _warehouse(base, "full"), base, {})
    _build(parsed, raw_dir, history.incremental)

    # Day 1: re-exports, late versions, new events, lines whose orders come tomorrow, a
    # monthly file re-exported with changes, a withdrawn file.
    write_increment(
        raw_dir, "d1", PER_MILLION, parts={"reexports", "updates", "new_lines", "new_events"}
    )
    history.reexported = _reexport_month(raw_dir)
    (raw_dir / WITHDRAWN_FILE).unlink()
    _build(parsed, raw_dir, history.incremental)
    history.snapshots["day1_lines"] = _status_counts(
        history.incremental, "base_web_shop__order_lines", "%increment_d1%"
    )

    # Day 2: the orders of yesterday's lines.
    write_increment(raw_dir, "d2", PER_MILLION, parts={"new_orders"}, new_key_tag="d1")
    _build(parsed, raw_dir, history.incremental)

    # The same folder, built in full into a new warehouse.
    _build(parsed, raw_dir, history.full)
    yield history
    shutil.rmtree(base, ignore_errors=True)


def _difference(
    history: History, relation: str, ignored: tuple[str, ...] = ("_loaded_at",)
) -> tuple[int, int, int]:
    """Rows only in the incremental build, only in the full one, and in all (the columns
    `ignored` left out: by default when a row was read)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{history.incremental}' as inc (read_only)")
        con.execute(f"attach '{history.full}' as rebuilt (read_only)")
        columns = [
            row[0]
            for row in con.execute(
                "select column_name from duckdb_columns() where database_name = 'rebuilt'"
                " and table_name = ? and not list_contains(?, column_name)"
                " order by column_index",
                [relation, list(ignored)],
            ).fetchall()
        ]
        assert columns, relation
        listed = ", ".join(f'"{column}"' for column in columns)
        only_inc = con.execute(
            f"select count(*) from (select {listed} from inc.staging.{relation}"
            f" except all select {listed} from rebuilt.staging.{relation})"
        ).fetchone()[0]
        only_full = con.execute(
            f"select count(*) from (select {listed} from rebuilt.staging.{relation}"
            f" except all select {listed} from inc.staging.{relation})"
        ).fetchone()[0]
        total = con.execute(f"select count(*) from rebuilt.staging.{relation}").fetchone()[0]
    return only_inc, only_full, total


@pytest.mark.parametrize("relation", COMPARED)
def test_incremental_equals_full_refresh(history: History, relation: str) -> None:
    only_incremental, only_full, total = _difference(history, relation)
    assert total > 0
    assert (only_incremental, only_full) == (0, 0)


def test_incremental_models_are_incremental(history: History) -> None:
    with duckdb.connect(str(history.incremental), read_only=True) as con:
        runs = dict(
            con.execute(
                "select table_name, count(distinct _loaded_at) from ("
                + " union all ".join(
                    f"select '{model}' as table_name, _loaded_at from staging.{model}"
                    for model in INCREMENTAL_MODELS
                )
                + ") group by 1"
            ).fetchall()
        )
    # Rows read on the first build were kept, not read again, by the later ones.
    assert all(count >= 2 for count in runs.values()), runs


def test_withdrawn_file_rows_are_gone(history: History) -> None:
    name = Path(WITHDRAWN_FILE).name
    with duckdb.connect(str(history.incremental), read_only=True) as con:
        left = con.execute(
            "select count(*) from staging.base_events__behaviour_events where _source_file = ?",
            [name],
        ).fetchone()[0]
    assert left == 0


def test_reexported_month_replaces_its_rows(history: History) -> None:
    path = history.reexported
    assert path is not None
    with duckdb.connect(str(history.incremental), read_only=True) as con:
        in_file = con.execute(
            f"select count(*) from read_csv('{path}', header = true, all_varchar = true)"
        ).fetchone()[0]
        loaded = con.execute(
            "select count(*), count(distinct _source_file_bytes)"
            " from staging.base_marketplace__orders where _source_file = ?",
            [path.name],
        ).fetchone()
    assert loaded == (in_file, 1)


def test_late_versions_supersede_and_reexports_are_duplicates(history: History) -> None:
    counts = _status_counts(history.incremental, "base_marketplace__orders", "%increment_d1%")
    # The late versions are kept and the re-exported copies are exact duplicates.
    assert counts.get("kept", 0) > 0
    assert counts.get("exact_duplicate", 0) > 0
    with duckdb.connect(str(history.incremental), read_only=True) as con:
        superseded_earlier = con.execute(
            "select count(*) from staging.base_marketplace__orders as old"
            " join staging.base_marketplace__orders as late"
            " on old.parsed_platform = late.parsed_platform"
            " and old.parsed_platform_order_no = late.parsed_platform_order_no"
            " where late._source_file like '%increment_d1%' and late.row_status = 'kept'"
            " and old._source_file not like '%increment%'"
            " and old.row_status_reason = 'superseded_version'"
        ).fetchone()[0]
    assert superseded_earlier > 0


def test_lines_wait_for_their_orders(history: History) -> None:
    # Day 1: the lines of orders not yet delivered are orphans; day 2 their orders
    # arrive and the same lines are kept.
    day1 = history.snapshots["day1_lines"]
    assert day1.get("orphan_line", 0) > 0
    with duckdb.connect(str(history.incremental), read_only=True) as con:
        now = dict(
            con.execute(
                "select coalesce(row_status_reason, row_status), count(*)"
                " from staging.base_web_shop__order_lines"
                " where _source_file like '%increment_d1%' and order_id like '%Nd1'"
                " group by 1"
            ).fetchall()
        )
    # Lines copied from orphan lines of the sample stay orphans: their orders never come.
    assert now.get("orphan_line", 0) < day1["orphan_line"] / 5
    assert now.get("kept", 0) > day1.get("kept", 0)


def test_changed_vars_reprocess_every_file(
    history: History, parsed: ParsedDbt, tmp_path: Path
) -> None:
    # A var the parsing depends on changes: the next incremental build reads every file
    # again, and still equals a full refresh under the new value.
    changed = ["--vars", "{marketplace_timezone: UTC}"]
    copy = _warehouse(tmp_path, "incremental")
    shutil.copyfile(history.incremental, copy)
    _build(parsed, history.raw_dir, copy, *changed)
    full = _warehouse(tmp_path, "full")
    _build(parsed, history.raw_dir, full, *changed)
    moved = History(history.raw_dir, copy, full, tmp_path, {})
    assert _difference(moved, "base_marketplace__orders")[:2] == (0, 0)
    assert _difference(moved, "stg_marketplace__orders")[:2] == (0, 0)


def test_latest_valid_date_moving(history: History, parsed: ParsedDbt, tmp_path: Path) -> None:
    # Built with one latest valid date, then incrementally with a later one: the rows
    # quarantined as future_timestamp are validated again; then with the first date
    # again: every file is read again. Each time the rows equal a full refresh under the
    # date of the day.
    earlier, later = "{latest_valid_date: 2025-06-30}", "{latest_valid_date: 2040-12-31}"
    built = _warehouse(tmp_path, "incremental")
    _build(parsed, history.raw_dir, built, "--vars", earlier)
    full_earlier = _warehouse(tmp_path, "full_earlier")
    shutil.copyfile(built, full_earlier)
    _build(parsed, history.raw_dir, built, "--vars", later)
    full_later = _warehouse(tmp_path, "full_later")
    _build(parsed, history.raw_dir, full_later, "--vars", later)
    # Rows validated under the earlier date keep it as their stamp: a row that was not
    # in the future then is not now either.
    ignored = ("_loaded_at", "_latest_valid_date")
    moved_on = History(history.raw_dir, built, full_later, tmp_path, {})
    for relation in INCREMENTAL_MODELS:
        assert _difference(moved_on, relation, ignored)[:2] == (0, 0), relation
    with duckdb.connect(str(full_earlier), read_only=True) as con:
        future_earlier = _future_rows(con)
    with duckdb.connect(str(full_later), read_only=True) as con:
        future_later = _future_rows(con)
    # The dates are far enough apart to change what counts as future.
    assert future_earlier > future_later > 0

    _build(parsed, history.raw_dir, built, "--vars", earlier)
    went_back = History(history.raw_dir, built, full_earlier, tmp_path, {})
    for relation in INCREMENTAL_MODELS:
        assert _difference(went_back, relation, ("_loaded_at",))[:2] == (0, 0), relation


def _future_rows(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "select count(*) from staging.base_events__behaviour_events"
        " where reject_reason = 'future_timestamp'"
    ).fetchone()[0]


def test_a_changed_file_is_checked_again(
    history: History, parsed: ParsedDbt, tmp_path: Path
) -> None:
    # Files already checked are not read at the start of a run, but a file whose size
    # or time changed is: a re-export that is no longer UTF-8 is refused by name.
    path = history.raw_dir / "web_shop" / "orders_increment_d1.csv"
    original, stat = path.read_bytes(), path.stat()
    copy = _warehouse(tmp_path, "incremental")
    shutil.copyfile(history.incremental, copy)
    try:
        path.write_bytes(original + "W9,绍兴\n".encode("gbk"))
        result = parsed.invoke([*STAGING], history.raw_dir, copy)
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not result.success
    assert "orders_increment_d1.csv" in result.text and "UTF-8" in result.text
