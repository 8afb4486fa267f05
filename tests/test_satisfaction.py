"""Satisfaction and after-sales marts against independent pandas computations, and the
keyword functions on small strings.

The pandas side reads staging (NPS answers, tickets, returns, reviews) and the core
marts (fct_order_items, dim_products) and re-derives the numbers with the rules the
marts' YAML documents: business dates in the business time zone, nothing after the
as-of date, NPS bands 0-6 / 7-8 / 9-10.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from customer_analytics.feedback_keywords import (
    count_keywords,
    segment_chinese,
    text_languages,
    tokenize_english,
    validate_documents,
)
from tests.conftest import ROOT

CHANNELS = {"web_shop": "web_shop", "app": "app", "pos": "store", "tmall": "tmall", "jd": "jd"}


def _vars() -> dict:
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


def _local_date(utc: pd.Series) -> pd.Series:
    """Business date (as a midnight timestamp) of naive UTC timestamps."""
    local = pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(_vars()["business_timezone"])
    return local.dt.tz_localize(None).dt.normalize()


def _read(con: duckdb.DuckDBPyConnection, relation: str) -> pd.DataFrame:
    return con.execute(f"select * from {relation}").df()


# Marts round NPS half away from zero to two decimals; compare unrounded values within that.
ROUNDING = 0.00501


def _nps(promoters: pd.Series, detractors: pd.Series, responses: pd.Series) -> pd.Series:
    return 100.0 * (promoters - detractors) / responses.where(responses > 0)


@pytest.fixture(scope="module")
def as_of(con: duckdb.DuckDBPyConnection) -> pd.Timestamp:
    return pd.Timestamp(
        con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    )


@pytest.fixture(scope="module")
def window_start(as_of: pd.Timestamp) -> pd.Timestamp:
    return (
        as_of - pd.DateOffset(months=_vars()["satisfaction_window_months"]) + pd.Timedelta(days=1)
    )


@pytest.fixture(scope="module")
def answers(con: duckdb.DuckDBPyConnection, as_of: pd.Timestamp) -> pd.DataFrame:
    """NPS answers up to the as-of date with their business date, month and band."""
    nps = _read(con, "staging.stg_surveys__nps_responses")
    nps["date"] = _local_date(nps["responded_at"])
    nps = nps[nps["date"] <= as_of].copy()
    nps["month"] = nps["date"].dt.to_period("M").dt.to_timestamp()
    nps["channel"] = nps["touchpoint"].map(CHANNELS).fillna("unknown")
    nps["band"] = pd.cut(nps["score"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    return nps


def _count(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    bands = pd.crosstab([frame[key] for key in keys], frame["band"])
    counted = pd.DataFrame(
        {
            "promoters": bands.get("promoter", 0),
            "passives": bands.get("passive", 0),
            "detractors": bands.get("detractor", 0),
        }
    )
    counted["responses"] = counted.sum(axis=1)
    return counted


# --- NPS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nps_monthly(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = _read(con, "marts.nps_monthly")
    frame["month"] = pd.to_datetime(frame["month"])
    return frame.set_index(["month", "channel"]).sort_index()


@pytest.fixture(scope="module")
def expected_monthly(answers: pd.DataFrame) -> pd.DataFrame:
    by_channel = _count(answers, ["month", "channel"])
    overall = _count(answers, ["month"])
    overall["channel"] = "all"
    overall = overall.reset_index().set_index(["month", "channel"])
    expected = pd.concat([by_channel, overall])
    months = answers["month"].unique()
    channels = [*answers["channel"].unique(), "all"]
    full = pd.MultiIndex.from_product([months, channels], names=["month", "channel"])
    expected = expected.reindex(full, fill_value=0).sort_index()
    expected["nps"] = _nps(expected["promoters"], expected["detractors"], expected["responses"])
    trailing = []
    for channel, group in expected.groupby(level="channel"):
        group = group.droplevel("channel")
        for month in group.index:
            inside = group[(group.index > month - pd.DateOffset(months=3)) & (group.index <= month)]
            trailing.append(
                {
                    "month": month,
                    "channel": channel,
                    "responses_trailing_3_months": inside["responses"].sum(),
                    "nps_trailing_3_months": _nps(
                        pd.Series([inside["promoters"].sum()]),
                        pd.Series([inside["detractors"].sum()]),
                        pd.Series([inside["responses"].sum()]),
                    ).iloc[0],
                }
            )
    return expected.join(pd.DataFrame(trailing).set_index(["month", "channel"]))


def test_sample_has_nps_answers_in_every_channel_and_band_edge(answers: pd.DataFrame) -> None:
    assert set(answers["channel"]) == {"web_shop", "app", "store", "tmall", "jd"}
    assert {6, 7, 8, 9} <= set(answers["score"])


def test_nps_monthly_counts_equal_pandas(nps_monthly, expected_monthly) -> None:
    assert list(nps_monthly.index) == list(expected_monthly.index)
    for column in ("responses", "promoters", "passives", "detractors"):
        assert nps_monthly[column].tolist() == expected_monthly[column].astype(int).tolist(), column


@pytest.mark.parametrize("column", ["nps", "nps_trailing_3_months", "responses_trailing_3_months"])
def test_nps_monthly_scores_equal_pandas(nps_monthly, expected_monthly, column) -> None:
    actual = nps_monthly[column].astype(float)
    expected = expected_monthly[column].astype(float)
    assert actual.isna().tolist() == expected.isna().tolist()
    assert np.allclose(actual.dropna(), expected.dropna(), atol=ROUNDING, rtol=0)


def test_nps_by_channel_over_all_months_equals_pandas(nps_monthly, answers) -> None:
    """The channel totals of the mart give each channel's all-time NPS."""
    totals = nps_monthly.groupby(level="channel")[["promoters", "detractors", "responses"]].sum()
    actual = _nps(totals["promoters"], totals["detractors"], totals["responses"])
    expected_counts = _count(answers, ["channel"])
    expected = _nps(
        expected_counts["promoters"], expected_counts["detractors"], expected_counts["responses"]
    )
    for channel, value in expected.items():
        assert actual[channel] == pytest.approx(value, abs=ROUNDING), channel
    overall = _count(answers.assign(all="all"), ["all"]).iloc[0]
    assert actual["all"] == pytest.approx(
        100.0 * (overall["promoters"] - overall["detractors"]) / overall["responses"],
        abs=ROUNDING,
    )


