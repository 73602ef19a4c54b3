{#- Placement moves (new episodes with RNE P, B, T or U within a period of care) in the month. -#}
{{ monthly_indicator(ref('fct_cla_placement_moves'), 'moved_month', 'cla_placement_moves',
    breakdowns=['age_band'], coverage=coverage_of('ssda903')) }}
