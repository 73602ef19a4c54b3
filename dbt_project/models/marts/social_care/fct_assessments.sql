with

assessments as (
    select * from {{ ref('int_cin_census__assessments') }}
),

final as (
    select
        assessment_id,
        referral_id,
        area_code,
        la_child_id_pseudonym,
        started_on,
        started_month,
        authorised_on,
        authorised_month,
        working_days_to_authorisation,
        working_days_to_authorisation <= 45 as is_within_45_working_days,
        collection_year
    from assessments
)

select * from final
