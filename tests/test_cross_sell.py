"""Cross-sell marts against an independent pandas computation from `marts.fct_order_items`.

Pairs: baskets are placed orders' distinct SKUs; support, confidence and lift are counted
with pandas and compared with `product_pair_affinity` and `category_pair_affinity`.
Recommendations: never a product the customer bought or an inactive one, ranks 1..N, and
for a sample of customers the whole list re-derived in plain Python from the documented
rules. Second-purchase paths re-derived per customer. A build as of an earlier date uses
no order dated later.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT, Build, run_dbt

SAMPLE_SIZE = 300
SAMPLE_SEED = 11
EARLIER_AS_OF = "2024-12-31"


def _vars() -> dict:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return {key: value for key, value in project["vars"].items() if key.startswith("cross_sell")}


def _read(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _as_of(con: duckdb.DuckDBPyConnection) -> pd.Timestamp:
    return pd.Timestamp(
        con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    )


def _purchases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Placed order lines with units, the SKU's leaf category, one row per order and SKU."""
    lines = _read(
        con,
        "select items.order_id, items.customer_id, items.ordered_at, items.order_date,"
        " items.sku, items.category_id as top_category_id, items.quantity,"
        " items.line_amount_reporting, products.category_id as leaf_category_id"
        " from marts.fct_order_items as items"
        " left join marts.dim_products as products on items.sku = products.sku"
        " where items.is_placed and items.quantity > 0",
    )
    lines["order_date"] = pd.to_datetime(lines["order_date"])
    lines["line_amount_reporting"] = lines["line_amount_reporting"].astype(float)
    keys = ["order_id", "sku"]
    first = lines.groupby(keys, dropna=False).first()
    sums = lines.groupby(keys)[["quantity", "line_amount_reporting"]].sum()
    return first.drop(columns=sums.columns).join(sums).reset_index()


def expected_pairs(baskets: pd.DataFrame, item: str, settings: dict) -> pd.DataFrame:
    """Association rules between distinct items of the same basket, counted with pandas."""
    size = baskets.groupby("order_id")["sku"].transform("nunique")
    kept = baskets[size <= settings["cross_sell_max_basket_skus"]]
    basket_count = kept["order_id"].nunique()
    items = kept[["order_id", item]].dropna().drop_duplicates()
    item_baskets = items[item].value_counts()
    both = items.merge(items, on="order_id", suffixes=("_a", "_c"))
    both = both[both[f"{item}_a"] != both[f"{item}_c"]]
    pairs = both.groupby([f"{item}_a", f"{item}_c"]).size().rename("pair_basket_count")
    pairs = pairs.reset_index().rename(
        columns={f"{item}_a": "antecedent", f"{item}_c": "consequent"}
    )
    pairs["basket_count"] = basket_count
    pairs["antecedent_basket_count"] = pairs["antecedent"].map(item_baskets)
    pairs["consequent_basket_count"] = pairs["consequent"].map(item_baskets)
    pairs["pair_support"] = pairs["pair_basket_count"] / basket_count
    pairs["confidence"] = pairs["pair_basket_count"] / pairs["antecedent_basket_count"]
    pairs["lift"] = (pairs["pair_basket_count"] * basket_count) / (
        pairs["antecedent_basket_count"] * pairs["consequent_basket_count"]
    )
    keep = (pairs["pair_basket_count"] >= settings["cross_sell_min_pair_baskets"]) & (
        pairs["pair_support"] >= settings["cross_sell_min_support"]
    )
    return pairs[keep].set_index(["antecedent", "consequent"]).sort_index()


@pytest.fixture(scope="module")
def settings() -> dict:
    return _vars()


@pytest.fixture(scope="module")
def purchases(con) -> pd.DataFrame:
    return _purchases(con)


@pytest.fixture(scope="module")
def sku_pairs(purchases, settings) -> pd.DataFrame:
    return expected_pairs(purchases, "sku", settings)


@pytest.fixture(scope="module")
def recommendations(con) -> pd.DataFrame:
    return _read(con, "select * from marts.customer_recommendations")


# ---- Pair affinity ---------------------------------------------------------------------

COUNTS = ["basket_count", "antecedent_basket_count", "consequent_basket_count"]
COUNTS += ["pair_basket_count"]
RATIOS = ["pair_support", "confidence", "lift"]


