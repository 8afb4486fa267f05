{#- True when an amount or a quantity is too large to be real, and large enough to overflow
    the warehouse's decimal(18, 2) arithmetic once multiplied (quantity x unit price x
    exchange rate): amounts from 1,000,000,000 in any currency (`kind='amount'`), the same
    in minor units such as fen (`kind='minor_units'`), quantities from 100,000 units
    (`kind='quantity'`). Staging quarantines such rows as `value_out_of_range`. -#}
{% macro is_value_out_of_range(column, kind='amount') -%}
    {%- set limits = {
        'amount': '1000000000', 'minor_units': '100000000000', 'quantity': '100000',
    } -%}
    (abs({{ column }}) >= {{ limits[kind] }})
{%- endmacro %}
