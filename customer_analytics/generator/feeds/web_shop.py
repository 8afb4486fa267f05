"""Official web shop exports: orders (re-exported on change) and order lines.

The order feed holds the shop's own orders, copies of some marketplace orders imported
by the shop's order system (`external_order_ref`) and QA test orders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import formats
from ..config import TMALL, WEB
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
    REASON_CODE,
    RawRows,
    Replacement,
    choose_dirty_rows,
    count_contact_corrections,
    future_seconds,
    plan_export,
    reasons_array,
)
from ..orders import COMPLETED, UTM_SOURCES
from ..reference import CITIES, CURRENCIES, CURRENCY_SYMBOLS, PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES
from ..timeline import BEIJING_OFFSET, DAY
from .common import (
    World,
    extra_count,
    geo_index,
    geo_strings,
    injected_rates,
    write_planned,
)
from .marketplace import MarketplaceOutput

# Status spellings by canonical status (pending, paid, shipped, completed, cancelled, refunded).
WEB_STATUSES: tuple[tuple[str, ...], ...] = (
    ("pending", "Pending", "待付款"),
    ("Paid", "paid ", "PAID", "已付款"),
    ("SHIPPED", "shipped", "Shipped", "已发货"),
    ("Completed", "completed", "delivered", "Delivered", "已完成"),
    ("Cancelled", "canceled", "CANCELLED", "已取消"),
    ("Refunded", "refunded", "退款成功"),
)
UNKNOWN_WEB_STATUSES: tuple[str, ...] = ("???", "on hold", "ON HOLD", "unknown", "状态异常")
# Spellings of CNY and their shares; foreign codes are upper case (90%) or lower case.
CNY_SPELLINGS: tuple[str, ...] = ("CNY", "cny", "RMB", "rmb", "¥")
CNY_SPELLING_SHARES = np.array([0.86, 0.04, 0.04, 0.03, 0.03])
# Amount styles: plain 1299.00, grouped 1,299.00, symbol ¥1299.00, symbol + grouped.
AMOUNT_STYLE_SHARES = np.array([0.45, 0.25, 0.20, 0.10])
TWO_VERSION_SHARE = 0.15
EMAIL_MISSING_SHARE = 0.08
# Chinese couriers need the receiver's mobile, so nearly every web order carries one.
PHONE_SHARE = 0.97
PLACEHOLDER_SHARE = 0.006
ZULU_SHARE = 0.25
TEST_DOMAIN = "qa.example.com"
OWN, COPY, TEST = range(3)
FEED_SOURCES: tuple[str, ...] = (*UTM_SOURCES, "tmall", "jd")
SOURCE = "web_shop.orders"


@dataclass(frozen=True)
class WebOutput:
    """Ids and rejections of canonical web orders, and the imported marketplace copies."""

    order_index: np.ndarray
    refs: pa.Array
    reason: np.ndarray
    copy_of: np.ndarray
    copy_refs: pa.Array


@dataclass
class _FeedOrders:
    """Orders as the web feed holds them: own orders, imported copies, test orders.

    Every attribute is drawn here, once, so the text can be built in any chunks.
    """

    kind: np.ndarray
    src: np.ndarray
    person: np.ndarray
    created: np.ndarray
    offset: np.ndarray
    zulu: np.ndarray
    currency: np.ndarray
    currency_spelling: np.ndarray
    pay: np.ndarray
    freight: np.ndarray
    discount: np.ndarray
    amount_style: np.ndarray
    shipping_empty: np.ndarray
    discount_empty: np.ndarray
    member: np.ndarray
    email_slot: np.ndarray
    email_variant: np.ndarray
    email_missing: np.ndarray
    email_placeholder: np.ndarray
    test_number: np.ndarray
    phone_style: np.ndarray
    phone_missing: np.ndarray
    phone_placeholder: np.ndarray
    geo: np.ndarray
    utm_source: np.ndarray
    utm_campaign: np.ndarray


def status_text(status: np.ndarray, variant: np.ndarray) -> pa.Array:
    """The web spelling `variant` (uniform in [0, 1)) of each canonical status."""
    sizes = np.array([len(v) for v in WEB_STATUSES])
    offsets = np.cumsum(sizes) - sizes
    flat = [s for group in WEB_STATUSES for s in group]
    return formats.pick(flat, offsets[status] + (variant * sizes[status]).astype(np.int64))


def _feed_orders(world: World, rng: np.random.Generator, mp: MarketplaceOutput) -> _FeedOrders:
    o, c, ms = world.orders, world.contacts, world.membership
    own = np.flatnonzero(o.channel == WEB)
    copies = np.flatnonzero(o.is_cross_feed)
    n_test = extra_count(rng, SOURCE, "test_order", own.size)
    end = world.timeline.end_utc
    lag = rng.integers(60, 1200, copies.size)
    start = world.timeline.start_day * DAY - BEIJING_OFFSET
    test_created = rng.integers(start, end - 7200, n_test)
    kind = np.concatenate(
        [np.full(own.size, OWN), np.full(copies.size, COPY), np.full(n_test, TEST)]
    ).astype(np.int8)
    src = np.concatenate([own, copies, np.full(n_test, -1)])
    srcc = src.clip(0)
    n = kind.size
    created = np.concatenate(
        [o.created_utc[own], np.minimum(o.created_utc[copies] + lag, end - 1), test_created]
    )
    currency = np.where(kind == OWN, o.currency[srcc], 0)
    person = np.where(kind < TEST, o.person[srcc], 0)
    member = np.where(kind == OWN, o.member_record[srcc], -1)
    record_slot = np.where(member >= 0, ms.email_slot[member.clip(0)], -1)
    slot = np.where(record_slot >= 0, record_slot, (rng.random(n) < 0.2).astype(np.int64))
    slot = np.where(c.has_email(person, slot), slot, 0)
    test_amount = rng.integers(100, 50_000, n_test)
    freight = np.concatenate([o.freight[own], o.freight[copies], np.zeros(n_test, np.int64)])
    discount = np.concatenate([o.discount[own], o.discount[copies], np.zeros(n_test, np.int64)])
    mp_pos = np.full(o.size, -1, dtype=np.int64)
    mp_pos[mp.order_index] = np.arange(mp.order_index.size)
    geo = geo_index(world, person, rng, 0.05)
    geo = np.where(kind == COPY, mp.geo[mp_pos[srcc].clip(0)], geo)
    geo = np.where(kind == TEST, [c[1] for c in CITIES].index("上海"), geo)
    platform_source = np.where(o.channel[srcc] == TMALL, len(UTM_SOURCES), len(UTM_SOURCES) + 1)
    return _FeedOrders(
        kind=kind,
        src=src,
        person=person,
        created=created,
        offset=np.where(kind == OWN, o.offset[srcc], BEIJING_OFFSET),
        zulu=rng.random(n) < np.where(currency > 0, 0.15, ZULU_SHARE),
        currency=currency,
        currency_spelling=rng.choice(len(CNY_SPELLINGS), size=n, p=CNY_SPELLING_SHARES),
        pay=np.concatenate([o.pay[own], o.pay[copies], test_amount]),
        freight=freight,
        discount=discount,
        amount_style=rng.choice(4, size=n, p=AMOUNT_STYLE_SHARES),
        shipping_empty=(freight == 0) & (rng.random(n) < 0.6),
        discount_empty=(discount == 0) & (rng.random(n) < 0.7),
        member=member,
        email_slot=slot,
        email_variant=sample_email_variants(rng, n),
        email_missing=rng.random(n) < np.where(kind == OWN, EMAIL_MISSING_SHARE, 0.5),
        email_placeholder=np.where(
            (rng.random(n) < PLACEHOLDER_SHARE) & (kind == OWN),
            rng.integers(0, len(PLACEHOLDER_EMAILS), n),
            -1,
        ),
        test_number=rng.integers(1, 40, n),
        phone_style=sample_phone_styles(rng, n),
        phone_missing=(rng.random(n) > np.where(kind == OWN, PHONE_SHARE, 0.3)) | (kind == TEST),
        phone_placeholder=np.where(
            (rng.random(n) < PLACEHOLDER_SHARE) & (kind == OWN),
            rng.integers(0, len(PLACEHOLDER_PHONES), n),
            -1,
        ),
        geo=geo,
        utm_source=np.where(
            kind == OWN, o.utm_source[srcc], np.where(kind == COPY, platform_source, -1)
        ),
        utm_campaign=np.where(kind == OWN, o.utm_campaign[srcc], -1),
    )


def _versions(
    world: World, rng: np.random.Generator, f: _FeedOrders
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(feed order, canonical status, updated UTC) of every exported row."""
    o = world.orders
    end = world.timeline.end_utc
    own = np.flatnonzero(f.kind == OWN)
    src = f.src[own]
    length = o.path_len[src].astype(np.int64)
    two = (length >= 2) & (rng.random(own.size) < TWO_VERSION_SHARE)
    earlier = (rng.random(own.size) * np.maximum(length - 1, 1)).astype(np.int64)
    first_f = np.concatenate([own[two], own])
    first_step = np.concatenate([earlier[two], length - 1])
    first_src = f.src[first_f]
    copies = np.flatnonzero(f.kind == COPY)
    csrc = f.src[copies]
    last = o.path_len[csrc] - 1
    shift = f.created[copies] - o.created_utc[csrc]
    time_copy = np.clip(o.path_time[csrc, last] + shift, f.created[copies], end - 1)
    tests = np.flatnonzero(f.kind == TEST)
    time_test = np.minimum(f.created[tests] + rng.integers(60, 3600, tests.size), end - 1)
    feed = np.concatenate([first_f, copies, tests])
    status = np.concatenate(
        [o.path[first_src, first_step], o.final_status[csrc], np.full(tests.size, COMPLETED)]
    )
    updated = np.concatenate([o.path_time[first_src, first_step], time_copy, time_test])
    return feed, status.astype(np.int64), updated


