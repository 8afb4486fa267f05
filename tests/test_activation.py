"""Activation marts against independent pandas computations.

- Audience consent: eligibility per channel re-derived from the CRM export
  (`staging.stg_crm__customers`) and the CRM-id -> customer mapping
  (`marts.customer_source_ids`), never from the activation models.
- Holdout: the bucket re-computed with Python's md5; the held-out share near the var.
- Campaign results: recipients and converters re-counted from the sends, the identifier
  lookup and `marts.fct_orders`; z-test p-values from `statistics.NormalDist`.
- Loyalty: window spend, orders and tiers re-derived from `marts.fct_orders`, the
  returns and the tier seed.
"""

from __future__ import annotations

import hashlib
import math
from statistics import NormalDist

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT

CHANNELS = ["email", "sms", "wechat"]
P_VALUE_TOLERANCE = 1e-6


def _vars() -> dict:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


def _read(con: duckdb.DuckDBPyConnection, relation: str) -> pd.DataFrame:
    return con.execute(f"select * from {relation}").df()


def _as_of(con: duckdb.DuckDBPyConnection) -> pd.Timestamp:
    return pd.Timestamp(
        con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    )


def _local(utc: pd.Series) -> pd.Series:
    """Naive UTC timestamps as naive business-time timestamps."""
    zone = _vars()["business_timezone"]
    local = pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(zone)
    return local.dt.tz_localize(None)


def _local_date(utc: pd.Series) -> pd.Series:
    return _local(utc).dt.normalize()


def _p_value(successes_a: int, trials_a: int, successes_b: int, trials_b: int) -> float:
    """Two-sided pooled two-proportion z-test, NaN when it is undefined."""
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    if trials_a == 0 or trials_b == 0 or pooled in (0.0, 1.0):
        return math.nan
    spread = math.sqrt(pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b))
    z = (successes_a / trials_a - successes_b / trials_b) / spread
    return 2 * NormalDist().cdf(-abs(z))


# ---- Audience consent ------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected_consent(con) -> pd.DataFrame:
    """Consent, opt-out and addresses per customer from the CRM export and the id map."""
    as_of = _as_of(con)
    crm = _read(con, "staging.stg_crm__customers")
    crm = crm[crm["signup_date"].isna() | (pd.to_datetime(crm["signup_date"]) <= as_of)]
    ids = _read(con, "marts.customer_source_ids")
    ids = ids[ids["source_name"] == "crm"].rename(columns={"source_customer_id": "crm_id"})
    members = ids[["crm_id", "customer_id"]].merge(
        crm.rename(columns={"customer_id": "crm_id"}), on="crm_id"
    )
    latest = (
        members.sort_values(["customer_id", "updated_at", "crm_id"], ascending=False)
        .drop_duplicates("customer_id")
        .set_index("customer_id")
    )
    opted_out_date = pd.to_datetime(latest["opted_out_date"])
    expected = pd.DataFrame(index=latest.index)
    expected["is_opted_out"] = latest["is_opted_out"].astype(bool) & (
        opted_out_date.isna() | (opted_out_date <= as_of)
    )
    for channel in CHANNELS:
        expected[f"has_{channel}_consent"] = latest[f"has_{channel}_consent"].eq(True)
    customers = _read(con, "marts.dim_customers").set_index("customer_id")
    expected = expected.reindex(customers.index)
    expected = expected.fillna(False).astype(bool)
    has_email = customers["email_hash"].notna()
    has_phone = customers["phone_hash"].notna()
    reachable = {"email": has_email, "sms": has_phone, "wechat": has_phone}
    for channel in CHANNELS:
        expected[f"is_{channel}_eligible"] = (
            expected[f"has_{channel}_consent"] & ~expected["is_opted_out"] & reachable[channel]
        )
    preference = _vars()["activation_channel_preference"]
    expected["contact_channel"] = None
    for channel in reversed(preference):
        expected.loc[expected[f"is_{channel}_eligible"], "contact_channel"] = channel
    return expected


@pytest.fixture(scope="module")
def audiences(con) -> pd.DataFrame:
    return _read(con, "marts.marketing_audiences")


def test_sample_has_every_trigger_and_real_consent_cases(audiences, expected_consent) -> None:
    triggers = set(audiences["trigger_key"])
    assert triggers == {
        "first_purchase_follow_up",
        "browsed_not_bought_24h",
        "silent_30_days",
        "birthday_this_month",
        "upcoming_holiday",
        "vip_care",
    }
    assert expected_consent["is_opted_out"].sum() >= 20
    # Customers who consented somewhere but opted out: the case that must never be listed.
    consented = expected_consent[[f"has_{channel}_consent" for channel in CHANNELS]].any(axis=1)
    assert (consented & expected_consent["is_opted_out"]).sum() >= 10


