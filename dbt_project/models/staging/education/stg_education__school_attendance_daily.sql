{#- One row per school and school day (area, URN, date), the latest loaded copy. -#}
select
    _area as area_code,
    urn as school_urn,
    {{ parse_date('date') }} as attendance_date,
    nullif(trim(phase), '') as school_phase,
    {{ integer_or_null('pupils_on_roll') }} as pupils_on_roll,
    {{ integer_or_null('pupils_attending') }} as pupils_attending,
    {{ integer_or_null('csw_on_roll') }} as children_with_social_worker_on_roll,
    {{ integer_or_null('csw_attending') }} as children_with_social_worker_attending,
    {{ lineage_columns() }}
from ({{ latest_delivered('education', 'school_attendance_daily', 'urn, date') }}) as latest
