{#- One row per contact received by children's social care (SSD), with whether it led to a
    referral. The rule: a contact led to a referral when SSD's own outcome says so
    (NEW_REFERRAL_FLAG), or when the CIN census has a referral of the same child (the same
    LA child id pseudonym, which SSD's person id shares) dated on the day of the contact or
    in the 30 days after it. A referral before the contact does not count, and the earliest
    referral in the window is the one named. -#}
with

{{ import_ctes({
    'contacts': 'stg_ssd__contacts',
    'referrals': 'fct_referrals',
}) }},

following_referrals as (
    select
        contacts.contact_key,
        min(referrals.referral_date) as referral_date
    from contacts
    inner join referrals
        on {{ columns_match('contacts', 'referrals', ['area_code', 'la_child_id_pseudonym']) }}
        and referrals.referral_date >= contacts.contact_date
        and referrals.referral_date <= {{ dbt.dateadd('day', 30, 'contacts.contact_date') }}
    group by contacts.contact_key
),

final as (
    select
        contacts.contact_key,
        contacts.area_code,
        contacts.contact_id,
        contacts.la_child_id_pseudonym,
        contacts.contact_date,
        cast({{ dbt.date_trunc('month', 'contacts.contact_date') }} as date) as contact_month,
        contacts.contact_source_code,
        contacts.contact_source,
        contacts.source_group,
        contacts.is_outcome_new_referral,
        following_referrals.referral_date,
        {{ dbt.datediff('contacts.contact_date', 'following_referrals.referral_date', 'day') }}
            as days_to_referral,
        (coalesce(contacts.is_outcome_new_referral, false)
            or following_referrals.referral_date is not null) as led_to_referral,
        contacts.source_file,
        contacts.source_line
    from contacts
    left join following_referrals
        on contacts.contact_key = following_referrals.contact_key
)

select * from final
