{#- One row per early help episode (area, earl_episode_id): its row in the latest extract,
    which has its end once it ended. -#}
{{ ssd_staged('ssd_early_help_episodes', 'earl_episode_id', 'earl_person_id', 'episode', {
    'episode_start_date': ['date', 'earl_episode_start_date'],
    'episode_end_date': ['date', 'earl_episode_end_date'],
    'episode_reason': ['text', 'earl_episode_reason'],
    'episode_end_reason': ['text', 'earl_episode_end_reason'],
    'organisation': ['text', 'earl_episode_organisation'],
    'worker_id': ['text', 'earl_episode_worker_id'],
}) }}