def test_nps_by_category_equals_pandas(con, answers, window_start) -> None:
    items = _read(con, "marts.fct_order_items")[["order_id", "category_id"]].dropna()
    recent = answers[answers["date"] >= window_start].copy()
    recent["order_id"] = recent["touchpoint"] + ":" + recent["order_ref"]
    pairs = items.drop_duplicates().merge(recent, on="order_id")
    expected = _count(pairs, ["category_id"])
    expected["nps"] = _nps(expected["promoters"], expected["detractors"], expected["responses"])
    expected["orders"] = pairs.groupby("category_id")["order_id"].nunique()
    actual = _read(con, "marts.nps_by_category").set_index("category_id").sort_index()
    expected = expected.sort_index()
    assert list(actual.index) == list(expected.index)
    for column in ("orders", "responses", "promoters", "passives", "detractors"):
        assert actual[column].tolist() == expected[column].astype(int).tolist(), column
    assert np.allclose(actual["nps"].astype(float), expected["nps"], atol=ROUNDING, rtol=0)


def test_nps_by_segment_types_each_hold_every_matched_answer(con, window_start) -> None:
    segments = _read(con, "marts.nps_by_segment")
    matched = con.execute(
        "select count(*) from intermediate.int_feedback_resolved "
        "where feedback_type = 'nps' and customer_id is not null and feedback_date >= ?",
        [window_start.date()],
    ).fetchone()[0]
    assert matched > 0
    totals = segments.groupby("segment_type")["responses"].sum()
    assert set(totals.index) == {"rfm_segment", "value_tier", "buyer_type", "lifecycle_stage"}
    assert (totals == matched).all()


