{#- Fails on every row where `total_column` differs from the sum of `part_columns`:
    for data_quality, raw_rows = kept_rows + duplicate_rows + rejected_rows. -#}
{% test row_counts_reconcile(model, total_column, part_columns) %}
    select *
    from {{ model }}
    where {{ total_column }} <> {{ part_columns | join(' + ') }}
{% endtest %}
