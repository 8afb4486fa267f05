"""After-sales exports: returns / exchanges (with production batches) and service tickets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import formats
from ..catalog import BAD_BATCH_FACTOR, batch_numbers
from ..config import POS
from ..contacts import (
    placeholder_email_text,
    placeholder_phone_text,
    sample_email_variants,
    sample_phone_styles,
)
from ..dirt import (
    BAD_AMOUNTS,
    BAD_CURRENCIES,
    BAD_ISO_TIMESTAMPS,
    RawRows,
    choose_dirty_rows,
    count_contact_corrections,
    finalize,
    pick_values,
    reasons_array,
)
from ..orders import COMPLETED, REFUNDED, channel_name
from ..reference import CURRENCIES, PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES
from ..timeline import BEIJING_OFFSET, DAY
from .common import World, injected_rates, write_table

RETURN_REASONS: tuple[str, ...] = (
    "quality_issue",
    "wrong_size",
    "not_as_described",
    "damaged_in_transit",
    "changed_mind",
    "late_delivery",
)
REASON_SHARES = np.array([0.22, 0.0, 0.20, 0.15, 0.35, 0.08])
APPAREL_REASON_SHARES = np.array([0.12, 0.45, 0.12, 0.06, 0.22, 0.03])
BASE_RETURN_RATE = 0.07
CNY_SPELLINGS: tuple[str, ...] = ("CNY", "RMB", "rmb", "¥")
CNY_SPELLING_SHARES = np.array([0.90, 0.04, 0.03, 0.03])
TICKET_CHANNELS: tuple[str, ...] = ("hotline", "online_chat", "wechat", "email")
TICKET_CHANNEL_SHARES = np.array([0.30, 0.35, 0.25, 0.10])
TICKET_REASONS: tuple[str, ...] = (
    "delivery",
    "product_quality",
    "refund",
    "invoice",
    "account",
    "other",
)
DELIVERY, PRODUCT_QUALITY, REFUND, INVOICE, ACCOUNT, OTHER = range(6)


@dataclass(frozen=True)
class OrderRefs:
    """Order refs of canonical orders and whether staging keeps them."""

    refs: pa.Array
    ok: np.ndarray


@dataclass(frozen=True)
class ReturnsOutput:
    """Which lines were returned, and the production batches with quality problems."""

    returned_line: np.ndarray
    order_has_return: np.ndarray
    bad_batches: pa.Table


def quarter_index(utc_seconds: np.ndarray) -> np.ndarray:
    """year * 4 + quarter (0-3) of Beijing dates."""
    days = ((utc_seconds + BEIJING_OFFSET) // DAY).astype("datetime64[D]")
    months = days.astype("datetime64[M]").astype(np.int64)
    return (1970 + months // 12) * 4 + (months % 12) // 3


def local_offset(world: World, order: np.ndarray) -> np.ndarray:
    """The offset the order's feed writes times in (+08:00 except overseas web orders)."""
    return world.orders.offset[order]


