with

assessments as (
    select * from {{ source('cin_census', 'cin_assessment') }}
),

renamed as (
    select
        assessment_key,
        cin_details_key,
        {{ parse_date('assessment_actual_start_date') }} as started_on,
        {{ parse_date('assessment_internal_review_date') }} as internal_review_on,
        {{ parse_date('assessment_authorisation_date') }} as authorised_on,
        _source_file as source_file,
        _record_line as source_line
    from assessments
)

select * from renamed