def _emails(world: World, f: _FeedOrders, fo: np.ndarray) -> pa.Array:
    """customer_email text of feed orders fo."""
    c = world.contacts
    email = c.email_text(f.person[fo], f.email_slot[fo], f.email_variant[fo])
    email = formats.null_where(email, f.email_missing[fo])
    placeholder = f.email_placeholder[fo]
    email = formats.where(
        placeholder >= 0, placeholder_email_text(placeholder.clip(0), f.email_variant[fo]), email
    )
    test_email = formats.join("qa.tester", formats.int_strings(f.test_number[fo]), "@", TEST_DOMAIN)
    return formats.where(f.kind[fo] == TEST, test_email, email)


def _phones(world: World, f: _FeedOrders, fo: np.ndarray) -> pa.Array:
    """customer_phone text of feed orders fo."""
    phone = world.contacts.phone_text(f.person[fo], f.phone_style[fo])
    phone = formats.null_where(phone, f.phone_missing[fo])
    placeholder = f.phone_placeholder[fo]
    return formats.where(
        placeholder >= 0, placeholder_phone_text(placeholder.clip(0), f.phone_style[fo]), phone
    )


def _amount(f: _FeedOrders, fo: np.ndarray, minor: np.ndarray) -> pa.Array:
    style = f.amount_style[fo]
    prefix = formats.where(style >= 2, formats.pick(CURRENCY_SYMBOLS, f.currency[fo]), "")
    return formats.money_strings(minor, (style == 1) | (style == 3), prefix)


