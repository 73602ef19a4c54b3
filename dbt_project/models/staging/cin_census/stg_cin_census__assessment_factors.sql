with

factors as (
    select * from {{ source('cin_census', 'cin_assessment_factor') }}
),

renamed as (
    select
        assessment_key,
        upper(trim(assessment_factor)) as assessment_factor_code,
        _source_file as source_file,
        _record_line as source_line
    from factors
)

select * from renamed
