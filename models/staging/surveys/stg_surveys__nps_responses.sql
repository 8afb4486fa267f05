-- NPS responses, one row per response id, with the NPS category of the score.
with

triaged as (
    select * from {{ ref('base_surveys__nps_responses') }}
    where row_status = 'kept'
),

parsed as (
    select
        *,
        {{ normalize_email('email') }} as parsed_email,
        {{ normalize_phone('phone') }} as parsed_phone
    from triaged
),

final as (
    select
        parsed_response_id as response_id,
        nullif(trim(member_id), '') as member_id,
        parsed_email as customer_email,
        coalesce(parsed_email in {{ sql_list(var('placeholder_emails')) }}, false)
            as is_placeholder_email,
        parsed_phone as customer_phone,
        coalesce(parsed_phone in {{ sql_list(var('placeholder_phones')) }}, false)
            as is_placeholder_phone,
        lower(nullif(trim(touchpoint), '')) as touchpoint,
        nullif(trim(order_ref), '') as order_ref,
        parsed_responded_at as responded_at,
        parsed_score as score,
        case
            when parsed_score >= 9 then 'promoter'
            when parsed_score >= 7 then 'passive'
            else 'detractor'
        end as nps_category,
        nullif(trim(comment), '') as comment_text,
        _source_file as source_file
    from parsed
)

select * from final