# --- Returns -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def returns_expected(con, as_of) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sold and (capped) returned units per SKU and per batch, in pandas."""
    items = _read(con, "marts.fct_order_items")
    items = items[items["is_placed"] & items["sku"].notna()].copy()
    items["order_date"] = pd.to_datetime(items["order_date"])
    items["batch_no"] = (
        items["sku"]
        + "-"
        + items["order_date"].dt.year.astype(str)
        + "Q"
        + items["order_date"].dt.quarter.astype(str)
    )
    returns = _read(con, "staging.stg_after_sales__returns")
    returns["order_id"] = returns["source_system"] + ":" + returns["order_ref"]
    returns = returns[
        (returns["return_status"] != "rejected")
        & (_local_date(returns["requested_at"]) <= as_of)
        & returns["order_id"].isin(set(items["order_id"]))
    ].sort_values(["requested_at", "return_id"])
    line_units = items.groupby(["order_id", "sku"])["quantity"].sum()
    left = line_units.to_dict()
    counted = []
    for row in returns.itertuples():
        available = left.get((row.order_id, row.sku), 0)
        units = max(min(row.quantity, available), 0)
        left[(row.order_id, row.sku)] = available - units
        counted.append(units)
    returns["units"] = counted
    products = pd.DataFrame(
        {
            "sold_units": items.groupby("sku")["quantity"].sum(),
            "returned_units": returns.groupby("sku")["units"].sum(),
        }
    ).fillna(0)
    batches = pd.DataFrame(
        {
            "sold_units": items.groupby(["sku", "batch_no"])["quantity"].sum(),
            "returned_units": returns.groupby(["sku", "batch_no"])["units"].sum(),
        }
    ).fillna(0)
    return products, batches


def test_product_return_rates_equal_pandas(con, returns_expected) -> None:
    products, _ = returns_expected
    actual = _read(con, "marts.product_returns").set_index("sku")
    assert set(actual.index) == set(products.index)
    # The ten best sellers and every product with returns: units and rate.
    checked = set(products.nlargest(10, "sold_units").index) | set(
        products[products["returned_units"] > 0].index
    )
    expected = products.loc[sorted(checked)]
    got = actual.loc[expected.index]
    assert got["sold_units"].tolist() == expected["sold_units"].astype(int).tolist()
    assert got["returned_units"].tolist() == expected["returned_units"].astype(int).tolist()
    rate = expected["returned_units"] / expected["sold_units"]
    assert np.allclose(got["return_rate"].astype(float), rate, atol=0.0000501, rtol=0)


def test_batch_return_rates_equal_pandas(con, returns_expected) -> None:
    _, batches = returns_expected
    actual = _read(con, "marts.batch_returns").set_index(["sku", "batch_no"]).sort_index()
    expected = batches.sort_index()
    assert list(actual.index) == list(expected.index)
    assert actual["sold_units"].tolist() == expected["sold_units"].astype(int).tolist()
    assert actual["returned_units"].tolist() == expected["returned_units"].astype(int).tolist()


def test_abnormal_flag_follows_category_rate(con) -> None:
    batches = _read(con, "marts.batch_returns")
    products = _read(con, "marts.dim_products")[["sku", "top_category_id"]]
    merged = batches.merge(products, on="sku")
    category = merged.groupby("top_category_id")[["returned_units", "sold_units"]].sum()
    rate = (category["returned_units"] / category["sold_units"]).rename("expected")
    merged = merged.join(rate, on="top_category_id")
    sold, back, p = merged["sold_units"], merged["returned_units"], merged["expected"]
    z = (back - sold * p) / np.sqrt(sold * p * (1 - p))
    settings = _vars()
    expected = (
        (sold >= settings["return_rate_min_sold_units"])
        & (back >= settings["return_rate_min_ratio"] * p * sold)
        & (z >= settings["return_rate_min_z_score"])
    )
    assert merged["is_abnormal_return_rate"].tolist() == expected.tolist()


def test_bad_batches_of_the_generator_are_found(con, build) -> None:
    """Most truly bad batches with enough sales are flagged, and most flags are bad."""
    truth_file = build.truth_dir / "bad_batches.csv"
    if not truth_file.exists():
        pytest.skip("no generator truth next to this warehouse")
    bad = set(pd.read_csv(truth_file)["batch_no"])
    batches = _read(con, "marts.batch_returns")
    flagged = set(batches.loc[batches["is_abnormal_return_rate"], "batch_no"])
    assert flagged, "no batch flagged on the sample"
    assert len(flagged & bad) / len(flagged) >= 0.5


