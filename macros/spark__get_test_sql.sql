{#- dbt's data-test query on SQL with Spark's type names (spark_type_names). -#}
{% macro spark__get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
    {{ dbt.default__get_test_sql(
        spark_type_names(main_sql), fail_calc, warn_if, error_if, limit
    ) }}
{%- endmacro %}
