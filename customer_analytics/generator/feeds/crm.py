"""CRM customer master export: hand-entered records, re-exported when edited, and the
records created by the marketplaces' brand membership."""

from __future__ import annotations

from dataclasses import dataclass

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
# Fields of records created by a platform binding that the member filled in the platform's
# membership form (the mobile number is always shared).
PLATFORM_PROFILE_SHARES = {"name": 0.5, "birthday": 0.4, "gender": 0.7, "place": 0.8}


@dataclass(frozen=True)
class _Rows:
    """Exported rows of some CRM records: record, version, version time, columns."""

    record: np.ndarray
    version: np.ndarray
    updated: np.ndarray
    columns: dict[str, pa.Array]
    bad_birthday: np.ndarray


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
    rng: np.random.Generator, world: World, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(record, version number, updated UTC, opted-out shown) of the rows of the first n
    records (the brand's own registrations)."""
    ms = world.membership
    signup_day, opt_out_day = ms.signup_day[:n], ms.opt_out_day[:n]
    last_day = world.timeline.end_day - 1
    opt = opt_out_day >= 0
    signup_time = signup_day * DAY - BEIJING_OFFSET + rng.integers(8 * 3600, 23 * 3600, n)
    opt_time = opt_out_day * DAY - BEIJING_OFFSET + rng.integers(8 * 3600, 23 * 3600, n)
    room = last_day - signup_day
    edit_day = signup_day + 1 + (rng.random(n) * np.maximum(room - 1, 1)).astype(np.int64)
    edit_time = edit_day * DAY - BEIJING_OFFSET + rng.integers(8 * 3600, 23 * 3600, n)
    edited = ~opt & (room > 1) & (rng.random(n) < EDIT_SHARE)
    opt_two = opt & (rng.random(n) < OPT_OUT_TWO_VERSION_SHARE)
    two = edited | opt_two
    first_rec = np.flatnonzero(two)
    record = np.concatenate([first_rec, np.arange(n)])
    version = np.concatenate([np.zeros(first_rec.size, np.int64), two.astype(np.int64)])
    latest_time = np.where(opt, opt_time, np.where(edited, edit_time, signup_time))
    # A later platform binding is an update of the record.
    latest_time = np.maximum(latest_time, ms.bound_utc[:n].max(axis=1))
    updated = np.concatenate([signup_time[first_rec], latest_time])
    shows_opt_out = np.concatenate([np.zeros(first_rec.size, bool), opt])
    return record, version, updated, shows_opt_out


def _own_rows(rng: np.random.Generator, world: World, n: int) -> _Rows:
    """Rows of the brand's own registrations (records 0..n-1): hand-entered, re-exported
    when edited."""
    ms, c = world.membership, world.contacts
    person = ms.person[:n]
    is_dup = ms.is_duplicate[:n]
    record, version, updated, shows_opt_out = _versions(rng, world, n)
    # Per record spellings (the second version re-spells phone and email).
    phone_style = np.stack([sample_phone_styles(rng, n), sample_phone_styles(rng, n)], axis=1)
    email_variant = np.stack([sample_email_variants(rng, n), sample_email_variants(rng, n)], axis=1)
    has_phone = c.has_phone(person) & (rng.random(n) < np.where(is_dup, 0.7, PHONE_SHARE))
    birthday, bad_birthday = _birthdays(rng, world, person, is_dup)
    gender = _gender(rng, world.pop.gender[person])
    province, city = province_city(world, person)
    consent_style = rng.choice(3, size=n, p=CONSENT_STYLE_SHARES)
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
        **_consents(ms.consent[record], consent_style[record]),
        "opted_out_at": formats.null_where(
            formats.date_strings(np.maximum(ms.opt_out_day[record], 0)), ~shows_opt_out
        ),
        "updated_at": formats.datetime_strings(updated),
    }
    return _Rows(record, version, updated, columns, bad_birthday[record])


