"""Data for the dashboard: read-only loads from the warehouse and pure shaping functions.

Every load opens its own short-lived read-only DuckDB connection and closes it before
returning, so a build that publishes a new warehouse file (a side file renamed over the
old one) is picked up on the next load and no connection outlives a rerun. The shaping
functions take and return DataFrames and know nothing about Streamlit, so pytest can
check them directly.

Filters: the channel of a customer is `dim_customers.preferred_channel` (the channel of
most of their placed orders), the segment is `customer_rfm.rfm_segment`; both apply to
every customer-level mart. The date range applies to the daily and monthly marts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

WAREHOUSE_ENV = "WAREHOUSE_PATH"
DEFAULT_WAREHOUSE = "warehouse.duckdb"
DEFAULT_RANGE_DAYS = 365
CHURN_BANDS: tuple[str, ...] = ("high", "medium", "low")
LIFECYCLE_STAGES: tuple[str, ...] = (
    "none",
    "new",
    "active",
    "repeat_loyal",
    "reactivated",
    "at_risk",
    "dormant",
    "churned",
)


@dataclass(frozen=True)
class DashboardPage:
    """One page of the dashboard: its script under `dashboard/`, title and URL path."""

    script: str
    title: str
    url_path: str
    icon: str


PAGES: tuple[DashboardPage, ...] = (
    DashboardPage("views/overview.py", "Overview", "overview", ":material/monitoring:"),
    DashboardPage("views/segments.py", "RFM segments", "segments", ":material/groups:"),
    DashboardPage("views/lifecycle.py", "Lifecycle", "lifecycle", ":material/sync_alt:"),
    DashboardPage("views/cohorts.py", "Cohort retention", "cohorts", ":material/grid_on:"),
    DashboardPage("views/clv.py", "Customer value", "clv", ":material/savings:"),
    DashboardPage("views/churn.py", "Churn risk", "churn", ":material/warning:"),
    DashboardPage("views/nps.py", "NPS and feedback", "nps", ":material/reviews:"),
    DashboardPage(
        "views/returns.py", "Returns by product", "returns", ":material/assignment_return:"
    ),
    DashboardPage("views/audiences.py", "Today's audiences", "audiences", ":material/campaign:"),
)

# Columns the dashboard reads, per mart (the dbt exposure lists the same marts).
MART_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "dim_customers": ("customer_id", "preferred_channel"),
    "kpi_daily": (
        "kpi_date",
        "orders",
        "gross_revenue_reporting",
        "new_customers",
        "active_customers",
        "nps_trailing",
        "churn_rate",
        "orders_zscore",
        "is_orders_anomaly",
        "gross_revenue_reporting_zscore",
        "is_gross_revenue_reporting_anomaly",
        "average_order_value_reporting_zscore",
        "is_average_order_value_reporting_anomaly",
        "new_customers_zscore",
        "is_new_customers_anomaly",
        "churned_customers_zscore",
        "is_churned_customers_anomaly",
        "has_anomaly",
    ),
    "rfm_segment_summary": (
        "rfm_segment",
        "segment_order",
        "segment_name_zh",
        "segment_description",
        "recommended_action",
    ),
    "customer_rfm": ("customer_id", "rfm_segment", "monetary_reporting", "recency_days"),
    "customer_lifecycle": ("customer_id", "lifecycle_stage", "days_in_stage"),
    "lifecycle_transitions": ("month_start_date", "from_stage", "to_stage", "customers"),
    "cohort_retention": (
        "cohort_month_start_date",
        "months_since_first_order",
        "cohort_size",
        "active_customers",
        "retention_rate",
        "repurchase_rate",
    ),
    "customer_clv": (
        "customer_id",
        "predicted_clv_365d",
        "historical_net_value_reporting",
        "p_alive",
        "expected_purchases_365d",
        "expected_next_order_date",
    ),
    "customer_churn": (
        "customer_id",
        "churn_probability",
        "churn_risk_band",
        "recency_days",
        "top_drivers",
        "early_warning_count",
        "is_overdue_vs_cycle",
        "has_falling_spend",
        "is_recent_detractor",
        "has_recent_ticket",
    ),
    "nps_monthly": ("month", "channel", "responses", "promoters", "detractors"),
    "feedback_keywords": (
        "feedback_source",
        "language",
        "keyword",
        "keyword_rank",
        "mentions",
        "documents",
        "document_share",
        "window_start_date",
    ),
    "product_returns": (
        "sku",
        "product_name",
        "category_name_en",
        "sold_units",
        "returned_units",
        "return_rate",
        "category_return_rate",
        "return_rate_z_score",
        "is_abnormal_return_rate",
        "top_return_reason",
        "refunds_reporting",
    ),
    "marketing_audiences": (
        "customer_id",
        "trigger_key",
        "trigger_priority",
        "entry_date",
        "as_of_date",
        "day_in_audience",
        "contact_channel",
        "is_holdout",
    ),
}

ANOMALY_MEASURES: tuple[tuple[str, str], ...] = (
    ("orders", "orders"),
    ("gross_revenue_reporting", "revenue"),
    ("average_order_value_reporting", "AOV"),
    ("new_customers", "new customers"),
    ("churned_customers", "churned customers"),
)


class WarehouseError(RuntimeError):
    """The warehouse cannot be read; the message says what to do about it."""


@dataclass(frozen=True)
class Filters:
    """Sidebar filters; an empty tuple means every channel / segment."""

    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar offers: channels, segments (best first) and the date bounds."""

    channels: tuple[str, ...]
    segments: tuple[str, ...]
    min_date: date
    max_date: date

    def default_range(self) -> tuple[date, date]:
        """The last `DEFAULT_RANGE_DAYS` days up to the as-of date (the last KPI day)."""
        start = max(self.min_date, self.max_date - timedelta(days=DEFAULT_RANGE_DAYS - 1))
        return start, self.max_date


