"""Dirt injection and its ledger: which reason codes apply to which raw table, at what rate.

Rules: a row carries at most one rejection reason; duplicates (exact copies) are only
made of rows without a rejection reason; rejections are only injected into records with
a single version, so the staging layer can recover every count exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .formats import replace_rows
from .reference import PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES

REJECTION_REASONS: tuple[str, ...] = (
    "missing_key",
    "unparseable_timestamp",
    "future_timestamp",
    "non_numeric_amount",
    "negative_amount",
    "negative_quantity",
    "unknown_currency",
    "unknown_status",
    "test_order",
    "orphan_line",
    "parent_rejected",
    "invalid_score",
)
REASON_CODE = {name: i for i, name in enumerate(REJECTION_REASONS)}
EXACT = "exact_duplicate"
SUPERSEDED = "superseded_version"
CONTACT_CORRECTIONS = (
    "email_normalised",
    "phone_normalised",
    "placeholder_email",
    "placeholder_phone",
)


@dataclass(frozen=True)
class SourceSpec:
    """Dirt that applies to one raw table, with the injection rate of each rejection."""

    duplicates: tuple[str, ...] = ()
    rejections: dict[str, float] = field(default_factory=dict)
    corrections: tuple[str, ...] = ()
    duplicate_rate: float = 0.01


SOURCES: dict[str, SourceSpec] = {
    "web_shop.orders": SourceSpec(
        (EXACT, SUPERSEDED),
        {
            "missing_key": 0.002,
            "unparseable_timestamp": 0.003,
            "future_timestamp": 0.002,
            "non_numeric_amount": 0.003,
            "unknown_currency": 0.002,
            "unknown_status": 0.003,
            "test_order": 0.003,
        },
        (*CONTACT_CORRECTIONS, "currency_alias", "empty_fee_zeroed"),
    ),
    "web_shop.order_lines": SourceSpec(
        (EXACT,),
        {
            "negative_quantity": 0.002,
            "non_numeric_amount": 0.003,
            "orphan_line": 0.002,
            "parent_rejected": 0.0,
        },
    ),
    "app.orders": SourceSpec(
        (EXACT, SUPERSEDED),
        {
            "missing_key": 0.002,
            "unparseable_timestamp": 0.003,
            "future_timestamp": 0.002,
            "negative_amount": 0.002,
            "unknown_status": 0.003,
        },
        CONTACT_CORRECTIONS,
    ),
    "app.order_items": SourceSpec(
        (EXACT,),
        {"negative_quantity": 0.002, "orphan_line": 0.002, "parent_rejected": 0.0},
    ),
    "pos.sales": SourceSpec(
        (EXACT,),
        {
            "unparseable_timestamp": 0.003,
            "future_timestamp": 0.002,
            "negative_quantity": 0.002,
            "non_numeric_amount": 0.003,
            "test_order": 0.003,
        },
        ("phone_normalised", "placeholder_phone"),
    ),
    "pos.stores": SourceSpec(duplicate_rate=0.0),
    "marketplace.orders": SourceSpec(
        (EXACT, SUPERSEDED),
        {"unparseable_timestamp": 0.003, "non_numeric_amount": 0.003, "unknown_status": 0.003},
    ),
    "marketplace.order_items": SourceSpec(
        (EXACT,),
        {"negative_quantity": 0.002, "orphan_line": 0.002, "parent_rejected": 0.0},
    ),
    "crm.customers": SourceSpec(
        (EXACT, SUPERSEDED),
        {"missing_key": 0.003},
        (*CONTACT_CORRECTIONS, "unparseable_birthday"),
    ),
    "catalog.products": SourceSpec(duplicate_rate=0.0),
    "catalog.categories": SourceSpec(duplicate_rate=0.0),
    "after_sales.returns": SourceSpec(
        (EXACT,),
        {"unparseable_timestamp": 0.005, "non_numeric_amount": 0.005, "unknown_currency": 0.005},
        ("currency_alias",),
    ),
    "after_sales.tickets": SourceSpec(
        (EXACT,), {"unparseable_timestamp": 0.005}, CONTACT_CORRECTIONS
    ),
    "surveys.nps_responses": SourceSpec((EXACT,), {"invalid_score": 0.005}, CONTACT_CORRECTIONS),
    "reviews.product_reviews": SourceSpec((EXACT,), {"invalid_score": 0.005}),
    "events.behaviour_events": SourceSpec(
        (EXACT,), {"unparseable_timestamp": 0.002, "future_timestamp": 0.001}
    ),
    "marketing.sends": SourceSpec((EXACT,), duplicate_rate=0.005),
}
MIN_COUNT = 3

# Values written by the dirt.
BAD_ISO_TIMESTAMPS: tuple[str | None, ...] = (
    "2024-13-45 25:61",
    "N/A",
    None,
    "not a date",
    "2023-02-30T10:00:00+08:00",
)
BAD_LOCAL_TIMESTAMPS: tuple[str | None, ...] = (
    "2024-13-45 25:61",
    "N/A",
    None,
    "2023-02-30 10:00:00",
    "00/00/0000 00:00",
)
BAD_AMOUNTS: tuple[str, ...] = ("abc", "N/A", "12,3x", "--")
BAD_CURRENCIES: tuple[str, ...] = ("XXX", "BTC", "ABC")
FUTURE_FIRST_UTC = 1_924_992_000  # 2031-01-01
FUTURE_LAST_UTC = 4_102_358_400  # 2099-12-31


def future_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random instants in 2031-2099 (UTC epoch seconds)."""
    return rng.integers(FUTURE_FIRST_UTC, FUTURE_LAST_UTC, n)


