{#- One row per assessment (area, cina_assessment_id): its row in the latest extract, which
    has its authorisation once it was authorised. -#}
with

latest as (
    {{ ssd_latest_rows('ssd_cin_assessments', 'cina_assessment_id') }}
),

renamed as (
    select
        {{ ssd_object_columns('cina_person_id', 'cina_assessment_id', 'assessment') }},
        nullif(trim(latest.cina_referral_id), '') as cin_episode_id,
        {{ ssd_date('latest.cina_assessment_start_date') }} as started_on,
        {{ ssd_date('latest.cina_assessment_auth_date') }} as authorised_on,
        {{ parse_yes_no('latest.cina_assessment_child_seen') }} as is_child_seen,
        {{ parse_yes_no('latest.cina_assessment_outcome_nfa') }} as is_outcome_nfa,
        {{ lineage_columns('latest') }}
    from latest
    where latest.cina_assessment_id is not null
)

select * from renamed
