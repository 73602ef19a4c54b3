{#- One row per pupil on roll at a school in a term (the school census grain; a pupil who
    moved school within the term has a row per school): sessions possible and attended,
    attendance rate, persistent absence (attended fewer than 90% of possible sessions, the
    DfE threshold; undefined when no session was possible), suspensions and permanent
    exclusion. The term is placed in the month it starts. -#}
with

pupil_terms as (
    select * from {{ ref('stg_education__school_census') }}
),

final as (
    select
        pupil_term_id,
        area_code,
        academic_year,
        term,
        term_start_date,
        cast({{ dbt.date_trunc('month', 'term_start_date') }} as date) as term_start_month,
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
        source_file,
        source_line
    from pupil_terms
)

select * from final
