{#- The SSD's episodes of care as the SSDA903 return's (stg_ssda903__episodes' codes): one
    row per area, child and start, matched to the return's by record_id over the start
    (care_record_id, also its episode_id), with the placement the episode names (its type,
    provider and, on the first episode of a later placement, why the child left the one
    before) and the legal status in force on its first day (an SSDA903 status first, when
    the SSD also records a permanence order that day). -#}
with

{{ import_ctes({
    'episodes': 'stg_ssd__cla_episodes',
    'placements': 'stg_ssd__cla_placements',
    'statuses': 'stg_ssd__legal_statuses',
    'legal_statuses': 'ssda903_legal_statuses',
}) }},

dated as (
    {{ one_row_per(
        '(select * from episodes where started_on is not null)',
        'area_code, la_child_id_pseudonym, started_on', 'cla_episode_id') }}
),

placements_in_order as (
    select
        placements.*,
        lag(change_reason_code) over (
            partition by area_code, la_child_id_pseudonym, period_of_care_id
            order by started_on, cla_placement_id
        ) as previous_change_reason_code
    from placements
),

placed as (
    select
        dated.*,
        placements_in_order.placement_type_code,
        placements_in_order.placement_provider_code,
        placements_in_order.started_on = dated.started_on as starts_placement,
        placements_in_order.previous_change_reason_code
    from dated
    left join placements_in_order
        on dated.area_code = placements_in_order.area_code
        and dated.placement_id = placements_in_order.cla_placement_id
),

status_in_force as (
    select
        placed.cla_episode_id,
        placed.area_code,
        statuses.legal_status_code,
        row_number() over (
            partition by placed.area_code, placed.cla_episode_id
            order by legal_statuses.code is null, statuses.started_on desc,
                statuses.legal_status_id
        ) as status_rank
    from placed
    inner join statuses
        on {{ columns_match('placed', 'statuses', ['area_code', 'la_child_id_pseudonym']) }}
        and statuses.started_on <= placed.started_on
        and (statuses.ended_on is null or statuses.ended_on > placed.started_on)
    left join legal_statuses on statuses.legal_status_code = legal_statuses.code
),

final as (
    select
        {{ record_id('placed.area_code', 'placed.la_child_id_pseudonym', 'placed.started_on') }}
            as care_record_id,
        {{ record_id('placed.area_code', 'placed.la_child_id_pseudonym', 'placed.started_on') }}
            as episode_id,
        placed.cla_episode_key,
        placed.area_code,
        placed.la_child_id_pseudonym,
        placed.started_on as episode_start_date,
        placed.ceased_on as episode_end_date,
        placed.reason_for_new_episode_code as reason_new_episode_code,
        status_in_force.legal_status_code,
        placed.primary_need_code,
        placed.placement_type_code,
        placed.placement_provider_code,
        placed.reason_episode_ceased_code,
        case
            when placed.starts_placement and placed.reason_for_new_episode_code in ('P', 'B', 'T', 'U')
                then placed.previous_change_reason_code
        end as reason_place_change_code,
        cast(null as integer) as collection_year,
        placed.copies_delivered,
        placed.source_file,
        placed.source_line
    from placed
    left join status_in_force
        on {{ columns_match('placed', 'status_in_force', ['area_code', 'cla_episode_id']) }}
        and status_in_force.status_rank = 1
)

select * from final