def test_no_listed_customer_lacks_consent_on_a_flagged_channel(audiences, expected_consent) -> None:
    expected = expected_consent.loc[audiences["customer_id"]].reset_index(drop=True)
    assert not expected["is_opted_out"].any()
    for channel in CHANNELS:
        flagged = audiences[f"is_{channel}_eligible"].astype(bool)
        assert not (flagged & ~expected[f"is_{channel}_eligible"]).any(), channel
        assert (flagged == expected[f"is_{channel}_eligible"]).all(), channel
    assert (audiences["contact_channel"] == expected["contact_channel"]).all()


def test_eligibility_of_every_customer_equals_pandas(con, expected_consent) -> None:
    actual = _read(con, "intermediate.int_customer_channels_consented").set_index("customer_id")
    expected = expected_consent.reindex(actual.index)
    for column in [f"is_{channel}_eligible" for channel in CHANNELS] + ["is_opted_out"]:
        differs = actual[column].astype(bool) != expected[column]
        assert not differs.any(), (column, actual[differs].head())
    same_channel = (actual["contact_channel"] == expected["contact_channel"]) | (
        actual["contact_channel"].isna() & expected["contact_channel"].isna()
    )
    assert same_channel.all()


def test_customers_eligible_nowhere_are_never_listed(audiences, expected_consent) -> None:
    nowhere = expected_consent.index[expected_consent["contact_channel"].isna()]
    assert len(nowhere) > 0
    assert not audiences["customer_id"].isin(nowhere).any()


def test_no_personal_data_in_audiences(con, audiences) -> None:
    crm = _read(con, "staging.stg_crm__customers")
    personal = set(crm["customer_email"].dropna()) | set(crm["customer_phone"].dropna())
    for column in audiences.columns:
        values = set(audiences[column].dropna().astype(str))
        assert not values & personal, column


# ---- Holdout ---------------------------------------------------------------------------


def test_holdout_bucket_is_md5_of_customer_and_trigger(audiences) -> None:
    salt = str(_vars()["activation_holdout_salt"])
    keys = zip(audiences["customer_id"], audiences["trigger_key"], strict=True)
    expected = [
        int(hashlib.md5(f"{customer}|{trigger}|{salt}".encode()).hexdigest()[:8], 16) % 100
        for customer, trigger in keys
    ]
    assert (audiences["holdout_bucket"].to_numpy() == np.array(expected)).all()


def test_holdout_share_close_to_the_var(audiences) -> None:
    percent = _vars()["activation_holdout_percent"]
    share = audiences["is_holdout"].mean()
    spread = math.sqrt(percent / 100 * (1 - percent / 100) / len(audiences))
    assert len(audiences) >= 500
    assert abs(share - percent / 100) < 4 * spread, (share, len(audiences))
    assert (audiences["is_holdout"] == (audiences["holdout_bucket"] < percent)).all()


# ---- Campaign results ------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected_campaigns(con) -> pd.DataFrame:
    """Recipients, sends, clicks and converters per campaign and variant, in pandas."""
    as_of = _as_of(con)
    days = _vars()["campaign_attribution_days"]
    sends = _read(con, "staging.stg_marketing__sends")
    sends = sends[_local_date(sends["assigned_at"]) <= as_of].copy()
    identifiers = _read(con, "intermediate.int_identifier_customers")
    lookup = {
        kind: group.set_index("identifier_value")["customer_id"]
        for kind, group in identifiers.groupby("identifier_type")
    }
    email = sends["recipient_email"].where(~sends["is_placeholder_email"].astype(bool))
    phone = sends["recipient_phone"].where(~sends["is_placeholder_phone"].astype(bool))
    sends["customer_id"] = (
        sends["member_id"]
        .map(lookup["crm_id"])
        .fillna(email.map(lookup["email"]))
        .fillna(phone.map(lookup["phone"]))
    )
    orders = _read(con, "marts.fct_orders")
    orders = orders[orders["is_placed"] & orders["customer_id"].notna()]
    pairs = sends[["send_id", "customer_id", "assigned_at"]].merge(
        orders[["customer_id", "ordered_at"]], on="customer_id"
    )
    in_window = (pairs["ordered_at"] >= pairs["assigned_at"]) & (
        pairs["ordered_at"] < pairs["assigned_at"] + pd.Timedelta(days=days)
    )
    converted = set(pairs.loc[in_window, "send_id"])
    sends["converted"] = sends["send_id"].isin(converted)
    sends["sent"] = sends["sent_at"].notna() & (_local_date(sends["sent_at"]) <= as_of)
    sends["clicked"] = sends["clicked_at"].notna() & (_local_date(sends["clicked_at"]) <= as_of)
    return (
        sends.groupby(["campaign_id", "channel", "variant"])
        .agg(
            recipients=("send_id", "size"),
            sends=("sent", "sum"),
            clicks=("clicked", "sum"),
            converters=("converted", "sum"),
        )
        .astype(int)
    )


