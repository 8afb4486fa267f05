"""Tmall and JD exports: one order row per status version (monthly files), one item file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .. import formats
from ..config import JD, TMALL
from ..dirt import (
    BAD_AMOUNTS,
    BAD_LOCAL_TIMESTAMPS,
    REASON_CODE,
    RawRows,
    Replacement,
    choose_dirty_rows,
    plan_export,
    reasons_array,
)
from ..timeline import BEIJING_OFFSET
from .common import (
    World,
    beijing_month,
    extra_count,
    geo_index,
    geo_strings,
    injected_rates,
    write_planned,
)

# Platform status codes by canonical status (pending, paid, shipped, completed, cancelled,
# refunded). JD shows refunds as 已取消; the generator never gives JD a refunded path.
TMALL_STATUSES: tuple[str, ...] = (
    "WAIT_BUYER_PAY",
    "WAIT_SELLER_SEND_GOODS",
    "WAIT_BUYER_CONFIRM_GOODS",
    "TRADE_FINISHED",
    "TRADE_CLOSED_BY_TAOBAO",
    "TRADE_CLOSED",
)
JD_STATUSES: tuple[str, ...] = ("等待付款", "等待出库", "等待确认收货", "完成", "已取消", "已取消")
UNKNOWN_TMALL: tuple[str, ...] = ("TRADE_UNKNOWN", "???")
UNKNOWN_JD: tuple[str, ...] = ("状态异常", "???")
VERSION_COUNT_SHARES = np.array([0.15, 0.35, 0.30, 0.20])
GIFT_ADDRESS_SHARE = 0.08


@dataclass(frozen=True)
class MarketplaceOutput:
    """Platform order numbers and rejections of the canonical marketplace orders."""

    order_index: np.ndarray
    refs: pa.Array
    reason: np.ndarray
    geo: np.ndarray


def order_numbers(world: World, index: np.ndarray) -> pa.Array:
    """Platform order numbers: Tmall 19 random digits, JD 12 increasing digits."""
    rng = world.rng("marketplace.numbers")
    channel = world.orders.channel[index]
    random_digits = rng.choice(10**18, size=index.size, replace=False)
    tmall = formats.join("3", formats.int_strings(random_digits, 18))
    gaps = rng.integers(1, 40, index.size)
    jd_numbers = 300_000_000_000 + np.cumsum(np.where(channel == JD, gaps, 0))
    return formats.where(channel == TMALL, tmall, formats.int_strings(jd_numbers))


def _versions(rng: np.random.Generator, path_len: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(order position, step) of every exported version: a random subset of the observed
    status steps that always includes the latest."""
    n = path_len.size
    k = np.minimum(rng.choice(4, size=n, p=VERSION_COUNT_SHARES) + 1, path_len)
    steps = np.arange(4)[None, :]
    priority = rng.random((n, 4))
    priority[steps >= (path_len - 1)[:, None]] = np.inf
    rank = np.argsort(np.argsort(priority, axis=1), axis=1)
    chosen = rank < (k - 1)[:, None]
    chosen[np.arange(n), path_len - 1] = True
    pos, step = np.nonzero(chosen)
    return pos, step


def write_marketplace(world: World) -> MarketplaceOutput:
    """Write marketplace/orders_YYYYMM.csv and marketplace/order_items.csv."""
    o = world.orders
    rng = world.rng("marketplace")
    index = np.flatnonzero((o.channel == TMALL) | (o.channel == JD))
    numbers = order_numbers(world, index)
    person = o.person[index]
    is_tmall = o.channel[index] == TMALL
    geo = geo_index(world, person, rng, GIFT_ADDRESS_SHARE)
    pos, step = _versions(rng, o.path_len[index])
    oi = index[pos]
    modified = o.path_time[oi, step]
    superseded = step != (o.path_len[oi] - 1)
    single = np.bincount(pos, minlength=index.size) == 1
    eligible = single[pos] & ~o.is_cross_feed[oi]
    dirty = choose_dirty_rows(rng, eligible, injected_rates("marketplace.orders"))
    bad_time = Replacement.draw(rng, dirty["unparseable_timestamp"], BAD_LOCAL_TIMESTAMPS)
    bad_amount = Replacement.draw(rng, dirty["non_numeric_amount"], BAD_AMOUNTS)
    unknown_rows = dirty["unknown_status"]
    which = rng.integers(0, 2, unknown_rows.size)
    unknown = [
        (UNKNOWN_TMALL if t else UNKNOWN_JD)[i]
        for t, i in zip(is_tmall[pos[unknown_rows]].tolist(), which.tolist(), strict=True)
    ]
    bad_status = Replacement(unknown_rows, unknown)

    def build(rows: np.ndarray) -> dict[str, pa.Array]:
        order = oi[rows]
        tmall = is_tmall[pos[rows]]
        take = pa.array(pos[rows])
        status = o.path[order, step[rows]]
        codes = formats.where(
            tmall, formats.pick(TMALL_STATUSES, status), formats.pick(JD_STATUSES, status)
        )
        buyer = pa.array(o.person[order])
        province, city = geo_strings(geo[pos[rows]])
        return {
            "platform": formats.where(tmall, "tmall", "jd"),
            "platform_order_no": numbers.take(take),
            "buyer_id": formats.where(
                tmall,
                world.contacts.tmall_buyer_id.take(buyer),
                world.contacts.jd_buyer_id.take(buyer),
            ),
            "receiver_phone_masked": world.contacts.phone_masked(o.person[order]),
            "order_status": bad_status.apply(codes, rows),
            "created_time": bad_time.apply(
                formats.datetime_strings(o.created_utc[order] + BEIJING_OFFSET), rows
            ),
            "modified_time": formats.datetime_strings(modified[rows] + BEIJING_OFFSET),
            "total_amount": bad_amount.apply(formats.money_strings(o.pay[order]), rows),
            "post_fee": formats.money_strings(o.freight[order]),
            "discount_fee": formats.money_strings(o.discount[order]),
            "receiver_province": province,
            "receiver_city": city,
        }

    reason = reasons_array(pos.size, dirty)
    raw = RawRows(None, modified, reason, superseded, beijing_month(modified))
    plan = plan_export(rng, "marketplace.orders", raw, world.ledger)
    write_planned(world, "marketplace/orders_{month}.csv", plan, build)
    order_reason = np.full(index.size, -1, dtype=np.int8)
    order_reason[pos[reason >= 0]] = reason[reason >= 0]
    _write_items(world, rng, index, numbers, order_reason)
    return MarketplaceOutput(index, numbers, order_reason, geo)


