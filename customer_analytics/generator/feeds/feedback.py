"""Customer feedback exports: NPS survey responses (CSV) and product reviews (JSON lines)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import formats, text
from ..config import JD, POS, TMALL
from ..contacts import (
    placeholder_email_text,
    placeholder_phone_text,
    sample_email_variants,
    sample_phone_styles,
)
from ..dirt import (
    RawRows,
    choose_dirty_rows,
    count_contact_corrections,
    finalize,
    pick_values,
    reasons_array,
)
from ..orders import CANCELLED, COMPLETED, REFUNDED, channel_name
from ..reference import PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES
from ..timeline import BEIJING_OFFSET, DAY
from ..writers import write_jsonl
from .after_sales import OrderRefs, ReturnsOutput
from .common import World, injected_rates, write_table

# Share of orders followed by a survey invitation, by channel (web, app, pos, tmall, jd).
INVITE_SHARES = np.array([0.30, 0.30, 0.15, 0.10, 0.10])
RESPONSE_SHARE = 0.25
BAD_SCORES: tuple[str, ...] = ("11", "-1", "ten", "7.5", "99")
BAD_RATINGS: tuple[str, ...] = ("0", "6", "five", "10")
# Share of order lines reviewed, by channel (web, app, pos, tmall, jd).
REVIEW_SHARES = np.array([0.08, 0.08, 0.0, 0.15, 0.15])


def _english(rng: np.random.Generator, world: World, person: np.ndarray) -> np.ndarray:
    """Whether a text is written in English: mostly overseas buyers."""
    overseas = world.pop.zone[person] > 0
    return rng.random(person.size) < np.where(overseas, 0.7, 0.08)


def write_nps(world: World, refs: OrderRefs, returns: ReturnsOutput) -> None:
    """Write surveys/nps_responses.csv."""
    rng = world.rng("surveys")
    o, c, ms = world.orders, world.contacts, world.membership
    end = world.timeline.end_utc
    sat = world.pop.satisfaction[o.person]
    invited = rng.random(o.size) < INVITE_SHARES[o.channel]
    responds = rng.random(o.size) < np.clip(RESPONSE_SHARE * (1 + 0.15 * sat), 0.05, 0.6)
    done = o.status_time(COMPLETED)
    base = np.where(done >= 0, done, o.path_time[np.arange(o.size), o.path_len - 1])
    delay = np.where(
        o.channel == POS,
        rng.integers(3600, 2 * DAY, o.size),
        rng.integers(2 * 3600, 7 * DAY, o.size),
    )
    responded = base + delay
    hit = np.flatnonzero(refs.ok & invited & responds & (responded < end))
    hit = hit[np.argsort(responded[hit], kind="stable")]
    person = o.person[hit]
    n = hit.size
    unhappy_order = np.isin(o.final_status[hit], [CANCELLED, REFUNDED])
    score = np.rint(
        7.4
        + 1.7 * sat[hit]
        + rng.normal(0, 1.3, n)
        - 1.5 * returns.order_has_return[hit]
        - 2.0 * unhappy_order
    )
    score = np.clip(score, 0, 10).astype(np.int64)
    comment_p = np.where(score <= 6, 0.65, 0.45)
    comment = text.compose(rng, text.sentiment_of_nps(score), _english(rng, world, person), "nps")
    comment = formats.null_where(comment, rng.random(n) > comment_p)
    record = ms.records_of_person[person, 0]
    member = (record >= 0) & (rng.random(n) < 0.85)
    member &= ms.signup_day[record.clip(0)] * DAY - BEIJING_OFFSET <= responded[hit]
    email = formats.null_where(
        c.email_text(person, 0, sample_email_variants(rng, n)), rng.random(n) > 0.6
    )
    email = formats.where(
        rng.random(n) < 0.005,
        placeholder_email_text(
            rng.integers(0, len(PLACEHOLDER_EMAILS), n), sample_email_variants(rng, n)
        ),
        email,
    )
    phone = formats.null_where(
        c.phone_text(person, sample_phone_styles(rng, n)), rng.random(n) > 0.45
    )
    phone = formats.where(
        rng.random(n) < 0.005,
        placeholder_phone_text(
            rng.integers(0, len(PLACEHOLDER_PHONES), n), sample_phone_styles(rng, n)
        ),
        phone,
    )
    columns = {
        "response_id": formats.prefixed("N", 10_000_001 + np.arange(n)),
        "member_id": ms.customer_id.take(pa.array(record.clip(0), mask=~member)),
        "email": email,
        "phone": phone,
        "touchpoint": formats.pick(list(channel_name(np.arange(5))), o.channel[hit]),
        "order_ref": refs.refs.take(pa.array(hit)),
        "responded_at": formats.iso_strings(responded[hit], o.offset[hit]),
        "score": formats.int_strings(score),
        "comment": comment,
    }
    dirty = choose_dirty_rows(rng, np.ones(n, bool), injected_rates("surveys.nps_responses"))
    chosen = dirty["invalid_score"]
    columns["score"] = formats.replace_rows(
        columns["score"], chosen, pick_values(rng, BAD_SCORES, chosen.size)
    )
    raw = RawRows(
        columns, responded[hit], reasons_array(n, dirty), np.zeros(n, bool), np.zeros(n, np.int64)
    )
    count_contact_corrections(
        world.ledger, "surveys.nps_responses", raw.kept, columns["email"], columns["phone"]
    )
    table, _ = finalize(rng, "surveys.nps_responses", raw, world.ledger)
    write_table(world, "surveys/nps_responses.csv", table)


def write_reviews(world: World, refs: OrderRefs, returns: ReturnsOutput) -> None:
    """Write reviews/reviews.jsonl."""
    rng = world.rng("reviews")
    o, ln, cat = world.orders, world.lines, world.catalog
    end = world.timeline.end_utc
    order = ln.order
    done = o.status_time(COMPLETED)
    created = done[order] + rng.integers(3600, 15 * DAY, ln.size)
    eligible = refs.ok[order] & (o.final_status[order] == COMPLETED) & (created < end)
    picked = np.flatnonzero(eligible & (rng.random(ln.size) < REVIEW_SHARES[o.channel[order]]))
    picked = picked[np.argsort(created[picked], kind="stable")]
    ro = order[picked]
    person = o.person[ro]
    n = picked.size
    sat = world.pop.satisfaction[person]
    rating = np.rint(4.1 + 0.8 * sat + rng.normal(0, 0.9, n) - 1.8 * returns.returned_line[picked])
    rating = np.clip(rating, 1, 5).astype(np.int64)
    sentiment = text.sentiment_of_rating(rating)
    top = cat.top[ln.sku[picked]].astype(np.int64)
    content = text.compose(rng, sentiment, _english(rng, world, person), "review", top)
    content = formats.null_where(content, rng.random(n) < 0.15)
    marketplace = (o.channel[ro] == TMALL) | (o.channel[ro] == JD)
    columns = {
        "review_id": formats.prefixed("RV", 100_000_001 + np.arange(n)),
        "source_system": formats.pick(list(channel_name(np.arange(5))), o.channel[ro]),
        "order_ref": refs.refs.take(pa.array(ro)),
        "sku": cat.sku.take(pa.array(ln.sku[picked])),
        "rating": formats.int_strings(rating),
        "content": content,
        "created_at": formats.iso_strings(
            created[picked], np.where(marketplace, BEIJING_OFFSET, o.offset[ro])
        ),
    }
    dirty = choose_dirty_rows(rng, np.ones(n, bool), injected_rates("reviews.product_reviews"))
    chosen = dirty["invalid_score"]
    columns["rating"] = formats.replace_rows(
        columns["rating"], chosen, pick_values(rng, BAD_RATINGS, chosen.size)
    )
    raw = RawRows(
        columns, created[picked], reasons_array(n, dirty), np.zeros(n, bool), np.zeros(n, np.int64)
    )
    table, _ = finalize(rng, "reviews.product_reviews", raw, world.ledger)
    write_jsonl(table, world.out_dir / "reviews" / "reviews.jsonl")
