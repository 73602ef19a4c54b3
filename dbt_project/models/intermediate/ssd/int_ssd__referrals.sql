{#- The SSD's children in need episodes as the CIN census's referrals: one row per referral,
    identified as the census identifies it (area, child, referral date: record_id), with
    the child's sex, birth month and ethnicity from the SSD's person and the UPN from its
    linked identifiers. Two episodes of a child on one day are one referral, as in a return
    (the latest extract's, then the lowest episode id). -#}
with

{{ import_ctes({
    'episodes': 'stg_ssd__cin_episodes',
    'people': 'stg_ssd__person',
    'identifiers': 'stg_ssd__linked_identifiers',
}) }},

upns as (
    {{ one_row_per(
        '(select * from identifiers where upn_pseudonym is not null)',
        'area_code, la_child_id_pseudonym', 'valid_from desc nulls last, linked_identifier_id') }}
),

dated as (
    {{ one_row_per(
        '(select * from episodes where referral_date is not null)',
        'area_code, la_child_id_pseudonym, referral_date', 'cin_episode_id') }}
),

final as (
    select
        {{ record_id('episodes.area_code', 'episodes.la_child_id_pseudonym',
            'episodes.referral_date') }} as referral_id,
        episodes.cin_episode_id,
        episodes.area_code,
        episodes.la_child_id_pseudonym,
        upns.upn_pseudonym,
        episodes.referral_date,
        episodes.referral_source_code,
        episodes.referral_source,
        episodes.referral_source_group,
        episodes.primary_need_code,
        episodes.primary_need,
        episodes.is_referral_nfa,
        episodes.closure_date,
        episodes.reason_for_closure_code,
        people.sex,
        people.birth_month,
        people.expected_birth_month,
        people.ethnicity_code,
        people.ethnicity_major_group,
        cast(null as integer) as collection_year,
        0 as returns_count,
        episodes.source_file,
        episodes.source_line
    from dated as episodes
    left join people
        on {{ columns_match('episodes', 'people', ['area_code', 'la_child_id_pseudonym']) }}
    left join upns
        on {{ columns_match('episodes', 'upns', ['area_code', 'la_child_id_pseudonym']) }}
)

select * from final
