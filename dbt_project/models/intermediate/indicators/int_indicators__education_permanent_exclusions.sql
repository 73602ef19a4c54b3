{#- Permanent exclusions in the term, dated to the month the term ends. -#}
{{ monthly_indicator(ref('fct_school_attendance'), 'term_end_month', 'permanent_exclusions',
    numerator='case when is_permanently_excluded then 1 else 0 end',
    coverage=term_end_coverage_of('school_census')) }}
