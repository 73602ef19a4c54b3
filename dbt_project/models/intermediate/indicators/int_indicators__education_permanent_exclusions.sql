{#- Permanent exclusions in the term, placed in the month the term starts. -#}
{{ monthly_indicator(ref('fct_school_attendance'), 'term_start_month', 'permanent_exclusions',
    numerator='case when is_permanently_excluded then 1 else 0 end',
    coverage=coverage_of('school_census')) }}
