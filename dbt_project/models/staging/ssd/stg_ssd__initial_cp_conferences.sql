{#- One row per initial child protection conference (area, icpc_icpc_id): its row in the
    latest extract, with the enquiry it followed and the plan it decided. -#}
{{ ssd_staged('ssd_initial_cp_conference', 'icpc_icpc_id', 'icpc_person_id', 'icpc', {
    's47_enquiry_id': ['text', 'icpc_s47_enquiry_id'],
    'cin_episode_id': ['text', 'icpc_referral_id'],
    'cp_plan_id': ['text', 'icpc_cp_plan_id'],
    'target_on': ['date', 'icpc_icpc_target_date'],
    'icpc_on': ['date', 'icpc_icpc_date'],
    'is_outcome_cp_plan': ['yes_no', 'icpc_icpc_outcome_cp_flag'],
    'is_transfer_in': ['yes_no', 'icpc_icpc_transfer_in'],
}) }}
