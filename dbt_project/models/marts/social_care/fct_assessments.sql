with

assessments as (
    select * from {{ ref('int_cin_census__assessments') }}
),

factors_per_assessment as (
    select
        assessment_id,
        count(*) as factors_count,
        max(case when factor_group != 'no_factors' then 1 else 0 end) = 1
            as has_factors_identified
    from {{ ref('int_cin_census__assessment_factors') }}
    group by assessment_id
),

final as (
    select
        assessments.assessment_id,
        assessments.referral_id,
        assessments.area_code,
        assessments.la_child_id_pseudonym,
        assessments.started_on,
        assessments.started_month,
        assessments.authorised_on,
        assessments.authorised_month,
        assessments.working_days_to_authorisation,
        assessments.working_days_to_authorisation <= 45 as is_within_45_working_days,
        coalesce(factors_per_assessment.factors_count, 0) as factors_count,
        coalesce(factors_per_assessment.has_factors_identified, false)
            as has_factors_identified,
        assessments.record_source,
        assessments.collection_year
    from assessments
    left join factors_per_assessment
        on assessments.assessment_id = factors_per_assessment.assessment_id
)

select * from final
