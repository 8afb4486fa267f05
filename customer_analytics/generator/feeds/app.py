"""Mini program / app back end exports (Parquet): order versions and order items."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .. import formats
from ..config import APP
from ..contacts import (
    placeholder_phone_text,
    sample_email_variants,
    sample_phone_styles,
)
from ..dirt import (
    REASON_CODE,
    RawRows,
    choose_dirty_rows,
    count_contact_corrections,
    future_seconds,
    plan_export,
    reasons_array,
)
from ..population import APP_PLATFORMS
from ..reference import PLACEHOLDER_PHONES
from .common import World, extra_count, injected_rates, write_planned

STATUS_CODES = np.array([10, 20, 30, 40, 50, 60], dtype=np.int32)
UNKNOWN_STATUS_CODES = np.array([99, 0, 70], dtype=np.int32)
TWO_VERSION_SHARE = 0.15
ACCOUNT_EMAIL_SHARE = 0.3
ACCOUNT_PLACEHOLDER_PHONE_SHARE = 0.003
SOURCE = "app.orders"

ORDERS_SCHEMA = pa.schema(
    [
        ("order_id", pa.string()),
        ("user_id", pa.string()),
        ("member_id", pa.string()),
        ("phone", pa.string()),
        ("email", pa.string()),
        ("platform", pa.string()),
        ("created_ms", pa.int64()),
        ("updated_ms", pa.int64()),
        ("status", pa.int32()),
        ("pay_amount_fen", pa.int64()),
        ("freight_fen", pa.int64()),
        ("discount_fen", pa.int64()),
        ("campaign_code", pa.string()),
    ]
)
ITEMS_SCHEMA = pa.schema(
    [
        ("order_id", pa.string()),
        ("item_id", pa.int32()),
        ("sku", pa.string()),
        ("qty", pa.int32()),
        ("price_fen", pa.int64()),
    ]
)


@dataclass(frozen=True)
class AppOutput:
    """Ids and rejections of canonical app orders."""

    order_index: np.ndarray
    refs: pa.Array
    reason: np.ndarray


@dataclass(frozen=True)
class _Accounts:
    """Account phone and email: one spelling per person, as stored in the account."""

    style: np.ndarray
    variant: np.ndarray
    has_email: np.ndarray
    placeholder: np.ndarray

    @staticmethod
    def draw(rng: np.random.Generator, n: int) -> _Accounts:
        """Spellings and placeholders of every person's account."""
        placeholder = np.where(
            rng.random(n) < ACCOUNT_PLACEHOLDER_PHONE_SHARE,
            rng.integers(0, len(PLACEHOLDER_PHONES), n),
            -1,
        )
        return _Accounts(
            style=sample_phone_styles(rng, n),
            variant=sample_email_variants(rng, n),
            has_email=rng.random(n) < ACCOUNT_EMAIL_SHARE,
            placeholder=placeholder,
        )

    def phone(self, world: World, person: np.ndarray) -> pa.Array:
        """Account phone text."""
        style = self.style[person]
        phone = world.contacts.phone_text(person, style)
        which = self.placeholder[person]
        return formats.where(which >= 0, placeholder_phone_text(which.clip(0), style), phone)

    def email(self, world: World, person: np.ndarray) -> pa.Array:
        """Account email text (often empty)."""
        email = world.contacts.email_text(person, 0, self.variant[person])
        return formats.null_where(email, ~self.has_email[person])