def warehouse_path(environ: Mapping[str, str] | None = None) -> Path:
    """The warehouse file: `$WAREHOUSE_PATH`, else `warehouse.duckdb`."""
    env = os.environ if environ is None else environ
    return Path(env.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)


def warehouse_version(path: Path) -> tuple[int, int]:
    """(inode, modification time) of the file: changes when a build publishes a new one."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise WarehouseError(
            f"No warehouse file at '{path}'. Build one with `make run` (or `dbt build`), "
            f"or point {WAREHOUSE_ENV} at a built warehouse file."
        ) from None
    return stat.st_ino, stat.st_mtime_ns


def read_mart(path: Path, mart: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Read columns of `marts.<mart>` through a read-only connection closed before return."""
    warehouse_version(path)
    column_list = ", ".join(columns or MART_COLUMNS[mart])
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise WarehouseError(
            f"Cannot open '{path}' read-only ({error}). If a build is writing it, wait for "
            "it to finish and reload the page."
        ) from None
    try:
        return con.execute(f"select {column_list} from marts.{mart}").df()
    except duckdb.CatalogException as error:
        raise WarehouseError(
            f"The warehouse '{path}' lacks marts.{mart} or one of its columns "
            f"({str(error).splitlines()[0]}). "
            f"Build it with `dbt build -s +{mart}`."
        ) from None
    finally:
        con.close()


def mask_customer_id(customer_id: str) -> str:
    """A short, stable pseudonym for display: `c-` and 10 hex digits of SHA-256."""
    return "c-" + hashlib.sha256(customer_id.encode("utf-8")).hexdigest()[:10]


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()


def filter_options(dims: pd.DataFrame, summary: pd.DataFrame, kpi: pd.DataFrame) -> FilterOptions:
    """Sidebar choices: channels present, segments in display order, KPI date bounds."""
    if kpi.empty:
        raise WarehouseError("marts.kpi_daily is empty: the warehouse holds no orders yet.")
    channels = tuple(sorted(dims["channel"].dropna().unique()))
    segments = tuple(summary.sort_values("segment_order")["rfm_segment"])
    return FilterOptions(
        channels, segments, _as_date(kpi["kpi_date"].min()), _as_date(kpi["kpi_date"].max())
    )


def customer_dimensions(dim_customers: pd.DataFrame, customer_rfm: pd.DataFrame) -> pd.DataFrame:
    """One row per customer: `customer_id`, `channel` (preferred), `rfm_segment`."""
    dims = dim_customers.rename(columns={"preferred_channel": "channel"})[
        ["customer_id", "channel"]
    ]
    return dims.merge(
        customer_rfm[["customer_id", "rfm_segment"]], on="customer_id", how="left", validate="1:1"
    )


