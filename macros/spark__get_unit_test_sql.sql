{#- dbt's unit-test query on SQL with Spark's type names (spark_type_names). -#}
{% macro spark__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {{ dbt.default__get_unit_test_sql(
        spark_type_names(main_sql), spark_type_names(expected_fixture_sql), expected_column_names
    ) }}
{%- endmacro %}
