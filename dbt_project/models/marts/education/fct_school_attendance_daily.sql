{#- One row per school and school day: pupils, and children with a social worker, on roll
    and attending, with the day's attendance rates. -#}
with

school_days as (
    select * from {{ ref('stg_education__school_attendance_daily') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "area_code", "'|'", "school_urn", "'|'", dbt.cast("attendance_date", dbt.type_string())])) }}
            as school_day_id,
        area_code,
        school_urn,
        attendance_date,
        cast({{ dbt.date_trunc('month', 'attendance_date') }} as date) as attendance_month,
        coalesce(school_phase, 'not_recorded') as school_phase,
        pupils_on_roll,
        pupils_attending,
        children_with_social_worker_on_roll,
        children_with_social_worker_attending,
        case
            when pupils_on_roll > 0 then 100.0 * pupils_attending / pupils_on_roll
        end as attendance_rate,
        case
            when children_with_social_worker_on_roll > 0
                then 100.0 * children_with_social_worker_attending / children_with_social_worker_on_roll
        end as children_with_social_worker_attendance_rate,
        source_file,
        source_line
    from school_days
)

select * from final
