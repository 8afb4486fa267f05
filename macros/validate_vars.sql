{#- Refuse malformed vars at the start of every run (called before the raw relations are
    created), with a message naming the var, the value and the expected form, instead of
    a database error halfway through the build or, worse, silently wrong numbers.
    Vars are checked by kind; a var unset or absent from the project is skipped. -#}
{% macro validate_vars() %}
    {%- set kinds = {
        'date': ['as_of_date', 'latest_valid_date'],
        'currency': ['reporting_currency'],
        'positive_integer': [
            'identity_max_accounts_per_identifier', 'identity_max_names_per_identifier',
            'identity_max_iterations', 'buyer_type_frequent_min_orders',
            'lifecycle_new_days', 'lifecycle_at_risk_days', 'lifecycle_dormant_days',
            'lifecycle_churned_days', 'lifecycle_cycle_min_purchase_days',
            'lifecycle_at_risk_min_days', 'lifecycle_dormant_min_days',
            'behaviour_holiday_baseline_days', 'behaviour_holiday_min_baseline_days',
            'behaviour_session_conversion_hours', 'satisfaction_window_months',
            'feedback_keywords_top_n', 'ticket_resolution_sla_hours',
            'return_rate_min_sold_units', 'cross_sell_min_pair_baskets',
            'cross_sell_max_basket_skus', 'cross_sell_max_consequents_per_antecedent',
            'cross_sell_max_antecedents_per_customer', 'cross_sell_recommendations_per_customer',
            'cross_sell_best_seller_days', 'cross_sell_best_seller_pool', 'loyalty_window_months',
            'activation_audience_days', 'activation_follow_up_days', 'activation_silent_days',
            'activation_holiday_lead_days', 'activation_vip_care_every_days',
            'campaign_attribution_days', 'kpi_active_window_days', 'kpi_nps_window_days',
            'kpi_anomaly_baseline_weeks', 'kpi_anomaly_min_baseline_days',
            'clv_next_order_max_days', 'churn_horizon_days', 'churn_min_training_rows',
        ],
        'positive_number': [
            'lifecycle_at_risk_cycle_multiple', 'lifecycle_dormant_cycle_multiple',
            'return_rate_min_ratio', 'return_rate_min_z_score', 'kpi_anomaly_zscore_threshold',
            'clv_expected_lifespan_years',
        ],
        'share': [
            'cross_sell_min_support', 'campaign_significance_alpha', 'churn_band_medium_from',
            'churn_band_high_from', 'clv_annual_discount_rate',
        ],
        'percent': ['activation_holdout_percent'],
        'star_rating': ['negative_review_max_rating'],
        'boolean': [],
    } -%}
    {%- set expected_forms = {
        'date': 'a real date written YYYY-MM-DD',
        'currency': 'an ISO 4217 code of three upper-case letters (e.g. CNY, USD)',
        'positive_integer': 'a whole number of at least 1',
        'positive_number': 'a number greater than 0',
        'share': 'a decimal number between 0 and 1 (e.g. 0.05 for 5 %), 0 and 1 excluded',
        'percent': 'a number from 0 to 100',
        'star_rating': 'a whole number of stars from 1 to 5',
        'boolean': 'true or false',
    } -%}
    {%- for kind, names in kinds.items() -%}
        {%- for name in names -%}
            {%- set value = var(name, none) -%}
            {%- if value is not none and value != '' -%}
                {%- if kind == 'date' -%}
                    {%- do validated_date_var(name) -%}
                {%- elif not _var_is_valid(kind, value) -%}
                    {{ exceptions.raise_compiler_error(
                        "Var '" ~ name ~ "' must be " ~ expected_forms[kind] ~ ", got '"
                        ~ value ~ "'. Fix it in dbt_project.yml or in --vars."
                    ) }}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do _validate_as_of_date_range() -%}
    {%- do _validate_reporting_currency_rates() -%}
{% endmacro %}

{% macro _var_is_valid(kind, value) %}
    {%- if kind == 'boolean' -%}
        {{ return(value is sameas true or value is sameas false) }}
    {%- elif kind == 'currency' -%}
        {{ return(modules.re.match('^[A-Z]{3}$', value | string) is not none) }}
    {%- endif -%}
    {%- if value is sameas true or value is sameas false -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$', text) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set number = text | float -%}
    {%- if kind == 'positive_integer' -%}
        {{ return(number >= 1 and number == (number | int)) }}
    {%- elif kind == 'positive_number' -%}
        {{ return(number > 0) }}
    {%- elif kind == 'share' -%}
        {{ return(0 < number < 1) }}
    {%- elif kind == 'percent' -%}
        {{ return(0 <= number <= 100) }}
    {%- elif kind == 'star_rating' -%}
        {{ return(1 <= number <= 5 and number == (number | int)) }}
    {%- endif -%}
    {{ return(false) }}
{% endmacro %}

{#- as_of_date cannot lie after the latest valid date (default: the day of the run), nor
    before 1970-01-01 (the epoch: no export of a live system is older). -#}
{% macro _validate_as_of_date_range() %}
    {%- set as_of = var('as_of_date', none) -%}
    {%- if as_of is none or as_of == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set as_of_text = as_of | string | trim -%}
    {%- set latest = var('latest_valid_date', none) -%}
    {%- set latest_text = (
        latest | string | trim if latest else run_started_at.strftime('%Y-%m-%d')
    ) -%}
    {%- if as_of_text > latest_text or as_of_text < '1970-01-01' -%}
        {{ exceptions.raise_compiler_error(
            "Var 'as_of_date' must lie between 1970-01-01 and the latest valid date "
            ~ latest_text ~ " (var 'latest_valid_date', default: today), got '"
            ~ as_of_text ~ "'. Nothing can be computed as of a date outside the data."
        ) }}
    {%- endif -%}
{% endmacro %}

{#- The reporting currency needs rates in the seed `exchange_rates` (CNY is the seed's base
    currency). Checked when the seed is already loaded; a first build loads it first. -#}
{% macro _validate_reporting_currency_rates() %}
    {%- set currency = var('reporting_currency', 'CNY') | string -%}
    {%- if not execute or currency == 'CNY' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set seed = adapter.get_relation(
        database=target.database, schema='reference', identifier='exchange_rates'
    ) -%}
    {%- if seed is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set known = run_query(
        'select distinct currency_code from ' ~ seed
    ).columns[0].values() | list -%}
    {%- if currency not in known -%}
        {{ exceptions.raise_compiler_error(
            "Var 'reporting_currency' must be CNY or a currency of the seed exchange_rates ("
            ~ known | sort | join(', ') ~ "), got '" ~ currency
            ~ "'. Add its monthly rates to seeds/exchange_rates.csv or pick one of those."
        ) }}
    {%- endif -%}
{% endmacro %}