def _write_items(
    world: World,
    rng: np.random.Generator,
    index: np.ndarray,
    numbers: pa.Array,
    order_reason: np.ndarray,
) -> None:
    """One row per sub-order; lines of rejected orders, orphans and negative quantities."""
    o, ln, cat = world.orders, world.lines, world.catalog
    local = np.full(o.size, -1, dtype=np.int64)
    local[index] = np.arange(index.size)
    line_rows = np.flatnonzero(local[ln.order] >= 0)
    owner = local[ln.order[line_rows]]
    parent = order_reason[owner]
    reason = np.where(parent >= 0, REASON_CODE["parent_rejected"], -1).astype(np.int8)
    dirty = choose_dirty_rows(rng, reason < 0, injected_rates("marketplace.order_items"))
    reason[dirty["negative_quantity"]] = REASON_CODE["negative_quantity"]
    n_real = line_rows.size
    qty = ln.qty[line_rows].astype(np.int64)
    qty[dirty["negative_quantity"]] *= -1
    is_tmall = o.channel[index[owner]] == TMALL
    n_orphan = extra_count(rng, "marketplace.order_items", "orphan_line", n_real)
    orphan_tmall = rng.random(n_orphan) < 0.6
    orphan_no = formats.where(
        orphan_tmall,
        formats.join(
            "9", formats.int_strings(rng.choice(10**18, size=n_orphan, replace=False), 18)
        ),
        formats.join(
            "9", formats.int_strings(rng.choice(10**11, size=n_orphan, replace=False), 11)
        ),
    )
    orphan_sku = rng.integers(0, cat.size, n_orphan)
    line_no = np.concatenate([ln.line_no[line_rows], np.ones(n_orphan, dtype=np.int64)])
    sku = np.concatenate([ln.sku[line_rows], orphan_sku])
    qty = np.concatenate([qty, np.ones(n_orphan, dtype=np.int64)])
    price = np.concatenate([ln.unit[line_rows], cat.list_fen[orphan_sku]])
    tmall = np.concatenate([is_tmall, orphan_tmall])

    all_numbers = pa.concat_arrays([numbers, orphan_no])
    number_of_row = np.concatenate([owner, index.size + np.arange(n_orphan)])

    def build(rows: np.ndarray) -> dict[str, pa.Array]:
        order_no = all_numbers.take(pa.array(number_of_row[rows]))
        return {
            "platform": formats.where(tmall[rows], "tmall", "jd"),
            "platform_order_no": order_no,
            "sub_order_no": formats.join(order_no, formats.int_strings(line_no[rows], 2)),
            "sku": cat.sku.take(pa.array(sku[rows])),
            "quantity": formats.int_strings(qty[rows]),
            "price": formats.money_strings(price[rows]),
        }

    created = o.created_utc[index[owner]]
    first = int(created.min()) if created.size else 0
    orphan_time = rng.integers(first, world.timeline.end_utc, n_orphan)
    reason = np.concatenate([reason, np.full(n_orphan, REASON_CODE["orphan_line"], dtype=np.int8)])
    key = np.concatenate([created * 10 + line_no[:n_real], orphan_time * 10])
    raw = RawRows(None, key, reason, np.zeros(reason.size, bool), np.zeros(reason.size, np.int64))
    plan = plan_export(rng, "marketplace.order_items", raw, world.ledger)
    write_planned(world, "marketplace/order_items.csv", plan, build)
