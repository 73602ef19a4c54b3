{#- Of the children looked after at any time in the month, the share with three or more
    placements in the 12 months to the month end. -#}
{{ monthly_indicator(ref('fct_cla_children_in_care_monthly'), 'month', 'cla_three_or_more_placements',
    numerator='case when has_three_or_more_placements then 1 else 0 end', denominator='1', scale=100,
    coverage=coverage_of('ssda903')) }}
