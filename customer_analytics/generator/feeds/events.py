"""Behaviour events of the web and app SDK (monthly Parquet files).

Two kinds of sessions: the session that placed each web / app order (views, cart adds
and a checkout just before the order time) and browse sessions without a purchase.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .. import formats
from ..config import APP, WEB
from ..dirt import (
    SOURCES,
    RawRows,
    choose_dirty_rows,
    finalize,
    future_seconds,
    reasons_array,
    split_counts,
)
from ..orders import UTM_SOURCE_SHARES, UTM_SOURCES
from ..population import APP_PLATFORMS, sample_categories
from ..timeline import BEIJING_OFFSET, DAY, ONLINE_HOURS, sample_seconds_of_day
from .common import World, injected_rates, utc_month, write_table

EVENT_TYPES: tuple[str, ...] = (
    "page_view",
    "product_view",
    "add_to_cart",
    "remove_from_cart",
    "begin_checkout",
)
PAGE_VIEW, PRODUCT_VIEW, ADD_TO_CART, REMOVE_FROM_CART, BEGIN_CHECKOUT = range(5)
PLATFORMS: tuple[str, ...] = ("web", *APP_PLATFORMS)
SLOTS = 6
BROWSE_PER_ONLINE_ORDER = 0.45
BROWSE_BASE = 0.3
SOURCE = "events.behaviour_events"
SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("event_ms", pa.int64()),
        ("platform", pa.string()),
        ("session_id", pa.string()),
        ("anonymous_id", pa.string()),
        ("member_id", pa.string()),
        ("event_type", pa.string()),
        ("sku", pa.string()),
        ("utm_source", pa.string()),
        ("utm_campaign", pa.string()),
    ]
)


@dataclass
class Sessions:
    """Session-level arrays; `etype` / `sku` hold up to SLOTS events (-1 = no event)."""

    person: np.ndarray
    start: np.ndarray
    platform: np.ndarray
    member: np.ndarray
    utm_source: np.ndarray
    utm_campaign: np.ndarray
    etype: np.ndarray
    sku: np.ndarray
    gaps: np.ndarray

    def take(self, rows: np.ndarray) -> Sessions:
        """A subset of sessions."""
        return Sessions(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))

    @staticmethod
    def concat(parts: list[Sessions]) -> Sessions:
        """Sessions of several parts, in order."""
        fields = Sessions.__dataclass_fields__
        return Sessions(*(np.concatenate([getattr(p, f) for p in parts]) for f in fields))


def _order_sessions(world: World, rng: np.random.Generator) -> Sessions:
    """The session behind every web and app order: views, cart adds, checkout."""
    o, ln = world.orders, world.lines
    idx = np.flatnonzero((o.channel == WEB) | (o.channel == APP))
    n = idx.size
    first = ln.sku[o.line_start[idx]]
    multi = o.n_lines[idx] >= 2
    second = np.where(multi, ln.sku[o.line_start[idx] + multi], -1)
    page_view = ~multi & (rng.random(n) < 0.5)
    etype = np.full((n, SLOTS), -1, dtype=np.int8)
    sku = np.full((n, SLOTS), -1, dtype=np.int16)
    single_types = np.array(
        [PAGE_VIEW, PRODUCT_VIEW, ADD_TO_CART, BEGIN_CHECKOUT, -1, -1], dtype=np.int8
    )
    multi_types = np.array(
        [PRODUCT_VIEW, PRODUCT_VIEW, ADD_TO_CART, ADD_TO_CART, BEGIN_CHECKOUT, -1], dtype=np.int8
    )
    etype[:] = np.where(multi[:, None], multi_types, single_types)
    etype[~multi & ~page_view, 0] = -1
    sku[~multi, 1] = first[~multi]
    sku[~multi, 2] = first[~multi]
    sku[multi, 0] = first[multi]
    sku[multi, 1] = second[multi]
    sku[multi, 2] = first[multi]
    sku[multi, 3] = second[multi]
    gaps = np.where(etype >= 0, rng.integers(5, 180, (n, SLOTS), dtype=np.int32), 0)
    lead = gaps.sum(axis=1) + rng.integers(5, 60, n)
    person = o.person[idx]
    platform = np.where(o.channel[idx] == WEB, 0, 1 + world.pop.app_platform[person])
    return Sessions(
        person=person,
        start=o.created_utc[idx] - lead,
        platform=platform.astype(np.int8),
        member=o.member_record[idx],
        utm_source=o.utm_source[idx].astype(np.int64),
        utm_campaign=o.utm_campaign[idx].astype(np.int64),
        etype=etype,
        sku=sku,
        gaps=gaps,
    )


def _browse_sessions(world: World, rng: np.random.Generator) -> Sessions:
    """Browse-only sessions: page view, product views, sometimes a cart add (and removal)."""
    o, pop, tl = world.orders, world.pop, world.timeline
    online_orders = np.bincount(
        o.person[(o.channel == WEB) | (o.channel == APP)], minlength=pop.size
    )
    online_user = (pop.channel_weights[:, WEB] + pop.channel_weights[:, APP]) > 0
    count = rng.poisson(BROWSE_PER_ONLINE_ORDER * online_orders + BROWSE_BASE * online_user)
    person = np.repeat(np.arange(pop.size), count)
    n = person.size
    lt = world.lifetimes
    stop_day = np.where(lt.is_alive, tl.n_days, np.minimum(lt.dropout_day + 60, tl.n_days))
    tau_lo = pop.acq_tau[person]
    tau_hi = np.maximum(tl.to_operational(stop_day[person].astype(np.float64)), tau_lo)
    day = np.floor(tl.to_day_position(tau_lo + rng.random(n) * (tau_hi - tau_lo))).astype(np.int64)
    day = day.clip(0, tl.n_days - 1)
    start = (
        (tl.start_day + day) * DAY - BEIJING_OFFSET + sample_seconds_of_day(rng, ONLINE_HOURS, n)
    )
    start = np.minimum(start, tl.end_utc - 3600)
    has_app = world.contacts.app_user_id.is_valid().to_numpy(zero_copy_only=False)[person]
    use_app = has_app & (pop.channel_weights[person, APP] >= pop.channel_weights[person, WEB])
    platform = np.where(use_app, 1 + pop.app_platform[person], 0).astype(np.int8)
    member = world.membership.record_at(person, tl.start_day + day, rng, 0.25)
    logged_in = rng.random(n) < np.where(use_app, 0.9, 0.6)
    member = np.where(logged_in, member, -1)
    n_views = rng.integers(1, 4, n)
    adds = rng.random(n) < 0.35
    removes = adds & (rng.random(n) < 0.1)
    etype = np.full((n, SLOTS), -1, dtype=np.int8)
    etype[:, 0] = PAGE_VIEW
    for j in range(3):
        etype[n_views > j, 1 + j] = PRODUCT_VIEW
    etype[adds, 4] = ADD_TO_CART
    etype[removes, 5] = REMOVE_FROM_CART
    sku = np.full((n, SLOTS), -1, dtype=np.int16)
    target = 100 * world.params.gg_p / world.pop.nu[person]
    for j in range(3):
        top = sample_categories(pop, person, rng.random(n))
        sku[:, 1 + j] = _browse_sku(world, rng, top, target)
    sku[:, 4] = sku[:, 1]
    sku[:, 5] = sku[:, 1]
    sku[etype < 0] = -1
    sku[:, 0] = -1
    gaps = np.where(etype >= 0, rng.integers(5, 240, (n, SLOTS), dtype=np.int32), 0)
    source = rng.choice(len(UTM_SOURCES) + 1, size=n, p=UTM_SOURCE_SHARES) - 1
    source = np.where(use_app & (rng.random(n) < 0.7), -1, source)
    return Sessions(person, start, platform, member, source, np.full(n, -1), etype, sku, gaps)


def _browse_sku(
    world: World, rng: np.random.Generator, top: np.ndarray, target_fen: np.ndarray
) -> np.ndarray:
    cat = world.catalog
    key = top * 100.0 + np.log(np.maximum(target_fen, 100) / 100.0)
    pos = np.searchsorted(cat.search_key, key) + np.rint(rng.normal(0, 3, top.size)).astype(
        np.int64
    )
    return cat.search_order[np.clip(pos, cat.top_bounds[top], cat.top_bounds[top + 1] - 1)]


def _events_of(
    world: World, s: Sessions, first_session: int, first_event: int, salt: int
) -> tuple[dict[str, pa.Array], np.ndarray]:
    """Event rows (columns) of sessions and the event times in ms."""
    n = s.person.size
    valid = s.etype >= 0
    offsets = np.cumsum(s.gaps, axis=1)
    times = s.start[:, None] + offsets
    rows, slot = np.nonzero(valid)
    ms = times[rows, slot] * 1000 + _millis(rows, slot, salt)
    count = rows.size
    session_hex = formats.hex_strings(
        formats.mix_bits(np.arange(first_session, first_session + n), 64, salt), 16, "s-"
    )
    event_hex = formats.hex_strings(
        formats.mix_bits(np.arange(first_event, first_event + count), 64, salt + 1), 16
    )
    take = pa.array(rows)
    person = s.person[rows]
    web = s.platform[rows] == 0
    anon = formats.where(
        web,
        world.contacts.anonymous_web.take(pa.array(person)),
        world.contacts.anonymous_app.take(pa.array(person)),
    )
    member = s.member[rows]
    sku = s.sku[rows, slot]
    columns = {
        "event_id": event_hex,
        "event_ms": pa.array(ms, pa.int64()),
        "platform": formats.pick(PLATFORMS, s.platform[rows]),
        "session_id": session_hex.take(take),
        "anonymous_id": anon,
        "member_id": world.membership.customer_id.take(pa.array(member.clip(0), mask=member < 0)),
        "event_type": formats.pick(EVENT_TYPES, s.etype[rows, slot]),
        "sku": world.catalog.sku.take(pa.array(sku.clip(0), mask=sku < 0)),
        "utm_source": formats.pick(UTM_SOURCES, s.utm_source[rows]),
        "utm_campaign": formats.pick(world.utm_codes, s.utm_campaign[rows]),
    }
    return columns, ms


def _millis(rows: np.ndarray, slot: np.ndarray, salt: int) -> np.ndarray:
    """Deterministic millisecond parts of event times."""
    key = rows.astype(np.uint64) * np.uint64(8) + slot.astype(np.uint64)
    return (formats.mix_bits(key, 32, salt) % np.uint64(1000)).astype(np.int64)


def write_events(world: World) -> None:
    """Write events/events_YYYYMM.parquet (one file per month of session start, UTC)."""
    rng = world.rng("events")
    sessions = Sessions.concat([_order_sessions(world, rng), _browse_sessions(world, rng)])
    order = np.argsort(sessions.start, kind="stable")
    sessions = sessions.take(order)
    month = utc_month(sessions.start)
    salt = int(rng.integers(1, 2**31))
    months, month_index = np.unique(month, return_inverse=True)
    per_month = np.bincount(month_index, weights=(sessions.etype >= 0).sum(axis=1)).astype(np.int64)
    rates = injected_rates("events.behaviour_events")
    planned = {reason: split_counts(rng, per_month, rate) for reason, rate in rates.items()}
    duplicates = split_counts(rng, per_month, SOURCES["events.behaviour_events"].duplicate_rate)
    n_sessions = n_events = 0
    for i, value in enumerate(months):
        rows = np.flatnonzero(month_index == i)
        part = sessions.take(rows)
        columns, ms = _events_of(world, part, n_sessions, n_events, salt)
        n_sessions += rows.size
        n_events += ms.size
        counts = {reason: int(planned[reason][i]) for reason in rates}
        dirty = choose_dirty_rows(rng, np.ones(ms.size, bool), rates, counts=counts)
        event_ms = ms.copy()
        event_ms[dirty["future_timestamp"]] = (
            future_seconds(rng, dirty["future_timestamp"].size) * 1000
        )
        null = np.zeros(ms.size, dtype=bool)
        null[dirty["unparseable_timestamp"]] = True
        columns["event_ms"] = pa.array(event_ms, pa.int64(), mask=null)
        reason = reasons_array(ms.size, dirty)
        raw = RawRows(columns, ms, reason, np.zeros(ms.size, bool), np.zeros(ms.size, np.int64))
        table, _ = finalize(rng, SOURCE, raw, world.ledger, int(duplicates[i]))
        write_table(world, f"events/events_{value}.parquet", table, SCHEMA)
