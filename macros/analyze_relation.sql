{#- post-hook of every model and seed: fresh planner statistics for a table just built.
    PostgreSQL analyses new tables only when autovacuum next passes, so the models built
    right after would be planned on guesses (a one-row estimate turns a hash join into a
    nested loop that parses every pair of rows). DuckDB needs nothing: a no-op. -#}
{% macro analyze_relation() %}
    {{- return(adapter.dispatch('analyze_relation', 'customer_analytics')()) -}}
{% endmacro %}

{% macro default__analyze_relation() %}{% endmacro %}

{% macro postgres__analyze_relation() %}
    {%- if config.get('materialized') in ('table', 'incremental', 'seed') -%}
        analyze {{ this }}
    {%- endif -%}
{% endmacro %}
