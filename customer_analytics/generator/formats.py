"""Vectorised text formatting of ids, dates, timestamps and amounts with pyarrow."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .timeline import DAY, day_to_date, offset_strings

Text = pa.Array | pa.ChunkedArray | pa.Scalar | str

DATE_STYLES = ("iso", "slash", "compact", "slash_short")


def _as_arrow(part: Text) -> pa.Array | pa.ChunkedArray | pa.Scalar:
    return pa.scalar(part, pa.string()) if isinstance(part, str) else part


def join(*parts: Text) -> pa.Array:
    """Element-wise concatenation; a null part makes the result null."""
    return pc.binary_join_element_wise(*[_as_arrow(p) for p in parts], "")


def pick(options: Sequence[str | None], index: np.ndarray) -> pa.Array:
    """`options[index]` as strings; a negative index gives null."""
    table = pa.array(list(options), pa.string())
    index = np.asarray(index, dtype=np.int64)
    return table.take(pa.array(index.clip(0), mask=index < 0))


def where(mask: np.ndarray, when_true: Text, when_false: Text) -> pa.Array:
    """Row-wise choice between two string arrays (or scalars)."""
    return pc.if_else(pa.array(mask, pa.bool_()), _as_arrow(when_true), _as_arrow(when_false))


def null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    """Set the rows of `mask` to null."""
    return pc.if_else(pa.array(mask, pa.bool_()), pa.scalar(None, values.type), values)


def replace_rows(values: pa.Array, rows: np.ndarray, replacement: Sequence[str | None]) -> pa.Array:
    """Overwrite `values[rows]` with `replacement` (aligned with the sorted rows)."""
    if len(rows) == 0:
        return values
    order = np.argsort(rows, kind="stable")
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    new = pa.array([replacement[i] for i in order], values.type)
    return pc.replace_with_mask(values, pa.array(mask), new)


def int_strings(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as text, left-padded with zeros to `width`."""
    text = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def prefixed(prefix: str, numbers: np.ndarray, width: int = 0) -> pa.Array:
    """Ids such as W100000123 or C0000042."""
    return join(prefix, int_strings(numbers, width))


def mix_bits(values: np.ndarray, bits: int, salt: int) -> np.ndarray:
    """A bijection of [0, 2**bits): distinct inputs give distinct, random-looking outputs."""
    mask = np.uint64((1 << bits) - 1)
    x = (np.asarray(values, dtype=np.uint64) + np.uint64(salt)) & mask
    half = np.uint64(bits // 2)
    with np.errstate(over="ignore"):
        x ^= x >> half
        x = (x * np.uint64(0xBF58476D1CE4E5B9)) & mask
        x ^= x >> np.uint64(bits // 2 - 3)
        x = (x * np.uint64(0x94D049BB133111EB)) & mask
        x ^= x >> half
    return x


def hex_strings(values: np.ndarray, n_hex: int, prefix: str = "") -> pa.Array:
    """Fixed-width lower-case hexadecimal text of unsigned integers."""
    values = np.asarray(values, dtype=np.uint64)
    shifts = np.arange(n_hex - 1, -1, -1, dtype=np.uint64) * np.uint64(4)
    nibbles = ((values[:, None] >> shifts[None, :]) & np.uint64(15)).astype(np.uint8)
    chars = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)[nibbles]
    raw = np.ascontiguousarray(chars).view(f"S{n_hex}").ravel()
    text = pc.cast(pa.array(raw, pa.binary(n_hex)), pa.string())
    return join(prefix, text) if prefix else text


@lru_cache(maxsize=16)
def _date_table(first: int, last: int, style: str) -> pa.Array:
    days = np.arange(first, last + 1).astype("datetime64[D]")
    iso = pa.array(days.astype(str).astype(object), pa.string())
    if style == "iso":
        return iso
    if style == "slash":
        return pc.replace_substring(iso, "-", "/")
    if style == "compact":
        return pc.replace_substring(iso, "-", "")
    if style == "slash_short":
        return pa.array(
            [f"{d.year:04d}/{d.month}/{d.day}" for d in map(day_to_date, range(first, last + 1))],
            pa.string(),
        )
    raise ValueError(f"unknown date style {style!r}; use one of {DATE_STYLES}")


def date_strings(days: np.ndarray, style: str = "iso") -> pa.Array:
    """Epoch days as date text (iso YYYY-MM-DD, slash YYYY/MM/DD, compact, slash_short)."""
    days = np.asarray(days, dtype=np.int64)
    if days.size == 0:
        return pa.array([], pa.string())
    first, last = int(days.min()), int(days.max())
    # Round the table bounds so the cache is reused across calls.
    first, last = first - first % 4096, last - last % 4096 + 4095
    return _date_table(first, last, style).take(pa.array(days - first))


@lru_cache(maxsize=2)
def _clock_table(with_seconds: bool) -> pa.Array:
    if with_seconds:
        return pa.array(
            [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)], pa.string()
        )
    return pa.array([f"{s // 3600:02d}:{s // 60 % 60:02d}" for s in range(DAY)], pa.string())


