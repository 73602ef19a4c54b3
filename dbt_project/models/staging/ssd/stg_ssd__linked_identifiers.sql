{#- One row per linked identifier (area, link_table_id): its row in the latest extract, the
    value's pseudonym in the column of its kind (ingestion splits it by type). -#}
{{ ssd_staged('ssd_linked_identifiers', 'link_table_id', 'link_person_id', 'linked_identifier', {
    'identifier_type': ['text', 'link_identifier_type'],
    'upn_pseudonym': ['as_loaded', 'link_identifier_value_upn'],
    'nhs_number_pseudonym': ['as_loaded', 'link_identifier_value_nhs_number'],
    'local_id_pseudonym': ['as_loaded', 'link_identifier_value_local_id'],
    'valid_from': ['date', 'link_valid_from_date'],
    'valid_to': ['date', 'link_valid_to_date'],
}) }}
