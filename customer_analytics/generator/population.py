"""Persons: latent buying behaviour, satisfaction, demographics, channels and tastes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .catalog import TOP_CATEGORIES
from .config import POS, WEB, ModelParams
from .reference import CITIES, OVERSEAS_WEIGHTS, STORES
from .timeline import Timeline

# Share of persons whose main channel is web shop, app, stores, Tmall, JD.
PRIMARY_CHANNEL_SHARES = np.array([0.20, 0.28, 0.20, 0.20, 0.12])
APP_PLATFORMS: tuple[str, ...] = ("mini_program", "ios", "android")
APP_PLATFORM_SHARES = np.array([0.55, 0.20, 0.25])
MIN_CHANNEL_WEIGHT = 0.02

# Category taste by gender (order of TOP_CATEGORIES).
CATEGORY_BASE_FEMALE = np.array([0.20, 0.17, 0.10, 0.07, 0.12, 0.09, 0.06, 0.10, 0.04, 0.05])
CATEGORY_BASE_MALE = np.array([0.06, 0.14, 0.09, 0.18, 0.12, 0.05, 0.12, 0.08, 0.05, 0.11])
CATEGORY_CONCENTRATION = 2.5


@dataclass(frozen=True)
class Population:
    """Person-level arrays; person i is row i (truth person_id = i + 1)."""

    satisfaction: np.ndarray
    lam: np.ndarray
    p_drop: np.ndarray
    nu: np.ndarray
    acq_tau: np.ndarray
    gender: np.ndarray
    birth_day: np.ndarray
    city: np.ndarray
    zone: np.ndarray
    primary: np.ndarray
    channel_weights: np.ndarray
    app_platform: np.ndarray
    home_store: np.ndarray
    prefs_cum: np.ndarray

    @property
    def size(self) -> int:
        """Number of persons."""
        return len(self.lam)

    def uses(self, channel: int) -> np.ndarray:
        """Whether each person ever buys through a channel."""
        return self.channel_weights[:, channel] > 0


def coupled_dropout(
    rng: np.random.Generator, satisfaction: np.ndarray, a: float, b: float, rho: float
) -> np.ndarray:
    """Beta(a, b) dropout probabilities, rank-correlated with low satisfaction.

    The marginal distribution stays exactly the drawn Beta sample; only which person
    gets which value depends on satisfaction (a rank copula).
    """
    draws = np.sort(rng.beta(a, b, satisfaction.size))
    latent = -rho * satisfaction + np.sqrt(1 - rho**2) * rng.standard_normal(satisfaction.size)
    p = np.empty_like(draws)
    p[np.argsort(latent, kind="stable")] = draws
    return p


def acquisition_times(
    rng: np.random.Generator, timeline: Timeline, n: int, growth: float
) -> np.ndarray:
    """Operational times of first purchases: seasonal intensity times exponential growth."""
    days = np.arange(timeline.n_days)
    density = timeline.intensity * np.exp(growth * days / timeline.n_days)
    cdf = np.cumsum(density) / density.sum()
    day = np.searchsorted(cdf, rng.random(n), side="right").clip(0, timeline.n_days - 1)
    frac = rng.random(n)
    return timeline.cumulative[day] + frac * timeline.intensity[day]


def _channel_weights(
    rng: np.random.Generator, primary: np.ndarray, has_store_city: np.ndarray, overseas: np.ndarray
) -> np.ndarray:
    n = primary.size
    secondary = rng.gamma(0.35, 1.0, (n, 5)) * PRIMARY_CHANNEL_SHARES
    secondary /= secondary.sum(axis=1, keepdims=True)
    loyalty = rng.beta(4.0, 1.5, n)[:, None]
    weights = (1 - loyalty) * secondary
    weights[np.arange(n), primary] += loyalty[:, 0]
    weights[~has_store_city, POS] *= 0.15
    weights[overseas] = 0.0
    weights[overseas, WEB] = 1.0
    weights[weights < MIN_CHANNEL_WEIGHT] = 0.0
    weights[np.arange(n), primary] = np.maximum(weights[np.arange(n), primary], MIN_CHANNEL_WEIGHT)
    return weights / weights.sum(axis=1, keepdims=True)


def _category_preferences(
    rng: np.random.Generator, gender: np.ndarray, age: np.ndarray
) -> np.ndarray:
    base = np.where(gender[:, None] == 0, CATEGORY_BASE_FEMALE, CATEGORY_BASE_MALE)
    parents = (age >= 25) & (age <= 38)
    base = base.copy()
    base[parents, 5] *= 2.5
    base /= base.sum(axis=1, keepdims=True)
    prefs = rng.gamma(CATEGORY_CONCENTRATION * base * len(TOP_CATEGORIES) / 2, 1.0)
    prefs = np.maximum(prefs, 1e-9)
    return prefs / prefs.sum(axis=1, keepdims=True)


def _stores_by_city() -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, (city, _name) in enumerate(STORES):
        out.setdefault(city, []).append(i)
    return out


def _home_stores(
    rng: np.random.Generator, city: np.ndarray, primary: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A home store per person; store-first shoppers live in a city with a store."""
    n = city.size
    by_city = _stores_by_city()
    city_names = [c[1] for c in CITIES]
    store_city_index = np.array([city_names.index(STORES[s][0]) for s in range(len(STORES))])
    store_any = rng.integers(0, len(STORES), n)
    moved = (primary == POS) & ~np.isin(city, store_city_index)
    city = np.where(moved, store_city_index[store_any], city)
    home = store_any.copy()
    u = rng.random(n)
    for c, stores in by_city.items():
        members = city == city_names.index(c)
        pick = (u[members] * len(stores)).astype(np.int64)
        home[members] = np.array(stores)[pick]
    return home, city


