{#- PostgreSQL form of dbt's unit-test query: dbt compares the actual and expected rows as
    text, and a PostgreSQL numeric without a declared scale keeps the scale of its
    computation (13.50, 0.0) while the expected literal has its own (13.5, 0). Numerics are
    compared by value instead (trailing zeros dropped on both sides, `unit_test_value`); as
    DuckDB casts both sides to the column's declared decimal type, a test passes on both
    engines for the same numbers. -#}
{% macro postgres__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {%- set schema = adapter.quote(target.schema) -%}
    {%- set columns = [] -%}
    {%- for column_name in expected_column_names -%}
        {%- do columns.append(
            schema ~ '.unit_test_value(' ~ column_name ~ ') as ' ~ column_name
        ) -%}
    {%- endfor -%}
with dbt_internal_unit_test_actual as (
    select
        {{ columns | join(', ') }},
        {{ dbt.string_literal("actual") }} as {{ adapter.quote("actual_or_expected") }}
    from (
        {{ main_sql }}
    ) as _dbt_internal_unit_test_actual
),

dbt_internal_unit_test_expected as (
    select
        {{ columns | join(', ') }},
        {{ dbt.string_literal("expected") }} as {{ adapter.quote("actual_or_expected") }}
    from (
        {{ expected_fixture_sql }}
    ) as _dbt_internal_unit_test_expected
)

select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
{%- endmacro %}
