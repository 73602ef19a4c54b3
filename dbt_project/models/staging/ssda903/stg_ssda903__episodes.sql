{#- One row per episode (area, child, DECOM). A child in care across years is in several
    returns; the latest return carries the latest DEC and REC, so it wins. -#}
with

latest as (
    {{ ssda903_latest('ssda903_episodes', 'child, decom', count_as='returns_count') }}
),

{{ import_ctes({
    'legal_statuses': 'ssda903_legal_statuses',
    'placement_types': 'ssda903_placement_types',
    'reasons_new_episode': 'ssda903_reasons_new_episode',
    'reasons_ceased': 'ssda903_reasons_episode_ceased',
    'primary_needs': 'cin_primary_needs',
}) }},

renamed as (
    select
        {{ dbt.hash(dbt.concat(["latest._area", "'|'", "latest.child", "'|'", "latest.decom"])) }}
            as episode_id,
        {{ ssda903_return_columns('latest', count_returns=true) }},
        latest.child as la_child_id_pseudonym,
        {{ parse_date('latest.decom') }} as episode_start_date,
        {{ parse_date('latest.dec') }} as episode_end_date,
        nullif(trim(latest.rne), '') as reason_new_episode_code,
        reasons_new_episode.label as reason_new_episode,
        reasons_new_episode.is_start_of_care,
        nullif(trim(latest.ls), '') as legal_status_code,
        legal_statuses.label as legal_status,
        legal_statuses.legal_status_group,
        nullif(trim(latest.cin), '') as primary_need_code,
        primary_needs.label as primary_need,
        nullif(trim(latest.place), '') as placement_type_code,
        placement_types.label as placement_type,
        placement_types.placement_group,
        nullif(trim(latest.place_provider), '') as placement_provider_code,
        nullif(trim(latest.rec), '') as reason_episode_ceased_code,
        reasons_ceased.label as reason_episode_ceased,
        reasons_ceased.reason_group as reason_ceased_group,
        reasons_ceased.is_end_of_care,
        nullif(trim(latest.reason_place_change), '') as reason_place_change_code,
        latest.home_post as home_postcode_pseudonym,
        {{ postcode_district_or_null('latest.home_post_district') }} as home_postcode_district,
        latest.pl_post as placement_postcode_pseudonym,
        {{ postcode_district_or_null('latest.pl_post_district') }} as placement_postcode_district,
        nullif(nullif(trim(latest.urn), ''), 'XXXXXXX') as placement_urn,
        {{ code_is_valid("nullif(trim(latest.rne), '')", 'reasons_new_episode.code') }}
            as is_reason_new_episode_code_valid,
        {{ code_is_valid("nullif(trim(latest.ls), '')", 'legal_statuses.code') }}
            as is_legal_status_code_valid,
        {{ code_is_valid("nullif(trim(latest.cin), '')", 'primary_needs.code') }}
            as is_primary_need_code_valid,
        {{ code_is_valid("nullif(trim(latest.place), '')", 'placement_types.code') }}
            as is_placement_type_code_valid,
        {{ code_is_valid("nullif(trim(latest.rec), '')", 'reasons_ceased.code') }}
            as is_reason_episode_ceased_code_valid,
        {{ lineage_columns('latest') }}
    from latest
    left join reasons_new_episode on trim(latest.rne) = reasons_new_episode.code
    left join legal_statuses on trim(latest.ls) = legal_statuses.code
    left join primary_needs on trim(latest.cin) = primary_needs.code
    left join placement_types on trim(latest.place) = placement_types.code
    left join reasons_ceased on trim(latest.rec) = reasons_ceased.code
),

final as (
    select
        *,
        coalesce(episode_end_date < episode_start_date, false) as is_end_before_start
    from renamed
)

select * from final
