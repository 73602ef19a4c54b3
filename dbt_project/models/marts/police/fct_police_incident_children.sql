{#- One row per child involved in a police incident, as the force delivers it (an incident
    with children present but none identified is one row with is_child_identified false),
    with the child's linked child_key and whether the child was known to children's social
    care at the time: the child's linked records hold a CIN episode (referral to closure,
    open while not closed) or an SSDA903 episode of care open at some time in the 12 months
    up to and including the incident date. -#}
with

incident_children as (
    select * from {{ ref('stg_police__incidents') }}
),

person_records as (
    select * from {{ ref('int_linkage__person_records') }}
),

child_keys as (
    select * from {{ ref('int_linkage__child_keys') }}
),

child_social_care_spells as (
    select * from {{ ref('int_linkage__social_care_spells') }}
),

linked_children as (
    select
        person_records.source_record_id as incident_child_id,
        child_keys.child_key,
        child_keys.link_method
    from person_records
    inner join child_keys on person_records.person_record_id = child_keys.person_record_id
    where person_records.source = 'police_incidents'
),

known_at_incident as (
    select distinct incident_children.incident_child_id
    from incident_children
    inner join linked_children
        on incident_children.incident_child_id = linked_children.incident_child_id
    inner join child_social_care_spells
        on linked_children.child_key = child_social_care_spells.child_key
    where incident_children.is_child_identified
        and child_social_care_spells.start_date <= incident_children.incident_date
        and coalesce(child_social_care_spells.end_date, incident_children.incident_date)
            >= {{ dbt.dateadd('year', -1, 'incident_children.incident_date') }}
),

final as (
    select
        incident_children.incident_child_id,
        {{ dbt.hash(dbt.concat(["incident_children.area_code", "'|'", "incident_children.incident_ref"])) }}
            as police_incident_id,
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
