{#- One row per referral to children and young people's mental health services, with its
    source, whether it was accepted and the child's age band. -#}
with

referrals as (
    select * from {{ ref('stg_health__camhs_referrals') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat(["referrals.area_code", "'|'", "referrals.referral_id"])) }}
            as camhs_referral_id,
        referrals.area_code,
        referrals.referral_id,
        referrals.provider_code,
        referrals.referral_date,
        cast({{ dbt.date_trunc('month', 'referrals.referral_date') }} as date) as referral_month,
        referrals.age_at_referral,
        coalesce(age_bands.age_band, 'not_recorded') as age_band,
        referrals.sex,
        coalesce(referrals.referral_source_code, 'not_recorded') as referral_source_code,
        referrals.is_referral_accepted,
        referrals.copies_delivered,
        referrals.source_file,
        referrals.source_line
    from referrals
    left join age_bands
        on referrals.age_at_referral between age_bands.min_age and age_bands.max_age
)

select * from final
