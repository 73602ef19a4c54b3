{#- One row per episode of care (area, clae_cla_episode_id): its row in the latest extract,
    which has its end once it ceased; the reasons and need as the SSDA903 return codes them. -#}
{{ ssd_staged('ssd_cla_episodes', 'clae_cla_episode_id', 'clae_person_id', 'cla_episode', {
    'started_on': ['date', 'clae_cla_episode_start_date'],
    'reason_for_new_episode_code': ['code', 'clae_cla_episode_start_reason'],
    'primary_need_code': ['code', 'clae_cla_primary_need_code'],
    'ceased_on': ['date', 'clae_cla_episode_ceased_date'],
    'reason_episode_ceased_code': ['code', 'clae_cla_episode_ceased_reason'],
    'period_of_care_id': ['text', 'clae_cla_id'],
    'cin_episode_id': ['text', 'clae_referral_id'],
    'placement_id': ['text', 'clae_cla_placement_id'],
    'entered_care_on': ['date', 'clae_entered_care_date'],
    'last_iro_contact_on': ['date', 'clae_cla_last_iro_contact_date'],
}) }}
