{#- One row per assessment (area, cina_assessment_id): its row in the latest extract, which
    has its authorisation once it was authorised. -#}
{{ ssd_staged('ssd_cin_assessments', 'cina_assessment_id', 'cina_person_id', 'assessment', {
    'cin_episode_id': ['text', 'cina_referral_id'],
    'started_on': ['date', 'cina_assessment_start_date'],
    'authorised_on': ['date', 'cina_assessment_auth_date'],
    'is_child_seen': ['yes_no', 'cina_assessment_child_seen'],
    'is_outcome_nfa': ['yes_no', 'cina_assessment_outcome_nfa'],
}) }}
