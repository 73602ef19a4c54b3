{#- One row per immigration status of a person (area, immi_immigration_status_id):
    its row in the latest extract. -#}
{{ ssd_staged('ssd_immigration_status', 'immi_immigration_status_id', 'immi_person_id', 'immigration_status') }}
