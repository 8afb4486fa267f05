"""Ground truth for tests and model evaluation (never read by the warehouse)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import formats
from .config import CHANNELS, RunConfig
from .contacts import e164
from .dirt import REJECTION_REASONS
from .feeds.common import World, province_city
from .orders import STATUSES
from .platform_members import (
    BIND_SHARE_ENGAGED,
    BIND_SHARE_PLATFORM_ONLY,
    JOIN_AT_CHECKOUT_SHARE,
    PLATFORM_RECORD_EMAIL_SHARE,
    PLATFORMS,
)
from .reference import CURRENCIES, PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES
from .timeline import BEIJING_OFFSET, DAY
from .writers import write_csv


@dataclass(frozen=True)
class OrderTruth:
    """Refs and rejection codes of canonical orders plus the web copies of marketplace ones."""

    refs: pa.Array
    reason: np.ndarray
    copy_of: np.ndarray
    copy_refs: pa.Array


def _dates(epoch_days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(epoch_days, dtype=np.int32), pa.date32(), mask=null)


def persons_table(world: World) -> pa.Table:
    """One row per person with the latent values that generated their behaviour."""
    pop, lt, o, tl = world.pop, world.lifetimes, world.orders, world.timeline
    n = pop.size
    campaign_orders = np.bincount(o.person[o.send >= 0], minlength=n)
    order_day = o.local_day()
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, o.person, order_day)
    province, city = province_city(world, np.arange(n))
    records = (world.membership.records_of_person >= 0).sum(axis=1)
    return pa.table(
        {
            "person_id": pa.array(np.arange(1, n + 1), pa.int64()),
            "acquisition_date": _dates(tl.start_day + lt.first_day),
            "lambda_per_day": pa.array(pop.lam),
            "p_dropout": pa.array(pop.p_drop),
            "satisfaction": pa.array(pop.satisfaction),
            "gg_nu": pa.array(pop.nu),
            "mean_spend_cny": pa.array(world.params.gg_p / pop.nu),
            "is_alive_at_end": pa.array(lt.is_alive),
            "dropout_date": _dates(tl.start_day + lt.dropout_day.clip(0), ~(lt.dropout_day >= 0)),
            "n_orders": pa.array(lt.n_orders, pa.int64()),
            "n_campaign_orders": pa.array(campaign_orders, pa.int64()),
            "first_order_date": _dates(tl.start_day + lt.first_day),
            "last_order_date": _dates(last),
            "primary_channel": formats.pick(CHANNELS, pop.primary),
            "gender": formats.pick(["F", "M"], pop.gender),
            "birth_date": _dates(pop.birth_day),
            "province": province,
            "city": city,
            "home_currency": formats.pick(CURRENCIES, pop.zone),
            "n_crm_records": pa.array(records, pa.int8()),
            "shares_phone_with_person_id": pa.array(
                world.contacts.family_head + 1,
                pa.int64(),
                mask=world.contacts.family_head == np.arange(n),
            ),
        }
    )


def order_persons_table(world: World, truth: OrderTruth) -> pa.Table:
    """Every canonical order and every web copy of a marketplace order, with its buyer."""
    o = world.orders
    source = formats.pick(CHANNELS, o.channel)
    reason = formats.pick(REJECTION_REASONS, truth.reason)
    created = pa.array(o.created_utc * 1_000_000, pa.timestamp("us", tz="UTC"))
    amount = pa.array(o.pay / 100.0)
    status = formats.pick(STATUSES, o.final_status)
    canonical = pa.table(
        {
            "source_system": source,
            "order_ref": truth.refs,
            "person_id": pa.array(o.person + 1, pa.int64()),
            "is_cross_feed_copy": pa.array(np.zeros(o.size, bool)),
            "canonical_order_ref": truth.refs,
            "final_status": status,
            "created_at": created,
            "currency": formats.pick(CURRENCIES, o.currency),
            "amount": amount,
            "amount_cny": pa.array(o.pay_cny_fen / 100.0),
            "n_lines": pa.array(o.n_lines, pa.int64()),
            "is_campaign_order": pa.array(o.send >= 0),
            "rejection_reason": reason,
        }
    )
    k = truth.copy_of
    take = pa.array(k)
    copies = pa.table(
        {
            "source_system": pa.array(["web_shop"] * k.size, pa.string()),
            "order_ref": truth.copy_refs,
            "person_id": pa.array(o.person[k] + 1, pa.int64()),
            "is_cross_feed_copy": pa.array(np.ones(k.size, bool)),
            "canonical_order_ref": truth.refs.take(take),
            "final_status": status.take(take),
            "created_at": created.take(take),
            "currency": pa.array(["CNY"] * k.size, pa.string()),
            "amount": amount.take(take),
            "amount_cny": pa.array(o.pay_cny_fen[k] / 100.0),
            "n_lines": pa.array(o.n_lines[k], pa.int64()),
            "is_campaign_order": pa.array(np.zeros(k.size, bool)),
            "rejection_reason": pa.nulls(k.size, pa.string()),
        }
    )
    return pa.concat_tables([canonical, copies])


def identifiers_table(world: World) -> pa.Table:
    """Real identifiers of each person in normalised form (placeholders excluded)."""
    c, ms = world.contacts, world.membership
    n = c.size
    everyone = np.arange(n)
    parts: list[tuple[np.ndarray, str, pa.Array]] = [
        (np.concatenate([everyone, everyone]), "email", c.email),
        (everyone, "phone", e164(c.phone)),
        (ms.person, "loyalty_card", ms.loyalty_card),
        (ms.person, "crm_id", ms.customer_id),
        (everyone, "app_user_id", c.app_user_id),
        (everyone, "tmall_buyer_id", c.tmall_buyer_id),
        (everyone, "jd_buyer_id", c.jd_buyer_id),
    ]
    tables = []
    for person, kind, values in parts:
        valid = pc.is_valid(values).to_numpy(zero_copy_only=False)
        tables.append(
            pa.table(
                {
                    "person_id": pa.array(person[valid] + 1, pa.int64()),
                    "identifier_type": pa.array([kind] * int(valid.sum()), pa.string()),
                    "identifier_value": pc.filter(values, pa.array(valid)),
                }
            )
        )
    return pa.concat_tables(tables).sort_by(
        [("person_id", "ascending"), ("identifier_type", "ascending")]
    )


def placeholders_table() -> pa.Table:
    """Placeholder contact values (normalised) that identify nobody."""
    values = list(PLACEHOLDER_EMAILS) + ["+86" + p for p in PLACEHOLDER_PHONES]
    kinds = ["email"] * len(PLACEHOLDER_EMAILS) + ["phone"] * len(PLACEHOLDER_PHONES)
    return pa.table({"identifier_type": kinds, "identifier_value": values})


def params_document(world: World, config: RunConfig, raw_rows: dict[str, int]) -> dict[str, object]:
    """params.json: true population parameters, seed, window and counts."""
    o = world.orders
    p = world.params
    ms = world.membership
    return {
        "seed": config.seed,
        "customers": config.customers,
        "window": {"start": config.start.isoformat(), "end": config.end.isoformat()},
        "time_unit": "operational day (calendar day weighted by daily intensity, mean 1)",
        "bg_nbd": {"r": p.bgnbd_r, "alpha": p.bgnbd_alpha, "a": p.bgnbd_a, "b": p.bgnbd_b},
        "gamma_gamma": {"p": p.gg_p, "q": p.gg_q, "gamma": p.gg_gamma, "currency": "CNY"},
        "acquisition_growth": p.acquisition_growth,
        "satisfaction_dropout_rank_correlation": p.satisfaction_dropout_rho,
        "overseas_share": p.overseas_share,
        "model_parameters": p.as_dict(),
        "platform_membership": {
            "bind_share_engaged": BIND_SHARE_ENGAGED,
            "bind_share_platform_only": BIND_SHARE_PLATFORM_ONLY,
            "join_at_checkout_share": JOIN_AT_CHECKOUT_SHARE,
            "platform_record_email_share": PLATFORM_RECORD_EMAIL_SHARE,
        },
        "counts": {
            "persons": world.pop.size,
            "orders": int(o.size),
            "process_orders": int(world.lifetimes.n_orders.sum()),
            "campaign_orders": int((o.send >= 0).sum()),
            "order_lines": int(world.lines.size),
            "orders_by_channel": {
                name: int((o.channel == i).sum()) for i, name in enumerate(CHANNELS)
            },
            "crm_records": int(ms.size),
            "crm_records_created_by_platform": int(ms.created_by_platform.sum()),
            "crm_records_bound": {
                CHANNELS[channel]: int((ms.bound_utc[:, k] >= 0).sum())
                for k, channel in enumerate(PLATFORMS)
            },
            "campaigns": len(world.plan.campaigns),
            "sends": int(world.plan.record.size),
            "raw_rows": raw_rows,
        },
        "export_time_utc": int(world.timeline.end_utc),
        "beijing_offset_seconds": BEIJING_OFFSET,
        "seconds_per_day": DAY,
    }


def write_truth(
    world: World, config: RunConfig, truth: OrderTruth, bad_batches: pa.Table, truth_dir: Path
) -> None:
    """Write every ground-truth file."""
    dirt, raw = world.ledger.tables()
    write_csv(dirt, truth_dir / "dirt_counts.csv")
    write_csv(raw, truth_dir / "raw_counts.csv")
    pq.write_table(persons_table(world), truth_dir / "persons.parquet")
    pq.write_table(order_persons_table(world, truth), truth_dir / "order_persons.parquet")
    pq.write_table(identifiers_table(world), truth_dir / "identifiers.parquet")
    write_csv(placeholders_table(), truth_dir / "placeholders.csv")
    write_csv(bad_batches, truth_dir / "bad_batches.csv")
    document = params_document(world, config, dict(sorted(world.ledger.raw_rows.items())))
    (truth_dir / "params.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    )