def filter_customers(frame: pd.DataFrame, dims: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of a customer-level mart whose customer matches the channel and segment filters;
    adds `channel` and `rfm_segment`."""
    extra = [column for column in dims.columns if column not in frame.columns]
    out = frame.merge(dims[["customer_id", *extra]], on="customer_id", how="left", validate="m:1")
    if filters.channels:
        out = out[out["channel"].isin(filters.channels)]
    if filters.segments:
        out = out[out["rfm_segment"].isin(filters.segments)]
    return out.reset_index(drop=True)


def _date_mask(column: pd.Series, start: date | None, end: date | None) -> pd.Series:
    days = pd.to_datetime(column)
    mask = pd.Series(True, index=column.index)
    if start is not None:
        mask &= days >= pd.Timestamp(start)
    if end is not None:
        mask &= days <= pd.Timestamp(end)
    return mask


def _month_start(day: date | None) -> date | None:
    return None if day is None else day.replace(day=1)


# --- overview ---------------------------------------------------------------------------


def kpi_window(kpi: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """KPI days from `start` to `end` (both included), by date."""
    return kpi[_date_mask(kpi["kpi_date"], start, end)].sort_values("kpi_date")


def window_bounds(kpi: pd.DataFrame, start: date | None, end: date | None) -> tuple[date, date]:
    """The range with an open end replaced by the first or last KPI day."""
    first = _as_date(kpi["kpi_date"].min())
    last = _as_date(kpi["kpi_date"].max())
    return start or first, end or last


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The window of the same length just before `start`."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def kpi_totals(window: pd.DataFrame) -> dict[str, float | None]:
    """Headline numbers of a KPI window: sums of the flows, the last day's stocks."""
    if window.empty:
        return {
            "revenue": None,
            "orders": None,
            "average_order_value": None,
            "new_customers": None,
            "active_customers": None,
            "nps_trailing": None,
            "anomaly_days": None,
        }
    revenue = float(window["gross_revenue_reporting"].astype(float).sum())
    orders = int(window["orders"].sum())
    last = window.sort_values("kpi_date").iloc[-1]
    nps = last["nps_trailing"]
    return {
        "revenue": revenue,
        "orders": orders,
        "average_order_value": revenue / orders if orders else None,
        "new_customers": int(window["new_customers"].sum()),
        "active_customers": int(last["active_customers"]),
        "nps_trailing": None if pd.isna(nps) else float(nps),
        "anomaly_days": int(window["has_anomaly"].astype(bool).sum()),
    }


def trend_frequency(start: date, end: date) -> str:
    """Bucket of the trend charts: days up to ~3 months, weeks up to ~1 year, else months."""
    days = (end - start).days + 1
    if days <= 92:
        return "day"
    return "week" if days <= 366 else "month"


def kpi_trend(window: pd.DataFrame, frequency: str) -> pd.DataFrame:
    """Revenue, orders, new customers and anomaly days per day, week (Monday) or month."""
    frame = window.assign(kpi_date=pd.to_datetime(window["kpi_date"]))
    if frequency == "day":
        period = frame["kpi_date"]
    elif frequency == "week":
        period = frame["kpi_date"] - pd.to_timedelta(frame["kpi_date"].dt.day_of_week, unit="D")
    else:
        period = frame["kpi_date"].dt.to_period("M").dt.start_time
    trend = (
        frame.assign(
            period_start=period,
            revenue=frame["gross_revenue_reporting"].astype(float),
            anomaly_days=frame["has_anomaly"].astype(int),
        )
        .groupby("period_start", as_index=False)
        .agg(
            revenue=("revenue", "sum"),
            orders=("orders", "sum"),
            new_customers=("new_customers", "sum"),
            active_customers=("active_customers", "last"),
            anomaly_days=("anomaly_days", "sum"),
        )
    )
    return trend


def anomaly_days(window: pd.DataFrame) -> pd.DataFrame:
    """Flagged days, latest first, with the flagged measures and their z-scores as text."""
    flagged = window[window["has_anomaly"].astype(bool)].sort_values("kpi_date", ascending=False)
    rows = []
    for _, day in flagged.iterrows():
        parts = [
            f"{label} (z = {float(day[f'{measure}_zscore']):+.1f})"
            for measure, label in ANOMALY_MEASURES
            if bool(day[f"is_{measure}_anomaly"])
        ]
        rows.append(
            {
                "kpi_date": _as_date(day["kpi_date"]),
                "flagged": ", ".join(parts),
                "orders": int(day["orders"]),
                "revenue": float(day["gross_revenue_reporting"]),
            }
        )
    return pd.DataFrame(rows, columns=["kpi_date", "flagged", "orders", "revenue"])


# --- RFM segments -----------------------------------------------------------------------


def segment_sizes(rfm: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Customers and net spend per RFM segment of the (filtered) customers, best first."""
    money = rfm.assign(monetary_reporting=rfm["monetary_reporting"].astype(float))
    grouped = money.groupby("rfm_segment").agg(
        customers=("customer_id", "size"), monetary_reporting=("monetary_reporting", "sum")
    )
    out = summary.merge(grouped, left_on="rfm_segment", right_index=True, how="left")
    out["customers"] = out["customers"].fillna(0).astype(int)
    out["monetary_reporting"] = out["monetary_reporting"].fillna(0.0)
    total_customers = out["customers"].sum()
    total_money = out["monetary_reporting"].sum()
    out["customer_share"] = out["customers"] / total_customers if total_customers else 0.0
    out["revenue_share"] = out["monetary_reporting"] / total_money if total_money else 0.0
    out["avg_monetary_reporting"] = out["monetary_reporting"] / out["customers"].where(
        out["customers"] > 0
    )
    columns = [
        "rfm_segment",
        "segment_name_zh",
        "customers",
        "customer_share",
        "monetary_reporting",
        "revenue_share",
        "avg_monetary_reporting",
        "recommended_action",
    ]
    return out.sort_values("segment_order")[columns].reset_index(drop=True)


# --- lifecycle --------------------------------------------------------------------------


def _stage_order(stage: str) -> int:
    return LIFECYCLE_STAGES.index(stage) if stage in LIFECYCLE_STAGES else len(LIFECYCLE_STAGES)


def stage_counts(lifecycle: pd.DataFrame) -> pd.DataFrame:
    """Customers per current lifecycle stage, in lifecycle order, with their share."""
    counts = lifecycle.groupby("lifecycle_stage").agg(
        customers=("customer_id", "size"), avg_days_in_stage=("days_in_stage", "mean")
    )
    counts = counts.reset_index()
    counts["customer_share"] = counts["customers"] / counts["customers"].sum()
    order = counts["lifecycle_stage"].map(_stage_order)
    return counts.assign(_order=order).sort_values("_order").drop(columns="_order")


def transition_matrix(
    transitions: pd.DataFrame, start: date | None, end: date | None
) -> pd.DataFrame:
    """Customers from stage (rows) to stage (columns), summed over the months in range."""
    months = transitions[_date_mask(transitions["month_start_date"], _month_start(start), end)]
    matrix = months.pivot_table(
        index="from_stage", columns="to_stage", values="customers", aggfunc="sum", fill_value=0
    )
    rows = sorted(matrix.index, key=_stage_order)
    columns = sorted(matrix.columns, key=_stage_order)
    return matrix.loc[rows, columns].astype(int)


def stage_changes_by_month(
    transitions: pd.DataFrame, start: date | None, end: date | None
) -> pd.DataFrame:
    """Customers entering each stage per month (stage changes only, first orders included)."""
    months = transitions[
        _date_mask(transitions["month_start_date"], _month_start(start), end)
        & (transitions["from_stage"] != transitions["to_stage"])
    ]
    return (
        months.groupby(["month_start_date", "to_stage"], as_index=False)["customers"]
        .sum()
        .sort_values(["month_start_date", "to_stage"])
        .reset_index(drop=True)
    )


# --- cohorts ----------------------------------------------------------------------------


def cohort_long(
    cohorts: pd.DataFrame, start: date | None, end: date | None, measure: str = "retention_rate"
) -> pd.DataFrame:
    """Cohorts whose first month is in range, long form: cohort label, month offset, value."""
    window = cohorts[_date_mask(cohorts["cohort_month_start_date"], _month_start(start), end)]
    out = window.assign(
        cohort=pd.to_datetime(window["cohort_month_start_date"]).dt.strftime("%Y-%m"),
        value=window[measure].astype(float),
    )
    columns = ["cohort", "months_since_first_order", "cohort_size", "value"]
    return out[columns].sort_values(["cohort", "months_since_first_order"]).reset_index(drop=True)


def cohort_matrix(long: pd.DataFrame) -> pd.DataFrame:
    """The heatmap as a table: one row per cohort, one column per month since first order."""
    return long.pivot_table(
        index="cohort", columns="months_since_first_order", values="value", aggfunc="first"
    )


# --- CLV --------------------------------------------------------------------------------


def clv_distribution(clv: pd.DataFrame, bins: int = 20) -> pd.DataFrame:
    """Histogram of predicted 365-day CLV; the top 1% share the last bin (long tail)."""
    values = clv["predicted_clv_365d"].astype(float).dropna().to_numpy()
    if values.size == 0:
        return pd.DataFrame(columns=["bin_start", "bin_end", "customers"])
    cap = float(np.quantile(values, 0.99))
    upper = cap if cap > 0 else float(values.max()) or 1.0
    counts, edges = np.histogram(np.minimum(values, upper), bins=bins, range=(0.0, upper))
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "customers": counts})


def top_customers(clv: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """Customers with the highest predicted CLV, ids masked."""
    ranked = clv.assign(predicted_clv_365d=clv["predicted_clv_365d"].astype(float))
    ranked = ranked.sort_values(["predicted_clv_365d", "customer_id"], ascending=[False, True])
    out = ranked.head(limit).assign(
        customer=lambda frame: frame["customer_id"].map(mask_customer_id),
        expected_next_order_date=lambda frame: (
            pd.to_datetime(frame["expected_next_order_date"]).dt.date
        ),
    )
    columns = [
        "customer",
        "rfm_segment",
        "channel",
        "predicted_clv_365d",
        "historical_net_value_reporting",
        "p_alive",
        "expected_purchases_365d",
        "expected_next_order_date",
    ]
    return out[columns].reset_index(drop=True)


# --- churn ------------------------------------------------------------------------------


def churn_band_counts(churn: pd.DataFrame) -> pd.DataFrame:
    """Customers and mean churn probability per risk band, high first."""
    grouped = churn.groupby("churn_risk_band").agg(
        customers=("customer_id", "size"), avg_churn_probability=("churn_probability", "mean")
    )
    out = grouped.reindex(list(CHURN_BANDS)).fillna({"customers": 0}).reset_index()
    out["customers"] = out["customers"].astype(int)
    total = out["customers"].sum()
    out["customer_share"] = out["customers"] / total if total else 0.0
    return out


def churn_risk_list(churn: pd.DataFrame, limit: int = 50) -> pd.DataFrame:
    """Customers most likely to churn, ids masked, with drivers and early-warning flags."""
    flags = {
        "is_overdue_vs_cycle": "overdue",
        "has_falling_spend": "falling spend",
        "is_recent_detractor": "detractor",
        "has_recent_ticket": "ticket",
    }
    ranked = churn.sort_values(["churn_probability", "customer_id"], ascending=[False, True])
    out = ranked.head(limit).copy()
    out["customer"] = out["customer_id"].map(mask_customer_id)
    out["early_warnings"] = out.apply(
        lambda row: ", ".join(label for column, label in flags.items() if bool(row[column])),
        axis=1,
    )
    columns = [
        "customer",
        "rfm_segment",
        "channel",
        "churn_probability",
        "churn_risk_band",
        "recency_days",
        "top_drivers",
        "early_warnings",
    ]
    return out[columns].reset_index(drop=True)


def driver_frequency(churn: pd.DataFrame) -> pd.DataFrame:
    """How often each feature is among a customer's top drivers (`feature=value (+x)`)."""
    features = (
        churn["top_drivers"].fillna("").str.split(";").explode().str.strip().str.split("=").str[0]
    )
    features = features[features.fillna("") != ""]
    counts = features.value_counts().rename_axis("feature").reset_index(name="customers")
    return counts.sort_values(["customers", "feature"], ascending=[False, True]).reset_index(
        drop=True
    )


# --- NPS --------------------------------------------------------------------------------


def nps_trend(
    nps: pd.DataFrame, channels: tuple[str, ...], start: date | None, end: date | None
) -> pd.DataFrame:
    """Monthly NPS pooled over the chosen channels (all answers when none is chosen)."""
    chosen = nps[nps["channel"].isin(channels)] if channels else nps[nps["channel"] == "all"]
    window = chosen[_date_mask(chosen["month"], _month_start(start), end)]
    out = window.groupby("month", as_index=False)[["responses", "promoters", "detractors"]].sum()
    out["nps"] = (
        100.0
        * (out["promoters"] - out["detractors"])
        / out["responses"].where(out["responses"] > 0)
    )
    return out.sort_values("month").reset_index(drop=True)


def pooled_nps(trend: pd.DataFrame) -> float | None:
    """NPS of all answers of the trend's months pooled; None without answers."""
    responses = int(trend["responses"].sum())
    if responses == 0:
        return None
    return 100.0 * float(trend["promoters"].sum() - trend["detractors"].sum()) / responses


def keywords(feedback: pd.DataFrame, source: str) -> pd.DataFrame:
    """Top keywords of one feedback source, by language and rank."""
    rows = feedback[feedback["feedback_source"] == source]
    columns = ["language", "keyword_rank", "keyword", "documents", "mentions", "document_share"]
    return rows.sort_values(["language", "keyword_rank"])[columns].reset_index(drop=True)


# --- returns ----------------------------------------------------------------------------


def returns_by_product(
    returns: pd.DataFrame, min_sold_units: int = 20, limit: int = 25
) -> pd.DataFrame:
    """Products with the highest return rates among those with enough units sold;
    abnormal ones first."""
    eligible = returns[returns["sold_units"] >= min_sold_units]
    ranked = eligible.assign(return_rate=eligible["return_rate"].astype(float)).sort_values(
        ["is_abnormal_return_rate", "return_rate", "sku"], ascending=[False, False, True]
    )
    return ranked.head(limit).reset_index(drop=True)


def returns_by_category(returns: pd.DataFrame) -> pd.DataFrame:
    """Units sold and returned per category, and their ratio, highest return rate first."""
    grouped = returns.groupby("category_name_en", as_index=False)[
        ["sold_units", "returned_units"]
    ].sum()
    grouped["return_rate"] = grouped["returned_units"] / grouped["sold_units"].where(
        grouped["sold_units"] > 0
    )
    return grouped.sort_values(["return_rate", "category_name_en"], ascending=[False, True])


# --- audiences --------------------------------------------------------------------------


def audience_summary(audiences: pd.DataFrame) -> pd.DataFrame:
    """Per trigger (priority order): listed customers, entered today, to contact, holdout."""
    frame = audiences.assign(
        entered_today=audiences["day_in_audience"] == 1,
        to_contact=~audiences["is_holdout"].astype(bool),
        holdout=audiences["is_holdout"].astype(bool),
    )
    out = frame.groupby(["trigger_priority", "trigger_key"], as_index=False).agg(
        customers=("customer_id", "nunique"),
        entered_today=("entered_today", "sum"),
        to_contact=("to_contact", "sum"),
        holdout=("holdout", "sum"),
    )
    return out.sort_values("trigger_priority").reset_index(drop=True)


def audience_channels(audiences: pd.DataFrame) -> pd.DataFrame:
    """Rows to contact (holdout excluded) per trigger and contact channel."""
    contact = audiences[~audiences["is_holdout"].astype(bool)]
    return (
        contact.groupby(["trigger_key", "contact_channel"], as_index=False)
        .agg(rows=("customer_id", "size"))
        .sort_values(["trigger_key", "contact_channel"])
        .reset_index(drop=True)
    )


def audience_list(audiences: pd.DataFrame, trigger_key: str) -> pd.DataFrame:
    """The rows of one trigger, ids masked, to contact first then holdout."""
    rows = audiences[audiences["trigger_key"] == trigger_key].copy()
    rows["customer"] = rows["customer_id"].map(mask_customer_id)
    rows = rows.sort_values(["is_holdout", "entry_date", "customer_id"])
    rows["entry_date"] = pd.to_datetime(rows["entry_date"]).dt.date
    columns = [
        "customer",
        "rfm_segment",
        "channel",
        "entry_date",
        "day_in_audience",
        "contact_channel",
        "is_holdout",
    ]
    return rows[columns].reset_index(drop=True)
