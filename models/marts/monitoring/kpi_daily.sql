-- One row per business date from the first order to the as-of date: the daily KPIs and,
-- for the ones watched, their trailing same-weekday baseline, z-score and anomaly flag.
{%- set weeks = var('kpi_anomaly_baseline_weeks') %}
{%- set threshold = var('kpi_anomaly_zscore_threshold') %}
{%- set min_days = var('kpi_anomaly_min_baseline_days') %}
{%- set watched = [
    ('orders', true),
    ('gross_revenue_reporting', false),
    ('average_order_value_reporting', false),
    ('new_customers', true),
    ('churned_customers', true),
] %}

with

daily as (
    select * from {{ ref('int_daily_kpis') }}
),

rates as (
    select
        *,
        gross_revenue_reporting / nullif(orders, 0) as average_order_value_reporting,
        cast(purchasing_customers - new_customers as double precision)
        / nullif(purchasing_customers, 0) as repurchase_rate,
        {{ nps_score('nps_promoters', 'nps_detractors', 'nps_responses') }} as nps,
        {{ nps_score(
            'nps_promoters_trailing', 'nps_detractors_trailing', 'nps_responses_trailing'
        ) }} as nps_trailing,
        cast(churned_customers as double precision) / nullif(active_customers_previous_day, 0)
            as churn_rate
    from daily
),

baselines as (
    select
        {%- for metric, is_count in watched %}
            avg({{ metric }}) over same_weekday as {{ metric }}_baseline,
            count({{ metric }}) over same_weekday as {{ metric }}_baseline_days,
            {#- a count's spread is at least the Poisson spread, sqrt(mean) #}
            {%- if is_count %}
                greatest(
                    coalesce(stddev_samp({{ metric }}) over same_weekday, 0),
                    sqrt(avg({{ metric }}) over same_weekday)
                ) as {{ metric }}_spread,
            {%- else %}
                stddev_samp({{ metric }}) over same_weekday as {{ metric }}_spread,
            {%- endif %}
        {%- endfor %}
        rates.*
    from rates
    window same_weekday as (
        partition by iso_weekday
        order by kpi_date
        rows between {{ weeks }} preceding and 1 preceding
    )
),

flagged as (
    select
        {%- for metric, is_count in watched %}
            ({{ metric }} - {{ metric }}_baseline) / nullif({{ metric }}_spread, 0)
                as {{ metric }}_zscore,
            coalesce(
                {{ metric }}_baseline_days >= {{ min_days }}
                and abs({{ metric }} - {{ metric }}_baseline)
                > {{ threshold }} * nullif({{ metric }}_spread, 0),
                false
            ) as is_{{ metric }}_anomaly,
        {%- endfor %}
        baselines.*
    from baselines
),

final as (
    select
        cast(kpi_date as date) as kpi_date,
        cast(iso_weekday as integer) as iso_weekday,
        cast(holiday_keys as varchar) as holiday_keys,
        cast(is_public_holiday as boolean) as is_public_holiday,
        cast(is_shopping_festival as boolean) as is_shopping_festival,
        cast(orders as bigint) as orders,
        cast(gross_revenue_reporting as decimal(18, 2)) as gross_revenue_reporting,
        cast(average_order_value_reporting as decimal(18, 2)) as average_order_value_reporting,
        cast(purchasing_customers as bigint) as purchasing_customers,
        cast(new_customers as bigint) as new_customers,
        cast(purchasing_customers - new_customers as bigint) as returning_customers,
        cast(repurchase_rate as decimal(10, 4)) as repurchase_rate,
        cast(active_customers as bigint) as active_customers,
        cast(nps_responses as bigint) as nps_responses,
        cast(nps_promoters as bigint) as nps_promoters,
        cast(nps_detractors as bigint) as nps_detractors,
        cast(nps as decimal(10, 2)) as nps,
        cast(nps_responses_trailing as bigint) as nps_responses_trailing,
        cast(nps_trailing as decimal(10, 2)) as nps_trailing,
        cast(churned_customers as bigint) as churned_customers,
        cast(churn_rate as decimal(10, 6)) as churn_rate,
        {%- for metric, is_count in watched %}
            cast({{ metric }}_baseline as decimal(18, 2)) as {{ metric }}_baseline,
            cast({{ metric }}_zscore as decimal(10, 2)) as {{ metric }}_zscore,
            cast(is_{{ metric }}_anomaly as boolean) as is_{{ metric }}_anomaly,
        {%- endfor %}
        cast(
            {%- for metric, is_count in watched %}
                is_{{ metric }}_anomaly{{ ' or' if not loop.last }}
            {%- endfor %}
            as boolean
        ) as has_anomaly
    from flagged
)

select * from final
