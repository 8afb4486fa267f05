"""Canonical orders and their lines: channel, time, store, basket, prices, status history.

Every order here is one real purchase. The feeds later write these orders in each
channel's own shape (and add re-exports, duplicates, dirt and test transactions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .catalog import Catalog
from .config import APP, CHANNELS, JD, POS, TMALL, WEB, ModelParams, rng_for
from .contacts import Contacts
from .crm import Membership
from .marketing import COUPON_FEN, SEND_CHANNELS, MarketingPlan
from .population import Population, sample_categories, sample_channels
from .purchases import Purchases
from .reference import STORES
from .timeline import (
    BEIJING_OFFSET,
    DAY,
    ONLINE_HOURS,
    PEAK_DAY_HOURS,
    STORE_HOURS,
    Timeline,
    sample_seconds_of_day,
    utc_offsets,
)

STATUSES: tuple[str, ...] = ("pending", "paid", "shipped", "completed", "cancelled", "refunded")
PENDING, PAID, SHIPPED, COMPLETED, CANCELLED, REFUNDED = range(6)
# Outcome paths (canonical statuses in order); -1 pads.
PATHS = np.array(
    [
        [PENDING, PAID, SHIPPED, COMPLETED],
        [PENDING, CANCELLED, -1, -1],
        [PENDING, PAID, CANCELLED, -1],
        [PENDING, PAID, SHIPPED, REFUNDED],
        [PENDING, PAID, REFUNDED, -1],
        [COMPLETED, -1, -1, -1],
    ],
    dtype=np.int8,
)
COMPLETED_PATH, CANCEL_UNPAID, CANCEL_PAID, REFUND_SHIPPED, REFUND_PAID, STORE_SALE = range(6)
CANCEL_UNPAID_SHARE = 0.03
CANCEL_PAID_SHARE = 0.02
REFUND_SHARE = 0.025
CROSS_FEED_SHARE = 0.05
LINE_COUNT_SHARES = np.array([0.50, 0.28, 0.14, 0.08])
COMPLEMENT_SHARE = 0.4
HOME_STORE_SHARE = 0.9
UTM_SOURCES: tuple[str, ...] = (
    "baidu",
    "wechat",
    "douyin",
    "xiaohongshu",
    "weibo",
    "google",
    "email",
    "sms",
)
UTM_SOURCE_SHARES = np.array([0.45, 0.15, 0.12, 0.10, 0.08, 0.04, 0.03, 0.02, 0.01])
GENERIC_CAMPAIGNS: tuple[str, ...] = ("brand_search", "kol_seeding", "live_stream", "retargeting")
GENERIC_CAMPAIGN_SHARE = 0.25

# CNY per unit of USD, EUR, HKD at anchor dates (linear in between).
FX_ANCHORS: dict[int, tuple[tuple[str, float], ...]] = {
    1: (
        ("2023-01-01", 6.85),
        ("2023-07-01", 7.20),
        ("2023-11-01", 7.30),
        ("2024-07-01", 7.27),
        ("2025-01-01", 7.30),
        ("2025-07-01", 7.17),
        ("2025-12-31", 7.07),
    ),
    2: (
        ("2023-01-01", 7.35),
        ("2023-07-01", 7.90),
        ("2024-01-01", 7.85),
        ("2024-07-01", 7.80),
        ("2025-01-01", 7.55),
        ("2025-07-01", 8.40),
        ("2025-12-31", 8.25),
    ),
    3: (
        ("2023-01-01", 0.878),
        ("2023-07-01", 0.921),
        ("2023-11-01", 0.935),
        ("2024-07-01", 0.931),
        ("2025-01-01", 0.939),
        ("2025-07-01", 0.913),
        ("2025-12-31", 0.909),
    ),
}


@dataclass(frozen=True)
class Orders:
    """Order-level arrays, sorted by creation time."""

    person: np.ndarray
    channel: np.ndarray
    created_utc: np.ndarray
    offset: np.ndarray
    zone: np.ndarray
    store: np.ndarray
    send: np.ndarray
    member_record: np.ndarray
    currency: np.ndarray
    subtotal: np.ndarray
    freight: np.ndarray
    discount: np.ndarray
    pay: np.ndarray
    pay_cny_fen: np.ndarray
    path: np.ndarray
    path_time: np.ndarray
    path_len: np.ndarray
    line_start: np.ndarray
    n_lines: np.ndarray
    is_cross_feed: np.ndarray
    utm_source: np.ndarray
    utm_campaign: np.ndarray

    @property
    def size(self) -> int:
        """Number of orders."""
        return len(self.person)

    @property
    def final_status(self) -> np.ndarray:
        """Canonical status of the last observed version."""
        return self.path[np.arange(self.size), self.path_len - 1]

    def status_time(self, status: int) -> np.ndarray:
        """When the order reached a status (UTC seconds), -1 if not observed."""
        hit = (self.path == status) & (np.arange(4)[None, :] < self.path_len[:, None])
        return np.where(hit.any(axis=1), np.where(hit, self.path_time, 0).max(axis=1), -1)

    def local_day(self) -> np.ndarray:
        """Epoch day of the order in Beijing time."""
        return (self.created_utc + BEIJING_OFFSET) // DAY


@dataclass(frozen=True)
class Lines:
    """Line-level arrays, grouped by order (orders.line_start / n_lines)."""

    order: np.ndarray
    line_no: np.ndarray
    sku: np.ndarray
    qty: np.ndarray
    unit: np.ndarray
    unit_cny_fen: np.ndarray

    @property
    def size(self) -> int:
        """Number of lines."""
        return len(self.order)


def channel_name(channel: np.ndarray) -> np.ndarray:
    """source_system names (web_shop, app, pos, tmall, jd) of channel codes."""
    return np.array(CHANNELS)[channel]


def fx_rate(currency: np.ndarray, epoch_days: np.ndarray) -> np.ndarray:
    """CNY per unit of the currency on each day (1 for CNY)."""
    rate = np.ones(currency.size)
    for code, anchors in FX_ANCHORS.items():
        mask = currency == code
        if mask.any():
            xs = np.array([np.datetime64(d).astype(np.int64) for d, _ in anchors])
            ys = np.array([v for _, v in anchors])
            rate[mask] = np.interp(epoch_days[mask], xs, ys)
    return rate


def _times_of_day(rng: np.random.Generator, channel: np.ndarray, peak: np.ndarray) -> np.ndarray:
    """Local seconds after midnight: store hours for POS, evening peaks online."""
    sod = np.empty(channel.size, dtype=np.int64)
    groups = ((channel == POS), (channel != POS) & peak, (channel != POS) & ~peak)
    for mask, profile in zip(groups, (STORE_HOURS, PEAK_DAY_HOURS, ONLINE_HOURS), strict=True):
        sod[mask] = sample_seconds_of_day(rng, profile, int(mask.sum()))
    return sod


def _schedule(
    seed: int, pop: Population, purchases: Purchases, plan: MarketingPlan, timeline: Timeline
) -> dict[str, np.ndarray]:
    """Channel, UTC time, zone and campaign send of every order, sorted by time."""
    rng = rng_for(seed, "orders.schedule")
    person = purchases.person
    day = purchases.day
    channel = sample_channels(rng, pop, person, timeline.channel_tilt[day])
    sod = _times_of_day(rng, channel, timeline.peak_day[day])
    local = (timeline.start_day + day) * DAY + sod
    zone = np.where(channel == WEB, pop.zone[person], 0).astype(np.int8)
    offset = utc_offsets(zone, local - BEIJING_OFFSET)
    utc = np.minimum(local - offset, timeline.end_utc - 1 - rng.integers(0, 600, person.size))
    c_zone = np.where(plan.order_channel == WEB, pop.zone[plan.order_person], 0).astype(np.int8)
    out = {
        "person": np.concatenate([person, plan.order_person]),
        "channel": np.concatenate([channel, plan.order_channel]).astype(np.int8),
        "created_utc": np.concatenate([utc, plan.order_utc]),
        "zone": np.concatenate([zone, c_zone]),
        "send": np.concatenate([np.full(person.size, -1), plan.order_send]),
    }
    order = np.lexsort((out["person"], out["created_utc"]))
    out = {k: v[order] for k, v in out.items()}
    out["offset"] = utc_offsets(out["zone"], out["created_utc"])
    return out


def _stores(
    rng: np.random.Generator, pop: Population, person: np.ndarray, channel: np.ndarray
) -> np.ndarray:
    home = pop.home_store[person]
    other = rng.integers(0, len(STORES), person.size)
    store = np.where(rng.random(person.size) < HOME_STORE_SHARE, home, other)
    return np.where(channel == POS, store, -1)


def _pick_skus(
    rng: np.random.Generator, catalog: Catalog, top: np.ndarray, target_fen: np.ndarray
) -> np.ndarray:
    """A SKU of the top category whose price is near the target (with some spread)."""
    key = top * 100.0 + np.log(np.maximum(target_fen, 100) / 100.0)
    pos = np.searchsorted(catalog.search_key, key) + np.rint(rng.normal(0, 2.5, top.size)).astype(
        np.int64
    )
    lo = catalog.top_bounds[top]
    hi = catalog.top_bounds[top + 1] - 1
    return catalog.search_order[np.clip(pos, lo, hi)]


def _draw_lines(
    rng: np.random.Generator,
    pop: Population,
    catalog: Catalog,
    person: np.ndarray,
    epoch_days: np.ndarray,
    target_fen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lines of every order: (order index, SKU, quantity); a SKU appears once per order."""
    n = person.size
    n_lines = (rng.choice(4, size=n, p=LINE_COUNT_SHARES) + 1).astype(np.int8)
    order = np.repeat(np.arange(n, dtype=np.int32), n_lines)
    starts = np.cumsum(n_lines, dtype=np.int64) - n_lines
    line_no = (np.arange(order.size) - np.repeat(starts, n_lines)).astype(np.int8)
    del starts
    top = sample_categories(pop, person[order], rng.random(order.size))
    share = target_fen[order] / n_lines[order] * np.exp(rng.normal(0, 0.35, order.size))
    sku = _pick_skus(rng, catalog, top, share)
    del top
    for k in range(1, 4):
        rows = np.flatnonzero(line_no == k)
        partner = catalog.complement[sku[rows - 1]]
        use = (partner >= 0) & (rng.random(rows.size) < COMPLEMENT_SHARE)
        sku[rows[use]] = partner[use]
    day = epoch_days[order]
    unavailable = (day < catalog.launch_day[sku]) | (day >= catalog.stop_day[sku])
    del day
    sku[unavailable] = catalog.fallback[sku[unavailable]]
    price = catalog.list_fen[sku]
    ratio = share / price
    del share
    cap = np.where(price < 6000, 6, np.where(price < 20000, 3, 2))
    qty = np.where(ratio < 1.6, 1, np.minimum(np.rint(ratio), cap)).astype(np.int16)
    # Drop repeated SKUs within an order (keep the first line); orders have <= 4 lines.
    repeated = np.zeros(order.size, dtype=bool)
    for k in range(1, 4):
        same = np.zeros(order.size, dtype=bool)
        same[k:] = (sku[k:] == sku[:-k]) & (line_no[k:] >= k)
        repeated |= same
    keep = ~repeated
    return order[keep], sku[keep].astype(np.int16), qty[keep]