# --- Tickets and reviews -----------------------------------------------------------------


def test_ticket_months_equal_pandas(con, as_of) -> None:
    tickets = _read(con, "staging.stg_after_sales__tickets")
    tickets["opened"] = _local_date(tickets["opened_at"])
    tickets = tickets[tickets["opened"] <= as_of].copy()
    resolved_date = _local_date(tickets["resolved_at"])
    tickets["done"] = tickets["is_resolved"] & (resolved_date <= as_of)
    tickets["hours"] = tickets["resolution_hours"].astype(float).where(tickets["done"])
    tickets["month"] = tickets["opened"].dt.to_period("M").dt.to_timestamp()
    by_month = tickets.groupby("month")
    expected = pd.DataFrame(
        {
            "tickets_opened": by_month.size(),
            "tickets_resolved": by_month["done"].sum(),
            "median_resolution_hours": by_month["hours"].median(),
            "p90_resolution_hours": by_month["hours"].quantile(0.9),
        }
    )
    actual = con.execute(
        "select * from marts.service_tickets_monthly "
        "where ticket_reason = 'all' and contact_channel = 'all' order by month"
    ).df()
    actual["month"] = pd.to_datetime(actual["month"])
    actual = actual.set_index("month")
    assert list(actual.index) == list(expected.index)
    assert actual["tickets_opened"].tolist() == expected["tickets_opened"].tolist()
    assert actual["tickets_resolved"].tolist() == expected["tickets_resolved"].astype(int).tolist()
    for column in ("median_resolution_hours", "p90_resolution_hours"):
        assert np.allclose(
            actual[column].astype(float), expected[column], atol=0.006, equal_nan=True
        ), column


def test_product_review_rates_equal_pandas(con, as_of) -> None:
    reviews = _read(con, "staging.stg_reviews__product_reviews")
    reviews = reviews[(_local_date(reviews["reviewed_at"]) <= as_of) & reviews["sku"].notna()]
    by_sku = reviews.groupby("sku")
    expected = pd.DataFrame(
        {
            "reviews": by_sku.size(),
            "average_rating": by_sku["rating"].mean(),
            "good_review_rate": by_sku["rating"].apply(lambda r: (r >= 4).mean()),
            "rating_1_reviews": by_sku["rating"].apply(lambda r: (r == 1).sum()),
        }
    ).sort_index()
    actual = _read(con, "marts.product_reviews").set_index("sku").sort_index()
    assert list(actual.index) == list(expected.index)
    assert actual["reviews"].tolist() == expected["reviews"].tolist()
    assert actual["rating_1_reviews"].tolist() == expected["rating_1_reviews"].tolist()
    assert np.allclose(
        actual["average_rating"].astype(float), expected["average_rating"], atol=ROUNDING, rtol=0
    )
    assert np.allclose(
        actual["good_review_rate"].astype(float),
        expected["good_review_rate"],
        atol=0.0000501,
        rtol=0,
    )


# --- Keywords ----------------------------------------------------------------------------


def test_english_is_lower_cased_without_stop_words_and_negations_join() -> None:
    assert tokenize_english("The delivery was TOO slow!") == ["delivery", "slow"]
    assert tokenize_english("Not as described, will not buy again") == [
        "not described",
        "not buy",
    ]
    assert tokenize_english("My cat won\u2019t eat it; the bag's seal broke") == [
        "cat",
        "won't eat",
        "bag",
        "seal",
        "broke",
    ]
    assert tokenize_english("质量很差 2 stars") == ["stars"]


def test_chinese_is_segmented_with_the_dictionary_and_negations_join() -> None:
    assert segment_chinese("物流太慢了，客服一直不回复") == ["物流", "太慢", "客服", "不回复"]
    assert segment_chinese("洗不干净，有异味") == ["洗", "不干净", "异味"]
    assert segment_chinese("不新鲜 bad") == ["不新鲜"]
    assert segment_chinese("not fresh") == []


