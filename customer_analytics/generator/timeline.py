"""The sales calendar: daily purchase intensity, time warping, hours of day, time zones.

Days are counted as epoch days of the Beijing calendar (days since 1970-01-01); local
seconds are epoch seconds of the wall clock; UTC seconds subtract the zone offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .reference import SPRING_FESTIVAL

EPOCH = date(1970, 1, 1)
DAY = 86_400
BEIJING_OFFSET = 8 * 3600

# Monday .. Sunday multipliers of the daily intensity.
WEEKDAY_FACTORS = np.array([0.94, 0.93, 0.95, 0.98, 1.04, 1.10, 1.06])

# Relative order intensity by hour of day (local time).
ONLINE_HOURS = np.array(
    [3.0, 1.6, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.2, 3.2, 3.8, 4.0]
    + [4.6, 4.2, 3.8, 3.8, 3.9, 4.0, 4.2, 4.8, 6.0, 7.0, 7.2, 5.4]
)
STORE_HOURS = np.array([0.0] * 10 + [3.0, 5.0, 6.0, 6.0, 7.0, 7.0, 6.0, 6.0, 7.0, 8.0, 7.0, 5.0])
PEAK_DAY_HOURS = ONLINE_HOURS + np.array([30.0, 10.0, 3.0] + [0.0] * 18 + [2.0, 4.0, 4.0])


def epoch_day(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def day_to_date(day: int) -> date:
    """Inverse of :func:`epoch_day`."""
    return EPOCH + timedelta(days=int(day))


@dataclass(frozen=True)
class Timeline:
    """Daily intensity of the window and the operational-time warp built from it."""

    start_day: int
    n_days: int
    intensity: np.ndarray
    cumulative: np.ndarray
    peak_day: np.ndarray
    promo_depth: np.ndarray
    channel_tilt: np.ndarray

    @property
    def end_day(self) -> int:
        """First epoch day after the window."""
        return self.start_day + self.n_days

    @property
    def end_utc(self) -> int:
        """Export time: the first second after the window (Beijing midnight), in UTC."""
        return self.end_day * DAY - BEIJING_OFFSET

    def to_day_position(self, tau: np.ndarray) -> np.ndarray:
        """Map operational time to a (fractional) day index of the window."""
        return np.interp(tau, self.cumulative, np.arange(self.n_days + 1, dtype=np.float64))

    def to_operational(self, day_position: np.ndarray) -> np.ndarray:
        """Map a (fractional) day index of the window to operational time."""
        return np.interp(
            day_position, np.arange(self.n_days + 1, dtype=np.float64), self.cumulative
        )


def _festival_factors(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Multipliers, peak flags, promotion depth and marketplace tilt for each day."""
    factor = np.ones(days.size)
    peak = np.zeros(days.size, dtype=bool)
    depth = np.zeros(days.size)
    tilt = np.ones(days.size)
    years = range(day_to_date(days[0]).year, day_to_date(days[-1]).year + 1)
    first = int(days[0])

    def span(a: date, b: date) -> slice:
        lo = max(epoch_day(a) - first, 0)
        hi = min(epoch_day(b) - first + 1, days.size)
        return slice(lo, max(lo, hi))

    for year in years:
        # 618: build-up from June 1, peak on June 18.
        factor[span(date(year, 6, 1), date(year, 6, 17))] *= 1.25
        depth[span(date(year, 6, 1), date(year, 6, 18))] = 0.12
        tilt[span(date(year, 6, 1), date(year, 6, 18))] = 1.5
        factor[span(date(year, 6, 18), date(year, 6, 18))] *= 3.5
        peak[span(date(year, 6, 18), date(year, 6, 18))] = True
        tilt[span(date(year, 6, 18), date(year, 6, 18))] = 2.0
        # Double 11: pre-sales from October 20, peak on November 11.
        factor[span(date(year, 10, 20), date(year, 11, 10))] *= 1.3
        depth[span(date(year, 10, 20), date(year, 11, 11))] = 0.15
        tilt[span(date(year, 10, 20), date(year, 11, 11))] = 1.6
        factor[span(date(year, 11, 11), date(year, 11, 11))] *= 5.0
        peak[span(date(year, 11, 11), date(year, 11, 11))] = True
        tilt[span(date(year, 11, 11), date(year, 11, 11))] = 2.2
        factor[span(date(year, 11, 12), date(year, 11, 13))] *= 1.2
        # Double 12, Women's day, 520, National Day golden week.
        factor[span(date(year, 12, 12), date(year, 12, 12))] *= 1.6
        depth[span(date(year, 12, 12), date(year, 12, 12))] = 0.08
        factor[span(date(year, 3, 8), date(year, 3, 8))] *= 1.4
        factor[span(date(year, 5, 20), date(year, 5, 20))] *= 1.2
        factor[span(date(year, 10, 1), date(year, 10, 7))] *= 0.85
        # Spring Festival: new-year shopping, then logistics stop and stores slow down.
        if year in SPRING_FESTIVAL:
            new_year = SPRING_FESTIVAL[year]
            factor[span(new_year - timedelta(20), new_year - timedelta(8))] *= 1.15
            factor[span(new_year - timedelta(7), new_year + timedelta(6))] *= 0.45
            factor[span(new_year + timedelta(7), new_year + timedelta(10))] *= 0.8
    return factor, peak, depth, tilt


