"""Marketing campaigns: audiences, A/B variants with a control group, responses, redemptions.

A redemption is an incremental order: only treated recipients who click can redeem, and
only while they are still alive in the purchase process, so the lift over the control
group is real and the truth of the purchase process stays consistent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .config import APP, WEB
from .contacts import Contacts
from .crm import Membership
from .population import Population
from .purchases import Lifetimes, Purchases
from .reference import SPRING_FESTIVAL
from .timeline import BEIJING_OFFSET, DAY, Timeline, day_to_date, epoch_day

SEND_CHANNELS: tuple[str, ...] = ("sms", "email", "wechat")
SMS, EMAIL, WECHAT = range(3)
VARIANTS: tuple[str, ...] = ("A", "B", "control")
CONTROL = 2
CONTROL_SHARE = 0.10
# (open | sent) by channel and variant A / B; sms opens are not tracked.
OPEN_RATES = np.array([[0.0, 0.0], [0.22, 0.28], [0.38, 0.45]])
# (click | opened), or (click | sent) for sms.
CLICK_RATES = np.array([[0.08, 0.11], [0.20, 0.25], [0.25, 0.30]])
# (redeem | clicked and still a live customer).
REDEEM_RATES = np.array([0.35, 0.45])
COUPON_FEN = np.array([2000, 3000, 5000])


@dataclass(frozen=True)
class Campaign:
    """One marketing campaign."""

    campaign_id: str
    name: str
    channel: int
    ab_test: bool
    day: int
    share: float
    winback: bool


@dataclass(frozen=True)
class MarketingPlan:
    """All sends (one per recipient record and campaign) and the orders they caused."""

    campaigns: list[Campaign]
    record: np.ndarray
    campaign: np.ndarray
    variant: np.ndarray
    assigned_utc: np.ndarray
    sent_utc: np.ndarray
    opened_utc: np.ndarray
    clicked_utc: np.ndarray
    redeemed_utc: np.ndarray
    order_person: np.ndarray
    order_utc: np.ndarray
    order_channel: np.ndarray
    order_send: np.ndarray


def build_campaigns(timeline: Timeline) -> list[Campaign]:
    """The campaign calendar of the window: monthly member days and festival pushes."""
    first, last = timeline.start_day + 14, timeline.end_day - 3
    out: list[Campaign] = []

    def add(
        day: date, slug: str, name: str, channel: int, ab: bool, share: float, winback: bool = False
    ) -> None:
        d = epoch_day(day)
        if first <= d <= last:
            cid = f"cmp_{day:%Y%m%d}_{slug}"
            out.append(Campaign(cid, name, channel, ab, d, share, winback))

    start, end = day_to_date(timeline.start_day), day_to_date(timeline.end_day - 1)
    for year in range(start.year, end.year + 1):
        for month in range(1, 13):
            channel = (year * 12 + month) % 3
            add(date(year, month, 8), "member_day", "会员日专享", channel, month % 2 == 0, 0.30)
        add(date(year, 3, 3), "womens_day", "女神节焕新季", EMAIL, True, 0.40)
        add(date(year, 6, 10), "618", "618年中大促", SMS, True, 0.60)
        add(date(year, 9, 15), "new_arrivals", "秋季新品上市", EMAIL, False, 0.30)
        add(date(year, 11, 1), "double11", "双11狂欢节", WECHAT, True, 0.60)
        if year in SPRING_FESTIVAL:
            add(SPRING_FESTIVAL[year] - timedelta(20), "new_year_goods", "年货节", SMS, False, 0.50)
        for month in (2, 5, 8, 11):
            add(date(year, month, 20), "winback", "沉睡会员唤醒", SMS, True, 0.8, winback=True)
    out.sort(key=lambda c: (c.day, c.campaign_id))
    return out


@dataclass(frozen=True)
class _History:
    """Process purchases keyed for fast 'last purchase on or before a day' look-ups."""

    key: np.ndarray
    day: np.ndarray
    person: np.ndarray

    @staticmethod
    def of(purchases: Purchases) -> _History:
        """Purchases are sorted by person, then day."""
        key = purchases.person * 100_000 + purchases.day
        return _History(key, purchases.day, purchases.person)

    def last_day(self, person: np.ndarray, day_index: int) -> np.ndarray:
        """Window day of each person's last purchase on or before `day_index` (-1 if none)."""
        order = np.argsort(person, kind="stable")
        needles = person[order] * 100_000 + day_index
        pos = np.searchsorted(self.key, needles, side="right") - 1
        ok = (pos >= 0) & (self.person[pos.clip(0)] == person[order])
        out = np.empty(person.size, dtype=np.int64)
        out[order] = np.where(ok, self.day[pos.clip(0)], -1)
        return out


