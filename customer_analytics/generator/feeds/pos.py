"""Store exports: monthly receipt-line files and the store master."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from .. import formats
from ..config import POS
from ..contacts import placeholder_phone_text, sample_phone_styles
from ..dirt import (
    BAD_AMOUNTS,
    BAD_LOCAL_TIMESTAMPS,
    REASON_CODE,
    RawRows,
    Replacement,
    choose_dirty_rows,
    count_contact_corrections,
    future_seconds,
    plan_export,
)
from ..reference import CITIES, PLACEHOLDER_PHONES, SLASH_TILL_SHARE, STORES
from ..timeline import BEIJING_OFFSET, DAY, STORE_HOURS, epoch_day, sample_seconds_of_day
from .common import (
    World,
    beijing_month,
    extra_count,
    injected_rates,
    write_planned,
    write_table,
)

PAYMENT_METHODS: tuple[str, ...] = ("wechat_pay", "alipay", "card", "cash")
PAYMENT_SHARES = np.array([0.50, 0.35, 0.10, 0.05])
CARD_SCAN_SHARE = 0.75
PHONE_WITHOUT_CARD_SHARE = 0.30
PHONE_WITH_CARD_SHARE = 0.08
PLACEHOLDER_PHONE_SHARE = 0.03
SOURCE = "pos.sales"


@dataclass(frozen=True)
class PosOutput:
    """Receipt refs (store_id-receipt_no) and rejections of canonical store orders."""

    order_index: np.ndarray
    refs: pa.Array
    reason: np.ndarray


def store_ids(index: np.ndarray) -> pa.Array:
    """S001.. for store indices, S000 for -1 (the training till)."""
    return formats.prefixed("S", np.asarray(index) + 1, 3)


def slash_tills(world: World) -> np.ndarray:
    """Whether each store's till writes `YYYY/MM/DD HH:MM` (the training till does not)."""
    rng = world.rng("pos.tills")
    return rng.random(len(STORES)) < SLASH_TILL_SHARE


def write_stores(world: World) -> None:
    """Write pos/stores.csv."""
    rng = world.rng("pos.stores")
    province_of = {c[1]: c[0] for c in CITIES}
    opened = rng.integers(epoch_day(date(2012, 1, 1)), world.timeline.start_day - 60, len(STORES))
    table = pa.table(
        {
            "store_id": store_ids(np.arange(len(STORES))),
            "store_name": pa.array([s[1] for s in STORES], pa.string()),
            "province": pa.array([province_of[s[0]] for s in STORES], pa.string()),
            "city": pa.array([s[0] for s in STORES], pa.string()),
            "opened_on": formats.date_strings(opened),
        }
    )
    world.ledger.raw_rows["pos.stores"] = table.num_rows
    write_table(world, "pos/stores.csv", table)


def _receipt_sequence(store: np.ndarray, local_seconds: np.ndarray) -> np.ndarray:
    """Running number (1, 2, ...) of each receipt per store and day, in time order."""
    day = local_seconds // DAY
    order = np.lexsort((local_seconds, day, store))
    key_sorted = store[order] * 1_000_000 + day[order]
    starts = np.r_[0, np.flatnonzero(np.diff(key_sorted)) + 1]
    lengths = np.diff(np.r_[starts, store.size])
    sequence = np.empty(store.size, dtype=np.int64)
    sequence[order] = np.arange(store.size) - np.repeat(starts, lengths) + 1
    return sequence


def receipt_numbers(local_seconds: np.ndarray, sequence: np.ndarray) -> pa.Array:
    """YYYYMMDD + 4-digit running number."""
    day = local_seconds // DAY
    return formats.join(formats.date_strings(day, "compact"), formats.int_strings(sequence, 4))


