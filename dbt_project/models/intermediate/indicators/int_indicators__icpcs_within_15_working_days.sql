{#- Of the ICPCs held in the month, the share held within 15 working days of the s47 start. -#}
{{ monthly_indicator(ref('fct_section47_enquiries'), 'icpc_month', 'icpcs_within_15_working_days',
    numerator='case when is_icpc_within_15_working_days then 1 else 0 end',
    denominator='case when icpc_on is not null then 1 else 0 end', scale=100, coverage=coverage_of('cin_census')) }}