def build_timeline(start: date, end: date) -> Timeline:
    """Daily intensity (mean 1) of the window [start, end] and its cumulative warp."""
    start_day = epoch_day(start)
    n_days = (end - start).days + 1
    days = np.arange(start_day, start_day + n_days)
    weekday = (days + 3) % 7
    festival, peak, depth, tilt = _festival_factors(days)
    intensity = WEEKDAY_FACTORS[weekday] * festival
    intensity = intensity / intensity.mean()
    cumulative = np.concatenate([[0.0], np.cumsum(intensity)])
    # Channel tilt: marketplaces gain and stores lose during the big online festivals.
    channel_tilt = np.ones((n_days, 5))
    channel_tilt[:, 3] = tilt
    channel_tilt[:, 4] = tilt
    channel_tilt[:, 2] = np.where(tilt > 1, 0.7, 1.0)
    return Timeline(start_day, n_days, intensity, cumulative, peak, depth, channel_tilt)


def sample_seconds_of_day(rng: np.random.Generator, profile: np.ndarray, n: int) -> np.ndarray:
    """Seconds after local midnight with the hour drawn from an hourly profile."""
    cdf = np.cumsum(profile) / profile.sum()
    hour = np.searchsorted(cdf, rng.random(n), side="right").clip(0, 23)
    return (hour * 3600 + rng.integers(0, 3600, n)).astype(np.int64)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday=0) of a month; n = -1 is the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(((weekday - first.weekday()) % 7) + 7 * (n - 1))
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(1)
    return last - timedelta((last.weekday() - weekday) % 7)


def utc_offsets(zone: np.ndarray, utc_seconds: np.ndarray) -> np.ndarray:
    """UTC offset in seconds of each instant in its zone.

    Zones: 0 Beijing, 1 Los Angeles (US daylight saving rules), 2 Berlin (EU rules),
    3 Hong Kong.
    """
    offset = np.full(zone.shape, BEIJING_OFFSET, dtype=np.int64)
    if not zone.size:
        return offset
    years = range(1999, 2032)
    for code, standard, rule in ((1, -8 * 3600, "us"), (2, 3600, "eu")):
        mask = zone == code
        if not mask.any():
            continue
        starts, ends = [], []
        for year in years:
            if rule == "us":
                starts.append(epoch_day(_nth_weekday(year, 3, 6, 2)) * DAY + 2 * 3600 - standard)
                ends.append(epoch_day(_nth_weekday(year, 11, 6, 1)) * DAY + 3600 - standard)
            else:
                starts.append(epoch_day(_nth_weekday(year, 3, 6, -1)) * DAY + 3600)
                ends.append(epoch_day(_nth_weekday(year, 10, 6, -1)) * DAY + 3600)
        s = utc_seconds[mask]
        i = np.searchsorted(np.array(starts), s, side="right") - 1
        summer = (i >= 0) & (s < np.array(ends)[i.clip(0)])
        offset[mask] = standard + 3600 * summer
    return offset


def offset_strings(offset_seconds: np.ndarray) -> np.ndarray:
    """ISO 8601 offsets (+08:00, -07:00) as a numpy string array."""
    table = {
        o: f"{'+' if o >= 0 else '-'}{abs(o) // 3600:02d}:{abs(o) % 3600 // 60:02d}"
        for o in np.unique(offset_seconds).tolist()
    }
    keys = np.array(sorted(table))
    values = np.array([table[k] for k in keys.tolist()])
    return values[np.searchsorted(keys, offset_seconds)]