def clock_strings(seconds_of_day: np.ndarray, with_seconds: bool = True) -> pa.Array:
    """HH:MM:SS (or HH:MM) of seconds after midnight."""
    return _clock_table(with_seconds).take(pa.array(np.asarray(seconds_of_day, dtype=np.int64)))


def datetime_strings(
    local_seconds: np.ndarray,
    sep: str = " ",
    date_style: str = "iso",
    with_seconds: bool = True,
    suffix: Text | None = None,
) -> pa.Array:
    """Wall-clock timestamps such as `2024-06-18 20:15:03` or `2024/06/18 20:15`."""
    local_seconds = np.asarray(local_seconds, dtype=np.int64)
    day, sod = np.divmod(local_seconds, DAY)
    parts: list[Text] = [date_strings(day, date_style), sep, clock_strings(sod, with_seconds)]
    if suffix is not None:
        parts.append(suffix)
    return join(*parts)


def iso_strings(
    utc_seconds: np.ndarray, offset_seconds: np.ndarray | int, zulu: np.ndarray | None = None
) -> pa.Array:
    """ISO 8601 timestamps with the offset of their zone, or in UTC with `Z` where `zulu`."""
    utc_seconds = np.asarray(utc_seconds, dtype=np.int64)
    offset = np.broadcast_to(np.asarray(offset_seconds, dtype=np.int64), utc_seconds.shape)
    if zulu is not None:
        offset = np.where(zulu, 0, offset)
    suffix = offset_strings(offset).astype(object)
    if zulu is not None:
        suffix[zulu] = "Z"
    return datetime_strings(utc_seconds + offset, sep="T", suffix=pa.array(suffix, pa.string()))


def money_strings(
    cents: np.ndarray, grouped: np.ndarray | bool = False, prefix: Text | None = None
) -> pa.Array:
    """Amounts in minor units as decimal text: 1299.00, 1,299.00, ¥1299.00, -15.50.

    Grouping applies to amounts from 1,000.00 up to 999,999.99.
    """
    cents = np.asarray(cents, dtype=np.int64)
    negative = cents < 0
    absolute = np.abs(cents)
    units, frac = np.divmod(absolute, 100)
    plain = int_strings(units)
    grouped_mask = np.broadcast_to(np.asarray(grouped, dtype=bool), cents.shape) & (units >= 1000)
    if grouped_mask.any():
        thousands = join(
            int_strings(units // 1000),
            ",",
            pc.utf8_lpad(int_strings(units % 1000), width=3, padding="0"),
        )
        plain = where(grouped_mask & (units < 1_000_000), thousands, plain)
    body = join(plain, ".", int_strings(frac, 2))
    if prefix is not None:
        body = join(prefix, body)
    return where(negative, join("-", body), body) if negative.any() else body
