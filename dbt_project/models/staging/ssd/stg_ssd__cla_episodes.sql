{#- One row per episode of care (area, clae_cla_episode_id): its row in the latest extract,
    which has its end once it ceased; the reasons and need as the SSDA903 return codes them. -#}
{{ ssd_staged('ssd_cla_episodes', 'clae_cla_episode_id', 'clae_person_id', 'cla_episode') }}
