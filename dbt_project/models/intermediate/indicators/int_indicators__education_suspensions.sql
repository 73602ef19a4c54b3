{#- Suspensions recorded in the term, dated to the month the term ends. -#}
{{ monthly_indicator(ref('fct_school_attendance'), 'term_end_month', 'suspensions',
    numerator='suspensions', coverage=term_end_coverage_of('school_census')) }}
