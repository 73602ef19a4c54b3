{#- What each referral led to, whichever return recorded the step: an assessment, an s47
    enquiry, an ICPC, a child protection plan. -#}
with

referrals as (
    select * from {{ ref('int_cin_census__referrals') }}
),

final as (
    select
        referrals.referral_id,
        {{ referral_led_to('int_cin_census__assessments') }} as led_to_assessment,
        {{ referral_led_to('int_cin_census__section47s') }} as led_to_section47,
        {{ referral_led_to('int_cin_census__section47s', 'icpc_on is not null') }} as led_to_icpc,
        {{ referral_led_to('int_cin_census__cp_plans') }} as led_to_cp_plan
    from referrals
)

select * from final
