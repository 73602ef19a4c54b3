{#- The SSD's child protection plans as the CIN census's: one row per area, child and
    start. The SSD has no count of earlier plans; a plan's are the child's plans that
    started before it in the SSD's own history (the census's count also has plans the
    authority knew of from before its records). -#}
with

{{ import_ctes({
    'plans': 'stg_ssd__cp_plans',
    'episodes': 'stg_ssd__cin_episodes',
}) }},

with_earlier as (
    select
        cp_plan_key,
        area_code,
        la_child_id_pseudonym,
        cin_episode_id,
        started_on,
        ended_on,
        coalesce(initial_category_of_abuse_code, 'not_recorded')
            as initial_category_of_abuse_code,
        initial_category_of_abuse,
        latest_category_of_abuse_code,
        latest_category_of_abuse,
        count(*) over (
            partition by area_code, la_child_id_pseudonym order by started_on
            rows between unbounded preceding and 1 preceding
        ) as previous_cp_plans
    from plans
    where started_on is not null
),

final as (
    {{ ssd_cin_event('with_earlier', 'cp_plan_id', 'cp_plan_key', 'cp_plan_key',
        ['ended_on', 'initial_category_of_abuse_code', 'initial_category_of_abuse',
            'latest_category_of_abuse_code', 'latest_category_of_abuse',
            'previous_cp_plans']) }}
)

select * from final
