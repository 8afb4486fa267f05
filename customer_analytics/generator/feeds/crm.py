"""CRM customer master export: hand-entered records, re-exported when edited."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import formats
from ..contacts import (
    placeholder_email_text,
    placeholder_phone_text,
    sample_email_variants,
    sample_phone_styles,
)
from ..dirt import RawRows, choose_dirty_rows, count_contact_corrections, finalize, reasons_array
from ..timeline import BEIJING_OFFSET, DAY
from .common import World, injected_rates, province_city, write_table

# Birthday spellings: YYYY-MM-DD, YYYY/M/D, YYYYMMDD, empty, unparseable.
BIRTHDAY_STYLE_SHARES = np.array([0.60, 0.20, 0.12, 0.05, 0.03])
BAD_BIRTHDAYS: tuple[str, ...] = ("0000-00-00", "19901345", "1990/13/45", "00000000")
GENDER_STYLE_SHARES = np.array([0.45, 0.45, 0.04, 0.06])  # M/F, 男/女, unknown, empty
CONSENT_SPELLINGS: tuple[tuple[str, str], ...] = (("Y", "N"), ("1", "0"), ("true", "false"))
CONSENT_STYLE_SHARES = np.array([0.4, 0.3, 0.3])
EDIT_SHARE = 0.12
OPT_OUT_TWO_VERSION_SHARE = 0.6
NAME_MISSING_SHARE = 0.03
PHONE_SHARE = 0.95


def _birthdays(
    rng: np.random.Generator, world: World, person: np.ndarray, is_dup: np.ndarray
) -> tuple[pa.Array, np.ndarray]:
    """Birthday text per record and whether it is an unparseable value."""
    n = person.size
    style = rng.choice(5, size=n, p=BIRTHDAY_STYLE_SHARES)
    style = np.where(is_dup & (rng.random(n) < 0.5), 3, style)
    day = world.pop.birth_day[person]
    text = formats.where(
        style == 0,
        formats.date_strings(day, "iso"),
        formats.where(
            style == 1,
            formats.date_strings(day, "slash_short"),
            formats.date_strings(day, "compact"),
        ),
    )
    text = formats.null_where(text, style == 3)
    bad = formats.pick(BAD_BIRTHDAYS, rng.integers(0, len(BAD_BIRTHDAYS), n))
    return formats.where(style == 4, bad, text), style == 4


def _gender(rng: np.random.Generator, gender: np.ndarray) -> pa.Array:
    style = rng.choice(4, size=gender.size, p=GENDER_STYLE_SHARES)
    latin = formats.pick(["F", "M"], gender)
    hanzi = formats.pick(["女", "男"], gender)
    text = formats.where(style == 0, latin, formats.where(style == 1, hanzi, "unknown"))
    return formats.null_where(text, style == 3)


def _versions(
    rng: np.random.Generator, world: World
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(record, version number, updated UTC, opted-out shown) of every exported row."""
    ms = world.membership
    n = ms.size
    last_day = world.timeline.end_day - 1
    opt = ms.opt_out_day >= 0
    signup_time = ms.signup_day * DAY - BEIJING_OFFSET + rng.integers(8 * 3600, 23 * 3600, n)
    opt_time = ms.opt_out_day * DAY - BEIJING_OFFSET + rng.integers(8 * 3600, 23 * 3600, n)
    room = last_day - ms.signup_day
    edit_day = ms.signup_day + 1 + (rng.random(n) * np.maximum(room - 1, 1)).astype(np.int64)
    edit_time = edit_day * DAY - BEIJING_OFFSET + rng.integers(8 * 3600, 23 * 3600, n)
    edited = ~opt & (room > 1) & (rng.random(n) < EDIT_SHARE)
    opt_two = opt & (rng.random(n) < OPT_OUT_TWO_VERSION_SHARE)
    two = edited | opt_two
    first_rec = np.flatnonzero(two)
    record = np.concatenate([first_rec, np.arange(n)])
    version = np.concatenate([np.zeros(first_rec.size, np.int64), two.astype(np.int64)])
    latest_time = np.where(opt, opt_time, np.where(edited, edit_time, signup_time))
    updated = np.concatenate([signup_time[first_rec], latest_time])
    shows_opt_out = np.concatenate([np.zeros(first_rec.size, bool), opt])
    return record, version, updated, shows_opt_out


