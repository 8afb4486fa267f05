"""CLV models: parameter recovery on simulated data, hand-checked likelihoods, gradients,
bad input and fallbacks (pure, no warehouse), then the CLV marts against pandas.

The simulators below follow the models' stories directly (Poisson purchases with a
dropout coin after each repeat purchase; Gamma spends around a Gamma-distributed
customer mean), independently of the package's closed forms.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from math import exp, lgamma, log
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1

from customer_analytics.clv import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_log_likelihood,
    bgnbd_p_alive,
    fit_bgnbd,
    fit_clv_models,
    fit_gamma_gamma,
    gamma_gamma_log_likelihood,
    params_frame,
    score_customers,
    validate_inputs,
)
from customer_analytics.clv.benchmark import simulate_bgnbd, simulate_panel
from tests.conftest import ROOT, run_dbt

# Recovery tolerance: every parameter within 15 % of the truth on 20,000 customers (the
# sampling error of the maximum-likelihood estimates is a few percent at that size).
RECOVERY_TOLERANCE = 0.15
SIM_CUSTOMERS = 20_000


def simulate_gamma_gamma(
    n: int, p: float, q: float, gamma: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(frequency, mean spend) of n repeat buyers with 1-9 repeat purchase days."""
    x = rng.integers(1, 10, n).astype(float)
    nu = rng.gamma(q, 1 / gamma, n)
    # The mean of x Gamma(p, rate nu) spends is Gamma(p x, rate nu x).
    return x, rng.gamma(p * x, 1 / (nu * x))


def assert_recovered(fitted: dict[str, float], truth: dict[str, float]) -> None:
    for name, value in truth.items():
        assert fitted[name] == pytest.approx(value, rel=RECOVERY_TOLERANCE), name


def test_bgnbd_recovers_known_parameters() -> None:
    truth = {"r": 0.6, "alpha": 50.0, "a": 1.2, "b": 3.0}
    x, t_x, big_t = simulate_bgnbd(SIM_CUSTOMERS, **truth, rng=np.random.default_rng(1))
    result = fit_bgnbd(x, t_x, big_t)
    assert result.converged, result.message
    assert result.n_customers == SIM_CUSTOMERS
    assert_recovered(result.params, truth)


def test_bgnbd_recovers_known_parameters_on_whole_days() -> None:
    """Whole-day data go through the compressed (weighted) likelihood: same answer."""
    truth = {"r": 0.6, "alpha": 50.0, "a": 1.2, "b": 3.0}
    x, t_x, big_t = simulate_bgnbd(SIM_CUSTOMERS, **truth, rng=np.random.default_rng(1))
    result = fit_bgnbd(x, np.floor(t_x), big_t)
    assert result.converged, result.message
    assert_recovered(result.params, truth)


def test_gamma_gamma_recovers_known_parameters() -> None:
    truth = {"p": 6.0, "q": 4.0, "gamma": 100.0}
    x, spend = simulate_gamma_gamma(SIM_CUSTOMERS, **truth, rng=np.random.default_rng(2))
    result = fit_gamma_gamma(x, spend)
    assert result.converged, result.message
    assert_recovered(result.params, truth)


def _log_beta(a: float, b: float) -> float:
    return lgamma(a) + lgamma(b) - lgamma(a + b)


def test_bgnbd_likelihood_of_one_customer_by_hand() -> None:
    """FHL (2005) eq. 6 for x = 2, t_x = 30, T = 100 at r = 0.5, alpha = 10, a = 1.5, b = 2.5."""
    r, alpha, a, b, x, t_x, big_t = 0.5, 10.0, 1.5, 2.5, 2, 30.0, 100.0
    common = lgamma(r + x) - lgamma(r) + r * log(alpha)
    alive = exp(_log_beta(a, b + x) - _log_beta(a, b) + common - (r + x) * log(alpha + big_t))
    gone = exp(_log_beta(a + 1, b + x - 1) - _log_beta(a, b) + common - (r + x) * log(alpha + t_x))
    by_hand = log(alive + gone)
    assert by_hand == pytest.approx(-9.861930582652487, abs=1e-12)
    value, _ = bgnbd_log_likelihood(
        np.array([r, alpha, a, b]), np.array([2.0]), np.array([t_x]), np.array([big_t])
    )
    assert value == pytest.approx(by_hand, abs=1e-10)


