{#- Fails once for every value of `field` in `to` (rows matching `where_clause`, when
    given) that is missing from the tested column: the model covers every key it must,
    e.g. every customer with a placed order has a loyalty tier. -#}
{% test contains_all_keys(model, column_name, to, field, where_clause=none) %}
    select expected.{{ field }}
    from {{ to }} as expected
    left join {{ model }} as tested on expected.{{ field }} = tested.{{ column_name }}
    where
        tested.{{ column_name }} is null
        {%- if where_clause %} and ({{ where_clause }}){% endif %}
{% endtest %}
