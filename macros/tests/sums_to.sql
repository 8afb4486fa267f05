{#- Fails once for every group (rows sharing the `group_by` columns; the whole table when
    none are given) whose sum of the column differs from `total` by more than `tolerance`:
    the shares of a whole add up to 1, the parts of a count to the count. -#}
{% test sums_to(model, column_name, total=1, group_by=[], tolerance=0.000001) %}
    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        sum({{ column_name }}) as column_sum
    from {{ model }}
    {%- if group_by %}
    group by {{ group_by | join(', ') }}
    {%- endif %}
    having abs(sum({{ column_name }}) - {{ total }}) > {{ tolerance }}
{% endtest %}