def write_app(world: World) -> AppOutput:
    """Write app/orders.parquet and app/order_items.parquet."""
    rng = world.rng("app")
    o, ms = world.orders, world.membership
    own = np.flatnonzero(o.channel == APP)
    ids = formats.prefixed("A", 200_000_001 + np.arange(own.size))
    length = o.path_len[own].astype(np.int64)
    two = (length >= 2) & (rng.random(own.size) < TWO_VERSION_SHARE)
    earlier = (rng.random(own.size) * np.maximum(length - 1, 1)).astype(np.int64)
    pos = np.concatenate([np.flatnonzero(two), np.arange(own.size)])
    step = np.concatenate([earlier[two], length - 1])
    src = own[pos]
    created_ms = o.created_utc[own] * 1000 + rng.integers(0, 1000, own.size)
    version_ms = o.path_time[src, step] * 1000 + rng.integers(0, 1000, pos.size)
    updated_ms = np.where(step == 0, created_ms[pos], version_ms)
    accounts = _Accounts.draw(rng, world.pop.size)
    status = STATUS_CODES[o.path[src, step]]
    created = created_ms[pos]
    pay = o.pay[src].astype(np.int64)
    single = np.bincount(pos, minlength=own.size) == 1
    eligible = single[pos] & (o.send[src] < 0)
    dirty = choose_dirty_rows(rng, eligible, injected_rates(SOURCE))
    missing_key = np.zeros(pos.size, dtype=bool)
    missing_key[dirty["missing_key"]] = True
    created_null = np.zeros(pos.size, dtype=bool)
    created_null[dirty["unparseable_timestamp"]] = True
    created[dirty["future_timestamp"]] = future_seconds(rng, dirty["future_timestamp"].size) * 1000
    pay[dirty["negative_amount"]] = -pay[dirty["negative_amount"]] - 1
    status[dirty["unknown_status"]] = rng.choice(
        UNKNOWN_STATUS_CODES, size=dirty["unknown_status"].size
    )

    def build(rows: np.ndarray) -> dict[str, pa.Array]:
        order = src[rows]
        person = o.person[order]
        member = o.member_record[order]
        return {
            "order_id": formats.null_where(ids.take(pa.array(pos[rows])), missing_key[rows]),
            "user_id": world.contacts.app_user_id.take(pa.array(person)),
            "member_id": ms.customer_id.take(pa.array(member.clip(0), mask=member < 0)),
            "phone": accounts.phone(world, person),
            "email": accounts.email(world, person),
            "platform": formats.pick(APP_PLATFORMS, world.pop.app_platform[person]),
            "created_ms": pa.array(created[rows], pa.int64(), mask=created_null[rows]),
            "updated_ms": pa.array(updated_ms[rows], pa.int64()),
            "status": pa.array(status[rows], pa.int32()),
            "pay_amount_fen": pa.array(pay[rows], pa.int64()),
            "freight_fen": pa.array(o.freight[order], pa.int64()),
            "discount_fen": pa.array(o.discount[order], pa.int64()),
            "campaign_code": formats.pick(world.utm_codes, o.utm_campaign[order]),
        }

    superseded = step != (length[pos] - 1)
    reason = reasons_array(pos.size, dirty)
    raw = RawRows(None, updated_ms, reason, superseded, np.zeros(pos.size, np.int64))
    plan = plan_export(rng, SOURCE, raw, world.ledger)
    kept = raw.kept

    def inspect(columns: dict[str, pa.Array], sel: np.ndarray) -> None:
        mask = kept[plan.index[sel]] & ~plan.is_copy[sel]
        count_contact_corrections(world.ledger, SOURCE, mask, columns["email"], columns["phone"])

    write_planned(world, "app/orders.parquet", plan, build, ORDERS_SCHEMA, inspect)
    order_reason = np.full(own.size, -1, dtype=np.int8)
    order_reason[pos[reason >= 0]] = reason[reason >= 0]
    _write_items(world, rng, own, ids, order_reason)
    return AppOutput(own, ids, order_reason)


def _write_items(
    world: World, rng: np.random.Generator, own: np.ndarray, ids: pa.Array, order_reason: np.ndarray
) -> None:
    o, ln, cat = world.orders, world.lines, world.catalog
    local = np.full(o.size, -1, dtype=np.int64)
    local[own] = np.arange(own.size)
    line_rows = np.flatnonzero(local[ln.order] >= 0)
    owner = local[ln.order[line_rows]]
    parent = order_reason[owner]
    reason = np.where(
        parent == REASON_CODE["missing_key"],
        REASON_CODE["orphan_line"],
        np.where(parent >= 0, REASON_CODE["parent_rejected"], -1),
    ).astype(np.int8)
    dirty = choose_dirty_rows(rng, reason < 0, injected_rates("app.order_items"))
    reason[dirty["negative_quantity"]] = REASON_CODE["negative_quantity"]
    qty = ln.qty[line_rows].astype(np.int64)
    qty[dirty["negative_quantity"]] *= -1
    n_orphan = extra_count(rng, "app.order_items", "orphan_line", line_rows.size)
    orphan_ids = formats.prefixed("A9", rng.choice(10**8, size=n_orphan, replace=False), 8)
    orphan_sku = rng.integers(0, cat.size, n_orphan)
    all_ids = pa.concat_arrays([ids, orphan_ids])
    id_of_row = np.concatenate([owner, len(ids) + np.arange(n_orphan)])
    sku = np.concatenate([ln.sku[line_rows], orphan_sku])
    item = np.concatenate([ln.line_no[line_rows], np.ones(n_orphan, np.int64)])
    qty = np.concatenate([qty, np.ones(n_orphan, np.int64)])
    price = np.concatenate([ln.unit[line_rows], cat.list_fen[orphan_sku]])

    def build(rows: np.ndarray) -> dict[str, pa.Array]:
        return {
            "order_id": all_ids.take(pa.array(id_of_row[rows])),
            "item_id": pa.array(item[rows], pa.int32()),
            "sku": cat.sku.take(pa.array(sku[rows])),
            "qty": pa.array(qty[rows], pa.int32()),
            "price_fen": pa.array(price[rows], pa.int64()),
        }

    created = o.created_utc[own[owner]]
    first = int(created.min()) if created.size else 0
    orphan_time = rng.integers(first, world.timeline.end_utc, n_orphan)
    key = np.concatenate([created * 10 + ln.line_no[line_rows], orphan_time * 10])
    reason = np.concatenate([reason, np.full(n_orphan, REASON_CODE["orphan_line"], np.int8)])
    raw = RawRows(None, key, reason, np.zeros(reason.size, bool), np.zeros(reason.size, np.int64))
    plan = plan_export(rng, "app.order_items", raw, world.ledger)
    write_planned(world, "app/order_items.parquet", plan, build, ITEMS_SCHEMA)
