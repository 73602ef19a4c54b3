{#- Suspensions recorded in the term, placed in the month the term starts. -#}
{{ monthly_indicator(ref('fct_school_attendance'), 'term_start_month', 'suspensions',
    numerator='suspensions', coverage=coverage_of('school_census')) }}
