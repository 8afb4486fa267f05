-- One row per raw source table: how many rows arrived and what became of them. Raw rows
-- are counted on the raw files themselves and kept rows on the staging models, so a
-- row lost anywhere in between breaks the reconciliation test.
{%- set source_tables = [
    ('web_shop', 'orders'), ('web_shop', 'order_lines'),
    ('app', 'orders'), ('app', 'order_items'),
    ('pos', 'sales'), ('pos', 'stores'),
    ('marketplace', 'orders'), ('marketplace', 'order_items'),
    ('crm', 'customers'),
    ('catalog', 'products'), ('catalog', 'categories'),
    ('after_sales', 'returns'), ('after_sales', 'tickets'),
    ('surveys', 'nps_responses'),
    ('reviews', 'product_reviews'),
    ('events', 'behaviour_events'),
    ('marketing', 'sends'),
] %}

with

triaged as (
    select * from {{ ref('int_source_rows_triaged') }}
),

raw_counts as (
    {% for source_name, table_name in source_tables %}
        select
            '{{ source_name }}.{{ table_name }}' as source_name,
            (select count(*) from {{ source(source_name, table_name) }}) as raw_rows,
            (
                select count(*) from {{ ref('stg_' ~ source_name ~ '__' ~ table_name) }}
            ) as kept_rows
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

triage_counts as (
    select
        source_name,
        sum(case when row_status = 'duplicate' then row_count else 0 end) as duplicate_rows,
        sum(case when row_status = 'rejected' then row_count else 0 end) as rejected_rows,
        sum(case when row_status = 'kept' then row_count else 0 end) as triaged_kept_rows
    from triaged
    group by source_name
),

final as (
    select
        raw_counts.source_name,
        split_part(raw_counts.source_name, '.', 1) as source_system,
        cast(raw_counts.raw_rows as bigint) as raw_rows,
        cast(raw_counts.kept_rows as bigint) as kept_rows,
        cast(coalesce(triage_counts.duplicate_rows, 0) as bigint) as duplicate_rows,
        cast(coalesce(triage_counts.rejected_rows, 0) as bigint) as rejected_rows,
        case
            when raw_counts.raw_rows = 0 then null
            else cast(
                coalesce(triage_counts.rejected_rows, 0) * 1.0 / raw_counts.raw_rows
                as decimal(18, 6)
            )
        end as rejected_share,
        raw_counts.kept_rows = coalesce(triage_counts.triaged_kept_rows, 0) as is_kept_consistent
    from raw_counts
    left join triage_counts on raw_counts.source_name = triage_counts.source_name
)

select * from final
