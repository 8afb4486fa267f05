"""Every raw row is accounted for, and the counts match the generator's ground truth."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.raw_files import read_raw, source_tables

SOURCE_NAMES = sorted(source_tables())


def test_layers_live_in_their_own_schemas(con) -> None:
    schemas = {row[0] for row in con.execute("select schema_name from duckdb_schemas()").fetchall()}
    assert {"raw", "reference", "staging", "intermediate", "marts"} <= schemas


def test_data_quality_has_one_row_per_source_table(con) -> None:
    names = [row[0] for row in con.execute("select source_name from marts.data_quality").fetchall()]
    assert sorted(names) == SOURCE_NAMES


@pytest.mark.parametrize("source_name", SOURCE_NAMES)
def test_raw_rows_equal_an_independent_count_of_the_files(build, con, source_name) -> None:
    expected = len(read_raw(build.raw_dir, source_name))
    raw_rows, kept, dup, rej = con.execute(
        "select raw_rows, kept_rows, duplicate_rows, rejected_rows "
        "from marts.data_quality where source_name = ?",
        [source_name],
    ).fetchone()
    assert raw_rows == expected
    assert raw_rows == kept + dup + rej


def _truth_counts(build) -> pd.DataFrame:
    truth = pd.read_csv(build.truth_dir / "dirt_counts.csv")
    return truth[truth["kind"].isin(["rejected", "duplicate"])]


def test_injected_dirt_matches_quarantine_and_duplicates_by_reason(build, con) -> None:
    truth = _truth_counts(build)
    expected = {
        (row.source_name, row.reason): int(row.rows) for row in truth.itertuples() if row.rows
    }
    actual = {
        (source, reason): count
        for source, reason, count in con.execute(
            "select source_name, reason, row_count from marts.data_quality_issues"
        ).fetchall()
    }
    assert actual == expected


def test_raw_row_totals_match_the_generators_counts(build, con) -> None:
    raw_counts = pd.read_csv(build.truth_dir / "raw_counts.csv")
    expected = dict(zip(raw_counts["source_name"], raw_counts["raw_rows"], strict=True))
    actual = dict(con.execute("select source_name, raw_rows from marts.data_quality").fetchall())
    assert actual == expected
