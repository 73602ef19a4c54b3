{#- One row per section 47 enquiry (area, s47e_s47_enquiry_id): its row in the latest
    extract, which has its end once it was completed. -#}
{{ ssd_staged('ssd_s47_enquiry', 's47e_s47_enquiry_id', 's47e_person_id', 's47_enquiry', {
    'cin_episode_id': ['text', 's47e_referral_id'],
    'started_on': ['date', 's47e_s47_start_date'],
    'ended_on': ['date', 's47e_s47_end_date'],
    'is_nfa': ['yes_no', 's47e_s47_nfa'],
    'is_outcome_cp_conference': ['outcome_flag', 's47e_s47_outcome_json', 'CP_CONFERENCE_FLAG'],
}) }}
