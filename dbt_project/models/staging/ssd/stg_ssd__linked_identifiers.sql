{#- One row per linked identifier (area, link_table_id): its row in the latest extract, the
    value's pseudonym in the column of its kind (ingestion splits it by type). -#}
{{ ssd_staged('ssd_linked_identifiers', 'link_table_id', 'link_person_id', 'linked_identifier') }}