def test_gamma_gamma_likelihood_of_one_customer_by_hand() -> None:
    """Density of a mean of x = 3 Gamma(p, nu) spends of 50 with nu ~ Gamma(q, gamma)."""
    p, q, gamma, x, m = 6.0, 4.0, 100.0, 3, 50.0
    by_hand = (
        lgamma(p * x + q)
        - lgamma(p * x)
        - lgamma(q)
        + q * log(gamma)
        + (p * x - 1) * log(m)
        + p * x * log(x)
        - (p * x + q) * log(gamma + m * x)
    )
    assert by_hand == pytest.approx(-6.6887411816006335, abs=1e-12)
    value, _ = gamma_gamma_log_likelihood(np.array([p, q, gamma]), np.array([3.0]), np.array([m]))
    assert value == pytest.approx(by_hand, abs=1e-10)


def _finite_difference(function, params: np.ndarray) -> np.ndarray:
    steps = 1e-6 * np.maximum(np.abs(params), 1.0)
    return np.array(
        [
            (
                function(params + np.eye(params.size)[i] * steps[i])[0]
                - function(params - np.eye(params.size)[i] * steps[i])[0]
            )
            / (2 * steps[i])
            for i in range(params.size)
        ]
    )


def test_analytic_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(3)
    x, t_x, big_t = simulate_bgnbd(500, 0.6, 50.0, 1.2, 3.0, rng)
    params = np.array([0.7, 40.0, 0.9, 2.5])
    _, gradient = bgnbd_log_likelihood(params, x, t_x, big_t)
    numeric = _finite_difference(lambda v: bgnbd_log_likelihood(v, x, t_x, big_t), params)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5)
    xs, spend = simulate_gamma_gamma(500, 6.0, 4.0, 100.0, rng)
    gg_params = np.array([5.0, 3.0, 80.0])
    _, gg_gradient = gamma_gamma_log_likelihood(gg_params, xs, spend)
    gg_numeric = _finite_difference(lambda v: gamma_gamma_log_likelihood(v, xs, spend), gg_params)
    np.testing.assert_allclose(gg_gradient, gg_numeric, rtol=1e-5)


def test_p_alive_and_expected_purchases_closed_forms() -> None:
    params = BgNbdParams(r=0.5, alpha=10.0, a=1.5, b=2.5)
    # P(alive) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)); 1 for x = 0.
    p_alive = bgnbd_p_alive(
        params, np.array([2.0, 0.0]), np.array([30.0, 0.0]), np.array([100.0, 50.0])
    )
    odds = 1.5 / 3.5 * (110.0 / 40.0) ** 2.5
    np.testing.assert_allclose(p_alive, [1 / (1 + odds), 1.0])
    # Expected purchases grow with the horizon and are 0 at horizon 0.
    horizons = [0.0, 30.0, 365.0, 3650.0]
    values = [
        bgnbd_conditional_expected_purchases(
            params, h, np.array([2.0]), np.array([30.0]), np.array([100.0])
        )[0]
        for h in horizons
    ]
    assert values[0] == pytest.approx(0.0, abs=1e-12)
    assert values[1] < values[2] < values[3]


@pytest.mark.parametrize("a", [0.8, 1.5])
def test_expected_purchases_match_simulation_for_new_customers(a: float) -> None:
    """A customer first seen at the as-of date (x = t_x = T = 0) expects the population's
    repeat purchases; simulated over each customer's own horizon the means agree (within
    5 %, 60,000 customers), also for a < 1 where the closed form's factors are negative."""
    params = BgNbdParams(r=0.25, alpha=4.4, a=a, b=2.4)
    x, _, horizon = simulate_bgnbd(60_000, 0.25, 4.4, a, 2.4, np.random.default_rng(4))
    zeros = np.zeros(x.size)
    expected = bgnbd_conditional_expected_purchases(params, horizon, zeros, zeros, zeros)
    assert expected.mean() == pytest.approx(x.mean(), rel=0.05)


def test_too_little_data_and_no_repeat_buyers_are_not_fitted() -> None:
    few = fit_bgnbd(np.array([1.0, 0.0]), np.array([5.0, 0.0]), np.array([10.0, 10.0]))
    assert not few.converged and "too little data" in few.message
    zeros = np.zeros(100)
    no_repeat = fit_bgnbd(zeros, zeros, np.full(100, 50.0))
    assert not no_repeat.converged and "too few repeat buyers" in no_repeat.message
    refunded = fit_gamma_gamma(np.array([1.0, 2.0, 0.0]), np.array([0.0, -5.0, np.nan]))
    assert not refunded.converged and "positive spend" in refunded.message
    assert refunded.extra["left_out_non_positive_spend"] == 2


