{#- One row per period of care: from the episode that starts it to the episode whose reason
    ceased ends care. A period whose last episode on record does not end care (still open,
    or its next episode missing) has no end date. -#}
with

episodes as (
    select * from {{ ref('int_looked_after__episodes') }}
),

first_episodes as (
    select * from episodes where is_first_in_period
),

last_episodes as (
    select * from episodes where is_last_in_period
),

counts as (
    select
        period_of_care_id,
        count(*) as episodes_count,
        sum(case when is_placement_start then 1 else 0 end) as placements_count,
        sum(case when is_placement_move then 1 else 0 end) as placement_moves_count,
        max(case when is_end_before_start then 1 else 0 end) as episodes_end_before_start
    from episodes
    group by period_of_care_id
),

final as (
    select
        first_episodes.period_of_care_id,
        first_episodes.area_code,
        first_episodes.la_child_id_pseudonym,
        first_episodes.child_period_number,
        first_episodes.episode_start_date as started_on,
        cast({{ dbt.date_trunc('month', 'first_episodes.episode_start_date') }} as date)
            as started_month,
        first_episodes.is_start_of_care as is_start_recorded,
        first_episodes.reason_new_episode_code as reason_new_episode_code_at_start,
        first_episodes.legal_status_code as legal_status_code_at_start,
        first_episodes.legal_status_group as legal_status_group_at_start,
        first_episodes.placement_type_code as placement_type_code_at_start,
        first_episodes.primary_need_code,
        case when last_episodes.is_end_of_care then last_episodes.episode_end_date end
            as ended_on,
        case when last_episodes.is_end_of_care then last_episodes.reason_episode_ceased_code end
            as reason_ceased_code,
        case when last_episodes.is_end_of_care then last_episodes.reason_ceased_group end
            as reason_ceased_group,
        last_episodes.reason_episode_ceased_code as last_reason_episode_ceased_code,
        last_episodes.is_reason_episode_ceased_code_valid as is_last_reason_ceased_code_valid,
        last_episodes.episode_end_date as last_episode_end_date,
        counts.episodes_count,
        counts.placements_count,
        counts.placement_moves_count,
        counts.episodes_end_before_start > 0 as has_episode_ending_before_start,
        first_episodes.record_source
    from first_episodes
    inner join last_episodes
        on first_episodes.period_of_care_id = last_episodes.period_of_care_id
    inner join counts
        on first_episodes.period_of_care_id = counts.period_of_care_id
)

select
    final.*,
    cast({{ dbt.date_trunc('month', 'ended_on') }} as date) as ended_month,
    ended_on is null as is_open,
    {{ dbt.datediff('started_on', 'ended_on', 'day') }} as duration_days,
    coalesce(ended_on < started_on, false) as is_end_before_start
from final