@pytest.fixture(scope="module")
def campaign_results(con) -> pd.DataFrame:
    return _read(con, "marts.campaign_results").set_index(["campaign_id", "channel", "variant"])


def test_campaign_counts_equal_pandas(campaign_results, expected_campaigns) -> None:
    assert len(campaign_results) == len(expected_campaigns)
    actual = campaign_results.loc[expected_campaigns.index, expected_campaigns.columns]
    differs = (actual.astype(int) != expected_campaigns).any(axis=1)
    assert not differs.any(), pd.concat([actual, expected_campaigns], axis=1)[differs].head()
    assert expected_campaigns["converters"].sum() >= 100


def test_p_values_vs_control_equal_normal_dist(campaign_results, expected_campaigns) -> None:
    checked = 0
    for (campaign, channel, variant), row in expected_campaigns.iterrows():
        if variant == "control":
            continue
        actual = campaign_results.loc[(campaign, channel, variant), "p_value"]
        if (campaign, channel, "control") not in expected_campaigns.index:
            assert pd.isna(actual)
            continue
        control = expected_campaigns.loc[(campaign, channel, "control")]
        expected = _p_value(
            row["converters"], row["recipients"], control["converters"], control["recipients"]
        )
        if math.isnan(expected):
            assert pd.isna(actual)
            continue
        assert abs(float(actual) - expected) <= P_VALUE_TOLERANCE, (campaign, variant)
        checked += 1
    assert checked >= 50


def test_ab_p_values_equal_normal_dist(con, expected_campaigns) -> None:
    ab = _read(con, "marts.campaign_ab_results").set_index(["campaign_id", "channel"])
    both = [
        (campaign, channel)
        for campaign, channel, variant in expected_campaigns.index
        if variant == "B" and (campaign, channel, "A") in expected_campaigns.index
    ]
    assert sorted(both) == sorted(ab.index)
    assert len(both) >= 10
    for campaign, channel in both:
        a = expected_campaigns.loc[(campaign, channel, "A")]
        b = expected_campaigns.loc[(campaign, channel, "B")]
        row = ab.loc[(campaign, channel)]
        for kind, trials in (("click", "sends"), ("conversion", "recipients")):
            counts = "clicks" if kind == "click" else "converters"
            expected = _p_value(b[counts], b[trials], a[counts], a[trials])
            actual = row[f"{kind}_p_value"]
            if math.isnan(expected):
                assert pd.isna(actual)
            else:
                assert abs(float(actual) - expected) <= P_VALUE_TOLERANCE, (campaign, kind)


# ---- Loyalty ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected_loyalty(con) -> pd.DataFrame:
    """Window orders, net spend and tier per customer with a placed order, in pandas."""
    as_of = _as_of(con)
    months = _vars()["loyalty_window_months"]
    orders = _read(con, "marts.fct_orders")
    orders = orders[orders["is_placed"] & orders["customer_id"].notna()].copy()
    orders["order_total_reporting"] = orders["order_total_reporting"].astype(float)
    returns = _read(con, "staging.stg_after_sales__returns")
    returns = returns[
        ~returns["is_exchange"].astype(bool)
        & returns["return_status"].isin(["approved", "refunded"])
        & (_local_date(returns["requested_at"]) <= as_of)
    ]
    refunds = (
        (returns["source_system"] + ":" + returns["order_ref"])
        .to_frame("order_id")
        .assign(refund=returns["refund_reporting"].astype(float))
        .groupby("order_id")["refund"]
        .sum()
    )
    orders["refund"] = np.where(
        orders["is_refunded"],
        orders["order_total_reporting"],
        np.minimum(orders["order_id"].map(refunds).fillna(0.0), orders["order_total_reporting"]),
    )
    orders["net"] = orders["order_total_reporting"] - orders["refund"]
    window_after = as_of - pd.DateOffset(months=months)
    in_window = pd.to_datetime(orders["order_date"]) > window_after
    by = orders[in_window].groupby("customer_id")
    expected = pd.DataFrame(index=pd.Index(orders["customer_id"].unique(), name="customer_id"))
    expected["window_order_count"] = by.size().reindex(expected.index).fillna(0).astype(int)
    expected["window_net_spend_reporting"] = by["net"].sum().reindex(expected.index).fillna(0)
    tiers = pd.read_csv(ROOT / "seeds" / "loyalty_tiers.csv").sort_values("tier_rank")
    expected["tier_key"] = tiers["tier_key"].iloc[0]
    for _, tier in tiers.iterrows():
        reached = (
            expected["window_net_spend_reporting"] >= tier["min_net_spend_reporting"] - 0.005
        ) | (expected["window_order_count"] >= tier["min_placed_orders"])
        expected.loc[reached, "tier_key"] = tier["tier_key"]
    return expected


