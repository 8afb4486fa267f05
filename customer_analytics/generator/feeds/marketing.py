"""Marketing automation export: one row per recipient of a campaign."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import formats
from ..contacts import e164
from ..dirt import RawRows, finalize
from ..marketing import EMAIL, SEND_CHANNELS, VARIANTS
from ..timeline import BEIJING_OFFSET
from .after_sales import OrderRefs
from .common import World, write_table


def _iso_or_null(values: np.ndarray) -> pa.Array:
    return formats.null_where(
        formats.iso_strings(np.maximum(values, 0), BEIJING_OFFSET), values < 0
    )


def write_sends(world: World, refs: OrderRefs) -> None:
    """Write marketing/sends.csv; redemptions point at the orders they created."""
    rng = world.rng("marketing")
    plan, ms, c, o = world.plan, world.membership, world.contacts, world.orders
    n = plan.record.size
    order = np.argsort(plan.assigned_utc, kind="stable")
    campaigns = plan.campaigns
    ids = np.array([x.campaign_id for x in campaigns] or [""])
    names = np.array([x.name for x in campaigns] or [""])
    channel = np.array([x.channel for x in campaigns] or [0])[plan.campaign]
    record = plan.record
    person = ms.person[record]
    email = c.email.take(pa.array(ms.email_slot[record].clip(0) * c.size + person))
    phone = e164(c.phone.take(pa.array(person)))
    recipient = formats.where(channel == EMAIL, email, phone)
    order_of_send = np.full(n, -1, dtype=np.int64)
    campaign_orders = np.flatnonzero(o.send >= 0)
    order_of_send[o.send[campaign_orders]] = campaign_orders
    redeemed_ref = refs.refs.take(pa.array(order_of_send.clip(0), mask=order_of_send < 0))
    columns = {
        "send_id": formats.prefixed("SD", 100_000_001 + np.argsort(order, kind="stable")),
        "campaign_id": pa.array(ids[plan.campaign], pa.string()),
        "campaign_name": pa.array(names[plan.campaign], pa.string()),
        "channel": formats.pick(SEND_CHANNELS, channel),
        "variant": formats.pick(VARIANTS, plan.variant),
        "member_id": ms.customer_id.take(pa.array(record)),
        "recipient": recipient,
        "assigned_at": formats.iso_strings(plan.assigned_utc, BEIJING_OFFSET),
        "sent_at": _iso_or_null(plan.sent_utc),
        "opened_at": _iso_or_null(plan.opened_utc),
        "clicked_at": _iso_or_null(plan.clicked_utc),
        "redeemed_at": _iso_or_null(plan.redeemed_utc),
        "redeemed_order_ref": redeemed_ref,
    }
    raw = RawRows(
        columns,
        plan.assigned_utc,
        np.full(n, -1, np.int8),
        np.zeros(n, bool),
        np.zeros(n, np.int64),
    )
    table, _ = finalize(rng, "marketing.sends", raw, world.ledger)
    write_table(world, "marketing/sends.csv", table)
