{#- One row per assessment (deduplicated across returns) and factor identified at its end,
    taken from the same return as the assessment, decoded through the DfE code list. -#}
with

assessments as (
    select * from {{ ref('int_cin_census__assessments') }}
),

factors as (
    select * from {{ ref('stg_cin_census__assessment_factors') }}
),

codes as (
    select * from {{ ref('cin_assessment_factors') }}
),

final as (
    select distinct
        assessments.assessment_id,
        assessments.area_code,
        assessments.authorised_month,
        factors.assessment_factor_code,
        codes.label as assessment_factor,
        {{ decoded_or_reason('factors.assessment_factor_code', 'codes.code', 'codes.factor_group') }}
            as factor_group
    from assessments
    inner join factors
        on assessments.assessment_key = factors.assessment_key
    left join codes
        on factors.assessment_factor_code = codes.code
    where factors.assessment_factor_code is not null
)

select * from final