def write_returns(world: World, refs: OrderRefs) -> ReturnsOutput:
    """Write after_sales/returns.csv."""
    rng = world.rng("after_sales.returns")
    o, ln, cat = world.orders, world.lines, world.catalog
    end = world.timeline.end_utc
    done = o.status_time(COMPLETED)
    order = ln.order
    candidate = (o.final_status[order] == COMPLETED) & refs.ok[order]
    quarter = quarter_index(o.created_utc[order])
    bad = cat.is_bad_batch(ln.sku, quarter)
    sat = world.pop.satisfaction[o.person[order]]
    p = BASE_RETURN_RATE * cat.return_factor[ln.sku] * np.exp(-0.5 * sat)
    p = np.where(o.channel[order] == POS, p * 0.5, p)
    p = np.clip(np.where(bad, p * BAD_BATCH_FACTOR, p), 0, 0.9)
    requested = done[order] + rng.integers(2 * 3600, 14 * DAY, ln.size)
    returned = candidate & (rng.random(ln.size) < p) & (requested < end)
    rows = np.flatnonzero(returned)
    rows = rows[np.argsort(requested[rows], kind="stable")]
    ro = order[rows]
    apparel = cat.top[ln.sku[rows]] == 1
    u = rng.random(rows.size)
    base_reason = np.searchsorted(np.cumsum(REASON_SHARES), u, side="right").clip(0, 5)
    apparel_reason = np.searchsorted(np.cumsum(APPAREL_REASON_SHARES), u, side="right").clip(0, 5)
    reason = np.where(apparel, apparel_reason, base_reason)
    reason = np.where(bad[rows] & (rng.random(rows.size) < 0.8), 0, reason)
    exchange = ((reason == 1) & (rng.random(rows.size) < 0.5)) | (rng.random(rows.size) < 0.06)
    qty = 1 + rng.binomial(np.maximum(ln.qty[rows] - 1, 0), 0.3)
    refund = np.where(exchange, 0, qty * ln.unit[rows])
    when = requested[rows]
    status = np.where(
        when > end - 3 * DAY,
        "requested",
        np.where(
            rng.random(rows.size) < 0.06,
            "rejected",
            np.where(exchange | (rng.random(rows.size) < 0.1), "approved", "refunded"),
        ),
    )
    cny = formats.pick(CNY_SPELLINGS, rng.choice(4, size=rows.size, p=CNY_SPELLING_SHARES))
    currency = formats.where(o.currency[ro] == 0, cny, formats.pick(CURRENCIES, o.currency[ro]))
    columns = {
        "return_id": formats.prefixed("R", 100_000_001 + np.arange(rows.size)),
        "source_system": formats.pick(list(channel_name(np.arange(5))), o.channel[ro]),
        "order_ref": refs.refs.take(pa.array(ro)),
        "sku": cat.sku.take(pa.array(ln.sku[rows])),
        "quantity": formats.int_strings(qty),
        "refund_amount": formats.money_strings(refund),
        "currency": currency,
        "return_type": formats.where(exchange, "exchange", "return"),
        "reason": formats.pick(RETURN_REASONS, reason),
        "batch_no": batch_numbers(cat, ln.sku[rows], quarter[rows]),
        "requested_at": formats.iso_strings(when, local_offset(world, ro)),
        "status": pa.array(status, pa.string()),
    }
    dirty = choose_dirty_rows(rng, np.ones(rows.size, bool), injected_rates("after_sales.returns"))
    for column, reason_name, values in (
        ("requested_at", "unparseable_timestamp", BAD_ISO_TIMESTAMPS),
        ("refund_amount", "non_numeric_amount", BAD_AMOUNTS),
        ("currency", "unknown_currency", BAD_CURRENCIES),
    ):
        chosen = dirty[reason_name]
        columns[column] = formats.replace_rows(
            columns[column], chosen, pick_values(rng, values, chosen.size)
        )
    raw = RawRows(
        columns,
        when,
        reasons_array(rows.size, dirty),
        np.zeros(rows.size, bool),
        np.zeros(rows.size, np.int64),
    )
    kept_currency = pc.filter(columns["currency"], pa.array(raw.kept))
    alias = pc.sum(pc.invert(pc.is_in(kept_currency, pa.array(list(CURRENCIES))))).as_py() or 0
    world.ledger.record("after_sales.returns", "correction", "currency_alias", alias)
    table, _ = finalize(rng, "after_sales.returns", raw, world.ledger)
    write_table(world, "after_sales/returns.csv", table)
    has_return = np.zeros(o.size, dtype=bool)
    has_return[ro] = True
    return ReturnsOutput(returned, has_return, _bad_batch_table(world, bad, quarter, returned))


def _bad_batch_table(
    world: World, bad: np.ndarray, quarter: np.ndarray, returned: np.ndarray
) -> pa.Table:
    """Production batches with a quality problem that were sold, with line counts."""
    cat, ln = world.catalog, world.lines
    key = ln.sku[bad].astype(np.int64) * 100_000 + quarter[bad]
    keys, inverse = np.unique(key, return_inverse=True)
    sold = np.bincount(inverse, minlength=keys.size)
    back = np.bincount(inverse, weights=returned[bad], minlength=keys.size).astype(np.int64)
    sku, q = np.divmod(keys, 100_000)
    return pa.table(
        {
            "sku": cat.sku.take(pa.array(sku)),
            "batch_no": batch_numbers(cat, sku, q),
            "lines_sold": pa.array(sold, pa.int64()),
            "lines_returned": pa.array(back, pa.int64()),
        }
    )


