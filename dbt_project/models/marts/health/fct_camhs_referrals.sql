{#- One row per referral to children and young people's mental health services, with its
    source, whether it was accepted and the child's age band. -#}
with

{{ import_ctes({'referrals': 'stg_health__camhs_referrals', 'age_bands': 'age_bands'}) }},

final as (
    select
        {{ health_event_columns(
            'referrals', 'camhs_referral_id', 'referral_id', 'provider_code', 'referral_date') }},
        {{ health_age_columns('referrals', 'age_at_referral') }},
        coalesce(referrals.referral_source_code, 'not_recorded') as referral_source_code,
        referrals.is_referral_accepted,
        referrals.copies_delivered,
        referrals.source_file,
        referrals.source_line
    from referrals
    {{ health_age_band_join('referrals', 'age_at_referral') }}
)

select * from final
