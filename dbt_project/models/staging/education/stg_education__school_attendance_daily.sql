{#- One row per school and school day (area, URN, date), the latest loaded copy. -#}
with

source as (
    select * from {{ source('education', 'school_attendance_daily') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, urn, date
            order by {{ latest_delivery_first() }}
        ) as delivery_rank
    from source
),

renamed as (
    select
        _area as area_code,
        urn as school_urn,
        {{ parse_date('date') }} as attendance_date,
        nullif(trim(phase), '') as school_phase,
        {{ integer_or_null('pupils_on_roll') }} as pupils_on_roll,
        {{ integer_or_null('pupils_attending') }} as pupils_attending,
        {{ integer_or_null('csw_on_roll') }} as children_with_social_worker_on_roll,
        {{ integer_or_null('csw_attending') }} as children_with_social_worker_attending,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where delivery_rank = 1
)

select * from renamed
