{#- One row per placement of a looked-after child (area, clap_cla_placement_id):
    its row in the latest extract. -#}
{{ ssd_staged('ssd_cla_placement', 'clap_cla_placement_id', 'clap_person_id', 'cla_placement') }}
