{#- One row per police incident involving children (area, incident reference): type,
    children present, whether children's social care was notified, and how many of the
    involved children were identified and known to social care at the time.
    has_children_present: CHILDREN_PRESENT above 0 or, when it is blank, an identified
    child on the incident. A missing-child report has no children present (the child is
    the one missing). -#}
with

{{ import_ctes({
    'incident_children': 'stg_police__incidents',
    'linked_children': 'fct_police_incident_children',
}) }},

incidents as (
    select
        area_code,
        incident_ref,
        min(force_code) as force_code,
        min(incident_date) as incident_date,
        max(incident_type_code) as incident_type_code,
        max(incident_type) as incident_type,
        max(children_present) as children_present,
        max(case when is_notified_to_csc then 1 else 0 end) as notified_to_csc,
        sum(case when is_child_identified then 1 else 0 end) as children_identified,
        min(recorded_at) as recorded_at
    from incident_children
    group by area_code, incident_ref
),

incident_links as (
    select
        area_code,
        incident_ref,
        sum(case when is_known_to_social_care then 1 else 0 end) as children_known_to_social_care
    from linked_children
    group by area_code, incident_ref
),

final as (
    select
        {{ police_incident_id('incidents') }} as police_incident_id,
        incidents.area_code,
        incidents.force_code,
        incidents.incident_ref,
        incidents.incident_date,
        cast({{ dbt.date_trunc('month', 'incidents.incident_date') }} as date) as incident_month,
        coalesce(incidents.incident_type_code, 'not_recorded') as incident_type_code,
        incidents.incident_type,
        incidents.children_present,
        case
            when incidents.children_present is not null then incidents.children_present > 0
            else incidents.children_identified > 0
        end as has_children_present,
        incidents.notified_to_csc = 1 as is_notified_to_csc,
        incidents.children_identified,
        coalesce(incident_links.children_known_to_social_care, 0) as children_known_to_social_care,
        coalesce(incident_links.children_known_to_social_care, 0) > 0 as involves_child_known_to_social_care,
        incidents.recorded_at
    from incidents
    left join incident_links
        on {{ columns_match('incidents', 'incident_links', ['area_code', 'incident_ref']) }}
)

select * from final
