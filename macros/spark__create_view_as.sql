{#- dbt-spark's `create_view_as` on SQL with Spark's type names (spark_type_names). -#}
{% macro spark__create_view_as(relation, sql) -%}
    {{ dbt.spark__create_view_as(relation, spark_type_names(sql)) }}
{%- endmacro %}