def _inputs(rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(rows)],
            "frequency": [2, 0, 1][:rows],
            "recency": [30, 0, 10][:rows],
            "t": [100, 20, 40][:rows],
            "monetary_value": [50.0, None, 20.0][:rows],
            "as_of_date": [dt.date(2024, 6, 30)] * rows,
            "simple_purchases_per_year": [3.0, 1.0, 2.0][:rows],
            "avg_purchase_day_value_reporting": [40.0, 10.0, 20.0][:rows],
        }
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="t"), "lack column"),
        (lambda f: f.assign(customer_id="c0"), "one row per customer"),
        (lambda f: f.assign(recency=[300, 0, 10]), "exceeds `t`"),
        (lambda f: f.assign(frequency=[-1, 0, 1]), "non-negative"),
        (
            lambda f: f.assign(as_of_date=[dt.date(2024, 6, 30), dt.date(2024, 7, 1), None]),
            "one as-of date",
        ),
        (lambda f: f.assign(monetary_value=[None, None, 1.0]), "monetary_value"),
    ],
)
def test_bad_inputs_say_what_to_fix(change, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_inputs(change(_inputs()))


def test_scoring_falls_back_to_simple_estimates_when_fits_fail() -> None:
    inputs = _inputs()
    bgnbd, gamma_gamma = fit_clv_models(inputs)
    assert not bgnbd.converged and not gamma_gamma.converged
    params = params_frame((bgnbd, gamma_gamma), dt.date(2024, 6, 30))
    assert len(params) == 7 and params["value"].isna().all()
    scored = score_customers(inputs, params, discount_rate=0.0, next_order_max_days=730)
    assert (scored["model_status"] == "simple").all()
    assert scored["p_alive"].isna().all()
    np.testing.assert_allclose(scored["expected_purchases_365d"], [3.0, 1.0, 2.0])
    # Undiscounted: purchases x the customer's mean purchase-day value.
    np.testing.assert_allclose(scored["predicted_clv_365d"], [120.0, 10.0, 40.0])
    assert scored["expected_next_order_date"].isna().all()


# --- The marts on the built warehouse ---------------------------------------------------


def _read(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


@pytest.fixture(scope="module")
def clv(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _read(con, "select * from marts.customer_clv").set_index("customer_id")


@pytest.fixture(scope="module")
def params(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    rows = _read(con, "select parameter, value from marts.clv_model_params")
    return dict(zip(rows["parameter"], rows["value"], strict=True))


def test_clv_inputs_match_pandas_purchase_days(
    con: duckdb.DuckDBPyConnection, clv: pd.DataFrame
) -> None:
    as_of = pd.Timestamp(_read(con, "select as_of_date from marts.customer_clv limit 1").iloc[0, 0])
    orders = _read(
        con,
        "select customer_id, order_date, order_total_reporting from marts.fct_orders "
        "where is_placed and customer_id is not null",
    )
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    orders = orders[orders["order_date"] <= as_of]
    netted = _read(
        con,
        "select order_id, order_date, customer_id, net_total_reporting "
        "from intermediate.int_placed_orders_netted",
    )
    netted["order_date"] = pd.to_datetime(netted["order_date"])
    days = netted.groupby(["customer_id", "order_date"])["net_total_reporting"].sum()
    days = days.astype(float).reset_index().sort_values(["customer_id", "order_date"])
    repeat = days[days.duplicated("customer_id")]
    by = orders.groupby("customer_id")["order_date"]
    expected = pd.DataFrame(
        {
            "frequency": by.nunique() - 1,
            "recency": (by.max() - by.min()).dt.days,
            "t": (as_of - by.min()).dt.days,
            "gross": orders.groupby("customer_id")["order_total_reporting"].sum().astype(float),
            "monetary": repeat.groupby("customer_id")["net_total_reporting"].mean(),
        }
    )
    # One row per customer with a placed order, no more.
    assert sorted(clv.index) == sorted(expected.index)
    np.testing.assert_array_equal(clv["frequency"], expected.loc[clv.index, "frequency"])
    np.testing.assert_array_equal(clv["recency"], expected.loc[clv.index, "recency"])
    np.testing.assert_array_equal(clv["t"], expected.loc[clv.index, "t"])
    np.testing.assert_allclose(
        clv["historical_gross_value_reporting"].astype(float),
        expected.loc[clv.index, "gross"],
        atol=0.011,
    )
    monetary = clv["monetary_value"].astype(float)
    truth = expected.loc[clv.index, "monetary"]
    assert (monetary.isna() == truth.isna()).all()
    np.testing.assert_allclose(monetary.dropna(), truth.dropna(), atol=0.006)
    assert (clv["frequency"] > 0).sum() > 100


def _expected_purchases(p: dict[str, float], h: float, x, t_x, big_t) -> np.ndarray:
    """FHL (2005) eq. 10, written out here independently of the package."""
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    z = h / (alpha + big_t + h)
    bracket = 1 - ((alpha + big_t) / (alpha + big_t + h)) ** (r + x) * hyp2f1(
        r + x, b + x, a + b + x - 1, z
    )
    odds = np.where(
        x > 0, a / np.maximum(b + x - 1, 1e-9) * ((alpha + big_t) / (alpha + t_x)) ** (r + x), 0
    )
    return (a + b + x - 1) / (a - 1) * bracket / (1 + odds)


def test_clv_scores_follow_the_closed_forms(clv: pd.DataFrame, params: dict[str, float]) -> None:
    assert (clv["model_status"] == "fitted").all()
    x, t_x, big_t = (clv[c].to_numpy(float) for c in ("frequency", "recency", "t"))
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    odds = np.where(
        x > 0, a / np.maximum(b + x - 1, 1e-9) * ((alpha + big_t) / (alpha + t_x)) ** (r + x), 0
    )
    np.testing.assert_allclose(clv["p_alive"], 1 / (1 + odds), rtol=1e-9)
    purchases = _expected_purchases(params, 365.0, x, t_x, big_t)
    np.testing.assert_allclose(clv["expected_purchases_365d"], purchases, rtol=1e-7)
    # Gamma-Gamma conditional mean: p (gamma + x m) / (p x + q - 1); population mean for x = 0.
    p, q, gamma = params["p"], params["q"], params["gamma"]
    m = clv["monetary_value"].astype(float).fillna(0).to_numpy()
    xm = np.where(m > 0, x, 0)
    spend = p * (gamma + xm * np.where(m > 0, m, 0)) / (p * xm + q - 1)
    np.testing.assert_allclose(clv["expected_avg_order_value"].astype(float), spend, atol=0.006)
    # Twelve monthly steps, each discounted at 10 % a year from its end.
    ends = np.arange(1, 13) * 365 / 12
    cumulative = np.array([_expected_purchases(params, h, x, t_x, big_t) for h in ends])
    steps = np.diff(cumulative, axis=0, prepend=0)
    value = (steps / 1.10 ** (ends / 365)[:, None]).sum(axis=0) * spend
    np.testing.assert_allclose(clv["predicted_clv_365d"].astype(float), value, atol=0.02)


def test_expected_next_order_date_is_when_one_purchase_is_expected(
    clv: pd.DataFrame, params: dict[str, float]
) -> None:
    dated = clv[clv["expected_next_order_date"].notna()]
    assert 0 < len(dated) < len(clv)
    days = (
        pd.to_datetime(dated["expected_next_order_date"]) - pd.to_datetime(dated["as_of_date"])
    ).dt.days.to_numpy(float)
    x, t_x, big_t = (dated[c].to_numpy(float) for c in ("frequency", "recency", "t"))
    assert (_expected_purchases(params, days, x, t_x, big_t) >= 1 - 1e-9).all()
    assert (_expected_purchases(params, days - 1, x, t_x, big_t) < 1).all()
    undated = clv[clv["expected_next_order_date"].isna()]
    ux, utx, ut = (undated[c].to_numpy(float) for c in ("frequency", "recency", "t"))
    assert (_expected_purchases(params, 730.0, ux, utx, ut) < 1).all()


# --- Limits of the models and a panel imported and built end to end --------------------


def test_a_panel_without_heterogeneity_fits_at_the_limit() -> None:
    """Every customer buying at one rate (0.05 a day) sends r and alpha to infinity
    together: the fit stops at the search bound on a flat likelihood, counts as converged
    at a limit, keeps r / alpha and recovers a and b; predictions stay finite. Likewise
    one spend rate for every customer in Gamma-Gamma (q and gamma)."""
    rng = np.random.default_rng(4)
    x, t_x, big_t = simulate_bgnbd(SIM_CUSTOMERS, 1e9, 1e9 / 0.05, 1.2, 3.0, rng)
    result = fit_bgnbd(x, np.floor(t_x), big_t)
    assert result.converged, result.message
    assert result.message.startswith("limit: r at the search bound"), result.message
    params = result.params
    assert params["r"] == pytest.approx(1e4)
    assert params["r"] / params["alpha"] == pytest.approx(0.05, rel=0.05)
    assert_recovered({"a": params["a"], "b": params["b"]}, {"a": 1.2, "b": 3.0})
    expected = bgnbd_conditional_expected_purchases(
        BgNbdParams(**params), 365.0, x[:50], np.floor(t_x[:50]), big_t[:50]
    )
    assert np.isfinite(expected).all()
    frequency, spend = simulate_gamma_gamma(SIM_CUSTOMERS, 6.0, 1e9, 1e9 / 0.06, rng)
    spend_fit = fit_gamma_gamma(frequency, spend)
    assert spend_fit.converged, spend_fit.message
    assert "limit: q at the search bound" in spend_fit.message
    assert spend_fit.params["q"] / spend_fit.params["gamma"] == pytest.approx(0.06, rel=0.05)
    assert spend_fit.params["p"] == pytest.approx(6.0, rel=RECOVERY_TOLERANCE)


def test_identical_spends_are_degenerate_not_a_limit() -> None:
    """Every purchase worth exactly 100: the likelihood rises without end (a spike)."""
    frequency = np.random.default_rng(5).integers(1, 10, 500).astype(float)
    result = fit_gamma_gamma(frequency, np.full(500, 100.0))
    assert not result.converged
    assert "likelihood still rose (degenerate data)" in result.message


PANEL_TRUTH = {"r": 0.6, "alpha": 50.0, "a": 1.2, "b": 3.0, "p": 6.0, "q": 4.0, "gamma": 100.0}
# Tolerance on 3,000 simulated customers (about 2,300 repeat buyers): BG/NBD parameters
# within 15 % of the truth, Gamma-Gamma within 25 % (p and gamma are strongly correlated
# estimates; their sampling error at this size is about 10 %).
PANEL_TOLERANCE = {"bg_nbd": 0.15, "gamma_gamma": 0.25}


@pytest.fixture(scope="module")
def panel_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A BG/NBD + Gamma-Gamma panel of the 1990s as a plain CSV (customer, YYYYMMDD date,
    quantity, USD amount), imported with import_orders.py and built as a new user would."""
    base = tmp_path_factory.mktemp("panel")
    panel = simulate_panel(3000, 5, dt.date(1997, 1, 1), dt.date(1998, 6, 30), params=PANEL_TRUTH)
    panel.to_csv(base / "panel.csv", index=False)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "import_orders.py"),
            str(base / "panel.csv"),
            *("--customer-id", "customer", "--order-date", "date", "--amount", "amount"),
            *("--quantity", "quantity", "--date-format", "%Y%m%d", "--quiet"),
            *("--raw-dir", str(base / "raw")),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    # Only the CLV marts and what they need; their numbers are checked below.
    result = run_dbt(
        [
            "build",
            *("--select", "+clv_model_params +customer_clv"),
            *("--exclude-resource-type", "unit_test", "--exclude-resource-type", "test"),
            *("--vars", '{"as_of_date": "1998-06-30", "reporting_currency": "USD"}'),
        ],
        base / "raw",
        base / "warehouse.duckdb",
        base / "target",
    )
    assert result.success, f"dbt build on the imported panel failed: {result.text[-3000:]}"
    return base / "warehouse.duckdb", panel


def test_imported_panel_recovers_the_parameters(panel_warehouse) -> None:
    warehouse, panel = panel_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        params = connection.execute("select * from marts.clv_model_params").df()
        scored = connection.execute("select * from marts.customer_clv").df()
    assert params["is_converged"].all(), params["fit_message"].tolist()
    assert (params["time_unit"] == "day").all()
    for row in params.itertuples():
        truth = PANEL_TRUTH[row.parameter]
        assert row.value == pytest.approx(truth, rel=PANEL_TOLERANCE[row.model]), row.parameter
    # Every customer of the file is scored by the fitted models, none by the fallback.
    assert len(scored) == panel["customer"].nunique() == 3000
    assert (scored["model_status"] == "fitted").all()
    assert scored["p_alive"].notna().all() and scored["predicted_clv_365d"].notna().all()
    # The warehouse's frequency is the file's repeat purchase days.
    days = panel.drop_duplicates(["customer", "date"]).groupby("customer").size() - 1
    assert sorted(scored["frequency"]) == sorted(days)
