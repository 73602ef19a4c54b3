{#- One row per early help episode (area, earl_episode_id): its row in the latest extract,
    which has its end once it ended. -#}
{{ ssd_staged('ssd_early_help_episodes', 'earl_episode_id', 'earl_person_id', 'episode') }}
