{#- dbt's empty-schema query of a contract's columns with Spark's type names
    (spark_type_names): the contract's `varchar` is Spark's `string`. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {{ spark_type_names(dbt.default__get_empty_schema_sql(columns)) }}
{%- endmacro %}