def pick_values(rng: np.random.Generator, values: Sequence[str | None], n: int) -> list[str | None]:
    """n values drawn from a short list."""
    return [values[i] for i in rng.integers(0, len(values), n)]


def choose_dirty_rows(
    rng: np.random.Generator,
    eligible: np.ndarray,
    rates: dict[str, float],
    min_count: int = MIN_COUNT,
    counts: dict[str, int] | None = None,
) -> dict[str, np.ndarray]:
    """Disjoint random row sets, one per reason, among eligible rows.

    Each reason gets Binomial(all rows, rate) rows, so rates are per raw row whatever
    the share of eligible rows, but at least `min_count` (while eligible rows last), so
    every reason shows up even in small samples; `counts` fixes the numbers instead.
    """
    pool = rng.permutation(np.flatnonzero(eligible))
    out: dict[str, np.ndarray] = {}
    used = 0
    for reason, rate in rates.items():
        if counts is not None:
            k = counts[reason]
        else:
            k = max(min_count, int(rng.binomial(eligible.size, rate))) if rate > 0 else 0
        k = min(k, pool.size - used)
        out[reason] = np.sort(pool[used : used + k])
        used += k
    return out


def split_counts(
    rng: np.random.Generator, total_rows: np.ndarray, rate: float, min_count: int = MIN_COUNT
) -> np.ndarray:
    """Split a global dirt count (Binomial, at least min_count) over parts by their sizes."""
    total = int(total_rows.sum())
    if total == 0:
        return np.zeros(total_rows.size, dtype=np.int64)
    k = min(max(min_count, int(rng.binomial(total, rate))), total)
    share = total_rows / total
    return rng.multinomial(k, share)


@dataclass
class RawRows:
    """Rows of one raw table before exact duplicates are added.

    `order_key` gives the export order, `part` the output file (e.g. 202406 for a
    monthly file, 0 for a single file), `reason` the rejection code (-1 = none) and
    `superseded` whether a newer version of the same key exists.
    """

    columns: dict[str, pa.Array] | None
    order_key: np.ndarray
    reason: np.ndarray
    superseded: np.ndarray
    part: np.ndarray

    @property
    def kept(self) -> np.ndarray:
        """Rows that survive staging: no rejection and not superseded."""
        return (self.reason < 0) & ~self.superseded


