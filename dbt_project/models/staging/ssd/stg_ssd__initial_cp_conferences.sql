{#- One row per initial child protection conference (area, icpc_icpc_id): its row in the
    latest extract, with the enquiry it followed and the plan it decided. -#}
with

latest as (
    {{ ssd_latest_rows('ssd_initial_cp_conference', 'icpc_icpc_id') }}
),

renamed as (
    select
        {{ ssd_object_columns('icpc_person_id', 'icpc_icpc_id', 'icpc') }},
        nullif(trim(latest.icpc_s47_enquiry_id), '') as s47_enquiry_id,
        nullif(trim(latest.icpc_referral_id), '') as cin_episode_id,
        nullif(trim(latest.icpc_cp_plan_id), '') as cp_plan_id,
        {{ ssd_date('latest.icpc_icpc_target_date') }} as target_on,
        {{ ssd_date('latest.icpc_icpc_date') }} as icpc_on,
        {{ parse_yes_no('latest.icpc_icpc_outcome_cp_flag') }} as is_outcome_cp_plan,
        {{ parse_yes_no('latest.icpc_icpc_transfer_in') }} as is_transfer_in,
        {{ lineage_columns('latest') }}
    from latest
    where latest.icpc_icpc_id is not null
)

select * from renamed
