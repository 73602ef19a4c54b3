{#- What each referral led to, whichever return recorded the step: an assessment, an s47
    enquiry, an ICPC, a child protection plan. -#}
with

referrals as (
    select * from {{ ref('int_cin_census__referrals') }}
),

assessments as (
    select referral_id, count(*) as assessments
    from {{ ref('int_cin_census__assessments') }}
    group by referral_id
),

enquiries as (
    select
        referral_id,
        count(*) as section47s,
        count(icpc_on) as icpcs
    from {{ ref('int_cin_census__section47s') }}
    group by referral_id
),

plans as (
    select referral_id, count(*) as cp_plans
    from {{ ref('int_cin_census__cp_plans') }}
    group by referral_id
),

final as (
    select
        referrals.referral_id,
        coalesce(assessments.assessments, 0) > 0 as led_to_assessment,
        coalesce(enquiries.section47s, 0) > 0 as led_to_section47,
        coalesce(enquiries.icpcs, 0) > 0 as led_to_icpc,
        coalesce(plans.cp_plans, 0) > 0 as led_to_cp_plan
    from referrals
    left join assessments on referrals.referral_id = assessments.referral_id
    left join enquiries on referrals.referral_id = enquiries.referral_id
    left join plans on referrals.referral_id = plans.referral_id
)

select * from final
