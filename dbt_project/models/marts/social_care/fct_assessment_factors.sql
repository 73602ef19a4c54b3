{#- One row per assessment and factor identified at the end of it (CIN census
    AssessmentFactors), for the factor indicators and analysts' own questions. -#}
with

factors as (
    select * from {{ ref('int_cin_census__assessment_factors') }}
),

final as (
    select
        assessment_id,
        area_code,
        authorised_month,
        assessment_factor_code,
        assessment_factor,
        factor_group
    from factors
)

select * from final
