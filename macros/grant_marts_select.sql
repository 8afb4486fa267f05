{#- on-run-end hook: the BI role (var `bi_reader_role`) may read the marts and nothing else.
    It gets usage on schema `marts`, select on its tables and views, and the same on
    relations this build role creates there later (default privileges); no grant is made
    on raw, staging, intermediate or reference, so it is refused there. DuckDB has no roles:
    a no-op. A role that does not exist yet is reported and skipped. -#}
{% macro grant_marts_select() %}
    {{- return(adapter.dispatch('grant_marts_select', 'customer_analytics')()) -}}
{% endmacro %}

{% macro default__grant_marts_select() %}{% endmacro %}

{% macro postgres__grant_marts_select() %}
    {%- if execute -%}
        {%- set role_name = var('bi_reader_role') -%}
        {%- set role_exists = run_query(
            "select count(*) from pg_roles where rolname = '" ~ role_name | replace("'", "''")
            ~ "'"
        ).columns[0].values()[0] > 0 -%}
        {%- set has_marts = run_query(
            "select count(*) from information_schema.schemata where schema_name = 'marts'"
        ).columns[0].values()[0] > 0 -%}
        {%- if not role_exists -%}
            {{ log("grant_marts_select: role '" ~ role_name ~ "' does not exist; no grant made",
                info=true) }}
        {%- elif has_marts -%}
            {%- set role = adapter.quote(role_name) -%}
            grant usage on schema marts to {{ role }};
            grant select on all tables in schema marts to {{ role }};
            alter default privileges in schema marts grant select on tables to {{ role }};
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
