with

enquiries as (
    select * from {{ ref('int_cin_census__section47s') }}
),

final as (
    select
        section47_id,
        referral_id,
        area_code,
        la_child_id_pseudonym,
        started_on,
        started_month,
        icpc_on,
        icpc_month,
        icpc_on is not null as led_to_icpc,
        is_icpc_not_required,
        working_days_to_icpc,
        working_days_to_icpc <= 15 as is_icpc_within_15_working_days,
        record_source,
        collection_year
    from enquiries
)

select * from final
