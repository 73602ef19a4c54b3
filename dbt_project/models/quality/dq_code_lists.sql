{#- Every code list the quality layer validates against, from the seeds (DfE and contract
    code lists), as one list of (code_list, code). -#}
{% set code_lists = ['cin_referral_sources', 'cin_primary_needs', 'ethnicities',
    'ssda903_placement_types', 'ssda903_legal_statuses', 'ae_chief_complaints',
    'admission_methods', 'police_incident_types'] %}
{% for code_list in code_lists %}
select distinct '{{ code_list }}' as code_list, cast(code as varchar) as code
from {{ ref(code_list) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
