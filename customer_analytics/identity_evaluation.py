"""Score a built warehouse's identity resolution against a generator's ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd


@dataclass(frozen=True)
class IdentityScore:
    """Pairwise merge quality over identified orders, and customer vs person counts."""

    precision: float
    recall: float
    customers: int
    persons: int
    customers_with_several_persons: int
    orders_without_truth: int

    @property
    def customer_excess(self) -> float:
        """Relative difference between resolved customers and true persons."""
        return self.customers / self.persons - 1

    def describe(self) -> str:
        return (
            f"pairwise precision {self.precision:.4f}, recall {self.recall:.4f}; "
            f"{self.customers:,} customers for {self.persons:,} true persons "
            f"({self.customer_excess:+.2%}); {self.customers_with_several_persons} customers "
            "merge several persons"
        )


def resolved_orders(warehouse: Path, truth_dir: Path) -> pd.DataFrame:
    """Identified orders of `marts.fct_orders` with the true person behind each."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        orders = con.execute(
            "select order_id, customer_id from marts.fct_orders where customer_id is not null"
        ).df()
    finally:
        con.close()
    truth = pd.read_parquet(truth_dir / "order_persons.parquet")
    truth = truth[~truth["is_cross_feed_copy"]]
    truth = truth.assign(order_id=truth["source_system"] + ":" + truth["order_ref"].astype(str))
    return orders.merge(truth[["order_id", "person_id"]], on="order_id", how="left")


def _pair_count(keys: pd.Series) -> int:
    sizes = keys.value_counts()
    return int((sizes * (sizes - 1) // 2).sum())


def score_identity(warehouse: Path, truth_dir: Path) -> IdentityScore:
    """Pairs of orders put in one customer vs pairs of orders of one true person."""
    orders = resolved_orders(warehouse, truth_dir)
    missing = int(orders["person_id"].isna().sum())
    orders = orders.dropna(subset=["person_id"])
    person = orders["person_id"].astype("int64").astype(str)
    same_both = _pair_count(orders["customer_id"] + "|" + person)
    persons_per_customer = orders.groupby("customer_id")["person_id"].nunique()
    return IdentityScore(
        precision=same_both / max(_pair_count(orders["customer_id"]), 1),
        recall=same_both / max(_pair_count(person), 1),
        customers=int(orders["customer_id"].nunique()),
        persons=int(person.nunique()),
        customers_with_several_persons=int((persons_per_customer > 1).sum()),
        orders_without_truth=missing,
    )
