"""Names, emails, phones and account ids of persons, and the ways people write them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import formats
from .config import APP, JD, TMALL
from .population import Population
from .reference import (
    EMAIL_DOMAIN_WEIGHTS_CN,
    EMAIL_DOMAIN_WEIGHTS_OVERSEAS,
    EMAIL_DOMAINS,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MOBILE_PREFIXES,
    PLACEHOLDER_EMAILS,
    PLACEHOLDER_PHONES,
    SURNAMES,
)

# Phone spellings: 13812345678, +8613812345678, +86 138 1234 5678, 0086-13812345678,
# 138-1234-5678, 86 13812345678, 138 1234 5678, +86-138-1234-5678.
PHONE_STYLES: tuple[str, ...] = (
    "plain",
    "e164",
    "plus_spaced",
    "0086_dash",
    "dashed",
    "86_space",
    "spaced",
    "plus_dashed",
)
PHONE_STYLE_SHARES = np.array([0.35, 0.15, 0.12, 0.08, 0.10, 0.08, 0.07, 0.05])
# Email spellings: as registered (lower case), UPPER, Capitalised, leading / trailing space.
EMAIL_VARIANTS: tuple[str, ...] = (
    "as_is",
    "upper",
    "capitalized",
    "leading_space",
    "trailing_space",
)
EMAIL_VARIANT_SHARES = np.array([0.78, 0.05, 0.07, 0.05, 0.05])
EMAIL_COUNT_SHARES = np.array([0.15, 0.55, 0.30])
PHONE_SHARE = 0.97
FAMILY_HEAD_SHARE = 0.012


@dataclass(frozen=True)
class Contacts:
    """Identifiers of every person; text variants are stored in blocks for fast take()."""

    full_name: pa.Array
    email: pa.Array
    email_variants: pa.Array
    phone: pa.Array
    phone_variants: pa.Array
    app_user_id: pa.Array
    tmall_buyer_id: pa.Array
    jd_buyer_id: pa.Array
    anonymous_web: pa.Array
    anonymous_app: pa.Array
    family_head: np.ndarray

    @property
    def size(self) -> int:
        """Number of persons."""
        return len(self.full_name)

    def has_email(self, person: np.ndarray, slot: np.ndarray | int) -> np.ndarray:
        """Whether the person owns an email in that slot (0 or 1)."""
        idx = np.asarray(slot) * self.size + person
        return pc.is_valid(self.email.take(pa.array(idx))).to_numpy(zero_copy_only=False)

    def has_phone(self, person: np.ndarray) -> np.ndarray:
        """Whether the person has a phone."""
        return pc.is_valid(self.phone.take(pa.array(person))).to_numpy(zero_copy_only=False)

    def email_text(
        self, person: np.ndarray, slot: np.ndarray | int, variant: np.ndarray | int
    ) -> pa.Array:
        """The person's email in the slot, spelled in one of EMAIL_VARIANTS (null if none)."""
        idx = np.asarray(variant) * (2 * self.size) + np.asarray(slot) * self.size + person
        return self.email_variants.take(pa.array(np.asarray(idx, dtype=np.int64)))

    def phone_text(self, person: np.ndarray, style: np.ndarray | int) -> pa.Array:
        """The person's phone in one of PHONE_STYLES (null if none)."""
        idx = np.asarray(style) * self.size + person
        return self.phone_variants.take(pa.array(np.asarray(idx, dtype=np.int64)))

    def phone_masked(self, person: np.ndarray) -> pa.Array:
        """Masked phone as marketplaces show it (138****5678)."""
        digits = self.phone.take(pa.array(person))
        return formats.join(
            pc.utf8_slice_codeunits(digits, 0, 3), "****", pc.utf8_slice_codeunits(digits, 7, 11)
        )


def phone_variants(digits: pa.Array) -> pa.Array:
    """Every PHONE_STYLES spelling of 11-digit numbers, as len(PHONE_STYLES) blocks."""
    a = pc.utf8_slice_codeunits(digits, 0, 3)
    b = pc.utf8_slice_codeunits(digits, 3, 7)
    c = pc.utf8_slice_codeunits(digits, 7, 11)
    blocks = [
        digits,
        formats.join("+86", digits),
        formats.join("+86 ", a, " ", b, " ", c),
        formats.join("0086-", digits),
        formats.join(a, "-", b, "-", c),
        formats.join("86 ", digits),
        formats.join(a, " ", b, " ", c),
        formats.join("+86-", a, "-", b, "-", c),
    ]
    return pa.concat_arrays(blocks)


