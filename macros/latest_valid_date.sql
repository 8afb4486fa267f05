{#- The last date a real event can carry: var `latest_valid_date`, default the run's
    date. Later timestamps are quarantined as `future_timestamp`. -#}
{% macro latest_valid_date() -%}
    {%- set configured = validated_date_var('latest_valid_date') -%}
    {%- if configured -%}
        {{ configured }}
    {%- else -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d") }}' as date)
    {%- endif -%}
{%- endmacro %}
