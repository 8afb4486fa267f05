{#- Spark's parser requires a length on `varchar`; the models write unbounded text as
    `varchar` (DuckDB and PostgreSQL), and Spark's parser knows no `double precision`
    (PostgreSQL's name of `double`). On Spark, the materialization, contract, test and
    unit-test macros (spark__create_table_as, ...) pass the compiled SQL through this first:
    a `varchar` without a length becomes `string`, `double precision` becomes `double`.
    The models stay one text for every engine; nothing else is rewritten. -#}
{% macro spark_type_names(sql) -%}
    {%- set sql = modules.re.sub('(?i)\\bvarchar\\b(?!\\s*\\()', 'string', sql) -%}
    {{- return(modules.re.sub('(?i)\\bdouble\\s+precision\\b', 'double', sql)) -}}
{%- endmacro %}
