{#- Linkage quality per source, area and month (of the record's event date):
    - records_linked: records resolved to a child through at least one usable key (so their
      child_key joins them to the child's other records); match_rate = records_linked / records;
    - records_linked_other_source: the child_key also holds records of another source;
    - records_known_to_social_care: the child_key holds a social care record (CIN census,
      SSDA903, the SSD's children in need). -#}

with

{{ import_ctes({
    'child_keys': 'int_linkage__child_keys',
    'linked_records': 'int_linkage__linked_records',
}) }},

child_sources as (
    select
        child_key,
        -- A source holding a return's records (the SSD) counts as that return: the same
        -- child in the census and the SSD is no link to another source.
        count(distinct case
            {%- for fed_return, feed in source_feeds().items() %}
            when source = '{{ feed['source'] }}' then '{{ fed_return }}'
            {%- endfor %}
            else source
        end) as sources,
        max(case when partner = 'social_care' then 1 else 0 end) as is_known_to_social_care
    from linked_records
    group by child_key
),

records as (
    select
        child_keys.source,
        child_keys.area_code,
        {{ dbt.date_trunc('month', 'child_keys.event_date') }} as month,
        child_keys.link_method,
        child_sources.sources,
        child_sources.is_known_to_social_care
    from child_keys
    inner join child_sources on child_keys.child_key = child_sources.child_key
),

aggregated as (
    select
        source,
        area_code,
        cast(month as date) as month,
        count(*) as records,
        sum(case when link_method <> 'unlinked' then 1 else 0 end) as records_linked,
        sum(case when link_method = 'deterministic' then 1 else 0 end) as records_linked_deterministic,
        sum(case when link_method = 'composite' then 1 else 0 end) as records_linked_composite,
        sum(case when link_method = 'birth_date_district' then 1 else 0 end) as records_linked_birth_date_district,
        sum(case when sources > 1 then 1 else 0 end) as records_linked_other_source,
        sum(is_known_to_social_care) as records_known_to_social_care
    from records
    group by source, area_code, cast(month as date)
),

final as (
    select
        *,
        cast(records_linked as double) / records as match_rate,
        cast(records_linked_other_source as double) / records as other_source_rate,
        cast(records_known_to_social_care as double) / records as known_to_social_care_rate
    from aggregated
)

select * from final