def email_variants(emails: pa.Array) -> pa.Array:
    """Every EMAIL_VARIANTS spelling of normalised emails, as len(EMAIL_VARIANTS) blocks."""
    blocks = [
        emails,
        pc.utf8_upper(emails),
        pc.utf8_capitalize(emails),
        formats.join(" ", emails),
        formats.join(emails, " "),
    ]
    return pa.concat_arrays(blocks)


PLACEHOLDER_PHONE_VARIANTS = phone_variants(pa.array(list(PLACEHOLDER_PHONES), pa.string()))
PLACEHOLDER_EMAIL_VARIANTS = email_variants(pa.array(list(PLACEHOLDER_EMAILS), pa.string()))


def placeholder_phone_text(which: np.ndarray, style: np.ndarray) -> pa.Array:
    """Placeholder phone `which` (index into PLACEHOLDER_PHONES) in a style."""
    idx = np.asarray(style) * len(PLACEHOLDER_PHONES) + which
    return PLACEHOLDER_PHONE_VARIANTS.take(pa.array(np.asarray(idx, dtype=np.int64)))


def placeholder_email_text(which: np.ndarray, variant: np.ndarray) -> pa.Array:
    """Placeholder email `which` (index into PLACEHOLDER_EMAILS) in a spelling variant."""
    idx = np.asarray(variant) * len(PLACEHOLDER_EMAILS) + which
    return PLACEHOLDER_EMAIL_VARIANTS.take(pa.array(np.asarray(idx, dtype=np.int64)))