def test_loyalty_tiers_equal_pandas(con, expected_loyalty) -> None:
    actual = _read(con, "marts.customer_loyalty").set_index("customer_id")
    assert sorted(actual.index) == sorted(expected_loyalty.index)
    actual = actual.loc[expected_loyalty.index]
    assert (actual["window_order_count"] == expected_loyalty["window_order_count"]).all()
    spend = actual["window_net_spend_reporting"].astype(float)
    assert np.allclose(spend, expected_loyalty["window_net_spend_reporting"], atol=0.01)
    differs = actual["tier_key"] != expected_loyalty["tier_key"]
    assert not differs.any(), actual[differs].head()
    assert actual["tier_key"].nunique() >= 4


def test_order_refunds_add_up_to_customer_refunds(con) -> None:
    totals = con.execute(
        """
        select facts.customer_id, facts.refunds_reporting, coalesce(sum(net.refunds_reporting), 0)
        from intermediate.int_customer_facts as facts
        left join intermediate.int_placed_orders_netted as net
            on facts.customer_id = net.customer_id
        group by facts.customer_id, facts.refunds_reporting
        having abs(facts.refunds_reporting - coalesce(sum(net.refunds_reporting), 0)) > 0.005
        """
    ).fetchall()
    assert totals == []


def test_vip_care_entries_replay_the_window_day_by_day(con, expected_loyalty) -> None:
    """Each VIP's state on every day since their first order, from the window's definition."""
    as_of = _as_of(con)
    settings = _vars()
    months = settings["loyalty_window_months"]
    every = settings["activation_vip_care_every_days"]
    tiers = pd.read_csv(ROOT / "seeds" / "loyalty_tiers.csv")
    vip = tiers[tiers["has_vip_care"]].sort_values("tier_rank").iloc[0]
    window_start = con.execute(
        "select window_start_date from intermediate.int_audience_triggers_windowed"
        " where trigger_key = 'vip_care'"
    ).fetchone()[0]
    orders = _read(con, "intermediate.int_placed_orders_netted")
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    orders["net_total_reporting"] = orders["net_total_reporting"].astype(float)
    vips = expected_loyalty.index[
        expected_loyalty["tier_key"].isin(tiers.loc[tiers["has_vip_care"], "tier_key"])
    ]
    expected = {}
    for customer in vips:
        own = orders[orders["customer_id"] == customer]
        dates = own["order_date"].to_numpy()
        days = pd.date_range(own["order_date"].min(), as_of, freq="D")
        starts = (days - pd.DateOffset(months=months)).to_numpy()
        inside = (dates[None, :] > starts[:, None]) & (dates[None, :] <= days.to_numpy()[:, None])
        spend = inside @ own["net_total_reporting"].to_numpy()
        count = inside.sum(axis=1)
        is_vip = (spend >= float(vip["min_net_spend_reporting"]) - 0.005) | (
            count >= vip["min_placed_orders"]
        )
        assert is_vip[-1], customer
        not_vip = np.flatnonzero(~is_vip)
        since = days[not_vip[-1] + 1] if len(not_vip) else days[0]
        entry = since + pd.Timedelta(days=((as_of - since).days // every) * every)
        if entry >= pd.Timestamp(window_start):
            expected[customer] = entry
    actual = _read(con, "intermediate.int_audience_entries_vip_triggered")
    actual = dict(zip(actual["customer_id"], pd.to_datetime(actual["entry_date"]), strict=True))
    assert len(vips) >= 20
    assert actual == expected
