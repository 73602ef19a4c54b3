{#- One row per attendance (area, ATTENDANCE_ID): a re-delivered month repeats rows, the
    latest loaded copy wins. -#}
with

latest as (
    {{ latest_delivered('health', 'ae_attendances', 'attendance_id', count_copies=true) }}
),

chief_complaints as (
    select * from {{ ref('ae_chief_complaints') }}
),

renamed as (
    select
        {{ health_record_columns('site_code', 'attendance_id', 'age_at_arrival', 'latest') }},
        {{ parse_date('latest.arrival_date') }} as arrival_date,
        nullif(trim(latest.arrival_time), '') as arrival_time,
        nullif(trim(latest.attendance_source), '') as attendance_source_code,
        {{ decoded_code_columns('latest.chief_complaint', 'chief_complaints', 'chief_complaint') }},
        {{ parse_yes_no('latest.safeguarding_concern') }} as has_safeguarding_concern,
        {{ timestamp_or_null('latest.recorded_at') }} as recorded_at,
        {{ lineage_columns('latest') }}
    from latest
    left join chief_complaints on trim(latest.chief_complaint) = chief_complaints.code
)

select * from renamed