def write_tickets(world: World, refs: OrderRefs, returns: ReturnsOutput) -> None:
    """Write after_sales/tickets.csv."""
    rng = world.rng("after_sales.tickets")
    o, c, ms = world.orders, world.contacts, world.membership
    end = world.timeline.end_utc
    sat = world.pop.satisfaction[o.person]
    final = o.final_status
    slow = (o.status_time(2) - o.status_time(1)) > 2 * DAY
    p = (
        0.02 * np.exp(-0.5 * sat)
        + 0.3 * returns.order_has_return
        + 0.4 * (final == REFUNDED)
        + 0.05 * slow
    )
    base = np.where(o.status_time(COMPLETED) >= 0, o.status_time(COMPLETED), o.created_utc)
    opened = base + rng.integers(3600, 5 * DAY, o.size)
    hit = np.flatnonzero(refs.ok & (rng.random(o.size) < p) & (opened < end))
    reason = rng.choice(6, size=hit.size, p=[0.35, 0.25, 0.0, 0.2, 0.0, 0.2])
    reason = np.where(slow[hit], DELIVERY, reason)
    reason = np.where(final[hit] == REFUNDED, REFUND, reason)
    reason = np.where(
        returns.order_has_return[hit],
        np.where(rng.random(hit.size) < 0.6, REFUND, PRODUCT_QUALITY),
        reason,
    )
    # Tickets about the account or other matters, without an order.
    lt = world.lifetimes
    n_extra = rng.poisson(0.04, world.pop.size)
    extra_person = np.repeat(np.arange(world.pop.size), n_extra)
    first = (world.timeline.start_day + lt.first_day[extra_person]) * DAY - BEIJING_OFFSET
    extra_open = first + (rng.random(extra_person.size) * (end - first)).astype(np.int64)
    extra_reason = np.where(rng.random(extra_person.size) < 0.6, ACCOUNT, OTHER)
    person = np.concatenate([o.person[hit], extra_person])
    order = np.concatenate([hit, np.full(extra_person.size, -1)])
    opened_at = np.concatenate([opened[hit], extra_open])
    reason = np.concatenate([reason, extra_reason])
    sort = np.argsort(opened_at, kind="stable")
    person, order, opened_at, reason = person[sort], order[sort], opened_at[sort], reason[sort]
    n = person.size
    channel = rng.choice(4, size=n, p=TICKET_CHANNEL_SHARES)
    median_hours = np.where((reason == REFUND) | (reason == PRODUCT_QUALITY), 40.0, 20.0)
    duration = (rng.lognormal(np.log(median_hours), 0.9) * 3600).astype(np.int64) + 300
    resolved = opened_at + duration
    is_resolved = resolved < end
    sat = world.pop.satisfaction[person]
    rating = np.clip(
        np.rint(3.6 + 0.8 * sat - 0.3 * np.log(duration / 86_400) + rng.normal(0, 0.8, n)), 1, 5
    )
    answered = is_resolved & (rng.random(n) < 0.55)
    record = ms.records_of_person[person, 0]
    known = (record >= 0) & (rng.random(n) < 0.7)
    known &= ms.signup_day[record.clip(0)] * DAY - BEIJING_OFFSET <= opened_at
    phone_p = np.where(channel == 0, 1.0, 0.5)
    phone = formats.null_where(
        c.phone_text(person, sample_phone_styles(rng, n)), rng.random(n) > phone_p
    )
    ph = rng.random(n) < 0.01
    phone = formats.where(
        ph,
        placeholder_phone_text(
            rng.integers(0, len(PLACEHOLDER_PHONES), n), sample_phone_styles(rng, n)
        ),
        phone,
    )
    email_p = np.where(channel == 3, 1.0, 0.25)
    email = formats.null_where(
        c.email_text(person, 0, sample_email_variants(rng, n)), rng.random(n) > email_p
    )
    eph = rng.random(n) < 0.005
    email = formats.where(
        eph,
        placeholder_email_text(
            rng.integers(0, len(PLACEHOLDER_EMAILS), n), sample_email_variants(rng, n)
        ),
        email,
    )
    has_order = order >= 0
    columns = {
        "ticket_id": formats.prefixed("T", 100_000_001 + np.arange(n)),
        "source_system": formats.null_where(
            formats.pick(list(channel_name(np.arange(5))), o.channel[order.clip(0)]), ~has_order
        ),
        "order_ref": formats.null_where(refs.refs.take(pa.array(order.clip(0))), ~has_order),
        "member_id": ms.customer_id.take(pa.array(record.clip(0), mask=~known)),
        "customer_phone": phone,
        "customer_email": email,
        "channel": formats.pick(TICKET_CHANNELS, channel),
        "reason": formats.pick(TICKET_REASONS, reason),
        "opened_at": formats.iso_strings(opened_at, BEIJING_OFFSET),
        "resolved_at": formats.null_where(
            formats.iso_strings(np.minimum(resolved, end), BEIJING_OFFSET), ~is_resolved
        ),
        "satisfaction": formats.null_where(formats.int_strings(rating.astype(np.int64)), ~answered),
    }
    dirty = choose_dirty_rows(rng, np.ones(n, bool), injected_rates("after_sales.tickets"))
    chosen = dirty["unparseable_timestamp"]
    columns["opened_at"] = formats.replace_rows(
        columns["opened_at"], chosen, pick_values(rng, BAD_ISO_TIMESTAMPS, chosen.size)
    )
    raw = RawRows(
        columns, opened_at, reasons_array(n, dirty), np.zeros(n, bool), np.zeros(n, np.int64)
    )
    count_contact_corrections(
        world.ledger,
        "after_sales.tickets",
        raw.kept,
        columns["customer_email"],
        columns["customer_phone"],
    )
    table, _ = finalize(rng, "after_sales.tickets", raw, world.ledger)
    write_table(world, "after_sales/tickets.csv", table)
