"""Run configuration, model parameters and seeded random streams of the generator."""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass
from datetime import date

import numpy as np

CHANNELS: tuple[str, ...] = ("web_shop", "app", "pos", "tmall", "jd")
"""Sales channels in the order used by every channel-indexed array (0..4)."""

WEB, APP, POS, TMALL, JD = range(5)


@dataclass(frozen=True)
class RunConfig:
    """What the command line controls: population size, seed and the sales window."""

    customers: int = 20_000
    seed: int = 42
    start: date = date(2023, 1, 1)
    end: date = date(2025, 12, 31)

    def __post_init__(self) -> None:
        if self.customers < 100:
            raise ValueError(f"--customers must be at least 100, got {self.customers}")
        if self.seed < 0:
            raise ValueError(f"--seed must be a non-negative integer, got {self.seed}")
        if (self.end - self.start).days < 180:
            raise ValueError(
                f"the window {self.start}..{self.end} is shorter than 180 days; "
                "choose --end at least half a year after --start"
            )
        if self.start.year < 2000 or self.end.year > 2030:
            raise ValueError("the window must lie between 2000 and 2030 (holiday tables)")


@dataclass(frozen=True)
class ModelParams:
    """True population parameters of the behavioural model (written to params.json).

    Time is measured in operational days: calendar days stretched by the daily purchase
    intensity, whose mean over the window is 1 (so a rate per operational day is the
    window-average rate per calendar day).
    """

    # BG/NBD: purchase rate lambda ~ Gamma(shape r, rate alpha); dropout p ~ Beta(a, b).
    bgnbd_r: float = 0.5
    bgnbd_alpha: float = 9.0
    bgnbd_a: float = 1.4
    bgnbd_b: float = 18.0
    # Gamma-Gamma: order value ~ Gamma(shape p, rate nu); nu ~ Gamma(shape q, rate gamma).
    gg_p: float = 4.0
    gg_q: float = 4.0
    gg_gamma: float = 180.0
    # Acquisition density grows as exp(growth * t / window length).
    acquisition_growth: float = 0.7
    # Rank correlation between low satisfaction and a high dropout probability.
    satisfaction_dropout_rho: float = 0.6
    # Share of persons living abroad who buy on the web shop in USD / EUR / HKD.
    overseas_share: float = 0.01

    def as_dict(self) -> dict[str, object]:
        """Parameters as a plain dictionary."""
        return asdict(self)


def rng_for(seed: int, component: str) -> np.random.Generator:
    """Independent random stream for one named component of the generator.

    The stream depends only on the seed and the component name, so adding a source or
    drawing more numbers in one component never reshuffles another.
    """
    key = zlib.crc32(component.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(key,)))
