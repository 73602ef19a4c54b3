{#- Each episode of care placed in its child's period of care and placement: the SSDA903
    return's, and the SSD's in the months it feeds (fed_records, the registry's rule).

    A period of care starts with an episode whose reason for new episode is S (started to be
    looked after), with the child's first episode on record (a child already in care when
    the first return was made), or with the first episode after one whose reason ceased ends
    care (any REC but X1). It continues through the following episodes of the child.

    A placement starts with the first episode of a period and with every later episode whose
    reason for new episode changes the placement (P, B, T or U); an episode with RNE L only
    changes the legal status and stays in the same placement. -#}
with

{{ import_ctes({
    'returned_episodes': 'stg_ssda903__episodes',
    'from_ssd': 'int_ssd__cla_episodes',
    'reasons_new_episode': 'ssda903_reasons_new_episode',
    'legal_statuses': 'ssda903_legal_statuses',
    'placement_types': 'ssda903_placement_types',
    'reasons_ceased': 'ssda903_reasons_episode_ceased',
}) }},

returned as (
    select
        *,
        {{ record_id('area_code', 'la_child_id_pseudonym', 'episode_start_date') }}
            as care_record_id
    from returned_episodes
),

{%- set fed_columns = ['care_record_id', 'episode_id', 'area_code', 'la_child_id_pseudonym',
    'episode_start_date', 'episode_end_date', 'reason_new_episode_code', 'legal_status_code',
    'primary_need_code', 'placement_type_code', 'placement_provider_code',
    'reason_episode_ceased_code', 'reason_place_change_code', 'collection_year'] %}

fed as (
    {{ fed_records('returned', 'from_ssd', 'care_record_id', 'episode_start_date', fed_columns,
        carried={'episode_end_date': 'episode_end_date',
            'reason_episode_ceased_code': 'episode_end_date'},
        fed_return='ssda903') }}
),

{#- The codes of either source decoded once, as stg_ssda903__episodes decodes the return's. -#}
episodes as (
    select
        fed.*,
        reasons_new_episode.is_start_of_care,
        legal_statuses.legal_status_group,
        placement_types.placement_group,
        reasons_ceased.reason_group as reason_ceased_group,
        reasons_ceased.is_end_of_care,
        {{ code_is_valid('fed.reason_episode_ceased_code', 'reasons_ceased.code') }}
            as is_reason_episode_ceased_code_valid,
        coalesce(fed.episode_end_date < fed.episode_start_date, false) as is_end_before_start
    from fed
    left join reasons_new_episode on fed.reason_new_episode_code = reasons_new_episode.code
    left join legal_statuses on fed.legal_status_code = legal_statuses.code
    left join placement_types on fed.placement_type_code = placement_types.code
    left join reasons_ceased on fed.reason_episode_ceased_code = reasons_ceased.code
),

ordered as (
    select
        episodes.*,
        row_number() over (
            partition by area_code, la_child_id_pseudonym
            order by episode_start_date, episode_id
        ) as child_episode_number,
        lag(is_end_of_care) over (
            partition by area_code, la_child_id_pseudonym
            order by episode_start_date, episode_id
        ) as previous_is_end_of_care
    from episodes
),

flagged as (
    select
        ordered.*,
        case
            when coalesce(is_start_of_care, false) then true
            when child_episode_number = 1 then true
            when coalesce(previous_is_end_of_care, false) then true
            else false
        end as is_period_start
    from ordered
),

periods_numbered as (
    select
        flagged.*,
        sum(case when is_period_start then 1 else 0 end) over (
            partition by area_code, la_child_id_pseudonym
            order by child_episode_number
            rows between unbounded preceding and current row
        ) as child_period_number
    from flagged
),

period_starts as (
    select
        area_code,
        la_child_id_pseudonym,
        child_period_number,
        episode_start_date as period_started_on
    from periods_numbered
    where is_period_start
),

with_period as (
    select
        periods_numbered.*,
        {{ dbt.hash(dbt.concat([
            'periods_numbered.area_code', "'|'",
            'periods_numbered.la_child_id_pseudonym', "'|'",
            'cast(period_starts.period_started_on as ' ~ dbt.type_string() ~ ')'
        ])) }} as period_of_care_id,
        row_number() over (
            partition by periods_numbered.area_code, periods_numbered.la_child_id_pseudonym,
                periods_numbered.child_period_number
            order by periods_numbered.child_episode_number
        ) as episode_number_in_period,
        row_number() over (
            partition by periods_numbered.area_code, periods_numbered.la_child_id_pseudonym,
                periods_numbered.child_period_number
            order by periods_numbered.child_episode_number desc
        ) as episodes_to_period_end
    from periods_numbered
    inner join period_starts
        on {{ columns_match('periods_numbered', 'period_starts', [
            'area_code', 'la_child_id_pseudonym', 'child_period_number']) }}
),

placements_flagged as (
    select
        with_period.*,
        case
            when episode_number_in_period = 1 then true
            when reason_new_episode_code in ('P', 'B', 'T', 'U') then true
            else false
        end as is_placement_start,
        case
            when episode_number_in_period > 1
                and reason_new_episode_code in ('P', 'B', 'T', 'U') then true
            else false
        end as is_placement_move
    from with_period
),

final as (
    select
        episode_id,
        care_record_id,
        period_of_care_id,
        area_code,
        la_child_id_pseudonym,
        child_episode_number,
        child_period_number,
        episode_number_in_period,
        episode_number_in_period = 1 as is_first_in_period,
        episodes_to_period_end = 1 as is_last_in_period,
        is_period_start,
        coalesce(is_start_of_care, false) as is_start_of_care,
        is_placement_start,
        is_placement_move,
        sum(case when is_placement_start then 1 else 0 end) over (
            partition by period_of_care_id
            order by episode_number_in_period
            rows between unbounded preceding and current row
        ) as placement_number_in_period,
        episode_start_date,
        episode_end_date,
        reason_new_episode_code,
        legal_status_code,
        legal_status_group,
        primary_need_code,
        placement_type_code,
        placement_group,
        placement_provider_code,
        reason_episode_ceased_code,
        reason_ceased_group,
        is_reason_episode_ceased_code_valid,
        coalesce(is_end_of_care, false) as is_end_of_care,
        reason_place_change_code,
        is_end_before_start,
        collection_year,
        record_source
    from placements_flagged
)

select * from final
