{#- Every code list the quality layer validates against, from the seeds (DfE and contract
    code lists), as one list of (code_list, code, first_year, last_year). An SSDA903 list
    is valid by collection year (seed ssda903_code_years, from the DfE specifications), so a
    return is judged against its own year's codes; the others hold in every year (null). -#}
{% set code_lists = ['cin_referral_sources', 'cin_primary_needs', 'ethnicities',
    'ae_chief_complaints', 'admission_methods', 'police_incident_types'] %}
{% for code_list in code_lists %}
select distinct '{{ code_list }}' as code_list, cast(code as varchar) as code,
    cast(null as integer) as first_year, cast(null as integer) as last_year
from {{ ref(code_list) }}
union all
{% endfor %}
select code_list, code, first_year, last_year
from {{ ref('ssda903_code_years') }}
