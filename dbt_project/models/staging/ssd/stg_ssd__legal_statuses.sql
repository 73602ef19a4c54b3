{#- One row per legal status of a person (area, lega_legal_status_id):
    its row in the latest extract. -#}
{{ ssd_staged('ssd_legal_status', 'lega_legal_status_id', 'lega_person_id', 'legal_status') }}
