{#- One row per initial child protection conference (area, icpc_icpc_id): its row in the
    latest extract, with the enquiry it followed and the plan it decided. -#}
{{ ssd_staged('ssd_initial_cp_conference', 'icpc_icpc_id', 'icpc_person_id', 'icpc') }}
