{#- For each linked child, the spells in which children's social care was involved: each
    CIN episode (referral to closure, open while not closed) and each SSDA903 episode of
    care. Facts of other partners join it to say whether a child was known at the time. -#}
with

person_records as (
    select * from {{ ref('int_linkage__person_records') }}
),

child_keys as (
    select * from {{ ref('int_linkage__child_keys') }}
),

cin_referrals as (
    select * from {{ ref('int_cin_census__referrals') }}
),

care_episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

social_care_records as (
    select child_keys.child_key, person_records.la_child_key
    from person_records
    inner join child_keys on person_records.person_record_id = child_keys.person_record_id
    where person_records.source in ('cin_census', 'ssda903')
        and person_records.la_child_key is not null
),

spells as (
    select
        {{ dbt.concat(["area_code", "':'", "la_child_id_pseudonym"]) }} as la_child_key,
        referral_date as start_date,
        closure_date as end_date
    from cin_referrals
    union all
    select
        {{ dbt.concat(["area_code", "':'", "la_child_id_pseudonym"]) }},
        episode_start_date,
        episode_end_date
    from care_episodes
),

final as (
    select distinct
        social_care_records.child_key,
        spells.start_date,
        spells.end_date
    from social_care_records
    inner join spells on social_care_records.la_child_key = spells.la_child_key
)

select * from final