def test_languages_follow_the_script() -> None:
    assert text_languages("质量很差, poor quality") == ["zh", "en"]
    assert text_languages("2024") == []


def test_count_keywords_ranks_by_documents_then_mentions() -> None:
    documents = pd.DataFrame(
        {
            "feedback_source": ["nps_detractor"] * 3 + ["negative_review"],
            "document_id": ["N1", "N2", "N3", "V1"],
            "document_text": [
                "物流太慢了，物流太慢",
                "退款太慢",
                "delivery was slow, slow slow",
                "做工粗糙",
            ],
            "window_start_date": [pd.Timestamp("2024-01-01")] * 4,
            "as_of_date": [pd.Timestamp("2024-12-31")] * 4,
        }
    )
    result = count_keywords(documents, top_n=2, min_documents=1)
    rows = (
        result[
            [
                "feedback_source",
                "language",
                "keyword",
                "keyword_rank",
                "mentions",
                "documents",
                "source_documents",
                "document_share",
            ]
        ]
        .to_numpy()
        .tolist()
    )
    assert rows == [
        ["negative_review", "zh", "做工", 1, 1, 1, 1, 1.0],
        ["negative_review", "zh", "粗糙", 2, 1, 1, 1, 1.0],
        ["nps_detractor", "en", "slow", 1, 3, 1, 1, 1.0],
        ["nps_detractor", "en", "delivery", 2, 1, 1, 1, 1.0],
        ["nps_detractor", "zh", "太慢", 1, 3, 2, 2, 1.0],
        ["nps_detractor", "zh", "物流", 2, 2, 1, 2, 0.5],
    ]
    assert (result["as_of_date"] == pd.Timestamp("2024-12-31")).all()
    # By default a keyword of a single text (someone's own words) is never published.
    assert count_keywords(documents, top_n=2)["keyword"].tolist() == ["太慢"]


def test_documents_are_validated_at_the_boundary() -> None:
    good = pd.DataFrame(
        {
            "feedback_source": ["nps_detractor", "nps_detractor"],
            "document_id": ["N1", "N1"],
            "document_text": ["a", "b"],
            "window_start_date": ["2024-01-01"] * 2,
            "as_of_date": ["2024-12-31"] * 2,
        }
    )
    with pytest.raises(ValueError, match="unique per"):
        validate_documents(good)
    with pytest.raises(ValueError, match="lack column"):
        validate_documents(good.drop(columns=["document_text"]))
    two_dates = good.assign(document_id=["N1", "N2"], as_of_date=["2024-12-31", "2025-01-31"])
    with pytest.raises(ValueError, match="one as_of_date"):
        validate_documents(two_dates)
    with pytest.raises(ValueError, match="top_n"):
        count_keywords(good.assign(document_id=["N1", "N2"]), top_n=0)


def test_feedback_keywords_mart_counts_the_window_texts(con, answers, window_start) -> None:
    keywords = _read(con, "marts.feedback_keywords")
    types = {row[0]: row[1] for row in con.execute("describe marts.feedback_keywords").fetchall()}
    assert types["keyword_rank"] == "INTEGER" and types["document_share"] == "DECIMAL(10,4)"
    assert types["as_of_date"] == "DATE"
    top_n = _vars()["feedback_keywords_top_n"]
    assert keywords.groupby(["feedback_source", "language"]).size().max() <= top_n
    detractors = answers[
        (answers["band"] == "detractor")
        & (answers["date"] >= window_start)
        & answers["comment_text"].notna()
    ]
    chinese = detractors["comment_text"].str.contains("[\u4e00-\u9fff]", regex=True).sum()
    zh = keywords[(keywords["feedback_source"] == "nps_detractor") & (keywords["language"] == "zh")]
    assert chinese > 0
    assert (zh["source_documents"] == chinese).all()
    # The most frequent keyword is in as many detractor comments as the mart says.
    first = zh.sort_values("keyword_rank").iloc[0]
    containing = sum(
        first["keyword"] in segment_chinese(text) for text in detractors["comment_text"]
    )
    assert first["documents"] == containing
