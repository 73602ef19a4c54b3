{#- One row per placement: a period's first episode or a later episode that changes the
    placement (RNE P, B, T or U), lasting until the next placement of the period starts or,
    for the last one, until the period of care ends (null while open). -#}
with

{{ import_ctes({
    'episodes': 'int_looked_after__episodes',
    'periods': 'int_looked_after__periods_of_care',
}) }},

placement_starts as (
    select
        episode_id as placement_id,
        period_of_care_id,
        area_code,
        la_child_id_pseudonym,
        placement_number_in_period,
        is_placement_move,
        reason_new_episode_code,
        episode_start_date as started_on,
        placement_type_code,
        placement_group,
        placement_provider_code,
        reason_place_change_code,
        record_source,
        lead(episode_start_date) over (
            partition by period_of_care_id order by placement_number_in_period
        ) as next_placement_started_on
    from episodes
    where is_placement_start
),

final as (
    select
        placement_starts.placement_id,
        placement_starts.period_of_care_id,
        placement_starts.area_code,
        placement_starts.la_child_id_pseudonym,
        placement_starts.placement_number_in_period,
        placement_starts.is_placement_move,
        placement_starts.reason_new_episode_code,
        placement_starts.started_on,
        coalesce(placement_starts.next_placement_started_on, periods.ended_on) as ended_on,
        placement_starts.placement_type_code,
        placement_starts.placement_group,
        placement_starts.placement_provider_code,
        placement_starts.reason_place_change_code,
        placement_starts.record_source
    from placement_starts
    inner join periods
        on placement_starts.period_of_care_id = periods.period_of_care_id
)

select * from final
