{#- One row per child involved in a police incident, as the force delivers it (an incident
    with children present but none identified is one row with is_child_identified false),
    with the child's linked child_key and whether the child was known to children's social
    care at the time: the child's linked records hold a CIN episode (referral to closure,
    open while not closed) or an SSDA903 episode of care open at some time in the 12 months
    up to and including the incident date. -#}
with

{{ import_ctes({
    'incident_children': 'stg_police__incidents',
    'person_records': 'int_linkage__person_records',
    'child_keys': 'int_linkage__child_keys',
    'child_social_care_spells': 'int_linkage__social_care_spells',
}) }},

linked_children as (
    {{ linked_children('police_incidents', 'incident_child_id') }}
),

known_at_incident as (
    {{ known_to_social_care_at(
        'incident_children', 'linked_children', ['incident_child_id'], 'incident_date',
        condition='incident_children.is_child_identified') }}
),

final as (
    select
        incident_children.incident_child_id,
        {{ police_incident_id('incident_children') }} as police_incident_id,
        incident_children.area_code,
        incident_children.incident_ref,
        incident_children.incident_date,
        cast({{ dbt.date_trunc('month', 'incident_children.incident_date') }} as date) as incident_month,
        coalesce(incident_children.incident_type_code, 'not_recorded') as incident_type_code,
        incident_children.is_child_identified,
        incident_children.birth_month,
        incident_children.postcode_district,
        case when incident_children.is_child_identified then linked_children.child_key end as child_key,
        case
            when incident_children.is_child_identified then coalesce(linked_children.link_method, 'unlinked')
            else 'not_identified'
        end as link_method,
        known_at_incident.incident_child_id is not null as is_known_to_social_care,
        incident_children.source_file,
        incident_children.source_line
    from incident_children
    left join linked_children
        on incident_children.incident_child_id = linked_children.incident_child_id
    left join known_at_incident
        on incident_children.incident_child_id = known_at_incident.incident_child_id
)

select * from final
