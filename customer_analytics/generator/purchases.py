"""Buy-till-you-die purchase process (BG/NBD) in operational time, mapped to calendar days."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .population import Population
from .timeline import Timeline


@dataclass(frozen=True)
class Purchases:
    """Process purchases (first purchase plus repeats), sorted by person then time."""

    person: np.ndarray
    day: np.ndarray
    is_first: np.ndarray


@dataclass(frozen=True)
class Lifetimes:
    """Per-person outcome of the process."""

    n_orders: np.ndarray
    is_alive: np.ndarray
    dropout_day: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray


def segment_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sums restarting at every segment (segments given by their lengths)."""
    total = np.cumsum(values)
    ends = np.cumsum(counts)
    starts = ends - counts
    before = np.where(starts > 0, total[np.maximum(starts - 1, 0)], 0.0)
    return total - np.repeat(before, counts)


def simulate_purchases(
    rng: np.random.Generator, pop: Population, timeline: Timeline
) -> tuple[Purchases, Lifetimes]:
    """Draw every person's purchase times and whether and when they drop out.

    BG/NBD: while alive a person buys as a Poisson process with rate lambda; after each
    repeat purchase they drop out with probability p. The number of repeats before
    dropout is K ~ Geometric(p); the number of Poisson events in the remaining window is
    M ~ Poisson(lambda * T). The observed repeats are the first min(K, M) of M uniform
    order statistics on (0, T], built from exponential spacings: the first m spacings
    are drawn one by one and the rest is a single Gamma(M - m + 1) draw.
    """
    n = pop.size
    horizon = timeline.cumulative[-1] - pop.acq_tau
    k_repeat = rng.geometric(pop.p_drop)
    m_possible = rng.poisson(pop.lam * horizon)
    m = np.minimum(k_repeat, m_possible)
    is_alive = k_repeat > m_possible
    spacings = rng.exponential(1.0, int(m.sum()))
    partial = segment_cumsum(spacings, m)
    ends = np.cumsum(m)
    last_partial = np.zeros(n)
    has_repeats = m > 0
    last_partial[has_repeats] = partial[ends[has_repeats] - 1]
    total = last_partial + rng.gamma(m_possible - m + 1.0, 1.0)
    owner = np.repeat(np.arange(n), m)
    tau_repeat = pop.acq_tau[owner] + horizon[owner] * partial / total[owner]
    counts = m + 1
    person = np.repeat(np.arange(n), counts)
    tau = np.empty(person.size)
    first_pos = np.cumsum(counts) - counts
    is_first = np.zeros(person.size, dtype=bool)
    is_first[first_pos] = True
    tau[is_first] = pop.acq_tau
    tau[~is_first] = tau_repeat
    day = np.floor(timeline.to_day_position(tau)).astype(np.int64).clip(0, timeline.n_days - 1)
    last_day = day[first_pos + counts - 1]
    lifetimes = Lifetimes(
        n_orders=counts,
        is_alive=is_alive,
        dropout_day=np.where(is_alive, -1, last_day),
        first_day=day[first_pos],
        last_day=last_day,
    )
    return Purchases(person=person, day=day, is_first=is_first), lifetimes