def _currency_text(f: _FeedOrders, fo: np.ndarray) -> pa.Array:
    cny = formats.pick(CNY_SPELLINGS, f.currency_spelling[fo])
    code = formats.pick(CURRENCIES, f.currency[fo])
    foreign = formats.where(f.currency_spelling[fo] < 4, code, pc.utf8_lower(code))
    return formats.where(f.currency[fo] == 0, cny, foreign)


def write_web_shop(world: World, mp: MarketplaceOutput) -> WebOutput:
    """Write web_shop/orders.csv and web_shop/order_lines.csv."""
    rng = world.rng("web_shop")
    o = world.orders
    f = _feed_orders(world, rng, mp)
    n_feed = f.kind.size
    rank = np.empty(n_feed, dtype=np.int64)
    rank[np.lexsort((f.src, f.created))] = np.arange(n_feed)
    ids = formats.prefixed("W", 100_000_001 + rank)
    feed, status, updated = _versions(world, rng, f)
    status_variant = rng.random(feed.size)
    copy_pos = np.searchsorted(mp.order_index, f.src.clip(0))
    single = np.bincount(feed, minlength=n_feed) == 1
    eligible = (f.kind[feed] == OWN) & single[feed] & (o.send[f.src[feed].clip(0)] < 0)
    dirty = choose_dirty_rows(rng, eligible, injected_rates(SOURCE))
    dirty["test_order"] = np.flatnonzero(f.kind[feed] == TEST)
    future_rows = dirty["future_timestamp"]
    future = formats.iso_strings(future_seconds(rng, future_rows.size), f.offset[feed[future_rows]])
    replace = {
        "order_id": Replacement(dirty["missing_key"], [None] * dirty["missing_key"].size),
        "created_at": Replacement.draw(rng, dirty["unparseable_timestamp"], BAD_ISO_TIMESTAMPS),
        "future": Replacement(future_rows, future.to_pylist()),
        "order_total": Replacement.draw(rng, dirty["non_numeric_amount"], BAD_AMOUNTS),
        "currency": Replacement.draw(rng, dirty["unknown_currency"], BAD_CURRENCIES),
        "status": Replacement.draw(rng, dirty["unknown_status"], UNKNOWN_WEB_STATUSES),
    }

    def build(rows: np.ndarray) -> dict[str, pa.Array]:
        fo = feed[rows]
        take = pa.array(fo)
        province, city = geo_strings(f.geo[fo])
        created = formats.iso_strings(f.created[fo], f.offset[fo], f.zulu[fo])
        created = replace["future"].apply(replace["created_at"].apply(created, rows), rows)
        member = f.member[fo]
        is_copy = f.kind[fo] == COPY
        return {
            "order_id": replace["order_id"].apply(ids.take(take), rows),
            "created_at": created,
            "updated_at": formats.iso_strings(updated[rows], f.offset[fo], f.zulu[fo]),
            "customer_email": _emails(world, f, fo),
            "customer_phone": _phones(world, f, fo),
            "member_id": world.membership.customer_id.take(
                pa.array(member.clip(0), mask=member < 0)
            ),
            "currency": replace["currency"].apply(_currency_text(f, fo), rows),
            "order_total": replace["order_total"].apply(_amount(f, fo, f.pay[fo]), rows),
            "shipping_fee": formats.null_where(_amount(f, fo, f.freight[fo]), f.shipping_empty[fo]),
            "discount_total": formats.null_where(
                _amount(f, fo, f.discount[fo]), f.discount_empty[fo]
            ),
            "status": replace["status"].apply(
                status_text(status[rows], status_variant[rows]), rows
            ),
            "external_order_ref": mp.refs.take(pa.array(copy_pos[fo], mask=~is_copy)),
            "utm_source": formats.pick(FEED_SOURCES, f.utm_source[fo]),
            "utm_campaign": formats.pick(world.utm_codes, f.utm_campaign[fo]),
            "ship_province": province,
            "ship_city": city,
        }

    latest = np.zeros(n_feed, dtype=np.int64)
    np.maximum.at(latest, feed, updated)
    reason = reasons_array(feed.size, dirty)
    raw = RawRows(None, updated, reason, updated < latest[feed], np.zeros(feed.size, np.int64))
    plan = plan_export(rng, SOURCE, raw, world.ledger)
    kept = raw.kept

    def inspect(columns: dict[str, pa.Array], sel: np.ndarray) -> None:
        mask = kept[plan.index[sel]] & ~plan.is_copy[sel]
        _count_corrections(world, columns, mask)

    write_planned(world, "web_shop/orders.csv", plan, build, inspect=inspect)
    feed_reason = np.full(n_feed, -1, dtype=np.int8)
    feed_reason[feed[reason >= 0]] = reason[reason >= 0]
    _write_lines(world, rng, f, ids, feed_reason)
    own = np.flatnonzero(f.kind == OWN)
    copies = np.flatnonzero(f.kind == COPY)
    return WebOutput(
        order_index=f.src[own],
        refs=ids.take(pa.array(own)),
        reason=feed_reason[own],
        copy_of=f.src[copies],
        copy_refs=ids.take(pa.array(copies)),
    )


