"""Compare a built warehouse's data-quality counts with a generator's ground truth."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd


def reconcile(warehouse: Path, truth_dir: Path) -> pd.DataFrame:
    """One row per (source table, status, reason) with the truth and warehouse counts.

    Covers raw row totals (status `raw`) and every duplicate and rejection reason that
    either side reports; `matches` is false where the two differ.
    """
    truth = pd.read_csv(truth_dir / "dirt_counts.csv")
    truth = truth[truth["kind"].isin(["rejected", "duplicate"])].rename(
        columns={"kind": "status", "rows": "truth_rows"}
    )
    raw_truth = pd.read_csv(truth_dir / "raw_counts.csv").rename(columns={"raw_rows": "truth_rows"})
    raw_truth["status"] = "raw"
    raw_truth["reason"] = ""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        issues = con.execute(
            "select source_name, row_status as status, reason, row_count as warehouse_rows "
            "from marts.data_quality_issues"
        ).df()
        raw = con.execute(
            "select source_name, 'raw' as status, '' as reason, raw_rows as warehouse_rows "
            "from marts.data_quality"
        ).df()
    finally:
        con.close()
    expected = pd.concat(
        [truth[["source_name", "status", "reason", "truth_rows"]], raw_truth], ignore_index=True
    )
    actual = pd.concat([issues, raw], ignore_index=True)
    merged = expected.merge(actual, on=["source_name", "status", "reason"], how="outer")
    merged[["truth_rows", "warehouse_rows"]] = (
        merged[["truth_rows", "warehouse_rows"]].fillna(0).astype("int64")
    )
    merged = merged[(merged["truth_rows"] != 0) | (merged["warehouse_rows"] != 0)]
    merged["matches"] = merged["truth_rows"] == merged["warehouse_rows"]
    return merged.sort_values(["source_name", "status", "reason"]).reset_index(drop=True)
