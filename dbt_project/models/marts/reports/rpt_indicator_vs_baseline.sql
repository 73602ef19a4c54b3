{#-
    Every indicator, breakdown and month against what would have been expected, two ways:
    - the model (fct_indicator_expected): the expected value and 95% prediction interval of
      a model fitted on the months outside every period of interest, with the flag;
    - the same-months comparison of DfE's Vulnerable Children survey: the mean of the same
      calendar month in the previous baseline_years clean years, and the change against it.
    The recording quality of the source-month behind each value travels with it.
-#}
with

monthly as (
    select * from {{ ref('fct_indicator_monthly') }}
),

months as (
    select * from {{ ref('dim_month') }}
),

expected as (
    select * from {{ ref('fct_indicator_expected') }}
),

caveats as (
    select * from {{ ref('dq_caveats_monthly') }}
),

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
        case
            when expected.expected_value <> 0
                then 100 * (monthly.value - expected.expected_value) / expected.expected_value
        end as change_from_expected_percent,
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
        case
            when expected.baseline_mean <> 0
                then 100 * (monthly.value - expected.baseline_mean) / expected.baseline_mean
        end as percent_change,
        caveats.dq_caveat
    from monthly
    inner join months
        on monthly.month = months.month
    left join expected
        on monthly.area_code = expected.area_code
        and monthly.month = expected.month
        and monthly.indicator_id = expected.indicator_id
        and monthly.breakdown_dimension = expected.breakdown_dimension
        and monthly.breakdown_value = expected.breakdown_value
    left join caveats
        on monthly.area_code = caveats.area_code
        and monthly.indicator_id = caveats.indicator_id
        and monthly.breakdown_dimension = caveats.breakdown_dimension
        and monthly.month = caveats.month
)

select * from final