def write_pos(world: World) -> PosOutput:
    """Write pos/sales_YYYYMM.csv (one row per receipt line) and pos/stores.csv."""
    write_stores(world)
    rng = world.rng("pos")
    o, ln, cat, c = world.orders, world.lines, world.catalog, world.contacts
    own = np.flatnonzero(o.channel == POS)
    n_test = extra_count(rng, SOURCE, "test_order", own.size)
    test_day = rng.integers(world.timeline.start_day, world.timeline.end_day, n_test)
    test_local = test_day * DAY + sample_seconds_of_day(rng, STORE_HOURS, n_test)
    local = np.concatenate([o.created_utc[own] + BEIJING_OFFSET, test_local])
    store = np.concatenate([o.store[own], np.full(n_test, -1)]).astype(np.int64)
    sequence = _receipt_sequence(store, local)
    person = np.concatenate([o.person[own], np.zeros(n_test, np.int64)])
    n_receipts = store.size
    is_test = np.arange(n_receipts) >= own.size
    # Receipt-level identity: scanned loyalty card and / or a phone typed at the till.
    record = world.membership.records_of_person[person, 0]
    cards = world.membership.loyalty_card
    has_card = (record >= 0) & ~is_test
    has_card[has_card] = (
        cards.take(pa.array(record[has_card])).is_valid().to_numpy(zero_copy_only=False)
    )
    scanned = has_card & (rng.random(n_receipts) < CARD_SCAN_SHARE)
    phone_p = np.where(scanned, PHONE_WITH_CARD_SHARE, PHONE_WITHOUT_CARD_SHARE)
    gives_phone = (rng.random(n_receipts) < phone_p) & c.has_phone(person) & ~is_test
    style = sample_phone_styles(rng, n_receipts)
    placeholder = (rng.random(n_receipts) < PLACEHOLDER_PHONE_SHARE) & ~is_test & ~gives_phone
    which = np.where(placeholder, rng.integers(0, len(PLACEHOLDER_PHONES), n_receipts), -1)
    payment = rng.choice(4, size=n_receipts, p=PAYMENT_SHARES)
    # Lines.
    counts = np.concatenate([o.n_lines[own], rng.integers(1, 3, n_test)]).astype(np.int64)
    rl = np.repeat(np.arange(n_receipts), counts)
    first = np.cumsum(counts) - counts
    line_no = np.arange(rl.size) - np.repeat(first, counts) + 1
    real_lines = rl < own.size
    line_idx = o.line_start[own[rl[real_lines]]].astype(np.int64) + line_no[real_lines] - 1
    sku = np.empty(rl.size, dtype=np.int64)
    sku[real_lines] = ln.sku[line_idx]
    sku[~real_lines] = rng.integers(0, cat.size, int((~real_lines).sum()))
    qty = np.ones(rl.size, dtype=np.int64)
    qty[real_lines] = ln.qty[line_idx]
    unit = cat.list_fen[sku]
    unit[real_lines] = ln.unit[line_idx]
    slash = np.r_[slash_tills(world), False][store[rl]]
    line_local = local[rl]
    reason = np.where(is_test[rl], REASON_CODE["test_order"], -1).astype(np.int8)
    dirty = choose_dirty_rows(rng, reason < 0, injected_rates(SOURCE))
    for name, rows in dirty.items():
        reason[rows] = REASON_CODE[name]
    qty[dirty["negative_quantity"]] *= -1
    future_rows = dirty["future_timestamp"]
    future_local = future_seconds(rng, future_rows.size) + BEIJING_OFFSET
    future = _sold_at(future_local, slash[future_rows])
    bad_time = Replacement.draw(rng, dirty["unparseable_timestamp"], BAD_LOCAL_TIMESTAMPS)
    future_time = Replacement(future_rows, future.to_pylist())
    bad_price = Replacement.draw(rng, dirty["non_numeric_amount"], BAD_AMOUNTS)

    def build(rows: np.ndarray) -> dict[str, pa.Array]:
        receipt = rl[rows]
        sold_at = future_time.apply(
            bad_time.apply(_sold_at(line_local[rows], slash[rows]), rows), rows
        )
        rec = record[receipt]
        card = cards.take(pa.array(rec.clip(0), mask=~scanned[receipt]))
        phone = formats.null_where(
            c.phone_text(person[receipt], style[receipt]), ~gives_phone[receipt]
        )
        ph = which[receipt]
        phone = formats.where(ph >= 0, placeholder_phone_text(ph.clip(0), style[receipt]), phone)
        return {
            "receipt_no": receipt_numbers(local[receipt], sequence[receipt]),
            "store_id": store_ids(store[receipt]),
            "sold_at": sold_at,
            "loyalty_card": card,
            "phone": phone,
            "line_no": formats.int_strings(line_no[rows]),
            "sku": cat.sku.take(pa.array(sku[rows])),
            "quantity": formats.int_strings(qty[rows]),
            "unit_price": bad_price.apply(formats.money_strings(unit[rows]), rows),
            "line_amount": formats.money_strings(qty[rows] * unit[rows]),
            "payment_method": formats.pick(PAYMENT_METHODS, payment[receipt]),
        }

    key = line_local * 10 + line_no
    part = beijing_month(line_local - BEIJING_OFFSET)
    raw = RawRows(None, key, reason, np.zeros(rl.size, bool), part)
    plan = plan_export(rng, SOURCE, raw, world.ledger)
    kept = raw.kept

    def inspect(columns: dict[str, pa.Array], sel: np.ndarray) -> None:
        mask = kept[plan.index[sel]] & ~plan.is_copy[sel]
        count_contact_corrections(world.ledger, SOURCE, mask, None, columns["phone"])

    write_planned(world, "pos/sales_{month}.csv", plan, build, inspect=inspect)
    own_receipts = receipt_numbers(local[: own.size], sequence[: own.size])
    refs = formats.join(store_ids(store[: own.size]), "-", own_receipts)
    # A receipt counts as rejected for downstream sampling when any of its lines is.
    receipt_reason = np.full(n_receipts, -1, dtype=np.int8)
    bad = reason >= 0
    receipt_reason[rl[bad]] = reason[bad]
    return PosOutput(own, refs, receipt_reason[: own.size])


def _sold_at(local_seconds: np.ndarray, slash: np.ndarray) -> pa.Array:
    """Till time text: `YYYY/MM/DD HH:MM` on slash tills, else `YYYY-MM-DD HH:MM:SS`."""
    return formats.where(
        slash,
        formats.datetime_strings(local_seconds, date_style="slash", with_seconds=False),
        formats.datetime_strings(local_seconds),
    )
