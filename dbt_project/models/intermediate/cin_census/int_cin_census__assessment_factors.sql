{#- One row per assessment (deduplicated across returns) and factor identified at its end,
    taken from the same return as the assessment. -#}
with

{{ import_ctes({
    'assessments': 'int_cin_census__assessments',
    'factors': 'stg_cin_census__assessment_factors',
}) }},

final as (
    select distinct
        assessments.assessment_id,
        assessments.area_code,
        assessments.authorised_month,
        factors.assessment_factor_code,
        factors.assessment_factor,
        factors.factor_group
    from assessments
    inner join factors
        on assessments.assessment_key = factors.assessment_key
    where factors.assessment_factor_code is not null
)

select * from final
