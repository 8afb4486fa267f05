"""CRM membership: who registered (once or twice), when, consents, opt-outs, loyalty cards.

Records created or bound by the marketplaces' brand membership are added later by
`platform_members.bind_platform_members` (it needs the orders).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import formats
from .config import POS
from .contacts import Contacts
from .population import Population
from .purchases import Lifetimes
from .reference import PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES
from .timeline import Timeline

# Probability of a CRM record by main channel (web, app, pos, tmall, jd).
MEMBER_SHARE_BY_PRIMARY = np.array([0.85, 0.85, 0.85, 0.35, 0.35])
DUPLICATE_SHARE_OF_TWO_EMAIL_MEMBERS = 0.12
CONSENT_SHARES = np.array([0.55, 0.65, 0.50])  # email, sms, wechat
OPT_OUT_SHARE = 0.07
LOYALTY_CARD_SHARE = 0.85
RECORD_EMAIL_SHARE = 0.92
PLACEHOLDER_EMAIL_SHARE = 0.01
PLACEHOLDER_PHONE_SHARE = 0.01


@dataclass(frozen=True)
class Membership:
    """One row per CRM record (a person may own two)."""

    person: np.ndarray
    is_duplicate: np.ndarray
    customer_id: pa.Array
    signup_day: np.ndarray
    email_slot: np.ndarray
    placeholder_email: np.ndarray
    placeholder_phone: np.ndarray
    consent: np.ndarray
    opt_out_day: np.ndarray
    loyalty_card: pa.Array
    records_of_person: np.ndarray
    # Platform brand membership (Tmall, JD): when each platform bound its buyer id to the
    # record (UTC epoch seconds, -1 = never), and whether the binding created the record.
    bound_utc: np.ndarray
    created_by_platform: np.ndarray

    @property
    def size(self) -> int:
        """Number of CRM records."""
        return len(self.person)

    def record_at(
        self, person: np.ndarray, day: np.ndarray, rng: np.random.Generator, second_share: float
    ) -> np.ndarray:
        """A CRM record the person had registered by `day` (epoch), or -1."""
        rec = self.records_of_person[person]
        first_ok = (rec[:, 0] >= 0) & (self.signup_day[rec[:, 0]] <= day)
        second_ok = (rec[:, 1] >= 0) & (self.signup_day[rec[:, 1]] <= day)
        use_second = second_ok & ((rng.random(person.size) < second_share) | ~first_ok)
        return np.where(use_second, rec[:, 1], np.where(first_ok, rec[:, 0], -1))


def build_membership(
    rng: np.random.Generator,
    pop: Population,
    contacts: Contacts,
    lifetimes: Lifetimes,
    timeline: Timeline,
) -> Membership:
    """Draw CRM records, their signup dates, consents, opt-outs and loyalty cards."""
    n = pop.size
    everyone = np.arange(n)
    share = np.where(pop.zone > 0, 0.6, MEMBER_SHARE_BY_PRIMARY[pop.primary])
    member = rng.random(n) < share
    first_epoch = timeline.start_day + lifetimes.first_day
    last_allowed = timeline.end_day - 1
    timing = rng.choice(3, size=n, p=[0.4, 0.4, 0.2])
    signup = np.where(
        timing == 0,
        first_epoch - rng.integers(1, 120, n),
        np.where(timing == 1, first_epoch, first_epoch + rng.integers(1, 400, n)),
    )
    signup = np.minimum(signup, last_allowed)
    two_emails = contacts.has_email(everyone, 1)
    dup_signup = signup + rng.integers(30, 700, n)
    duplicate = (
        member
        & two_emails
        & (rng.random(n) < DUPLICATE_SHARE_OF_TWO_EMAIL_MEMBERS)
        & (dup_signup <= last_allowed)
    )
    person = np.concatenate([everyone[member], everyone[duplicate]])
    is_dup = np.concatenate([np.zeros(member.sum(), bool), np.ones(duplicate.sum(), bool)])
    rec_signup = np.concatenate([signup[member], dup_signup[duplicate]])
    # Customer ids follow the registration order.
    order = np.lexsort((rng.random(person.size), rec_signup))
    person, is_dup, rec_signup = person[order], is_dup[order], rec_signup[order]
    n_rec = person.size
    width = max(7, len(str(n_rec)))
    customer_id = formats.prefixed("C", np.arange(1, n_rec + 1), width)
    has_email0 = contacts.has_email(person, 0)
    email_slot = np.where(
        is_dup, 1, np.where(has_email0 & (rng.random(n_rec) < RECORD_EMAIL_SHARE), 0, -1)
    )
    ph_email = np.where(
        rng.random(n_rec) < PLACEHOLDER_EMAIL_SHARE,
        rng.integers(0, len(PLACEHOLDER_EMAILS), n_rec),
        -1,
    )
    ph_phone = np.where(
        rng.random(n_rec) < PLACEHOLDER_PHONE_SHARE,
        rng.integers(0, len(PLACEHOLDER_PHONES), n_rec),
        -1,
    )
    email_slot = np.where(ph_email >= 0, -1, email_slot)
    consent = rng.random((n_rec, 3)) < CONSENT_SHARES
    consent[:, 0] &= email_slot >= 0
    room = last_allowed - (rec_signup + 30)
    opts_out = (rng.random(n_rec) < OPT_OUT_SHARE) & (room > 0)
    opt_out_day = np.where(
        opts_out, rec_signup + 30 + (rng.random(n_rec) * np.maximum(room, 1)).astype(np.int64), -1
    )
    card = ~is_dup & pop.uses(POS)[person] & (rng.random(n_rec) < LOYALTY_CARD_SHARE)
    card_no = formats.join(
        "8860", formats.int_strings(rng.choice(10**9, size=n_rec, replace=False), 9)
    )
    records_of_person = np.full((n, 2), -1, dtype=np.int64)
    records_of_person[person[~is_dup], 0] = np.flatnonzero(~is_dup)
    records_of_person[person[is_dup], 1] = np.flatnonzero(is_dup)
    return Membership(
        person=person,
        is_duplicate=is_dup,
        customer_id=customer_id,
        signup_day=rec_signup,
        email_slot=email_slot,
        placeholder_email=ph_email,
        placeholder_phone=ph_phone,
        consent=consent,
        opt_out_day=opt_out_day,
        loyalty_card=formats.null_where(card_no, ~card),
        records_of_person=records_of_person,
        bound_utc=np.full((n_rec, 2), -1, dtype=np.int64),
        created_by_platform=np.zeros(n_rec, dtype=bool),
    )
