{#-
    Every indicator, breakdown and month against what would have been expected, two ways:
    - the model (fct_indicator_expected): the expected value and 95% prediction interval of
      a model fitted on the months outside every period of interest, with the flag;
    - the same-months comparison of DfE's Vulnerable Children survey: the mean of the same
      calendar month in the previous baseline_years clean years, and the change against it.
    The recording quality of the source-month behind each value travels with it.
-#}
with

{{ import_ctes({
    'monthly': 'fct_indicator_monthly',
    'months': 'dim_month',
    'expected': 'fct_indicator_expected',
    'caveats': 'dq_caveats_monthly',
}) }},

final as (
    select
        monthly.area_code,
        monthly.month,
        months.month_label,
        months.period_id,
        months.period_label,
        months.period_type,
        monthly.indicator_id,
        monthly.family,
        monthly.unit,
        monthly.breakdown_dimension,
        monthly.breakdown_value,
        monthly.numerator,
        monthly.denominator,
        monthly.value,
        expected.method,
        expected.expected_value,
        expected.expected_low,
        expected.expected_high,
        {{ percent_change('monthly.value', 'expected.expected_value') }}
            as change_from_expected_percent,
        expected.flag,
        expected.not_assessed_reason,
        expected.in_model_fit,
        expected.model_clean_values,
        expected.model_dispersion,
        cast(expected.baseline_years_used as integer) as baseline_years_used,
        cast(expected.baseline_first_month as date) as baseline_first_month,
        expected.baseline_mean,
        expected.baseline_min,
        expected.baseline_max,
        expected.baseline_stddev,
        expected.baseline_mean_base_count,
        monthly.value - expected.baseline_mean as absolute_change,
        {{ percent_change('monthly.value', 'expected.baseline_mean') }} as percent_change,
        caveats.dq_caveat
    from monthly
    inner join months
        on monthly.month = months.month
    left join expected
        on {{ columns_match('monthly', 'expected', [
            'area_code', 'month', 'indicator_id', 'breakdown_dimension', 'breakdown_value']) }}
    left join caveats
        on {{ columns_match('monthly', 'caveats', [
            'area_code', 'indicator_id', 'breakdown_dimension', 'month']) }}
)

select * from final
