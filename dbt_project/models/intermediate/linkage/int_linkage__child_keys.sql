{#- One child_key per child across all partners. Person-records are joined through shared
    keys: deterministic first (pseudonymised UPN, NHS number, LA child id within the area),
    then the composite key (forename + surname + date of birth + district pseudonyms), then
    date of birth + postcode district where that pair points at one child only. Links are
    resolved transitively: connected components by label propagation, a fixed number of
    passes (var linkage_passes), each identity (key profiles with the same usable keys)
    taking the smallest label reachable through its keys. is_converged says whether the
    last pass changed nothing. -#}

{%- set passes = var('linkage_passes', 8) %}

{#- The keys a record can be linked through (key type, the person-record column holding it),
    and the columns that make a key profile (the keys and what judges their quality). -#}
{%- set linking_keys = [
    ('upn', 'upn_pseudonym'),
    ('nhs_number', 'nhs_number_pseudonym'),
    ('la_child_id', 'la_child_key'),
    ('composite', 'composite_key'),
    ('birth_date_district', 'birth_date_district_key'),
] %}
{%- set profile_columns = [
    'upn_pseudonym', 'nhs_number_pseudonym', 'la_child_key', 'composite_key',
    'birth_date_district_key', 'birth_date_pseudonym', 'surname_pseudonym',
] %}
{%- set profile_hash_parts = [] %}
{%- for column in profile_columns %}
    {%- do profile_hash_parts.append("coalesce(" ~ column ~ ", '')") %}
    {%- if not loop.last %}{% do profile_hash_parts.append("'|'") %}{% endif %}
{%- endfor %}

with

person_records as (
    select * from {{ ref('int_linkage__person_records') }}
),

{#- Records carrying the same keys (a pupil's termly census rows, a re-delivered attendance)
    share one key profile: every step up to the final join works on profiles, a seventh of
    the records on a county. -#}
profiles as (
    select
        {{ dbt.hash(dbt.concat(profile_hash_parts)) }} as profile_id,
        *
    from (
        select distinct
            {{ profile_columns | join(', ') }}
        from person_records
    ) as distinct_profiles
),

record_keys_all as (
{%- for key_type, key_column in linking_keys %}
    select profile_id, '{{ key_type }}' as key_type, {{ key_column }} as key_value, birth_date_pseudonym,
        upn_pseudonym, nhs_number_pseudonym, la_child_key, surname_pseudonym
    from profiles where {{ key_column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}
),

{#- A UPN or NHS number seen with two dates of birth is a placeholder (903 UN1-UN5 are
    hashed as delivered) or an error: it links nothing. A date of birth + district pair
    shared by two UPNs, two NHS numbers, two LA children or two surnames (twins, neighbours)
    links nothing. -#}
key_quality as (
    select
        key_type,
        key_value,
        count(distinct birth_date_pseudonym) as birth_dates,
        count(distinct upn_pseudonym) as upns,
        count(distinct nhs_number_pseudonym) as nhs_numbers,
        count(distinct la_child_key) as la_children,
        count(distinct surname_pseudonym) as surnames
    from record_keys_all
    group by key_type, key_value
),

profile_keys as (
    select record_keys_all.profile_id, record_keys_all.key_type, record_keys_all.key_value
    from record_keys_all
    inner join key_quality
        on {{ columns_match('record_keys_all', 'key_quality', ['key_type', 'key_value']) }}
    where
        (key_quality.key_type in ('upn', 'nhs_number') and key_quality.birth_dates <= 1)
        or key_quality.key_type in ('la_child_id', 'composite')
        or (key_quality.key_type = 'birth_date_district'
            and key_quality.upns <= 1 and key_quality.nhs_numbers <= 1
            and key_quality.la_children <= 1 and key_quality.surnames <= 1)
),

{#- Profiles holding the same usable keys are one identity to the propagation (profiles
    differing only in a key that links nothing): propagating over identities keeps every
    pass small. A record without usable keys is its own. -#}
profile_identities as (
    select
        profile_id,
        {{ dbt.hash(dbt.listagg(dbt.concat(["key_type", "':'", "key_value"]), "'|'",
            "order by key_type, key_value")) }} as identity_id
    from profile_keys
    group by profile_id
),

identity_keys as (
    select distinct profile_identities.identity_id, profile_keys.key_type, profile_keys.key_value
    from profile_keys
    inner join profile_identities
        on profile_keys.profile_id = profile_identities.profile_id
),

labels_0 as (
    select distinct identity_id, identity_id as label from profile_identities
),
{% for i in range(1, passes + 1) %}
key_labels_{{ i }} as (
    select identity_keys.key_type, identity_keys.key_value, min(labels_{{ i - 1 }}.label) as label
    from identity_keys
    inner join labels_{{ i - 1 }} on identity_keys.identity_id = labels_{{ i - 1 }}.identity_id
    group by identity_keys.key_type, identity_keys.key_value
),

labels_{{ i }} as (
    select labels_{{ i - 1 }}.identity_id,
        least(labels_{{ i - 1 }}.label, coalesce(min(key_labels_{{ i }}.label), labels_{{ i - 1 }}.label)) as label
    from labels_{{ i - 1 }}
    left join identity_keys on labels_{{ i - 1 }}.identity_id = identity_keys.identity_id
    left join key_labels_{{ i }}
        on identity_keys.key_type = key_labels_{{ i }}.key_type
        and identity_keys.key_value = key_labels_{{ i }}.key_value
    group by labels_{{ i - 1 }}.identity_id, labels_{{ i - 1 }}.label
),
{% endfor %}

profile_link_methods as (
    select
        profile_id,
        count(*) as usable_keys,
        max(case when key_type in ('upn', 'nhs_number', 'la_child_id') then 1 else 0 end) as has_deterministic_key,
        max(case when key_type = 'composite' then 1 else 0 end) as has_composite_key,
        max(case when key_type = 'birth_date_district' then 1 else 0 end) as has_birth_date_district_key
    from profile_keys
    group by profile_id
),

final as (
    select
        person_records.person_record_id,
        person_records.source,
        person_records.area_code,
        person_records.event_date,
        {{ dbt.hash('coalesce(labels_' ~ passes ~ '.label, person_records.person_record_id)') }}
            as child_key,
        case
            when profile_link_methods.has_deterministic_key = 1 then 'deterministic'
            when profile_link_methods.has_composite_key = 1 then 'composite'
            when profile_link_methods.has_birth_date_district_key = 1 then 'birth_date_district'
            else 'unlinked'
        end as link_method,
        coalesce(profile_link_methods.usable_keys, 0) as usable_keys,
        coalesce(labels_{{ passes }}.label = labels_{{ passes - 1 }}.label, true) as is_converged
    from person_records
    inner join profiles
        on {% for column in profile_columns -%}
        person_records.{{ column }} is not distinct from profiles.{{ column }}
        {%- if not loop.last %}
        and {% endif %}
        {%- endfor %}
    left join profile_identities on profiles.profile_id = profile_identities.profile_id
    left join labels_{{ passes }} on profile_identities.identity_id = labels_{{ passes }}.identity_id
    left join labels_{{ passes - 1 }}
        on profile_identities.identity_id = labels_{{ passes - 1 }}.identity_id
    left join profile_link_methods on profiles.profile_id = profile_link_methods.profile_id
)

select * from final
