"""Write a day's delivery of raw export files beside an existing sample, as a retailer's
systems would drop them for a nightly incremental build.

An increment holds, for every order and event feed, new files only (the files already
there are left alone):
- re-exports: rows already delivered, sent again unchanged;
- late updates: newer versions of orders already delivered (the version time one day
  later: marketplace `modified_time`, web `updated_at`, app `updated_ms`);
- new orders with their lines, and new events: sampled rows under new keys (the key with
  a suffix `N<tag>`), so that the volume of a day is easy to set.
Lines of new orders can be written without their orders (`parts` without "new_orders"),
and the orders in a later increment: the lines are orphans until their orders arrive.

Rows are picked by a hash of their key, so an increment is the same for the same tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

ALL_PARTS = frozenset({"reexports", "updates", "new_orders", "new_lines", "new_events"})


@dataclass(frozen=True)
class Feed:
    """One raw export: where its files are, its key, and how a row's version moves on."""

    folder: str
    stem: str
    fmt: str
    key: str
    # SQL giving the row a version one day later (parent feeds only).
    later_version: tuple[str, str] | None = None
    # Columns that take the new-key suffix, and the parent feed they follow (line feeds).
    new_key_columns: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def pattern(self) -> str:
        return f"{self.folder}/{self.stem}*.{self.fmt}"


FEEDS: dict[str, Feed] = {
    "web_orders": Feed(
        "web_shop",
        "orders",
        "csv",
        key="order_id",
        later_version=(
            "updated_at",
            "coalesce(strftime(try_cast(substr(updated_at, 1, 19) as timestamp)"
            " + interval 1 day, '%Y-%m-%dT%H:%M:%S') || substr(updated_at, 20), updated_at)",
        ),
        new_key_columns=("order_id",),
    ),
    "web_lines": Feed(
        "web_shop",
        "order_lines",
        "csv",
        key="order_id",
        new_key_columns=("order_id",),
        parent="web_orders",
    ),
    "marketplace_orders": Feed(
        "marketplace",
        "orders_",
        "csv",
        key="platform_order_no",
        later_version=(
            "modified_time",
            "coalesce(strftime(try_cast(modified_time as timestamp) + interval 1 day,"
            " '%Y-%m-%d %H:%M:%S'), modified_time)",
        ),
        new_key_columns=("platform_order_no",),
    ),
    "marketplace_items": Feed(
        "marketplace",
        "order_items",
        "csv",
        key="platform_order_no",
        new_key_columns=("platform_order_no", "sub_order_no"),
        parent="marketplace_orders",
    ),
    "app_orders": Feed(
        "app",
        "orders",
        "parquet",
        key="order_id",
        later_version=("updated_ms", "updated_ms + 86400000"),
        new_key_columns=("order_id",),
    ),
    "app_items": Feed(
        "app",
        "order_items",
        "parquet",
        key="order_id",
        new_key_columns=("order_id",),
        parent="app_orders",
    ),
    "pos_sales": Feed("pos", "sales_", "csv", key="receipt_no", new_key_columns=("receipt_no",)),
    "events": Feed("events", "events_", "parquet", key="event_id", new_key_columns=("event_id",)),
}


def _reader(raw_dir: Path, feed: Feed) -> str:
    pattern = str(raw_dir / feed.pattern).replace("'", "''")
    if feed.fmt == "csv":
        return f"read_csv('{pattern}', header = true, all_varchar = true, union_by_name = true)"
    return f"read_parquet('{pattern}', union_by_name = true)"


def _picked(key: str, tag: str, kind: str, per_million: int) -> str:
    return f"hash(coalesce({key}, '') || '{tag}/{kind}') % 1000000 < {per_million}"


def write_increment(
    raw_dir: Path,
    tag: str,
    per_million: int = 1000,
    parts: Iterable[str] = ALL_PARTS,
    new_key_tag: str | None = None,
) -> dict[str, int]:
    """Write the increment `tag` into `raw_dir`; return the rows written per new file.

    `per_million` rows (by key) of each feed are picked for each kind of change;
    `new_key_tag` names the new keys (default `tag`), so that the orders of lines
    written by an earlier increment can follow in a later one.
    """
    parts = set(parts)
    unknown = parts - ALL_PARTS
    if unknown:
        raise ValueError(f"unknown increment parts: {sorted(unknown)}")
    suffix = f"N{new_key_tag or tag}"
    written: dict[str, int] = {}
    con = duckdb.connect()
    try:
        for name, feed in FEEDS.items():
            reader = _reader(raw_dir, feed)
            selects = []
            if "reexports" in parts:
                selects.append(
                    f"select * from {reader} where {_picked(feed.key, tag, 'copy', per_million)}"
                )
            if "updates" in parts and feed.later_version:
                column, expression = feed.later_version
                selects.append(
                    f"select * replace ({expression} as {column}) from {reader}"
                    f" where {_picked(feed.key, tag, 'update', per_million)}"
                )
            is_new_part = (
                "new_events" if name == "events" else "new_lines" if feed.parent else "new_orders"
            )
            if is_new_part in parts:
                # Lines follow their orders: both pick by the order key.
                picked_key = feed.key
                replaced = ", ".join(
                    f"{column} || '{suffix}' as {column}" for column in feed.new_key_columns
                )
                selects.append(
                    f"select * replace ({replaced}) from {reader}"
                    f" where {_picked(picked_key, new_key_tag or tag, 'new', per_million)}"
                )
            if not selects:
                continue
            target = raw_dir / feed.folder / f"{feed.stem.rstrip('_')}_increment_{tag}.{feed.fmt}"
            query = " union all by name ".join(f"({select})" for select in selects)
            count = con.execute(f"select count(*) from ({query})").fetchone()[0]
            if count == 0:
                continue
            options = (
                "format csv, header true, force_quote *"
                if feed.fmt == "csv"
                else ("format parquet")
            )
            escaped = str(target).replace("'", "''")
            con.execute(f"copy ({query}) to '{escaped}' ({options})")
            written[str(target.relative_to(raw_dir))] = count
    finally:
        con.close()
    return written
