"""Platform brand membership: Tmall 会员通 and JD 品牌会员.

A marketplace buyer who joins the brand's membership on the platform lets the platform
share their open buyer id and mobile number with the brand; the brand's CRM records the
member with that buyer id, on the member's existing record or on a new one. This is what
lets the warehouse link marketplace orders (which carry only the masked buyer id) to the
same person's other channels.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import formats
from .config import JD, TMALL
from .contacts import Contacts
from .crm import CONSENT_SHARES, Membership
from .orders import Orders
from .timeline import BEIJING_OFFSET, DAY

PLATFORMS: tuple[int, ...] = (TMALL, JD)
"""Platform channels in the order of Membership.bound_utc columns."""

# Share of marketplace buyers who join the brand membership on the platforms they buy on:
# buyers who also buy in another channel or on the other platform, or who are already
# registered in the CRM ...
BIND_SHARE_ENGAGED = 0.99
# ... and buyers who only ever buy on one platform and are not registered.
BIND_SHARE_PLATFORM_ONLY = 0.25
# Most join on the checkout page of their first order on the platform (member price or a
# joining coupon), 1-15 minutes before it; the others joined 1-60 days earlier.
JOIN_AT_CHECKOUT_SHARE = 0.7
# Records the binding creates: the platform shares the mobile number; the email is known
# only when the member also left it in the platform's membership form.
PLATFORM_RECORD_EMAIL_SHARE = 0.15


def first_platform_orders(orders: Orders, n_persons: int) -> np.ndarray:
    """UTC time of each person's first order on Tmall and on JD (n x 2, -1 = none)."""
    first = np.full((n_persons, len(PLATFORMS)), -1, dtype=np.int64)
    for k, channel in enumerate(PLATFORMS):
        sel = np.flatnonzero(orders.channel == channel)
        # Orders are sorted by creation time: the first occurrence is the first order.
        person, at = np.unique(orders.person[sel], return_index=True)
        first[person, k] = orders.created_utc[sel[at]]
    return first


def bind_platform_members(
    rng: np.random.Generator, contacts: Contacts, membership: Membership, orders: Orders
) -> Membership:
    """Draw who joins the brand membership on Tmall / JD and when; bind or create records.

    A member binds on every platform they buy on, at or before their first order there.
    A binding lands on the person's first CRM record (whose signup date moves back to the
    binding day if they registered later); a person without a record gets a new one, which
    requires a mobile number (the platform shares it).
    """
    n = contacts.size
    everyone = np.arange(n)
    first = first_platform_orders(orders, n)
    buys = first >= 0
    elsewhere = np.zeros(n, dtype=bool)
    elsewhere[orders.person[~np.isin(orders.channel, PLATFORMS)]] = True
    record = membership.records_of_person[:, 0]
    registered = record >= 0
    engaged = elsewhere | buys.all(axis=1) | registered
    share = np.where(engaged, BIND_SHARE_ENGAGED, BIND_SHARE_PLATFORM_ONLY)
    joins = buys.any(axis=1) & (rng.random(n) < share) & (registered | contacts.has_phone(everyone))
    at_checkout = rng.random((n, len(PLATFORMS))) < JOIN_AT_CHECKOUT_SHARE
    lead = np.where(
        at_checkout,
        rng.integers(60, 15 * 60 + 1, (n, len(PLATFORMS))),
        rng.integers(DAY, 60 * DAY + 1, (n, len(PLATFORMS))),
    )
    bound = np.where(joins[:, None] & buys, first - lead, -1)
    earliest = np.where(bound >= 0, bound, np.iinfo(np.int64).max).min(axis=1)
    earliest = np.where(joins, earliest, 0)
    bind_day = (earliest + BEIJING_OFFSET) // DAY
    # Registered members: the binding is recorded on their first record.
    old = np.flatnonzero(joins & registered)
    bound_utc = membership.bound_utc.copy()
    bound_utc[record[old]] = bound[old]
    signup_day = membership.signup_day.copy()
    signup_day[record[old]] = np.minimum(signup_day[record[old]], bind_day[old])
    # Everyone else gets a record created by the binding, numbered in binding order.
    new = np.flatnonzero(joins & ~registered)
    new = new[np.lexsort((new, earliest[new]))]
    m = new.size
    n_old = membership.size
    width = max(7, len(str(n_old + m)))
    email_slot = np.where(
        contacts.has_email(new, 0) & (rng.random(m) < PLATFORM_RECORD_EMAIL_SHARE), 0, -1
    )
    consent = rng.random((m, 3)) < CONSENT_SHARES
    consent[:, 0] &= email_slot >= 0
    records_of_person = membership.records_of_person.copy()
    records_of_person[new, 0] = n_old + np.arange(m)
    no_value = np.full(m, -1, dtype=np.int64)
    return Membership(
        person=np.concatenate([membership.person, new]),
        is_duplicate=np.concatenate([membership.is_duplicate, np.zeros(m, dtype=bool)]),
        customer_id=pa.concat_arrays(
            [membership.customer_id, formats.prefixed("C", n_old + 1 + np.arange(m), width)]
        ),
        signup_day=np.concatenate([signup_day, bind_day[new]]),
        email_slot=np.concatenate([membership.email_slot, email_slot]),
        placeholder_email=np.concatenate([membership.placeholder_email, no_value]),
        placeholder_phone=np.concatenate([membership.placeholder_phone, no_value]),
        consent=np.concatenate([membership.consent, consent]),
        opt_out_day=np.concatenate([membership.opt_out_day, no_value]),
        loyalty_card=pa.concat_arrays(
            [membership.loyalty_card, pa.nulls(m, membership.loyalty_card.type)]
        ),
        records_of_person=records_of_person,
        bound_utc=np.concatenate([bound_utc, bound[new]]),
        created_by_platform=np.concatenate(
            [membership.created_by_platform, np.ones(m, dtype=bool)]
        ),
    )
