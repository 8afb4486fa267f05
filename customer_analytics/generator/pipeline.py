"""Generate the whole sample: persons, purchases, orders, every raw export and the truth."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from .catalog import build_catalog
from .config import ModelParams, RunConfig, rng_for
from .contacts import build_contacts
from .crm import build_membership
from .dirt import Ledger
from .feeds.after_sales import OrderRefs, write_returns, write_tickets
from .feeds.app import write_app
from .feeds.common import World, refs_by_position, write_table
from .feeds.crm import write_crm
from .feeds.events import write_events
from .feeds.feedback import write_nps, write_reviews
from .feeds.marketing import write_sends
from .feeds.marketplace import write_marketplace
from .feeds.pos import write_pos
from .feeds.web_shop import write_web_shop
from .marketing import plan_marketing
from .orders import GENERIC_CAMPAIGNS, build_orders
from .platform_members import bind_platform_members
from .population import build_population
from .purchases import simulate_purchases
from .timeline import build_timeline
from .truth import OrderTruth, write_truth
from .writers import OutputFolderError, reset_directory

PHASES: tuple[str, ...] = (
    "population",
    "purchases",
    "crm & campaigns",
    "orders",
    "platform members",
    "catalog",
    "marketplace",
    "web_shop",
    "app",
    "pos",
    "crm export",
    "after_sales",
    "surveys & reviews",
    "events",
    "marketing",
    "truth",
)


def release_memory() -> None:
    """Return memory freed by Arrow to the operating system between phases."""
    pa.default_memory_pool().release_unused()


@contextmanager
def phase(bar: tqdm, name: str) -> Iterator[None]:
    """One step of the progress bar (one of PHASES)."""
    release_memory()
    bar.set_description(name)
    yield
    bar.update()


def build_world(config: RunConfig, params: ModelParams, out_dir: Path, bar: tqdm) -> World:
    """Draw persons, purchases, memberships, campaigns and orders (nothing written yet)."""
    seed = config.seed
    with phase(bar, "population"):
        timeline = build_timeline(config.start, config.end)
        catalog = build_catalog(rng_for(seed, "catalog"), config.start, config.end)
        pop = build_population(rng_for(seed, "population"), timeline, params, config.customers)
        contacts = build_contacts(rng_for(seed, "contacts"), pop)
    with phase(bar, "purchases"):
        purchases, lifetimes = simulate_purchases(rng_for(seed, "purchases"), pop, timeline)
    with phase(bar, "crm & campaigns"):
        membership = build_membership(rng_for(seed, "crm"), pop, contacts, lifetimes, timeline)
        plan = plan_marketing(
            rng_for(seed, "marketing"), pop, contacts, membership, purchases, lifetimes, timeline
        )
    with phase(bar, "orders"):
        orders, lines = build_orders(
            seed, params, pop, contacts, membership, purchases, plan, catalog, timeline
        )
    with phase(bar, "platform members"):
        # After the orders (bindings precede each buyer's first marketplace order); the
        # campaigns and the orders' member ids were drawn from the brand's own members.
        membership = bind_platform_members(
            rng_for(seed, "crm.platform_members"), contacts, membership, orders
        )
    utm_codes = [c.campaign_id for c in plan.campaigns] + list(GENERIC_CAMPAIGNS)
    return World(
        seed=seed,
        params=params,
        timeline=timeline,
        pop=pop,
        lifetimes=lifetimes,
        contacts=contacts,
        membership=membership,
        catalog=catalog,
        orders=orders,
        lines=lines,
        plan=plan,
        utm_codes=utm_codes,
        ledger=Ledger(),
        out_dir=out_dir,
    )


def write_catalog(world: World) -> None:
    """Write catalog/products.csv and catalog/categories.csv."""
    for name, table in (
        ("products", world.catalog.products),
        ("categories", world.catalog.categories),
    ):
        world.ledger.raw_rows[f"catalog.{name}"] = table.num_rows
        write_table(world, f"catalog/{name}.csv", table)


def write_order_feeds(world: World, bar: tqdm) -> OrderTruth:
    """Write the five order feeds and the CRM export; return the refs of every order."""
    with phase(bar, "catalog"):
        write_catalog(world)
    with phase(bar, "marketplace"):
        mp = write_marketplace(world)
    with phase(bar, "web_shop"):
        web = write_web_shop(world, mp)
    with phase(bar, "app"):
        app = write_app(world)
    with phase(bar, "pos"):
        pos = write_pos(world)
    with phase(bar, "crm export"):
        write_crm(world)
    n = world.orders.size
    index = np.concatenate([mp.order_index, web.order_index, app.order_index, pos.order_index])
    refs = refs_by_position(n, index, pa.concat_arrays([mp.refs, web.refs, app.refs, pos.refs]))
    reason = np.full(n, -1, dtype=np.int8)
    reason[index] = np.concatenate([mp.reason, web.reason, app.reason, pos.reason])
    return OrderTruth(refs, reason, web.copy_of, web.copy_refs)


def write_other_feeds(world: World, truth: OrderTruth, bar: tqdm) -> pa.Table:
    """Write after-sales, feedback, events and marketing; return the bad batches."""
    order_refs = OrderRefs(truth.refs, truth.reason < 0)
    with phase(bar, "after_sales"):
        returns = write_returns(world, order_refs)
        write_tickets(world, order_refs, returns)
    with phase(bar, "surveys & reviews"):
        write_nps(world, order_refs, returns)
        write_reviews(world, order_refs, returns)
    with phase(bar, "events"):
        write_events(world)
    with phase(bar, "marketing"):
        write_sends(world, order_refs)
    return returns.bad_batches


def generate(
    config: RunConfig,
    out_dir: Path,
    truth_dir: Path,
    params: ModelParams | None = None,
    progress: bool = True,
) -> World:
    """Wipe and rewrite `out_dir` (raw exports) and `truth_dir` (ground truth)."""
    params = params or ModelParams()
    out_dir, truth_dir = Path(out_dir), Path(truth_dir)
    raw, truth = out_dir.resolve(), truth_dir.resolve()
    if raw.is_relative_to(truth) or truth.is_relative_to(raw):
        raise OutputFolderError("the raw output and truth folders must be separate folders")
    reset_directory(out_dir)
    reset_directory(truth_dir)
    with tqdm(total=len(PHASES), disable=not progress, unit="phase") as bar:
        world = build_world(config, params, out_dir, bar)
        orders_truth = write_order_feeds(world, bar)
        bad_batches = write_other_feeds(world, orders_truth, bar)
        with phase(bar, "truth"):
            write_truth(world, config, orders_truth, bad_batches, truth_dir)
    return world
