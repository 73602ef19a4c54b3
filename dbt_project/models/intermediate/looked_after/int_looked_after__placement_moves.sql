{#- One row per placement move: a new episode within a period of care (not its first) whose
    reason for new episode changes the placement (P, B, T or U), with the placement it left. -#}
with

placements as (
    select * from {{ ref('int_looked_after__placements') }}
),

with_previous as (
    select
        placements.*,
        lag(placement_type_code) over (
            partition by period_of_care_id order by placement_number_in_period
        ) as previous_placement_type_code,
        lag(placement_group) over (
            partition by period_of_care_id order by placement_number_in_period
        ) as previous_placement_group,
        lag(started_on) over (
            partition by period_of_care_id order by placement_number_in_period
        ) as previous_placement_started_on
    from placements
),

final as (
    select
        placement_id as placement_move_id,
        period_of_care_id,
        area_code,
        la_child_id_pseudonym,
        started_on as moved_on,
        cast({{ dbt.date_trunc('month', 'started_on') }} as date) as moved_month,
        placement_number_in_period - 1 as move_number_in_period,
        reason_new_episode_code,
        reason_place_change_code,
        previous_placement_type_code,
        previous_placement_group,
        placement_type_code,
        placement_group,
        {{ dbt.datediff('previous_placement_started_on', 'started_on', 'day') }}
            as days_in_previous_placement,
        record_source
    from with_previous
    where is_placement_move
)

select * from final
