"""Malformed vars stop the run at its start with a message naming the var and its form.

The project is parsed once; every case then runs dbt in-process on that manifest (vars
are read when the on-run-start hook runs), so each case costs about a second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DbtRun
from tests.parsed_dbt import ParsedDbt


class VarRunner:
    """Seed runs (each starts with the on-run-start checks) against a one-file raw folder."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        base = tmp_path_factory.mktemp("bad_vars")
        raw = base / "raw" / "catalog"
        raw.mkdir(parents=True)
        (raw / "categories.csv").write_text(
            "category_id,category_name_zh,category_name_en,parent_category_id\nCAT1,美妆,Beauty,\n",
            encoding="utf-8",
        )
        self.base = base
        self.dbt = ParsedDbt.shared(tmp_path_factory)

    def seed(self, seed: str, variables: str = "{}") -> DbtRun:
        return self.dbt.invoke(
            ["seed", "-s", seed, "--vars", variables],
            self.base / "raw",
            self.base / "warehouse.duckdb",
        )


@pytest.fixture(scope="module")
def dbt_vars(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VarRunner]:
    yield VarRunner(tmp_path_factory)


@pytest.mark.parametrize(
    ("variables", "var_name", "expected_form"),
    [
        ("{as_of_date: 'June 30'}", "as_of_date", "YYYY-MM-DD"),
        ("{as_of_date: '2025-02-30'}", "as_of_date", "YYYY-MM-DD"),
        ("{as_of_date: '2025-13-01'}", "as_of_date", "YYYY-MM-DD"),
        ("{as_of_date: '1969-12-31'}", "as_of_date", "between 1970-01-01"),
        (
            "{as_of_date: '2025-07-01', latest_valid_date: '2025-06-30'}",
            "as_of_date",
            "between 1970-01-01",
        ),
        ('{latest_valid_date: "2025-06-30\'; drop table raw.x; --"}', "latest_valid_date", "YYYY"),
        ("{reporting_currency: usd}", "reporting_currency", "three upper-case letters"),
        ("{reporting_currency: US}", "reporting_currency", "three upper-case letters"),
        ("{reporting_currency: 'CNY '}", "reporting_currency", "three upper-case letters"),
        ("{churn_horizon_days: 0}", "churn_horizon_days", "whole number of at least 1"),
        ("{lifecycle_churned_days: -30}", "lifecycle_churned_days", "whole number of at least 1"),
        ("{loyalty_window_months: 1.5}", "loyalty_window_months", "whole number of at least 1"),
        ("{kpi_nps_window_days: thirty}", "kpi_nps_window_days", "whole number of at least 1"),
        ("{cross_sell_max_basket_skus: true}", "cross_sell_max_basket_skus", "whole number"),
        ("{return_rate_min_ratio: 0}", "return_rate_min_ratio", "greater than 0"),
        ("{campaign_significance_alpha: 5}", "campaign_significance_alpha", "between 0 and 1"),
        ("{cross_sell_min_support: -0.1}", "cross_sell_min_support", "between 0 and 1"),
        ("{activation_holdout_percent: 120}", "activation_holdout_percent", "from 0 to 100"),
        ("{negative_review_max_rating: 6}", "negative_review_max_rating", "from 1 to 5"),
    ],
)
def test_a_malformed_var_is_refused_by_name(
    dbt_vars: VarRunner, variables: str, var_name: str, expected_form: str
) -> None:
    result = dbt_vars.seed("currency_aliases", variables)
    assert not result.success
    assert f"Var '{var_name}' must" in result.text
    assert expected_form in result.text
    assert "Traceback" not in result.text


def test_well_formed_vars_are_accepted(dbt_vars: VarRunner) -> None:
    result = dbt_vars.seed(
        "currency_aliases",
        "{as_of_date: 2025-06-30, latest_valid_date: '2026-01-01', reporting_currency: USD, "
        "churn_horizon_days: '90', cross_sell_min_support: 0.001, activation_holdout_percent: 0}",
    )
    assert result.success, result.text


def test_a_reporting_currency_without_rates_is_refused(dbt_vars: VarRunner) -> None:
    assert dbt_vars.seed("exchange_rates").success
    result = dbt_vars.seed("currency_aliases", "{reporting_currency: XYZ}")
    assert not result.success
    assert "Var 'reporting_currency' must be CNY or a currency of the seed" in result.text
    assert "EUR, GBP, HKD, JPY, USD" in result.text
    assert dbt_vars.seed("currency_aliases", "{reporting_currency: GBP}").success