def write_crm(world: World) -> None:
    """Write crm/customers.csv."""
    rng = world.rng("crm")
    ms, c = world.membership, world.contacts
    n = ms.size
    person = ms.person
    record, version, updated, shows_opt_out = _versions(rng, world)
    # Per record spellings (the second version re-spells phone and email).
    phone_style = np.stack([sample_phone_styles(rng, n), sample_phone_styles(rng, n)], axis=1)
    email_variant = np.stack([sample_email_variants(rng, n), sample_email_variants(rng, n)], axis=1)
    has_phone = c.has_phone(person) & (rng.random(n) < np.where(ms.is_duplicate, 0.7, PHONE_SHARE))
    birthday, bad_birthday = _birthdays(rng, world, person, ms.is_duplicate)
    gender = _gender(rng, world.pop.gender[person])
    province, city = province_city(world, person)
    consent_style = rng.choice(3, size=n, p=CONSENT_STYLE_SHARES)
    yes = formats.pick([s[0] for s in CONSENT_SPELLINGS], consent_style)
    no = formats.pick([s[1] for s in CONSENT_SPELLINGS], consent_style)
    name = formats.null_where(
        c.full_name.take(pa.array(person)), rng.random(n) < NAME_MISSING_SHARE
    )
    rp = person[record]
    style = phone_style[record, version]
    variant = email_variant[record, version]
    email = c.email_text(rp, ms.email_slot[record].clip(0), variant)
    email = formats.null_where(email, ms.email_slot[record] < 0)
    ph_email = ms.placeholder_email[record]
    email = formats.where(ph_email >= 0, placeholder_email_text(ph_email.clip(0), variant), email)
    phone = formats.null_where(c.phone_text(rp, style), ~has_phone[record])
    ph_phone = ms.placeholder_phone[record]
    phone = formats.where(ph_phone >= 0, placeholder_phone_text(ph_phone.clip(0), style), phone)
    take = pa.array(record)
    columns = {
        "customer_id": ms.customer_id.take(take),
        "full_name": name.take(take),
        "email": email,
        "phone": phone,
        "loyalty_card_no": ms.loyalty_card.take(take),
        "birthday": birthday.take(take),
        "gender": gender.take(take),
        "province": province.take(take),
        "city": city.take(take),
        "signup_date": formats.date_strings(ms.signup_day[record]),
    }
    for i, name_ in enumerate(("consent_email", "consent_sms", "consent_wechat")):
        columns[name_] = formats.where(ms.consent[record, i], yes.take(take), no.take(take))
    columns["opted_out_at"] = formats.null_where(
        formats.date_strings(np.maximum(ms.opt_out_day[record], 0)), ~shows_opt_out
    )
    columns["updated_at"] = formats.datetime_strings(updated)
    single = np.bincount(record, minlength=n) == 1
    dirty = choose_dirty_rows(rng, single[record], injected_rates("crm.customers"))
    columns["customer_id"] = formats.replace_rows(
        columns["customer_id"], dirty["missing_key"], [None] * dirty["missing_key"].size
    )
    latest = np.zeros(n, dtype=np.int64)
    np.maximum.at(latest, record, version)
    superseded = version < latest[record]
    reason = reasons_array(record.size, dirty)
    raw = RawRows(columns, updated, reason, superseded, np.zeros(record.size, np.int64))
    kept = raw.kept
    count_contact_corrections(
        world.ledger, "crm.customers", kept, columns["email"], columns["phone"]
    )
    world.ledger.record(
        "crm.customers",
        "correction",
        "unparseable_birthday",
        int((kept & bad_birthday[record]).sum()),
    )
    table, _ = finalize(rng, "crm.customers", raw, world.ledger)
    write_table(world, "crm/customers.csv", table)