def sample_phone_styles(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random phone spellings."""
    return rng.choice(len(PHONE_STYLES), size=n, p=PHONE_STYLE_SHARES)


def sample_email_variants(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random email spellings."""
    return rng.choice(len(EMAIL_VARIANTS), size=n, p=EMAIL_VARIANT_SHARES)


def e164(digits: pa.Array) -> pa.Array:
    """Normalised phone (+8613812345678)."""
    return formats.join("+86", digits)


def _names(rng: np.random.Generator, gender: np.ndarray) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Chinese full names plus the pinyin of surname and given name."""
    n = gender.size
    sur_weight = 1.0 / (np.arange(len(SURNAMES)) + 4.0)
    sur = rng.choice(len(SURNAMES), size=n, p=sur_weight / sur_weight.sum())
    pool_size = len(GIVEN_FEMALE)
    g1 = rng.integers(0, pool_size, n) + gender * pool_size
    g2 = rng.integers(0, pool_size, n) + gender * pool_size
    two = rng.random(n) < 0.6
    given = GIVEN_FEMALE + GIVEN_MALE
    hanzi = [g[0] for g in given]
    pinyin = [g[1] for g in given]
    second_hanzi = formats.where(two, formats.pick(hanzi, g2), "")
    second_pinyin = formats.where(two, formats.pick(pinyin, g2), "")
    full = formats.join(
        formats.pick([s[0] for s in SURNAMES], sur), formats.pick(hanzi, g1), second_hanzi
    )
    sur_py = formats.pick([s[1] for s in SURNAMES], sur)
    given_py = formats.join(formats.pick(pinyin, g1), second_pinyin)
    return full, sur_py, given_py


def _unique_numbers(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """n distinct integers in [low, high)."""
    return rng.choice(high - low, size=n, replace=False).astype(np.int64) + low


def _emails(
    rng: np.random.Generator, sur_py: pa.Array, given_py: pa.Array, overseas: np.ndarray
) -> tuple[pa.Array, pa.Array]:
    """Two distinct candidate emails per person (unique across persons)."""
    n = len(sur_py)
    width = max(4, len(str(n * 20)))
    code1 = formats.int_strings(_unique_numbers(rng, n, 10 ** (width - 1), 10**width))
    code2 = formats.int_strings(_unique_numbers(rng, n, 10 ** (width - 1), 10**width))
    qq1 = formats.int_strings(_unique_numbers(rng, n, 100_000_000, 200_000_000))
    qq2 = formats.int_strings(_unique_numbers(rng, n, 300_000_000, 400_000_000))
    p_cn = np.array(EMAIL_DOMAIN_WEIGHTS_CN) / sum(EMAIL_DOMAIN_WEIGHTS_CN)
    p_os = np.array(EMAIL_DOMAIN_WEIGHTS_OVERSEAS) / sum(EMAIL_DOMAIN_WEIGHTS_OVERSEAS)
    out = []
    for slot, (code, qq) in enumerate(((code1, qq1), (code2, qq2))):
        domain = np.where(
            overseas,
            rng.choice(len(EMAIL_DOMAINS), size=n, p=p_os),
            rng.choice(len(EMAIL_DOMAINS), size=n, p=p_cn),
        )
        form = rng.choice(3, size=n, p=[0.5, 0.2, 0.3])
        numeric = (form == 2) & np.isin(domain, [0, 3]) & ~overseas
        if slot == 0:
            named = formats.where(
                form == 1,
                formats.join(given_py, ".", sur_py, code),
                formats.join(sur_py, given_py, code),
            )
        else:
            named = formats.where(
                form == 1,
                formats.join(sur_py, given_py, "_", code),
                formats.join(sur_py, "_", given_py, code),
            )
        local = formats.where(numeric, qq, named)
        out.append(formats.join(local, "@", formats.pick(EMAIL_DOMAINS, domain)))
    return out[0], out[1]


def _phones(rng: np.random.Generator, n: int) -> pa.Array:
    """Distinct mainland mobile numbers that never equal a placeholder."""
    prefix = rng.integers(0, len(MOBILE_PREFIXES), n)
    suffix = _unique_numbers(rng, n, 0, 100_000_000)
    digits = formats.join(formats.pick(MOBILE_PREFIXES, prefix), formats.int_strings(suffix, 8))
    clash = pc.is_in(digits, pa.array(list(PLACEHOLDER_PHONES))).to_numpy(zero_copy_only=False)
    if clash.any():
        digits = formats.where(
            clash, formats.join("139", pc.utf8_slice_codeunits(digits, 3, 11)), digits
        )
    return digits


def _families(rng: np.random.Generator, n: int) -> np.ndarray:
    """family_head[i] = the person whose phone i shares (i itself when not shared)."""
    head = np.arange(n)
    n_heads = int(n * FAMILY_HEAD_SHARE)
    if n_heads == 0:
        return head
    chosen = rng.choice(n, size=n_heads * 3, replace=False)
    heads = chosen[:n_heads]
    joiners = chosen[n_heads:].reshape(2, n_heads)
    head[joiners[0]] = heads
    with_second = rng.random(n_heads) < 0.35
    head[joiners[1][with_second]] = heads[with_second]
    return head


def build_contacts(rng: np.random.Generator, pop: Population) -> Contacts:
    """Draw names, emails, phones, family phone sharing and platform account ids."""
    n = pop.size
    overseas = pop.zone > 0
    full_name, sur_py, given_py = _names(rng, pop.gender)
    email1, email2 = _emails(rng, sur_py, given_py, overseas)
    n_emails = rng.choice(3, size=n, p=EMAIL_COUNT_SHARES)
    n_emails = np.where(overseas, np.maximum(n_emails, 1), n_emails)
    email1 = formats.null_where(email1, n_emails < 1)
    email2 = formats.null_where(email2, n_emails < 2)
    email = pa.concat_arrays([email1, email2])
    family_head = _families(rng, n)
    digits = _phones(rng, n).take(pa.array(family_head))
    no_phone = (rng.random(n) > PHONE_SHARE) & (family_head == np.arange(n))
    phone = formats.null_where(digits, no_phone)
    uses_app = pop.uses(APP)
    app_ids = formats.prefixed("U", _unique_numbers(rng, n, 100_000_000, 999_999_999))
    tmall = formats.hex_strings(
        formats.mix_bits(rng.permutation(n), 48, int(rng.integers(1, 2**40))), 12, "tb"
    )
    jd = formats.hex_strings(
        formats.mix_bits(rng.permutation(n), 48, int(rng.integers(1, 2**40))), 12, "jd_"
    )
    anon_web = formats.hex_strings(
        formats.mix_bits(rng.permutation(n), 64, int(rng.integers(1, 2**40))), 16, "w-"
    )
    anon_app = formats.hex_strings(
        formats.mix_bits(rng.permutation(n), 64, int(rng.integers(1, 2**40))), 16, "d-"
    )
    return Contacts(
        full_name=full_name,
        email=email,
        email_variants=email_variants(email),
        phone=phone,
        phone_variants=phone_variants(phone),
        app_user_id=formats.null_where(app_ids, ~uses_app),
        tmall_buyer_id=formats.null_where(tmall, ~pop.uses(TMALL)),
        jd_buyer_id=formats.null_where(jd, ~pop.uses(JD)),
        anonymous_web=anon_web,
        anonymous_app=anon_app,
        family_head=family_head,
    )
