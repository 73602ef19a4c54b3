{#- One row per pupil on roll at a school in a term (the school census grain; a pupil who
    moved school within the term has a row per school): sessions possible and attended,
    attendance rate, persistent absence (attended fewer than 90% of possible sessions, the
    DfE threshold; undefined when no session was possible), suspensions and permanent
    exclusion. The term is dated to the month it ends (autumn: December; spring: the month
    of Easter Sunday, the spring term's last day in the school census; summer: July), so a
    termly figure never sits in a month before the events it counts. -#}
with

pupil_terms as (
    select * from {{ ref('stg_education__school_census') }}
),

easter_sundays as (
    select
        cast(extract(year from holiday_date) as integer) as calendar_year,
        cast({{ dbt.dateadd('day', -1, 'holiday_date') }} as date) as easter_sunday
    from {{ ref('bank_holidays_england') }}
    where holiday_name = 'Easter Monday'
),

term_ends as (
    select
        pupil_terms.pupil_term_id,
        case pupil_terms.term
            when 'autumn' then {{ last_day_of_month_in_year('pupil_terms.term_start_date', 12) }}
            when 'summer' then {{ last_day_of_month_in_year('pupil_terms.term_start_date', 7) }}
            else coalesce(
                easter_sundays.easter_sunday,
                {{ last_day_of_month_in_year('pupil_terms.term_start_date', 3) }}
            )
        end as term_end_date
    from pupil_terms
    left join easter_sundays
        on cast(extract(year from pupil_terms.term_start_date) as integer)
        = easter_sundays.calendar_year
),

final as (
    select
        pupil_terms.pupil_term_id,
        area_code,
        academic_year,
        term,
        term_start_date,
        cast({{ dbt.date_trunc('month', 'term_start_date') }} as date) as term_start_month,
        term_ends.term_end_date,
        cast({{ dbt.date_trunc('month', 'term_ends.term_end_date') }} as date) as term_end_month,
        school_urn,
        upn_pseudonym,
        sex,
        year_group,
        sessions_possible,
        sessions_attended,
        sessions_authorised_absence,
        sessions_unauthorised_absence,
        sessions_possible - sessions_attended as sessions_absent,
        case
            when sessions_possible > 0
                then 100.0 * sessions_attended / sessions_possible
        end as attendance_rate,
        {#- attended / possible < 0.9, compared in whole sessions so no rounding enters -#}
        case
            when sessions_possible > 0 then sessions_attended * 10 < sessions_possible * 9
        end as is_persistently_absent,
        coalesce(suspensions, 0) as suspensions,
        coalesce(is_permanently_excluded, false) as is_permanently_excluded,
        pupil_terms.source_file,
        pupil_terms.source_line
    from pupil_terms
    left join term_ends
        on pupil_terms.pupil_term_id = term_ends.pupil_term_id
)

select * from final