def _compare(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert actual.index.is_unique
    missing = expected.index.difference(actual.index)
    extra = actual.index.difference(expected.index)
    assert missing.empty and extra.empty, (list(missing[:5]), list(extra[:5]))
    actual = actual.loc[expected.index]
    for column in COUNTS:
        assert (actual[column].astype(int) == expected[column].astype(int)).all(), column
    for column in RATIOS:
        same = np.isclose(actual[column], expected[column], rtol=1e-9, atol=0)
        assert same.all(), actual.loc[~same, column].head()


def test_product_pairs_equal_pandas(con, sku_pairs) -> None:
    actual = _read(con, "select * from marts.product_pair_affinity")
    actual = actual.set_index(["antecedent_sku", "consequent_sku"])
    assert len(sku_pairs) > 500
    _compare(actual, sku_pairs)


def test_product_pairs_find_the_complements(sku_pairs) -> None:
    """The sample's baskets add complements (cleanser + toner, ...): strong lifts exist,
    and lift is symmetric while confidence is not."""
    assert (sku_pairs["lift"] > 10).sum() > 100
    mirrored = sku_pairs.swaplevel().reindex(sku_pairs.index)
    assert np.allclose(mirrored["lift"], sku_pairs["lift"], rtol=1e-12)
    assert (mirrored["confidence"] != sku_pairs["confidence"]).any()


@pytest.mark.parametrize(
    ("level", "item"), [("leaf", "leaf_category_id"), ("top", "top_category_id")]
)
def test_category_pairs_equal_pandas(con, purchases, settings, level, item) -> None:
    expected = expected_pairs(purchases, item, settings)
    actual = _read(
        con, f"select * from marts.category_pair_affinity where category_level = '{level}'"
    ).set_index(["antecedent_category_id", "consequent_category_id"])
    assert len(expected) > 50
    _compare(actual, expected)


def test_minimum_support_prunes_pairs(purchases, settings) -> None:
    """A higher minimum keeps strictly fewer pairs: the var is honoured, not decorative."""
    stricter = {**settings, "cross_sell_min_support": settings["cross_sell_min_support"] * 10}
    assert len(expected_pairs(purchases, "sku", stricter)) < len(
        expected_pairs(purchases, "sku", settings)
    )


# ---- Recommendations ---------------------------------------------------------------------


def test_no_recommendation_was_bought_before_the_date(con, purchases, recommendations) -> None:
    as_of = _as_of(con)
    assert (purchases["order_date"] <= as_of).all()
    bought = set(zip(purchases["customer_id"], purchases["sku"], strict=True))
    offered = set(zip(recommendations["customer_id"], recommendations["sku"], strict=True))
    assert len(offered) > 5000
    assert not bought & offered, sorted(bought & offered)[:5]


def test_recommendations_are_active_products(con, recommendations) -> None:
    active = set(_read(con, "select sku from marts.dim_products where is_active")["sku"])
    assert set(recommendations["sku"]) <= active


def test_every_buyer_gets_n_ranked_recommendations(con, recommendations, settings) -> None:
    n = settings["cross_sell_recommendations_per_customer"]
    buyers = _read(con, "select customer_id from marts.dim_customers where order_count > 0")
    ranks = recommendations.groupby("customer_id")["recommendation_rank"].agg(sorted)
    assert set(ranks.index) == set(buyers["customer_id"])
    assert ranks.map(lambda found: found == list(range(1, n + 1))).all()


def test_affinity_reasons_are_real_purchases_and_rules(
    recommendations, purchases, sku_pairs
) -> None:
    affinity = recommendations[recommendations["recommendation_source"] == "affinity"]
    assert len(affinity) > 0.5 * len(recommendations)
    latest = purchases.sort_values(["order_date", "ordered_at", "order_id"]).drop_duplicates(
        ["customer_id", "sku"], keep="last"
    )
    latest = latest.set_index(["customer_id", "sku"])["order_id"]
    triggers = pd.Index(zip(affinity["customer_id"], affinity["trigger_sku"], strict=True))
    assert (latest.reindex(triggers).to_numpy() == affinity["trigger_order_id"].to_numpy()).all()
    rules = sku_pairs.reindex(pd.Index(zip(affinity["trigger_sku"], affinity["sku"], strict=True)))
    assert np.isclose(rules["confidence"].to_numpy(), affinity["rule_confidence"], rtol=1e-9).all()
    assert np.isclose(rules["lift"].to_numpy(), affinity["rule_lift"], rtol=1e-9).all()
    assert (affinity["rule_lift"] > 1).all()


def _noisy_or(confidences: list[float]) -> float:
    if len(confidences) == 1:
        return round(confidences[0], 10)
    if max(confidences) >= 1:
        return 1.0
    return round(1 - float(np.prod([1 - value for value in confidences])), 10)


def expected_lists(
    customers: list[str],
    purchases: pd.DataFrame,
    sku_pairs: pd.DataFrame,
    active: set[str],
    top_categories: pd.Series,
    as_of: pd.Timestamp,
    settings: dict,
) -> dict[str, list[tuple[str, str, str | None]]]:
    """(sku, source, trigger sku) lists per customer, from the documented rules."""
    n = settings["cross_sell_recommendations_per_customer"]
    rules = sku_pairs[sku_pairs["lift"] > 1].reset_index()
    rules = rules[rules["consequent"].isin(active)]
    rules = rules.sort_values(
        ["antecedent", "confidence", "lift", "consequent"], ascending=[True, False, False, True]
    )
    rules = rules.groupby("antecedent").head(settings["cross_sell_max_consequents_per_antecedent"])
    by_antecedent = {key: group for key, group in rules.groupby("antecedent")}

    window = purchases[
        (
            purchases["order_date"]
            > as_of - pd.Timedelta(days=settings["cross_sell_best_seller_days"])
        )
        & purchases["sku"].isin(active)
    ]
    sales = window.groupby(["sku", "top_category_id"], dropna=False).agg(
        orders=("order_id", "size"), units=("quantity", "sum")
    )
    sales = sales.reset_index().sort_values(
        ["orders", "units", "sku"], ascending=[False, False, True]
    )
    pool = settings["cross_sell_best_seller_pool"]
    overall = list(sales["sku"].head(pool))
    per_category = {
        key: list(group["sku"].head(pool)) for key, group in sales.groupby("top_category_id")
    }

    lists = {}
    for customer in customers:
        own = purchases[purchases["customer_id"] == customer]
        latest = own.sort_values(["order_date", "ordered_at", "order_id"]).drop_duplicates(
            "sku", keep="last"
        )
        latest = latest.sort_values(
            ["ordered_at", "order_id", "sku"], ascending=[False, False, True]
        )
        bought = set(own["sku"])
        found: dict[str, list[tuple[float, float, pd.Timestamp, str]]] = {}
        for row in latest.head(settings["cross_sell_max_antecedents_per_customer"]).itertuples():
            group = by_antecedent.get(row.sku)
            if group is None:
                continue
            for rule in group.itertuples():
                if rule.consequent not in bought:
                    found.setdefault(rule.consequent, []).append(
                        (rule.confidence, rule.lift, row.order_date, row.sku)
                    )
        scored = []
        for sku, reasons in found.items():
            best = sorted(reasons, key=lambda r: (-r[0], -r[1], -r[2].value, r[3]))[0]
            score = _noisy_or([reason[0] for reason in reasons])
            scored.append((-score, -len(reasons), -best[1], sku, best[3]))
        chosen = [(sku, "affinity", trigger) for *_, sku, trigger in sorted(scored)][:n]
        taken = bought | {sku for sku, *_ in chosen}
        fills = [
            (sku, "category_best_seller")
            for sku in per_category.get(top_categories.get(customer), [])
        ]
        fills += [(sku, "overall_best_seller") for sku in overall]
        for sku, source in fills:
            if len(chosen) >= n:
                break
            if sku not in taken:
                chosen.append((sku, source, None))
                taken.add(sku)
        lists[customer] = chosen
    return lists


def test_sample_lists_equal_plain_python(
    con, purchases, sku_pairs, recommendations, settings
) -> None:
    active = set(_read(con, "select sku from marts.dim_products where is_active")["sku"])
    top = _read(con, "select customer_id, top_category_id from marts.dim_customers")
    top_categories = top.set_index("customer_id")["top_category_id"]
    customers = recommendations["customer_id"].drop_duplicates()
    sample = list(customers.sample(n=min(SAMPLE_SIZE, len(customers)), random_state=SAMPLE_SEED))
    expected = expected_lists(
        sample, purchases, sku_pairs, active, top_categories, _as_of(con), settings
    )
    actual = recommendations[recommendations["customer_id"].isin(sample)].sort_values(
        ["customer_id", "recommendation_rank"]
    )
    differ = {}
    for customer, group in actual.groupby("customer_id"):
        found = [
            (
                row.sku,
                row.recommendation_source,
                None if pd.isna(row.trigger_sku) else row.trigger_sku,
            )
            for row in group.itertuples()
        ]
        if found != expected[customer]:
            differ[customer] = (found, expected[customer])
    assert not differ, list(differ.items())[:3]
    sources = set(actual["recommendation_source"])
    assert {"affinity", "category_best_seller"} <= sources


# ---- Second-purchase paths ---------------------------------------------------------------


def test_second_purchase_paths_equal_pandas(con, purchases) -> None:
    known = purchases[purchases["customer_id"].notna() & purchases["top_category_id"].notna()]
    days = (
        known.groupby(["customer_id", "order_date", "top_category_id"])
        .agg(spend=("line_amount_reporting", "sum"), units=("quantity", "sum"))
        .reset_index()
        .sort_values(
            ["customer_id", "order_date", "spend", "units", "top_category_id"],
            ascending=[True, True, False, False, True],
        )
        .drop_duplicates(["customer_id", "order_date"])
    )
    days["day_number"] = days.groupby("customer_id").cumcount() + 1
    first = days[days["day_number"] == 1].set_index("customer_id")
    second = days[days["day_number"] == 2].set_index("customer_id")
    second = second.rename(
        columns={"top_category_id": "second_category", "order_date": "second_date"}
    )
    customers = first[["top_category_id", "order_date"]].join(
        second[["second_category", "second_date"]]
    )
    customers["days"] = (customers["second_date"] - customers["order_date"]).dt.days
    totals = customers.groupby("top_category_id").agg(
        all_customers=("order_date", "size"), repeaters=("second_date", "count")
    )
    paths = (
        customers.dropna(subset=["second_category"])
        .groupby(["top_category_id", "second_category"])["days"]
        .agg(["size", "median", "mean"])
    )
    paths = paths.join(totals, on="top_category_id")
    actual = _read(con, "select * from marts.second_purchase_paths").set_index(
        ["first_category_id", "second_category_id"]
    )
    assert set(actual.index) == set(paths.index)
    actual = actual.loc[paths.index]
    assert (actual["path_customers"].to_numpy() == paths["size"].to_numpy()).all()
    assert (actual["first_category_customers"].to_numpy() == paths["all_customers"]).all()
    assert (actual["first_category_repeat_customers"].to_numpy() == paths["repeaters"]).all()
    share = paths["size"] / paths["repeaters"]
    assert np.allclose(actual["path_share"].astype(float), share, atol=5e-5)
    assert np.allclose(
        actual["median_days_to_second_purchase"].astype(float), paths["median"], atol=0.05
    )
    assert np.allclose(
        actual["mean_days_to_second_purchase"].astype(float), paths["mean"], atol=0.05
    )
    assert paths["size"].sum() > 1000


# ---- As of an earlier date ---------------------------------------------------------------


@pytest.fixture(scope="module")
def earlier_con(build: Build, tmp_path_factory):
    """Seeds and the cross-sell marts with everything upstream, built as of an earlier date."""
    base: Path = tmp_path_factory.mktemp("cross_sell_as_of")
    warehouse = base / "warehouse.duckdb"
    result = run_dbt(
        [
            "build",
            "-s",
            "+path:models/marts/cross_sell",
            "--resource-type",
            "seed",
            "model",
            "--vars",
            f"{{as_of_date: '{EARLIER_AS_OF}'}}",
        ],
        build.raw_dir,
        warehouse,
        base / "target",
    )
    assert result.success, f"as-of build failed: {result.text[-3000:]}"
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def test_pairs_as_of_use_only_earlier_baskets(con, earlier_con, purchases, settings) -> None:
    """Pairs of the earlier build equal pandas pairs of the full build's lines cut at the
    earlier date: baskets do not depend on who bought them, so the cut is exact."""
    cut = purchases[purchases["order_date"] <= pd.Timestamp(EARLIER_AS_OF)]
    expected = expected_pairs(cut, "sku", settings)
    actual = _read(earlier_con, "select * from marts.product_pair_affinity").set_index(
        ["antecedent_sku", "consequent_sku"]
    )
    _compare(actual, expected)
    assert (
        actual["basket_count"].max()
        < _read(con, "select max(basket_count) as n from marts.product_pair_affinity")["n"].iloc[0]
    )


def test_recommendations_as_of_use_nothing_later(earlier_con) -> None:
    as_of = pd.Timestamp(EARLIER_AS_OF)
    assert _as_of(earlier_con) == as_of
    recommendations = _read(earlier_con, "select * from marts.customer_recommendations")
    assert (pd.to_datetime(recommendations["trigger_order_date"]).dropna() <= as_of).all()
    assert (pd.to_datetime(recommendations["as_of_date"]) == as_of).all()
    bought = _purchases(earlier_con)
    assert (bought["order_date"] <= as_of).all()
    overlap = set(zip(bought["customer_id"], bought["sku"], strict=True)) & set(
        zip(recommendations["customer_id"], recommendations["sku"], strict=True)
    )
    assert not overlap