def _platform_rows(rng: np.random.Generator, world: World, first: int) -> _Rows:
    """Rows of the records created by a platform binding (records first..): one version,
    written by the integration: the shared mobile as 11 digits, the member form's fields."""
    ms, c = world.membership, world.contacts
    record = np.arange(first, ms.size)
    m = record.size
    person = ms.person[record]
    updated = ms.bound_utc[record].max(axis=1)
    province, city = province_city(world, person)
    has_place = rng.random(m) < PLATFORM_PROFILE_SHARES["place"]
    email = c.email_text(person, 0, 0)
    columns = {
        "customer_id": ms.customer_id.take(pa.array(record)),
        "full_name": formats.null_where(
            c.full_name.take(pa.array(person)), rng.random(m) >= PLATFORM_PROFILE_SHARES["name"]
        ),
        "email": formats.null_where(email, ms.email_slot[record] < 0),
        "phone": c.phone_text(person, 0),
        "loyalty_card_no": pa.nulls(m, pa.string()),
        "birthday": formats.null_where(
            formats.date_strings(world.pop.birth_day[person]),
            rng.random(m) >= PLATFORM_PROFILE_SHARES["birthday"],
        ),
        "gender": formats.null_where(
            formats.pick(["F", "M"], world.pop.gender[person]),
            rng.random(m) >= PLATFORM_PROFILE_SHARES["gender"],
        ),
        "province": formats.null_where(province, ~has_place),
        "city": formats.null_where(city, ~has_place),
        "signup_date": formats.date_strings(ms.signup_day[record]),
        **_consents(ms.consent[record], rng.choice(3, size=m, p=CONSENT_STYLE_SHARES)),
        "opted_out_at": pa.nulls(m, pa.string()),
        "updated_at": formats.datetime_strings(updated),
    }
    return _Rows(record, np.zeros(m, np.int64), updated, columns, np.zeros(m, dtype=bool))


def _consents(consent: np.ndarray, style: np.ndarray) -> dict[str, pa.Array]:
    """The three consent columns, each row in its record's spelling."""
    yes = formats.pick([s[0] for s in CONSENT_SPELLINGS], style)
    no = formats.pick([s[1] for s in CONSENT_SPELLINGS], style)
    return {
        name: formats.where(consent[:, i], yes, no)
        for i, name in enumerate(("consent_email", "consent_sms", "consent_wechat"))
    }


def _bound_ids(world: World, record: np.ndarray, updated: np.ndarray) -> dict[str, pa.Array]:
    """Platform buyer ids bound to each row's record by the time of the row's version."""
    ms, c = world.membership, world.contacts
    person = pa.array(ms.person[record])
    columns = {}
    for k, (name, ids) in enumerate(
        (("tmall_buyer_id", c.tmall_buyer_id), ("jd_buyer_id", c.jd_buyer_id))
    ):
        bound = ms.bound_utc[record, k]
        columns[name] = formats.null_where(ids.take(person), ~((bound >= 0) & (updated >= bound)))
    return columns


def write_crm(world: World) -> None:
    """Write crm/customers.csv."""
    rng = world.rng("crm")
    ms = world.membership
    n_own = int((~ms.created_by_platform).sum())
    own = _own_rows(rng, world, n_own)
    platform = _platform_rows(world.rng("crm.platform_members"), world, n_own)
    record = np.concatenate([own.record, platform.record])
    version = np.concatenate([own.version, platform.version])
    updated = np.concatenate([own.updated, platform.updated])
    columns = {
        name: pa.concat_arrays([own.columns[name], platform.columns[name]]) for name in own.columns
    }
    columns.update(_bound_ids(world, record, updated))
    bad_birthday = np.concatenate([own.bad_birthday, platform.bad_birthday])
    single = np.bincount(record, minlength=ms.size) == 1
    dirty = choose_dirty_rows(rng, single[record], injected_rates("crm.customers"))
    columns["customer_id"] = formats.replace_rows(
        columns["customer_id"], dirty["missing_key"], [None] * dirty["missing_key"].size
    )
    latest = np.zeros(ms.size, dtype=np.int64)
    np.maximum.at(latest, record, version)
    superseded = version < latest[record]
    reason = reasons_array(record.size, dirty)
    raw = RawRows(columns, updated, reason, superseded, np.zeros(record.size, np.int64))
    kept = raw.kept
    count_contact_corrections(
        world.ledger, "crm.customers", kept, columns["email"], columns["phone"]
    )
    world.ledger.record(
        "crm.customers", "correction", "unparseable_birthday", int((kept & bad_birthday).sum())
    )
    table, _ = finalize(rng, "crm.customers", raw, world.ledger)
    write_table(world, "crm/customers.csv", table)
