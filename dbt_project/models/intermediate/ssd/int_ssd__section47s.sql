{#- The SSD's section 47 enquiries as the CIN census's: one row per area, child and start,
    with the initial child protection conference that followed (the first, when an extract
    holds two), and an ICPC not required when the enquiry ended without one and its outcome
    did not call one. -#}
with

{{ import_ctes({
    'enquiries': 'stg_ssd__s47_enquiries',
    'conferences': 'stg_ssd__initial_cp_conferences',
    'episodes': 'stg_ssd__cin_episodes',
}) }},

first_conferences as (
    select area_code, s47_enquiry_id, min(icpc_on) as icpc_on
    from conferences
    where s47_enquiry_id is not null
    group by area_code, s47_enquiry_id
),

with_conference as (
    select
        enquiries.*,
        first_conferences.icpc_on,
        enquiries.ended_on is not null
        and first_conferences.icpc_on is null
        and not coalesce(enquiries.is_outcome_cp_conference, false) as is_icpc_not_required
    from enquiries
    left join first_conferences
        on {{ columns_match('enquiries', 'first_conferences', ['area_code', 's47_enquiry_id']) }}
),

final as (
    {{ ssd_cin_event('with_conference', 'section47_id', 's47_enquiry_key', 'section47_key',
        ['icpc_on', 'is_icpc_not_required']) }}
)

select * from final
