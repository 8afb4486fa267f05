-- The texts of unhappy feedback in the trailing window up to the as-of date (business
-- dates), for keyword analysis: comments of NPS detractors (0-6) and the text of negative
-- reviews (at most var `negative_review_max_rating` stars). Empty texts are left out.
with

nps_responses as (
    select * from {{ ref('stg_surveys__nps_responses') }}
),

reviews as (
    select * from {{ ref('int_reviews_dated') }}
),

window_dates as (
    select * from {{ ref('int_satisfaction_window') }}
),

documents as (
    select
        'nps_detractor' as feedback_source,
        response_id as document_id,
        cast({{ utc_to_local('responded_at', var('business_timezone')) }} as date)
            as document_date,
        comment_text as document_text
    from nps_responses
    where nps_category = 'detractor' and comment_text is not null
    union all
    select
        'negative_review' as feedback_source,
        review_id as document_id,
        review_date as document_date,
        review_text as document_text
    from reviews
    where is_negative_review and review_text is not null
),

final as (
    select
        documents.feedback_source,
        documents.document_id,
        documents.document_date,
        documents.document_text,
        window_dates.window_start_date,
        window_dates.as_of_date
    from documents
    inner join window_dates
        on
            documents.document_date between window_dates.window_start_date
            and window_dates.as_of_date
)

select * from final
