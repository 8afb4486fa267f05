{#- Decimal amount from text as shops display it: drops currency symbols and codes,
    thousands separators and spaces ("¥1,299.00", "HK$ 45.1", "RMB 88"). Null when
    what remains is not a number. -#}
{% macro parse_amount(column, scale=2) -%}
    {{ dbt.safe_cast(
        "nullif(" ~ regex_replace_all(column, '[[:space:],¥$€£]|[A-Za-z]{2,3}\\$?', '') ~ ", '')",
        "decimal(18, " ~ scale ~ ")"
    ) }}
{%- endmacro %}
