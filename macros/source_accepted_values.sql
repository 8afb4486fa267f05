{#- The accepted values of a raw column, from its source YAML: the column's
    `config: {meta: {accepted_values: [...]}}`. The one place each enum set is written: the
    base model's `is_unknown_value` check and the staging `accepted_values` test both read
    it. Empty while parsing (the graph is not loaded yet); an error when the column has no
    such list. dbt unit tests run without the graph of sources: there the set comes from
    the unit test's `overrides: {vars: {unit_test_accepted_values: {<source>.<table>.<column>:
    [...]}}}`, and is none (no check) when the unit test does not give it. -#}
{% macro source_accepted_values(source_name, table_name, column_name) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if graph.sources is not defined -%}
        {%- set given = var('unit_test_accepted_values', {}) -%}
        {{ return(given.get(source_name ~ '.' ~ table_name ~ '.' ~ column_name)) }}
    {%- endif -%}
    {%- for node in graph.sources.values()
        if node.source_name == source_name and node.name == table_name -%}
        {%- set column = node.columns.get(column_name) or {} -%}
        {%- set config_meta = (column.get('config') or {}).get('meta') or {} -%}
        {%- set meta = config_meta or column.get('meta') or {} -%}
        {%- if meta.get('accepted_values') -%}
            {{ return(meta['accepted_values'] | list) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "Source column " ~ source_name ~ "." ~ table_name ~ "." ~ column_name
        ~ " declares no `config: {meta: {accepted_values: [...]}}` in its sources YAML."
    ) }}
{%- endmacro %}
