{#- One row per missing or away-from-placement episode (area, miss_table_id): its row in
    the latest extract, which has its end once the child was found or returned. -#}
{{ ssd_staged('ssd_missing', 'miss_table_id', 'miss_person_id', 'missing_episode') }}
