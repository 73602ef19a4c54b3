{#- One row per section 47 enquiry (area, s47e_s47_enquiry_id): its row in the latest
    extract, which has its end once it was completed. -#}
with

latest as (
    {{ ssd_latest_rows('ssd_s47_enquiry', 's47e_s47_enquiry_id') }}
),

renamed as (
    select
        {{ ssd_object_columns('s47e_person_id', 's47e_s47_enquiry_id', 's47_enquiry') }},
        nullif(trim(latest.s47e_referral_id), '') as cin_episode_id,
        {{ ssd_date('latest.s47e_s47_start_date') }} as started_on,
        {{ ssd_date('latest.s47e_s47_end_date') }} as ended_on,
        {{ parse_yes_no('latest.s47e_s47_nfa') }} as is_nfa,
        {{ ssd_outcome_flag('latest.s47e_s47_outcome_json', 'CP_CONFERENCE_FLAG') }}
            as is_outcome_cp_conference,
        {{ lineage_columns('latest') }}
    from latest
    where latest.s47e_s47_enquiry_id is not null
)

select * from renamed