def _count_corrections(world: World, columns: dict[str, pa.Array], kept: np.ndarray) -> None:
    ledger = world.ledger
    count_contact_corrections(
        ledger, SOURCE, kept, columns["customer_email"], columns["customer_phone"]
    )
    mask = pa.array(kept)
    currency = pc.filter(columns["currency"], mask)
    alias = pc.invert(pc.is_in(currency, pa.array(list(CURRENCIES))))
    ledger.record(SOURCE, "correction", "currency_alias", pc.sum(alias).as_py() or 0)
    fees = pc.or_(
        pc.is_null(pc.filter(columns["shipping_fee"], mask)),
        pc.is_null(pc.filter(columns["discount_total"], mask)),
    )
    ledger.record(SOURCE, "correction", "empty_fee_zeroed", pc.sum(fees).as_py() or 0)


def _write_lines(
    world: World,
    rng: np.random.Generator,
    f: _FeedOrders,
    ids: pa.Array,
    feed_reason: np.ndarray,
) -> None:
    """Lines of every feed order, orphan lines, and line-level dirt."""
    ln, cat, o = world.lines, world.catalog, world.orders
    real = np.flatnonzero(f.kind < TEST)
    counts = o.n_lines[f.src[real]].astype(np.int64)
    owner = np.repeat(real, counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    line_idx = np.repeat(o.line_start[f.src[real]].astype(np.int64), counts) + within
    tests = np.flatnonzero(f.kind == TEST)
    test_lines = rng.integers(1, 3, tests.size)
    test_owner = np.repeat(tests, test_lines)
    test_first = np.repeat(np.cumsum(test_lines) - test_lines, test_lines)
    test_line_no = np.arange(test_owner.size) - test_first + 1
    test_sku = rng.integers(0, cat.size, test_owner.size)
    owner = np.concatenate([owner, test_owner])
    sku = np.concatenate([ln.sku[line_idx], test_sku])
    qty = np.concatenate([ln.qty[line_idx], np.ones(test_owner.size, np.int64)]).astype(np.int64)
    unit = np.concatenate([ln.unit[line_idx], cat.list_fen[test_sku]])
    line_no = np.concatenate([ln.line_no[line_idx], test_line_no]).astype(np.int64)
    parent = feed_reason[owner]
    reason = np.where(
        parent == REASON_CODE["missing_key"],
        REASON_CODE["orphan_line"],
        np.where(parent >= 0, REASON_CODE["parent_rejected"], -1),
    ).astype(np.int8)
    dirty = choose_dirty_rows(rng, reason < 0, injected_rates("web_shop.order_lines"))
    for name, rows in dirty.items():
        reason[rows] = REASON_CODE[name]
    qty[dirty["negative_quantity"]] *= -1
    bad_price = Replacement.draw(rng, dirty["non_numeric_amount"], BAD_AMOUNTS)
    n_real = owner.size
    n_orphan = extra_count(rng, "web_shop.order_lines", "orphan_line", n_real)
    orphan_ids = formats.prefixed("W9", rng.choice(10**8, size=n_orphan, replace=False), 8)
    orphan_sku = rng.integers(0, cat.size, n_orphan)
    symbol = np.concatenate(
        [(f.amount_style[owner] >= 2) & (rng.random(n_real) < 0.5), np.zeros(n_orphan, bool)]
    )
    currency = np.concatenate([f.currency[owner], np.zeros(n_orphan, np.int64)])
    all_ids = pa.concat_arrays([ids, orphan_ids])
    id_of_row = np.concatenate([owner, len(ids) + np.arange(n_orphan)])
    sku = np.concatenate([sku, orphan_sku])
    qty = np.concatenate([qty, np.ones(n_orphan, np.int64)])
    unit = np.concatenate([unit, cat.list_fen[orphan_sku]])
    line_no = np.concatenate([line_no, np.ones(n_orphan, np.int64)])

    def build(rows: np.ndarray) -> dict[str, pa.Array]:
        prefix = formats.where(symbol[rows], formats.pick(CURRENCY_SYMBOLS, currency[rows]), "")
        price = bad_price.apply(formats.money_strings(unit[rows], False, prefix), rows)
        return {
            "order_id": all_ids.take(pa.array(id_of_row[rows])),
            "line_number": formats.int_strings(line_no[rows]),
            "sku": cat.sku.take(pa.array(sku[rows])),
            "quantity": formats.int_strings(qty[rows]),
            "unit_price": price,
        }

    orphan_time = rng.integers(int(f.created.min()), world.timeline.end_utc, n_orphan)
    key = np.concatenate([f.created[owner] * 10 + line_no[:n_real], orphan_time * 10])
    reason = np.concatenate([reason, np.full(n_orphan, REASON_CODE["orphan_line"], np.int8)])
    raw = RawRows(None, key, reason, np.zeros(reason.size, bool), np.zeros(reason.size, np.int64))
    plan = plan_export(rng, "web_shop.order_lines", raw, world.ledger)
    write_planned(world, "web_shop/order_lines.csv", plan, build)
