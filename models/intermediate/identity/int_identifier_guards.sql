-- Whether each observed identifier may link records. Account keys (CRM id, app user,
-- marketplace buyer) always may. A contact (email, phone, loyalty card) may not when it
-- is shared: seen with more distinct accounts of one type than
-- var `identity_max_accounts_per_identifier`, or on CRM records with more distinct names
-- than var `identity_max_names_per_identifier`. Placeholders never reach this model.
with

records as (
    select * from {{ ref('int_identity_records') }}
),

contacts as (
    select * from records
    where identifier_type in ('email', 'phone', 'loyalty_card')
),

accounts as (
    select * from records
    where identifier_type not in ('email', 'phone', 'loyalty_card')
),

account_counts as (
    select
        contacts.identifier_type,
        contacts.identifier_value,
        accounts.identifier_type as account_type,
        count(distinct accounts.identifier_value) as distinct_accounts
    from contacts
    inner join accounts on contacts.record_id = accounts.record_id
    group by contacts.identifier_type, contacts.identifier_value, accounts.identifier_type
),

max_accounts as (
    select
        identifier_type,
        identifier_value,
        max(distinct_accounts) as max_accounts_of_one_type
    from account_counts
    group by identifier_type, identifier_value
),

identifier_stats as (
    select
        identifier_type,
        identifier_value,
        count(distinct record_id) as record_count,
        count(distinct full_name) as distinct_names
    from records
    group by identifier_type, identifier_value
),

final as (
    select
        identifier_stats.identifier_type,
        identifier_stats.identifier_value,
        identifier_stats.record_count,
        coalesce(max_accounts.max_accounts_of_one_type, 0) as max_accounts_of_one_type,
        identifier_stats.distinct_names,
        case
            when identifier_stats.identifier_type not in ('email', 'phone', 'loyalty_card')
                then null
            when
                coalesce(max_accounts.max_accounts_of_one_type, 0)
                > {{ var('identity_max_accounts_per_identifier') }}
                then 'shared_by_accounts'
            when identifier_stats.distinct_names > {{ var('identity_max_names_per_identifier') }}
                then 'shared_by_names'
        end as guard_reason
    from identifier_stats
    left join max_accounts
        on
            identifier_stats.identifier_type = max_accounts.identifier_type
            and identifier_stats.identifier_value = max_accounts.identifier_value
)

select
    *,
    guard_reason is null as is_linkable
from final
