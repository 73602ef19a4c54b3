{#- Of the pupils on roll in the term (with at least one possible session), the share
    persistently absent (attended under 90% of possible sessions); dated to the month the
    term ends. -#}
{{ monthly_indicator(ref('fct_school_attendance'), 'term_end_month', 'persistent_absence',
    numerator='case when is_persistently_absent then 1 else 0 end',
    denominator='case when is_persistently_absent is not null then 1 else 0 end', scale=100,
    coverage=term_end_coverage_of('school_census')) }}
