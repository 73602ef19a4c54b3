with

referrals as (
    select * from {{ ref('int_cin_census__referrals') }}
),

final as (
    select
        referral_id,
        area_code,
        la_child_id_pseudonym,
        referral_date,
        referral_month,
        referral_source_code,
        referral_source_label,
        source_group,
        primary_need_code,
        is_referral_nfa,
        closure_date,
        reason_for_closure_code,
        sex,
        birth_month,
        ethnicity_code,
        collection_year,
        returns_count,
        source_file,
        source_line
    from referrals
)

select * from final
