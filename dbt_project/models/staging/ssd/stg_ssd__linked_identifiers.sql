{#- One row per linked identifier (area, link_table_id): its row in the latest extract, the
    value's pseudonym in the column of its kind (ingestion splits it by type). -#}
with

latest as (
    {{ ssd_latest_rows('ssd_linked_identifiers', 'link_table_id') }}
),

renamed as (
    select
        {{ ssd_object_columns('link_person_id', 'link_table_id', 'linked_identifier') }},
        nullif(trim(latest.link_identifier_type), '') as identifier_type,
        latest.link_identifier_value_upn as upn_pseudonym,
        latest.link_identifier_value_nhs_number as nhs_number_pseudonym,
        latest.link_identifier_value_local_id as local_id_pseudonym,
        {{ ssd_date('latest.link_valid_from_date') }} as valid_from,
        {{ ssd_date('latest.link_valid_to_date') }} as valid_to,
        {{ lineage_columns('latest') }}
    from latest
    where latest.link_table_id is not null
)

select * from renamed
