{#- For each referral to children's social care: the linked child and whether another
    partner had contact with the child (a record that is a service contact in
    partner_sources: health or police, not a school enrolment) in the 12 months before the
    referral date. A referral whose child could not be linked counts as not known. -#}
with

{{ import_ctes({
    'referrals': 'int_cin_census__referrals',
    'la_child_keys': 'int_linkage__la_child_keys',
    'linked_records': 'int_linkage__linked_records',
}) }},

referral_children as (
    select
        referrals.referral_id,
        referrals.referral_date,
        la_child_keys.child_key
    from referrals
    left join la_child_keys
        on {{ dbt.concat(["referrals.area_code", "':'", "referrals.la_child_id_pseudonym"]) }}
        = la_child_keys.la_child_key
),

contacts_before as (
    select
        referral_children.referral_id,
        linked_records.partner
    from referral_children
    inner join linked_records
        on referral_children.child_key = linked_records.child_key
    where linked_records.is_service_contact
        and linked_records.partner != 'social_care'
        and linked_records.event_date < referral_children.referral_date
        and linked_records.event_date
        >= {{ dbt.dateadd('month', -12, 'referral_children.referral_date') }}
),

partners_per_referral as (
    select
        referral_id,
        count(distinct partner) as partners_in_previous_12_months,
        max(case when partner = 'health' then 1 else 0 end) = 1
            as is_known_to_health_in_previous_12_months,
        max(case when partner = 'police' then 1 else 0 end) = 1
            as is_known_to_police_in_previous_12_months
    from contacts_before
    group by referral_id
),

final as (
    select
        referral_children.referral_id,
        referral_children.child_key,
        coalesce(partners_per_referral.partners_in_previous_12_months, 0)
            as partners_in_previous_12_months,
        coalesce(partners_per_referral.partners_in_previous_12_months, 0) > 0
            as is_known_to_other_partner_in_previous_12_months,
        coalesce(partners_per_referral.is_known_to_health_in_previous_12_months, false)
            as is_known_to_health_in_previous_12_months,
        coalesce(partners_per_referral.is_known_to_police_in_previous_12_months, false)
            as is_known_to_police_in_previous_12_months
    from referral_children
    left join partners_per_referral
        on referral_children.referral_id = partners_per_referral.referral_id
)

select * from final
