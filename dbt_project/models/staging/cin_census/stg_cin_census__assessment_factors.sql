with

factors as (
    select * from {{ source('cin_census', 'cin_assessment_factor') }}
),

codes as (
    select * from {{ ref('cin_assessment_factors') }}
),

renamed as (
    select
        factors.assessment_key,
        upper(trim(factors.assessment_factor)) as assessment_factor_code,
        codes.label as assessment_factor,
        {{ decoded_or_reason('upper(trim(factors.assessment_factor))', 'codes.code', 'codes.factor_group') }}
            as factor_group,
        factors._source_file as source_file,
        factors._record_line as source_line
    from factors
    left join codes
        on upper(trim(factors.assessment_factor)) = codes.code
)

select * from renamed
