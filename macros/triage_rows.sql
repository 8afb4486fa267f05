{#- Classify every parsed raw row of `relation` as kept, rejected or duplicate.

    `relation` must carry a `reject_reason` column (null for a valid row). Order of rules:
    1. a row with a reject reason is `rejected` (reason = that code);
    2. among valid rows, identical copies of the same raw row (equal in every column of
       `raw_columns`, whatever file they came from) keep one: the others are
       `duplicate` / `exact_duplicate`;
    3. among distinct valid rows with the same `key_columns`, the newest by
       `version_order` is kept: older ones are `duplicate` / `superseded_version`.
    Adds `row_status` and `row_status_reason`; every input row comes out once.

    One sort does it when `version_order` is computed from the raw columns alone (the
    key columns always are): rows of a key sorted by `version_order`, then the raw columns,
    then the file; the first is kept, and a later row equal to the one before it in every
    raw column is a copy (copies are neighbours in this order). An order by `_source_file`
    (a version order that is not a function of the row) takes the two-pass path: copies
    first, then versions among the first copies. Equal version orders of distinct rows
    are broken by the raw columns. The helper columns are null / false on rejected rows, so
    that a rejected row's output does not depend on the other rejected rows. -#}
{% macro triage_rows(relation, raw_columns, key_columns, version_order=none) -%}
    {%- if version_order and '_source_file' in version_order -%}
        {{ _triage_rows_two_pass(relation, raw_columns, key_columns, version_order) }}
    {%- else -%}
        {%- set order_columns = ([version_order] if version_order else []) + raw_columns -%}
        {%- set key_window -%}
            partition by reject_reason is null, {{ key_columns | join(', ') }}
            order by {{ order_columns | join(', ') }}, _source_file
        {%- endset -%}
    with ordered as (
        select
            *,
            case
                when reject_reason is null then row_number() over ({{ key_window }})
            end as key_row_number,
            reject_reason is null
            and {% for column in raw_columns -%}
            coalesce(
                lag({{ column }}) over ({{ key_window }}) = {{ column }},
                lag({{ column }}) over ({{ key_window }}) is null and {{ column }} is null
            )
            {%- if not loop.last %}
            and {% endif %}
            {%- endfor %} as is_copy_of_previous
        from {{ relation }}
    )

    select
        *,
        case
            when reject_reason is not null then 'rejected'
            when key_row_number > 1 then 'duplicate'
            else 'kept'
        end as row_status,
        case
            when reject_reason is not null then reject_reason
            when key_row_number > 1 and is_copy_of_previous then 'exact_duplicate'
            when key_row_number > 1 then 'superseded_version'
        end as row_status_reason
    from ordered
    {%- endif -%}
{%- endmacro %}

{% macro _triage_rows_two_pass(relation, raw_columns, key_columns, version_order) -%}
    with copies as (
        select
            *,
            row_number() over (
                partition by reject_reason is null, {{ raw_columns | join(', ') }}
                order by _source_file
            ) as copy_number
        from {{ relation }}
    ),

    versions as (
        select
            *,
            row_number() over (
                partition by
                    reject_reason is null and copy_number = 1,
                    {{ key_columns | join(', ') }}
                order by {{ version_order }}
            ) as version_number
        from copies
    )

    select
        *,
        case
            when reject_reason is not null then 'rejected'
            when copy_number > 1 or version_number > 1 then 'duplicate'
            else 'kept'
        end as row_status,
        case
            when reject_reason is not null then reject_reason
            when copy_number > 1 then 'exact_duplicate'
            when version_number > 1 then 'superseded_version'
        end as row_status_reason
    from versions
{%- endmacro %}