def _prices(
    rng: np.random.Generator,
    catalog: Catalog,
    timeline: Timeline,
    sku: np.ndarray,
    channel: np.ndarray,
    window_day: np.ndarray,
) -> np.ndarray:
    """Unit price after line discount, in fen, rounded to 10 fen."""
    depth = timeline.promo_depth[window_day]
    store = channel == POS
    discount = np.where(
        store,
        rng.uniform(0, 0.05, sku.size) + depth * 0.5,
        rng.uniform(0, 0.08, sku.size) + depth * rng.uniform(0.5, 1.5, sku.size),
    )
    return (np.rint(catalog.list_fen[sku] * (1 - discount) / 10) * 10).astype(np.int64)


def _order_amounts(
    rng: np.random.Generator,
    subtotal: np.ndarray,
    channel: np.ndarray,
    zone: np.ndarray,
    promo: np.ndarray,
    campaign: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Freight and order-level discounts in fen."""
    n = subtotal.size
    freight = np.where(subtotal < 9900, rng.choice([600, 800, 1000, 1200], size=n), 0)
    freight = np.where(zone > 0, rng.choice([3000, 4500, 6000, 8000], size=n), freight)
    freight = np.where(channel == POS, 0, freight)
    coupon_p = np.where(promo > 0, 0.55, 0.2)
    has_coupon = rng.random(n) < coupon_p
    tiered = (subtotal // 30000) * 3000
    fixed = np.minimum(rng.choice([500, 1000, 2000], size=n), subtotal // 5)
    discount = np.where(has_coupon, np.where(tiered > 0, tiered, fixed), 0)
    campaign_coupon = np.minimum(rng.choice(COUPON_FEN, size=n), (subtotal * 3) // 10)
    discount = np.where(campaign, campaign_coupon, discount)
    return freight.astype(np.int64), discount.astype(np.int64)


def _outcome_paths(
    rng: np.random.Generator,
    channel: np.ndarray,
    created: np.ndarray,
    satisfaction: np.ndarray,
    campaign: np.ndarray,
    slow: np.ndarray,
    end_utc: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Status path, times of each step and number of steps observed by the export."""
    n = channel.size
    u = rng.random(n)
    refund_p = np.clip(REFUND_SHARE * np.exp(-0.4 * satisfaction), 0, 0.15)
    kind = np.full(n, COMPLETED_PATH)
    kind[u < CANCEL_UNPAID_SHARE] = CANCEL_UNPAID
    kind[(u >= CANCEL_UNPAID_SHARE) & (u < CANCEL_UNPAID_SHARE + CANCEL_PAID_SHARE)] = CANCEL_PAID
    refund = (u >= 0.05) & (u < 0.05 + refund_p)
    kind[refund] = np.where(rng.random(n)[refund] < 0.5, REFUND_SHIPPED, REFUND_PAID)
    kind[campaign] = COMPLETED_PATH
    kind[channel == POS] = STORE_SALE
    path = PATHS[kind]
    # Tmall closes paid-then-cancelled orders as refunds; JD shows refunds as cancelled.
    path[(channel == TMALL) & (kind == CANCEL_PAID), 2] = REFUNDED
    path[(path == REFUNDED) & (channel == JD)[:, None]] = CANCELLED
    hours = 3600
    pay = created + np.clip(rng.lognormal(np.log(90), 0.8, n), 30, 3600).astype(np.int64)
    ship = pay + (rng.uniform(4, 48, n) * hours * np.where(slow, 2.5, 1.0)).astype(np.int64)
    marketplace = (channel == TMALL) | (channel == JD)
    done = ship + (
        rng.uniform(36, 144, n) * hours + marketplace * rng.uniform(0, 96, n) * hours
    ).astype(np.int64)
    cancel_unpaid = created + rng.integers(15 * 60, DAY, n)
    cancel_paid = pay + rng.integers(10 * 60, 12 * hours, n)
    refund_shipped = ship + rng.integers(2 * DAY, 8 * DAY, n)
    refund_paid = pay + rng.integers(hours, 2 * DAY, n)
    times = np.stack([created, pay, ship, done], axis=1)
    times[kind == CANCEL_UNPAID, 1] = cancel_unpaid[kind == CANCEL_UNPAID]
    times[kind == CANCEL_PAID, 2] = cancel_paid[kind == CANCEL_PAID]
    times[kind == REFUND_SHIPPED, 3] = refund_shipped[kind == REFUND_SHIPPED]
    times[kind == REFUND_PAID, 2] = refund_paid[kind == REFUND_PAID]
    times = np.where(path >= 0, times, -1)
    observed = ((path >= 0) & (times < end_utc)).sum(axis=1).astype(np.int8)
    return path, times, np.maximum(observed, 1)


def _utm(
    rng: np.random.Generator, channel: np.ndarray, send: np.ndarray, plan: MarketingPlan
) -> tuple[np.ndarray, np.ndarray]:
    """Traffic source (index into UTM_SOURCES, -1 none) and campaign code index.

    Campaign codes index the plan's campaigns first, then GENERIC_CAMPAIGNS.
    """
    n = channel.size
    online = (channel == WEB) | (channel == APP)
    source = rng.choice(len(UTM_SOURCES) + 1, size=n, p=UTM_SOURCE_SHARES) - 1
    source = np.where(online, source, -1)
    generic = rng.integers(0, len(GENERIC_CAMPAIGNS), n) + len(plan.campaigns)
    campaign = np.where((source >= 0) & (rng.random(n) < GENERIC_CAMPAIGN_SHARE), generic, -1)
    treated = send >= 0
    if treated.any():
        campaign_of_send = plan.campaign[send[treated]]
        channels = np.array([c.channel for c in plan.campaigns])[campaign_of_send]
        source_of_channel = np.array([UTM_SOURCES.index(name) for name in SEND_CHANNELS])
        source[treated] = source_of_channel[channels]
        campaign[treated] = campaign_of_send
    return source.astype(np.int8), campaign.astype(np.int32)


def build_orders(
    seed: int,
    params: ModelParams,
    pop: Population,
    contacts: Contacts,
    membership: Membership,
    purchases: Purchases,
    plan: MarketingPlan,
    catalog: Catalog,
    timeline: Timeline,
) -> tuple[Orders, Lines]:
    """Turn purchase events into complete orders with lines, amounts and status paths."""
    s = _schedule(seed, pop, purchases, plan, timeline)
    person, channel, created = s["person"], s["channel"], s["created_utc"]
    n = person.size
    rng = rng_for(seed, "orders.baskets")
    epoch_days = (created + BEIJING_OFFSET) // DAY
    window_day = (epoch_days - timeline.start_day).clip(0, timeline.n_days - 1)
    campaign = s["send"] >= 0
    store = _stores(rng, pop, person, channel)
    target = rng.gamma(params.gg_p, 1.0 / pop.nu[person]) * 100
    line_order, sku, qty = _draw_lines(rng, pop, catalog, person, epoch_days, target)
    n_lines = np.bincount(line_order, minlength=n)
    line_start = np.cumsum(n_lines) - n_lines
    line_no = np.arange(line_order.size) - line_start[line_order] + 1
    unit_fen = _prices(rng, catalog, timeline, sku, channel[line_order], window_day[line_order])
    subtotal_fen = (
        np.bincount(line_order, weights=unit_fen * qty, minlength=n).round().astype(np.int64)
    )
    freight_fen, discount_fen = _order_amounts(
        rng, subtotal_fen, channel, s["zone"], timeline.promo_depth[window_day], campaign
    )
    # Cross-border web orders are priced in the buyer's currency.
    currency = np.where(channel == WEB, s["zone"], 0).astype(np.int8)
    rate = fx_rate(currency, epoch_days)
    unit = np.where(
        currency[line_order] > 0, np.rint(unit_fen / rate[line_order]), unit_fen
    ).astype(np.int64)
    subtotal = np.bincount(line_order, weights=unit * qty, minlength=n).round().astype(np.int64)
    freight = np.where(currency > 0, np.rint(freight_fen / rate), freight_fen).astype(np.int64)
    discount = np.where(currency > 0, np.rint(discount_fen / rate), discount_fen).astype(np.int64)
    slow = timeline.promo_depth[window_day] > 0.1
    rng_status = rng_for(seed, "orders.status")
    path, path_time, path_len = _outcome_paths(
        rng_status, channel, created, pop.satisfaction[person], campaign, slow, timeline.end_utc
    )
    rng_members = rng_for(seed, "orders.members")
    online = (channel == WEB) | (channel == APP)
    member = membership.record_at(person, epoch_days, rng_members, 0.25)
    logged_in = rng_members.random(n) < np.where(channel == APP, 0.85, 0.75)
    member = np.where(online & (logged_in | campaign), member, -1)
    marketplace = (channel == TMALL) | (channel == JD)
    cross = marketplace & (rng_for(seed, "orders.cross_feed").random(n) < CROSS_FEED_SHARE)
    utm_source, utm_campaign = _utm(rng_for(seed, "orders.utm"), channel, s["send"], plan)
    i32 = np.int32
    orders = Orders(
        person=person.astype(i32),
        channel=channel,
        created_utc=created,
        offset=s["offset"].astype(i32),
        zone=s["zone"],
        store=store.astype(np.int16),
        send=s["send"].astype(i32),
        member_record=member.astype(i32),
        currency=currency,
        subtotal=subtotal.astype(i32),
        freight=freight.astype(i32),
        discount=discount.astype(i32),
        pay=(subtotal + freight - discount).astype(i32),
        pay_cny_fen=(subtotal_fen + freight_fen - discount_fen).astype(i32),
        path=path,
        path_time=path_time,
        path_len=path_len,
        line_start=line_start.astype(i32),
        n_lines=n_lines.astype(np.int8),
        is_cross_feed=cross,
        utm_source=utm_source,
        utm_campaign=utm_campaign,
    )
    lines = Lines(
        order=line_order.astype(i32),
        line_no=line_no.astype(np.int8),
        sku=sku.astype(np.int16),
        qty=qty.astype(np.int16),
        unit=unit.astype(i32),
        unit_cny_fen=unit_fen.astype(i32),
    )
    return orders, lines
