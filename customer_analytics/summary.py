"""Plain-text summary of a built warehouse: rows per mart and data-quality counts."""

from __future__ import annotations

from pathlib import Path

import duckdb


def mart_row_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Return (table name, row count) for every table in the `marts` schema, by name."""
    tables = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' order by table_name"
    ).fetchall()
    return [
        (name, con.execute(f'select count(*) from marts."{name}"').fetchone()[0])
        for (name,) in tables
    ]


def data_quality_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Return the rows of `marts.data_quality`, ordered by source name."""
    return con.execute(
        "select source_name, raw_rows, kept_rows, duplicate_rows, rejected_rows "
        "from marts.data_quality order by source_name"
    ).fetchall()


def customer_overview(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Lines on the customers as of the as-of date: RFM segments, lifecycle stages, the
    last day's KPIs. Empty when the analytics marts are not built."""
    built = {name for name, _ in mart_row_counts(con)}
    if not {"rfm_segment_summary", "customer_lifecycle", "kpi_daily"} <= built:
        return []
    lines = ["", "Customers by RFM segment:"]
    for segment, customers, share in con.execute(
        "select rfm_segment, customers, customer_share from marts.rfm_segment_summary "
        "order by customers desc, rfm_segment"
    ).fetchall():
        lines.append(f"  {segment:<26} {customers:>12,} {float(share or 0):>9.1%}")
    lines += ["", "Customers by lifecycle stage:"]
    for stage, customers in con.execute(
        "select lifecycle_stage, count(*) from marts.customer_lifecycle "
        "group by lifecycle_stage order by count(*) desc, lifecycle_stage"
    ).fetchall():
        lines.append(f"  {stage:<26} {customers:>12,}")
    day = con.execute(
        "select kpi_date, orders, gross_revenue_reporting, active_customers, nps_trailing, "
        "has_anomaly from marts.kpi_daily order by kpi_date desc limit 1"
    ).fetchone()
    if day:
        kpi_date, orders, revenue, active, nps, anomaly = day
        nps_text = "n/a" if nps is None else f"{float(nps):.1f}"
        lines += [
            "",
            f"Last day ({kpi_date}): {orders:,} orders, revenue {float(revenue):,.2f}, "
            f"{active:,} active customers, trailing NPS {nps_text}"
            + (", anomaly flagged" if anomaly else ""),
        ]
    return lines


def render_summary(warehouse: Path) -> str:
    """Render the summary of the warehouse file as text (opened read-only)."""
    if not warehouse.exists():
        raise FileNotFoundError(
            f"Warehouse file '{warehouse}' does not exist: run `make run` (or `dbt build`) first."
        )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        lines = [f"Warehouse: {warehouse}", "", "Rows per mart:"]
        for name, count in mart_row_counts(con):
            lines.append(f"  marts.{name:<38} {count:>12,}")
        lines += ["", "Data quality (raw = kept + duplicate + rejected):"]
        lines.append(
            f"  {'source table':<26} {'raw':>12} {'kept':>12} {'duplicate':>10} {'rejected':>9}"
        )
        totals = [0, 0, 0, 0]
        for source, raw, kept, dup, rej in data_quality_rows(con):
            lines.append(f"  {source:<26} {raw:>12,} {kept:>12,} {dup:>10,} {rej:>9,}")
            totals = [t + v for t, v in zip(totals, (raw, kept, dup, rej), strict=True)]
        lines.append(
            f"  {'total':<26} {totals[0]:>12,} {totals[1]:>12,} {totals[2]:>10,} {totals[3]:>9,}"
        )
        issues = con.execute(
            "select source_name, row_status, reason, row_count from marts.data_quality_issues "
            "order by row_count desc, source_name, reason limit 12"
        ).fetchall()
        if issues:
            lines += ["", "Most frequent issues:"]
            for source, status, reason, count in issues:
                lines.append(f"  {source:<26} {status:<10} {reason:<24} {count:>9,}")
        lines += customer_overview(con)
        return "\n".join(lines)
    finally:
        con.close()
