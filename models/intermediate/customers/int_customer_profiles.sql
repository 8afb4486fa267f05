-- The CRM profile of every customer with a CRM record signed up by the as-of date. When
-- several CRM records resolve to one customer, the most recently updated one speaks for
-- gender, birthday, place and consent; the signup date is the earliest. The birthday only
-- leaves this model as a birth month and an age band at the as-of date.
with

customer_records as (
    select * from {{ ref('int_customer_records') }}
    where record_type = 'crm_customer'
),

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

crm_records as (
    select
        customer_records.customer_id,
        crm_customers.gender,
        crm_customers.birth_date,
        crm_customers.province,
        crm_customers.city,
        crm_customers.has_email_consent,
        crm_customers.has_sms_consent,
        crm_customers.has_wechat_consent,
        crm_customers.is_opted_out,
        crm_customers.opted_out_date,
        row_number() over (
            partition by customer_records.customer_id
            order by crm_customers.updated_at desc, crm_customers.customer_id desc
        ) as recency_rank,
        min(crm_customers.signup_date) over (
            partition by customer_records.customer_id
        ) as first_signup_date
    from customer_records
    inner join crm_customers on customer_records.record_id = 'crm:' || crm_customers.customer_id
),

latest_records as (
    select
        crm_records.*,
        extract(year from as_of.as_of_date) - extract(year from crm_records.birth_date)
        - case
            when
                extract(month from as_of.as_of_date) * 100 + extract(day from as_of.as_of_date)
                < extract(month from crm_records.birth_date) * 100
                + extract(day from crm_records.birth_date)
                then 1
            else 0
        end as age_years,
        as_of.as_of_date
    from crm_records
    cross join as_of
    where crm_records.recency_rank = 1
),

final as (
    select
        customer_id,
        gender,
        cast(extract(month from birth_date) as integer) as birth_month,
        case
            when birth_date is null or birth_date > as_of_date then null
            when age_years < 18 then '<18'
            when age_years < 25 then '18-24'
            when age_years < 35 then '25-34'
            when age_years < 45 then '35-44'
            when age_years < 55 then '45-54'
            when age_years < 65 then '55-64'
            else '65+'
        end as age_band,
        province,
        city,
        first_signup_date as signup_date,
        coalesce(has_email_consent, false) as has_email_consent,
        coalesce(has_sms_consent, false) as has_sms_consent,
        coalesce(has_wechat_consent, false) as has_wechat_consent,
        is_opted_out and coalesce(opted_out_date <= as_of_date, true) as is_opted_out
    from latest_records
)

select * from final
