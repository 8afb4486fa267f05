{#- Classify every parsed raw row of `relation` as kept, rejected or duplicate.

    `relation` must carry a `reject_reason` column (null for a valid row). Order of rules:
    1. a row with a reject reason is `rejected` (reason = that code);
    2. among valid rows, identical copies of the same raw row (equal in every column of
       `raw_columns`, whatever file they came from) keep one: the others are
       `duplicate` / `exact_duplicate`;
    3. among distinct valid rows with the same `key_columns`, the newest by
       `version_order` is kept: older ones are `duplicate` / `superseded_version`.
    Adds `row_status` and `row_status_reason`; every input row comes out once. -#}
{% macro triage_rows(relation, raw_columns, key_columns, version_order=none) -%}
    {%- set version_order = version_order or (raw_columns | join(', ')) -%}
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
