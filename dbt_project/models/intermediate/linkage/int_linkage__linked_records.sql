{#- Every person-record with the child it was linked to and the partner it comes from:
    the one place later models ask "which services knew this child, and when". -#}
with

{{ import_ctes({
    'child_keys': 'int_linkage__child_keys',
    'person_records': 'int_linkage__person_records',
    'partner_sources': 'partner_sources',
}) }},

final as (
    select
        child_keys.person_record_id,
        child_keys.child_key,
        child_keys.source,
        partner_sources.partner,
        partner_sources.is_service_contact,
        child_keys.area_code,
        child_keys.event_date,
        person_records.la_child_key,
        person_records.postcode_district
    from child_keys
    inner join person_records
        on child_keys.person_record_id = person_records.person_record_id
    inner join partner_sources
        on child_keys.source = partner_sources.source
)

select * from final
