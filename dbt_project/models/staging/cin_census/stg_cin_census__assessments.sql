select
    assessment_key,
    cin_details_key,
    {{ parse_date('assessment_actual_start_date') }} as started_on,
    {{ parse_date('assessment_internal_review_date') }} as internal_review_on,
    {{ parse_date('assessment_authorisation_date') }} as authorised_on,
    {{ lineage_columns() }}
from {{ source('cin_census', 'cin_assessment') }}
