{#- Fails on every row of the model whose `columns` values appear as `to_columns` on a row
    of relation `to` (optionally only rows matching `to_where`): what a mart must never
    hold, e.g. a recommendation of a product the customer already bought. -#}
{% test absent_from(model, columns, to, to_columns, to_where=none) %}
    select tested.*
    from {{ model }} as tested
    inner join (
        select distinct {{ to_columns | join(', ') }}
        from {{ to }}
        {%- if to_where %} where {{ to_where }}{% endif %}
    ) as excluded
        on
        {%- for column in columns %}
            {% if not loop.first %}and {% endif -%}
            tested.{{ column }} = excluded.{{ to_columns[loop.index0] }}
        {%- endfor %}
{% endtest %}
