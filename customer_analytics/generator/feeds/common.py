"""What every feed writer needs: the generated world, the ledger and the output folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from .. import formats
from ..catalog import Catalog
from ..config import ModelParams, rng_for
from ..contacts import Contacts
from ..crm import Membership
from ..dirt import SOURCES, ExportPlan, Ledger
from ..marketing import MarketingPlan
from ..orders import Lines, Orders
from ..population import Population
from ..purchases import Lifetimes
from ..reference import CITIES, OVERSEAS
from ..timeline import BEIJING_OFFSET, DAY, Timeline
from ..writers import ChunkWriter, split_parts, write_csv, write_parquet

CHUNK_ROWS = 500_000


@dataclass
class World:
    """Everything generated before the feeds are written."""

    seed: int
    params: ModelParams
    timeline: Timeline
    pop: Population
    lifetimes: Lifetimes
    contacts: Contacts
    membership: Membership
    catalog: Catalog
    orders: Orders
    lines: Lines
    plan: MarketingPlan
    utm_codes: list[str]
    ledger: Ledger
    out_dir: Path

    def rng(self, name: str) -> np.random.Generator:
        """The named random stream of a feed."""
        return rng_for(self.seed, f"feeds.{name}")


def injected_rates(source: str, *exclude: str) -> dict[str, float]:
    """Rejection rates of a source except the reasons produced another way."""
    skip = {"test_order", "orphan_line", "parent_rejected", *exclude}
    return {k: v for k, v in SOURCES[source].rejections.items() if k not in skip}


def extra_count(rng: np.random.Generator, source: str, reason: str, base: int) -> int:
    """How many extra rows (test orders, orphan lines) to add: at least 3."""
    return max(3, int(rng.binomial(base, SOURCES[source].rejections[reason])))


def beijing_month(utc_seconds: np.ndarray) -> np.ndarray:
    """yyyymm of UTC instants in Beijing time."""
    days = ((np.asarray(utc_seconds) + BEIJING_OFFSET) // DAY).astype("datetime64[D]")
    months = days.astype("datetime64[M]").astype(np.int64)
    return (1970 + months // 12) * 100 + months % 12 + 1


def utc_month(utc_seconds: np.ndarray) -> np.ndarray:
    """yyyymm of UTC instants."""
    months = (np.asarray(utc_seconds) // DAY).astype("datetime64[D]").astype("datetime64[M]")
    m = months.astype(np.int64)
    return (1970 + m // 12) * 100 + m % 12 + 1


def geo_index(
    world: World,
    person: np.ndarray,
    rng: np.random.Generator | None = None,
    elsewhere_share: float = 0.0,
) -> np.ndarray:
    """Index into GEO_PROVINCES / GEO_CITIES of persons' homes; a share of rows get another
    random city (gifts)."""
    city = world.pop.city[person]
    if rng is not None and elsewhere_share > 0:
        weights = np.array([c[2] for c in CITIES])
        other = rng.choice(len(CITIES), size=person.size, p=weights / weights.sum())
        elsewhere = rng.random(person.size) < elsewhere_share
        city = np.where(elsewhere & (city >= 0), other, city)
    return np.where(city >= 0, city, len(CITIES) + world.pop.zone[person] - 1)


GEO_PROVINCES: tuple[str, ...] = tuple(c[0] for c in CITIES) + tuple(
    OVERSEAS[z][1] for z in (1, 2, 3)
)
GEO_CITIES: tuple[str, ...] = tuple(c[1] for c in CITIES) + tuple(OVERSEAS[z][2] for z in (1, 2, 3))


def geo_strings(index: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Province and city text of geo indices."""
    return formats.pick(GEO_PROVINCES, index), formats.pick(GEO_CITIES, index)


def province_city(
    world: World,
    person: np.ndarray,
    rng: np.random.Generator | None = None,
    elsewhere_share: float = 0.0,
) -> tuple[pa.Array, pa.Array]:
    """Province and city of persons (see geo_index)."""
    return geo_strings(geo_index(world, person, rng, elsewhere_share))


def write_table(
    world: World, relative: str, table: pa.Table, schema: pa.Schema | None = None
) -> None:
    """Write one raw file under the output folder (Parquet when a schema is given)."""
    path = world.out_dir / relative
    if schema is None:
        write_csv(table, path)
    else:
        write_parquet(table, path, schema)


def write_planned(
    world: World,
    pattern: str,
    plan: ExportPlan,
    build: Callable[[np.ndarray], dict[str, pa.Array]],
    schema: pa.Schema | None = None,
    inspect: Callable[[dict[str, pa.Array], np.ndarray], None] | None = None,
) -> None:
    """Write planned rows chunk by chunk; `pattern` may contain `{month}` (one file per part).

    `build(rows)` returns the columns of the given source rows; `inspect(columns, sel)`
    sees every chunk with `sel` = positions in the plan (for counting corrections).
    Chunking does not change the output: all random draws happen before.
    """
    parts = split_parts(plan.part)
    if not parts and "{month}" not in pattern:
        parts = [(0, np.zeros(0, dtype=np.int64))]
    for part, positions in parts:
        writer: ChunkWriter | None = None
        for lo in range(0, max(positions.size, 1), CHUNK_ROWS):
            sel = positions[lo : lo + CHUNK_ROWS]
            columns = build(plan.index[sel])
            if inspect is not None:
                inspect(columns, sel)
            if writer is None:
                writer = ChunkWriter(
                    world.out_dir / pattern.format(month=part), list(columns), schema
                )
            writer.write(pa.table(columns))
        if writer is not None:
            writer.close()


def refs_by_position(n: int, index: np.ndarray, values: pa.Array) -> pa.Array:
    """A length-n string array holding values at index positions, null elsewhere."""
    position = np.full(n, -1, dtype=np.int64)
    position[index] = np.arange(index.size)
    return values.take(pa.array(position, mask=position < 0))
