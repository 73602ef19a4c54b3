{#- The two steps a partner's mart takes into the person linkage, written once for the A&E
    and police marts (and any partner mart to come). Both read the calling model's import
    CTEs by their usual names: person_records (int_linkage__person_records), child_keys
    (int_linkage__child_keys) and child_social_care_spells (int_linkage__social_care_spells). -#}

{#- The person-records of one source with the child each was linked to and how. -#}
{% macro linked_children(source_name, record_id, with_area=false) -%}
    select
        {%- if with_area %}
        person_records.area_code,
        {%- endif %}
        person_records.source_record_id as {{ record_id }},
        child_keys.child_key,
        child_keys.link_method
    from person_records
    inner join child_keys on person_records.person_record_id = child_keys.person_record_id
    where person_records.source = '{{ source_name }}'
{%- endmacro %}

{#- The keys of the facts whose linked child was known to children's social care at the
    time: a CIN episode (referral to closure, open while not closed) or an SSDA903 episode of
    care open at some time in the 12 months up to and including the event date. facts and
    linked are CTEs of the calling model, joined on keys; condition narrows the facts. -#}
{% macro known_to_social_care_at(facts, linked, keys, event_date, condition=none) -%}
    {%- set event = facts ~ '.' ~ event_date -%}
    select distinct
        {%- for key in keys %} {{ facts }}.{{ key }}{{ ',' if not loop.last }}{% endfor %}
    from {{ facts }}
    inner join {{ linked }}
        on {{ columns_match(facts, linked, keys) }}
    inner join child_social_care_spells
        on {{ linked }}.child_key = child_social_care_spells.child_key
    where {% if condition %}{{ condition }}
        and {% endif %}child_social_care_spells.start_date <= {{ event }}
        and coalesce(child_social_care_spells.end_date, {{ event }})
            >= {{ dbt.dateadd('year', -1, event) }}
{%- endmacro %}
