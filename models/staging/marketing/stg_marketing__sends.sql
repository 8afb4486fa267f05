-- Campaign sends, one row per send id: who entered which campaign variant (or its
-- control group) and what they did; recipient normalised as email or phone; times UTC.
with

triaged as (
    select * from {{ ref('base_marketing__sends') }}
    where row_status = 'kept'
),

parsed as (
    select
        *,
        case
            when recipient like '%@%' then {{ normalize_email('recipient') }}
        end as parsed_email,
        case
            when recipient not like '%@%' then {{ normalize_phone('recipient') }}
        end as parsed_phone,
        case
            when lower(trim(variant)) = 'control' then 'control'
            else upper(nullif(trim(variant), ''))
        end as parsed_variant
    from triaged
),

final as (
    select
        parsed_send_id as send_id,
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        lower(nullif(trim(channel), '')) as channel,
        parsed_variant as variant,
        coalesce(parsed_variant = 'control', false) as is_control,
        nullif(trim(member_id), '') as member_id,
        parsed_email as recipient_email,
        coalesce(parsed_email in {{ sql_list(var('placeholder_emails')) }}, false)
            as is_placeholder_email,
        parsed_phone as recipient_phone,
        coalesce(parsed_phone in {{ sql_list(var('placeholder_phones')) }}, false)
            as is_placeholder_phone,
        parsed_assigned_at as assigned_at,
        {{ parse_timestamp_utc('sent_at') }} as sent_at,
        {{ parse_timestamp_utc('opened_at') }} as opened_at,
        {{ parse_timestamp_utc('clicked_at') }} as clicked_at,
        {{ parse_timestamp_utc('redeemed_at') }} as redeemed_at,
        nullif(trim(redeemed_order_ref), '') as redeemed_order_ref,
        _source_file as source_file
    from parsed
)

select * from final