def _eligible(
    campaign: Campaign,
    membership: Membership,
    reachable_by_phone: np.ndarray,
    history: _History,
    timeline: Timeline,
) -> np.ndarray:
    """CRM records that may receive the campaign: registered, consenting, reachable."""
    ms = membership
    ok = (ms.signup_day <= campaign.day) & ((ms.opt_out_day < 0) | (ms.opt_out_day > campaign.day))
    consent_column = {SMS: 1, EMAIL: 0, WECHAT: 2}[campaign.channel]
    ok &= ms.consent[:, consent_column]
    if campaign.channel == EMAIL:
        ok &= ms.email_slot >= 0
    else:
        ok &= reachable_by_phone
    if campaign.winback:
        candidates = np.flatnonzero(ok)
        day_index = campaign.day - timeline.start_day
        last = history.last_day(ms.person[candidates], day_index)
        ok[candidates] = (last >= 0) & (day_index - last > 90)
    return ok


def _later(
    rng: np.random.Generator, base: np.ndarray, ok: np.ndarray, lo: float, hi: float, end: int
) -> np.ndarray:
    """base + U(lo, hi) seconds where ok, -1 elsewhere or when past the export end."""
    t = base + (lo + rng.random(base.size) * (hi - lo)).astype(np.int64)
    return np.where(ok & (base >= 0) & (t < end), t, -1)


def plan_marketing(
    rng: np.random.Generator,
    pop: Population,
    contacts: Contacts,
    membership: Membership,
    purchases: Purchases,
    lifetimes: Lifetimes,
    timeline: Timeline,
) -> MarketingPlan:
    """Draw every campaign's recipients, variants, responses and redemption orders."""
    campaigns = build_campaigns(timeline)
    end = timeline.end_utc
    parts: dict[str, list[np.ndarray]] = {
        k: [] for k in ("record", "campaign", "variant", "assigned")
    }
    history = _History.of(purchases)
    reachable = (membership.placeholder_phone < 0) & contacts.has_phone(membership.person)
    for ci, campaign in enumerate(campaigns):
        eligible = np.flatnonzero(_eligible(campaign, membership, reachable, history, timeline))
        chosen = eligible[rng.random(eligible.size) < campaign.share]
        u = rng.random(chosen.size)
        variant = np.where(
            u < CONTROL_SHARE, CONTROL, np.where(campaign.ab_test & (u > 0.55), 1, 0)
        )
        assigned = (
            campaign.day * DAY - BEIJING_OFFSET + 9 * 3600 + rng.integers(0, 3600, chosen.size)
        )
        parts["record"].append(chosen)
        parts["campaign"].append(np.full(chosen.size, ci))
        parts["variant"].append(variant)
        parts["assigned"].append(assigned)
    record = np.concatenate(parts["record"]) if campaigns else np.zeros(0, np.int64)
    campaign_idx = np.concatenate(parts["campaign"]) if campaigns else np.zeros(0, np.int64)
    variant = np.concatenate(parts["variant"]) if campaigns else np.zeros(0, np.int64)
    assigned = np.concatenate(parts["assigned"]) if campaigns else np.zeros(0, np.int64)
    channel = (
        np.array([c.channel for c in campaigns], dtype=np.int64)[campaign_idx]
        if campaigns
        else variant
    )
    treated = variant != CONTROL
    ab = np.minimum(variant, 1)
    n = record.size
    sent = _later(rng, assigned, treated, 600, 3 * 3600, end)
    opened_p = OPEN_RATES[channel, ab]
    opens = (rng.random(n) < opened_p) & (channel != SMS)
    opened = _later(rng, sent, opens, 60, 6 * 3600, end)
    click_p = CLICK_RATES[channel, ab]
    clicks = rng.random(n) < click_p
    click_base = np.where(channel == SMS, sent, opened)
    clicked = _later(rng, click_base, clicks, 5, 1800, end)
    person = membership.person[record]
    redeemed = _later(rng, clicked, rng.random(n) < REDEEM_RATES[ab], 600, 5 * DAY, end)
    redeem_day = (redeemed + BEIJING_OFFSET) // DAY - timeline.start_day
    alive = lifetimes.is_alive[person] | (lifetimes.dropout_day[person] >= redeem_day)
    redeemed = np.where(alive & treated, redeemed, -1)
    sends = np.flatnonzero(redeemed >= 0)
    buyer = person[sends]
    has_app = contacts.app_user_id.is_valid().to_numpy(zero_copy_only=False)[buyer]
    weights = pop.channel_weights[buyer]
    order_channel = np.where(has_app & (weights[:, APP] >= weights[:, WEB]), APP, WEB)
    return MarketingPlan(
        campaigns=campaigns,
        record=record,
        campaign=campaign_idx,
        variant=variant,
        assigned_utc=assigned,
        sent_utc=sent,
        opened_utc=opened,
        clicked_utc=clicked,
        redeemed_utc=redeemed,
        order_person=buyer,
        order_utc=redeemed[sends],
        order_channel=order_channel.astype(np.int8),
        order_send=sends,
    )
