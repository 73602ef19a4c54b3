{#- One row per episode (area, child, DECOM). A child in care across years is in several
    returns; the latest return carries the latest DEC and REC, so it wins. -#}

{#- The coded fields (the field, its code list's import CTE, the name of its columns), from
    which each field's validity and join are written. -#}
{%- set coded_fields = [
    ('rne', 'reasons_new_episode', 'reason_new_episode'),
    ('ls', 'legal_statuses', 'legal_status'),
    ('cin', 'primary_needs', 'primary_need'),
    ('place', 'placement_types', 'placement_type'),
    ('rec', 'reasons_ceased', 'reason_episode_ceased'),
] -%}
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
        {%- for field, codes, name in coded_fields %}
        {{ code_is_valid("nullif(trim(latest." ~ field ~ "), '')", codes ~ '.code') }}
            as is_{{ name }}_code_valid,
        {%- endfor %}
        {{ lineage_columns('latest') }}
    from latest
    {%- for field, codes, name in coded_fields %}
    left join {{ codes }} on trim(latest.{{ field }}) = {{ codes }}.code
    {%- endfor %}
),

final as (
    select
        *,
        coalesce(episode_end_date < episode_start_date, false) as is_end_before_start
    from renamed
)

select * from final
