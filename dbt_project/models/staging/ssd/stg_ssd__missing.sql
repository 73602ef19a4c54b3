{#- One row per missing or away-from-placement episode (area, miss_table_id): its row in
    the latest extract, which has its end once the child was found or returned. -#}
{{ ssd_staged('ssd_missing', 'miss_table_id', 'miss_person_id', 'missing_episode', {
    'started_on': ['date', 'miss_missing_episode_start_date'],
    'missing_type_code': ['code', 'miss_missing_episode_type'],
    'ended_on': ['date', 'miss_missing_episode_end_date'],
    'return_interview_offered_code': ['code', 'miss_missing_rhi_offered'],
    'return_interview_accepted_code': ['code', 'miss_missing_rhi_accepted'],
}) }}