def build_population(
    rng: np.random.Generator, timeline: Timeline, params: ModelParams, n: int
) -> Population:
    """Draw every person's latent values, demographics, channel mix and tastes."""
    satisfaction = rng.standard_normal(n)
    lam = rng.gamma(params.bgnbd_r, 1.0 / params.bgnbd_alpha, n)
    p_drop = coupled_dropout(
        rng, satisfaction, params.bgnbd_a, params.bgnbd_b, params.satisfaction_dropout_rho
    )
    nu = rng.gamma(params.gg_q, 1.0 / params.gg_gamma, n)
    acq_tau = acquisition_times(rng, timeline, n, params.acquisition_growth)
    gender = (rng.random(n) < 0.38).astype(np.int8)
    age = np.clip(18 + rng.gamma(4.0, 3.6, n), 18, 72)
    birth_day = (timeline.start_day - age * 365.25).astype(np.int64)
    weights = np.array([c[2] for c in CITIES])
    city = rng.choice(len(CITIES), size=n, p=weights / weights.sum()).astype(np.int64)
    overseas = rng.random(n) < params.overseas_share
    zone = np.where(overseas, 1 + rng.choice(3, size=n, p=np.array(OVERSEAS_WEIGHTS)), 0).astype(
        np.int8
    )
    primary = rng.choice(5, size=n, p=PRIMARY_CHANNEL_SHARES).astype(np.int8)
    primary[overseas] = WEB
    home_store, city = _home_stores(rng, city, primary)
    city = np.where(overseas, -1, city)
    store_cities = {s[0] for s in STORES}
    has_store_city = np.isin(city, [i for i, c in enumerate(CITIES) if c[1] in store_cities])
    channel_weights = _channel_weights(rng, primary, has_store_city, overseas)
    app_platform = rng.choice(3, size=n, p=APP_PLATFORM_SHARES).astype(np.int8)
    prefs = _category_preferences(rng, gender, age)
    prefs_cum = np.cumsum(prefs, axis=1).astype(np.float32)
    prefs_cum[:, -1] = 1.0
    return Population(
        satisfaction=satisfaction,
        lam=lam,
        p_drop=p_drop,
        nu=nu,
        acq_tau=acq_tau,
        gender=gender,
        birth_day=birth_day,
        city=city,
        zone=zone,
        primary=primary,
        channel_weights=channel_weights,
        app_platform=app_platform,
        home_store=home_store.astype(np.int64),
        prefs_cum=prefs_cum,
    )


def sample_categories(pop: Population, person: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Top-category index per row, drawn from each person's preferences (u uniform)."""
    out = np.empty(person.size, dtype=np.int64)
    chunk = 2_000_000
    for lo in range(0, person.size, chunk):
        hi = min(lo + chunk, person.size)
        cum = pop.prefs_cum[person[lo:hi]]
        out[lo:hi] = (cum <= u[lo:hi, None]).sum(axis=1)
    return out.clip(0, len(TOP_CATEGORIES) - 1)


def sample_channels(
    rng: np.random.Generator, pop: Population, person: np.ndarray, tilt: np.ndarray
) -> np.ndarray:
    """A channel per purchase from the person's mix times the day's channel tilt."""
    u = rng.random(person.size)
    out = np.empty(person.size, dtype=np.int8)
    chunk = 2_000_000
    for lo in range(0, person.size, chunk):
        hi = min(lo + chunk, person.size)
        w = pop.channel_weights[person[lo:hi]] * tilt[lo:hi]
        cum = np.cumsum(w, axis=1)
        out[lo:hi] = (cum < (u[lo:hi] * cum[:, -1])[:, None]).sum(axis=1).clip(0, 4)
    return out
