{#- One row per episode (area, child, DECOM). A child in care across years is in several
    returns; the latest return carries the latest DEC and REC, so it wins. -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_episodes') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child, decom
            order by {{ latest_return_first() }}
        ) as return_rank,
        count(*) over (partition by _area, child, decom) as returns_count
    from source
),

latest as (
    select * from ranked where return_rank = 1
),

legal_statuses as (
    select * from {{ ref('ssda903_legal_statuses') }}
),

placement_types as (
    select * from {{ ref('ssda903_placement_types') }}
),

reasons_new_episode as (
    select * from {{ ref('ssda903_reasons_new_episode') }}
),

reasons_ceased as (
    select * from {{ ref('ssda903_reasons_episode_ceased') }}
),

primary_needs as (
    select * from {{ ref('cin_primary_needs') }}
),

renamed as (
    select
        {{ dbt.hash(dbt.concat(["latest._area", "'|'", "latest.child", "'|'", "latest.decom"])) }}
            as episode_id,
        latest._area as area_code,
        {{ integer_or_null('latest._collection_period') }} as collection_year,
        latest.returns_count,
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
        case when nullif(trim(latest.rne), '') is not null then reasons_new_episode.code is not null end
            as is_reason_new_episode_code_valid,
        case when nullif(trim(latest.ls), '') is not null then legal_statuses.code is not null end
            as is_legal_status_code_valid,
        case when nullif(trim(latest.cin), '') is not null then primary_needs.code is not null end
            as is_primary_need_code_valid,
        case when nullif(trim(latest.place), '') is not null then placement_types.code is not null end
            as is_placement_type_code_valid,
        case when nullif(trim(latest.rec), '') is not null then reasons_ceased.code is not null end
            as is_reason_episode_ceased_code_valid,
        latest._source_file as source_file,
        latest._record_line as source_line
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