@dataclass
class Ledger:
    """Counts of every dirt kind per raw table, and raw row counts."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    raw_rows: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for source, spec in SOURCES.items():
            for reason in spec.duplicates:
                self.counts[(source, "duplicate", reason)] = 0
            for reason in spec.rejections:
                self.counts[(source, "rejected", reason)] = 0
            for reason in spec.corrections:
                self.counts[(source, "correction", reason)] = 0

    def record(self, source: str, kind: str, reason: str, rows: int) -> None:
        """Add rows to a (source, kind, reason) count; the reason must be registered."""
        key = (source, kind, reason)
        if key not in self.counts:
            raise KeyError(f"{source}: {kind} reason {reason!r} is not registered in dirt.SOURCES")
        self.counts[key] += int(rows)

    def tables(self) -> tuple[pa.Table, pa.Table]:
        """dirt_counts and raw_counts as tables."""
        keys = sorted(self.counts)
        dirt = pa.table(
            {
                "source_name": [k[0] for k in keys],
                "kind": [k[1] for k in keys],
                "reason": [k[2] for k in keys],
                "rows": pa.array([self.counts[k] for k in keys], pa.int64()),
            }
        )
        names = sorted(self.raw_rows)
        raw = pa.table(
            {
                "source_name": names,
                "raw_rows": pa.array([self.raw_rows[s] for s in names], pa.int64()),
            }
        )
        return dirt, raw


@dataclass(frozen=True)
class ExportPlan:
    """Output rows in export order: source row index, file part, whether an exact copy."""

    index: np.ndarray
    part: np.ndarray
    is_copy: np.ndarray


def plan_export(
    rng: np.random.Generator,
    source: str,
    rows: RawRows,
    ledger: Ledger,
    n_duplicates: int | None = None,
) -> ExportPlan:
    """Choose exact duplicates, sort into export order and record the ledger counts."""
    spec = SOURCES[source]
    n = rows.reason.size
    dup = np.zeros(0, dtype=np.int64)
    if spec.duplicate_rate > 0:
        fixed = None if n_duplicates is None else {EXACT: n_duplicates}
        clean = rows.reason < 0
        dup = choose_dirty_rows(rng, clean, {EXACT: spec.duplicate_rate}, counts=fixed)[EXACT]
    index = np.concatenate([np.arange(n), dup])
    key = np.concatenate([rows.order_key, rows.order_key[dup]])
    order = np.argsort(key, kind="stable")
    ledger.raw_rows[source] = ledger.raw_rows.get(source, 0) + int(index.size)
    if EXACT in spec.duplicates:
        ledger.record(source, "duplicate", EXACT, dup.size)
    if SUPERSEDED in spec.duplicates:
        ledger.record(source, "duplicate", SUPERSEDED, int(rows.superseded.sum()))
    counts = np.bincount(rows.reason[rows.reason >= 0], minlength=len(REJECTION_REASONS))
    for code in np.flatnonzero(counts):
        ledger.record(source, "rejected", REJECTION_REASONS[code], int(counts[code]))
    is_copy = np.arange(index.size) >= n
    return ExportPlan(index[order], rows.part[index[order]], is_copy[order])


def finalize(
    rng: np.random.Generator,
    source: str,
    rows: RawRows,
    ledger: Ledger,
    n_duplicates: int | None = None,
) -> tuple[pa.Table, np.ndarray]:
    """Add exact duplicates, sort into export order and record the ledger counts.

    Returns the final table and the file part of each of its rows.
    """
    plan = plan_export(rng, source, rows, ledger, n_duplicates)
    return pa.table(rows.columns).take(pa.array(plan.index)), plan.part


@dataclass(frozen=True)
class Replacement:
    """Dirt values for some rows of one column (rows sorted ascending)."""

    rows: np.ndarray
    values: list[str | None]

    @staticmethod
    def draw(
        rng: np.random.Generator, rows: np.ndarray, choices: Sequence[str | None]
    ) -> Replacement:
        """Values drawn from a short list for the given rows."""
        rows = np.sort(rows)
        return Replacement(rows, pick_values(rng, choices, rows.size))

    def apply(self, column: pa.Array, rows: np.ndarray) -> pa.Array:
        """Write the values into `column`, whose i-th entry belongs to source row rows[i]."""
        if self.rows.size == 0:
            return column
        pos = np.searchsorted(self.rows, rows).clip(0, self.rows.size - 1)
        hit = np.flatnonzero(self.rows[pos] == rows)
        if hit.size == 0:
            return column
        return replace_rows(column, hit, [self.values[i] for i in pos[hit]])


def reasons_array(n: int, dirty: dict[str, np.ndarray]) -> np.ndarray:
    """Rejection code per row from the chosen row sets."""
    reason = np.full(n, -1, dtype=np.int8)
    for name, rows in dirty.items():
        reason[rows] = REASON_CODE[name]
    return reason


def _normalised_email(values: pa.Array) -> pa.Array:
    return pc.utf8_lower(pc.utf8_trim_whitespace(values))


def normalised_phone(values: pa.Array) -> pa.Array:
    """E.164 form of phones written in any of the generator's spellings (+8613812345678)."""
    digits = pc.replace_substring_regex(values, r"[^0-9]", "")
    digits = pc.replace_substring_regex(digits, r"^0086", "")
    digits = pc.replace_substring_regex(digits, r"^86(1\d{10})$", r"\1")
    return pc.binary_join_element_wise("+86", digits, "")


def count_contact_corrections(
    ledger: Ledger,
    source: str,
    kept: np.ndarray,
    email: pa.Array | None,
    phone: pa.Array | None,
) -> None:
    """Record email / phone normalisations and placeholders among kept rows."""
    mask = pa.array(kept)
    if email is not None:
        e = pc.filter(email, mask)
        norm = _normalised_email(e)
        changed = pc.and_(pc.is_valid(e), pc.not_equal(e, norm))
        ledger.record(source, "correction", "email_normalised", pc.sum(changed).as_py() or 0)
        ph = pc.is_in(norm, pa.array(list(PLACEHOLDER_EMAILS)))
        ledger.record(source, "correction", "placeholder_email", pc.sum(ph).as_py() or 0)
    if phone is not None:
        p = pc.filter(phone, mask)
        norm = normalised_phone(p)
        changed = pc.and_(pc.is_valid(p), pc.not_equal(p, norm))
        ledger.record(source, "correction", "phone_normalised", pc.sum(changed).as_py() or 0)
        placeholders = pa.array(["+86" + p for p in PLACEHOLDER_PHONES])
        ledger.record(
            source,
            "correction",
            "placeholder_phone",
            pc.sum(pc.is_in(norm, placeholders)).as_py() or 0,
        )
