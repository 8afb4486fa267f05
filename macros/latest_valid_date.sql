{#- The last date a real event can carry: var `latest_valid_date`, default the run's
    date. Later timestamps are quarantined as `future_timestamp`. -#}
{% macro latest_valid_date() -%}
    {%- set configured = var('latest_valid_date', none) -%}
    {%- if configured -%}
        cast('{{ configured }}' as date)
    {%- else -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d") }}' as date)
    {%- endif -%}
{%- endmacro %}
