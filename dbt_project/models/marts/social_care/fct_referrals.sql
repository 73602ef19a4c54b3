with

{{ import_ctes({
    'referrals': 'int_cin_census__referrals',
    'outcomes': 'int_cin_census__referral_outcomes',
    'partner_contacts': 'int_linkage__referral_partner_contacts',
    'children': 'dim_child',
}) }},

final as (
    select
        referrals.referral_id,
        referrals.area_code,
        referrals.la_child_id_pseudonym,
        referrals.referral_date,
        referrals.referral_month,
        referrals.referral_source_code,
        referrals.referral_source_label,
        referrals.source_group,
        referrals.primary_need_code,
        referrals.primary_need,
        referrals.is_referral_nfa,
        referrals.is_re_referral_within_12_months,
        outcomes.led_to_assessment,
        outcomes.led_to_section47,
        outcomes.led_to_icpc,
        outcomes.led_to_cp_plan,
        referrals.closure_date,
        referrals.reason_for_closure_code,
        referrals.sex,
        referrals.birth_month,
        referrals.age_at_referral,
        referrals.age_band,
        referrals.ethnicity_code,
        referrals.ethnicity_major_group,
        partner_contacts.child_key,
        coalesce(children.locality, 'not_known') as locality,
        partner_contacts.partners_in_previous_12_months,
        partner_contacts.is_known_to_other_partner_in_previous_12_months,
        partner_contacts.is_known_to_health_in_previous_12_months,
        partner_contacts.is_known_to_police_in_previous_12_months,
        referrals.record_source,
        referrals.collection_year,
        referrals.returns_count,
        referrals.source_file,
        referrals.source_line
    from referrals
    inner join outcomes
        on referrals.referral_id = outcomes.referral_id
    inner join partner_contacts
        on referrals.referral_id = partner_contacts.referral_id
    left join children
        on partner_contacts.child_key = children.child_key
)

select * from final
