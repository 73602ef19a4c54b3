{#- For each linked child, the spells in which children's social care was involved: each
    CIN episode (referral to closure, open while not closed) and each episode of care (the
    return's or the SSD's, as the indicators read them). Facts of other partners join it to say whether a child was known at the time. -#}
with

{{ import_ctes({
    'la_child_keys': 'int_linkage__la_child_keys',
    'cin_referrals': 'int_cin_census__referrals',
    'care_episodes': 'int_looked_after__episodes',
}) }},

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
        la_child_keys.child_key,
        spells.start_date,
        spells.end_date
    from la_child_keys
    inner join spells on la_child_keys.la_child_key = spells.la_child_key
)

select * from final
