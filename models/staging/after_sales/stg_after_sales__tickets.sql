-- Service tickets, one row per ticket id; a resolution time that is unreadable, in the
-- future or before the opening is set to null and flagged.
with

triaged as (
    select * from {{ ref('base_after_sales__tickets') }}
    where row_status = 'kept'
),

parsed as (
    select
        *,
        {{ normalize_email('customer_email') }} as parsed_email,
        {{ normalize_phone('customer_phone') }} as parsed_phone,
        nullif(trim(resolved_at), '') as resolved_text,
        {{ parse_timestamp_utc('resolved_at') }} as parsed_resolved_at,
        {{ parse_whole_number('satisfaction') }} as parsed_satisfaction
    from triaged
),

checked as (
    select
        *,
        parsed_resolved_at >= parsed_opened_at
        and cast(parsed_resolved_at as date) <= {{ latest_valid_date() }} as is_valid_resolution,
        {{ dbt.datediff('parsed_opened_at', 'parsed_resolved_at', 'minute') }}
            as resolution_minutes
    from parsed
),

final as (
    select
        parsed_ticket_id as ticket_id,
        lower(nullif(trim(source_system), '')) as source_system,
        nullif(trim(order_ref), '') as order_ref,
        nullif(trim(member_id), '') as member_id,
        parsed_email as customer_email,
        coalesce(parsed_email in {{ sql_list(var('placeholder_emails')) }}, false)
            as is_placeholder_email,
        parsed_phone as customer_phone,
        coalesce(parsed_phone in {{ sql_list(var('placeholder_phones')) }}, false)
            as is_placeholder_phone,
        lower(nullif(trim(channel), '')) as channel,
        lower(nullif(trim(reason), '')) as ticket_reason,
        parsed_opened_at as opened_at,
        case when is_valid_resolution then parsed_resolved_at end as resolved_at,
        coalesce(is_valid_resolution, false) as is_resolved,
        resolved_text is not null and not coalesce(is_valid_resolution, false)
            as has_invalid_resolved_at,
        case
            when is_valid_resolution then cast(resolution_minutes / 60.0 as decimal(10, 2))
        end as resolution_hours,
        case when parsed_satisfaction between 1 and 5 then parsed_satisfaction end
            as satisfaction_score,
        _source_file as source_file
    from checked
)

select * from final
