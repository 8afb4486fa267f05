-- CRM customers, one row per customer id: the newest valid version of each, with
-- contacts normalised and hand-entered birthday, gender and consent flags corrected, and
-- the marketplace buyer ids bound through the platforms' brand membership.
-- Personal data (name, contacts, birthday): staging and intermediate only.
with

triaged as (
    select * from {{ ref('base_crm__customers') }}
    where row_status = 'kept'
),

parsed as (
    select
        *,
        {{ normalize_email('email') }} as parsed_email,
        {{ normalize_phone('phone') }} as parsed_phone,
        nullif(trim(birthday), '') as birthday_text,
        cast(
            {{ parse_local_timestamp('birthday', ['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d']) }} as date
        ) as birthday_parsed,
        cast({{ parse_local_timestamp('signup_date', ['%Y-%m-%d', '%Y/%m/%d']) }} as date)
            as parsed_signup_date,
        nullif(trim(opted_out_at), '') as opted_out_text,
        cast(
            {{ parse_local_timestamp(
                'opted_out_at', ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y/%m/%d']
            ) }} as date
        ) as parsed_opted_out_date
    from triaged
),

checked as (
    select
        *,
        birthday_parsed >= cast('1900-01-01' as date)
        and birthday_parsed <= {{ latest_valid_date() }} as is_plausible_birthday
    from parsed
),

final as (
    select
        parsed_customer_id as customer_id,
        nullif(trim(full_name), '') as full_name,
        parsed_email as customer_email,
        coalesce(parsed_email in {{ sql_list(var('placeholder_emails')) }}, false)
            as is_placeholder_email,
        parsed_phone as customer_phone,
        coalesce(parsed_phone in {{ sql_list(var('placeholder_phones')) }}, false)
            as is_placeholder_phone,
        nullif(trim(loyalty_card_no), '') as loyalty_card_no,
        nullif(trim(tmall_buyer_id), '') as tmall_buyer_id,
        nullif(trim(jd_buyer_id), '') as jd_buyer_id,
        case when is_plausible_birthday then birthday_parsed end as birth_date,
        birthday_text is not null and not coalesce(is_plausible_birthday, false)
            as has_invalid_birthday,
        case
            when lower(trim(gender)) in ('f', 'female', '女') then 'female'
            when lower(trim(gender)) in ('m', 'male', '男') then 'male'
        end as gender,
        nullif(trim(province), '') as province,
        nullif(trim(city), '') as city,
        parsed_signup_date as signup_date,
        {{ parse_yes_no('consent_email') }} as has_email_consent,
        {{ parse_yes_no('consent_sms') }} as has_sms_consent,
        {{ parse_yes_no('consent_wechat') }} as has_wechat_consent,
        parsed_opted_out_date as opted_out_date,
        opted_out_text is not null as is_opted_out,
        parsed_updated_at as updated_at,
        _source_file as source_file
    from checked
)

select * from final
