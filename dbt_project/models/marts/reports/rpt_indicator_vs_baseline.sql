{#-
    Every indicator, breakdown and month against its baseline: the same calendar month in the
    previous baseline_years years (default 3), skipping months that are themselves in a
    period of interest, so a 2021 month is compared with pre-pandemic months.

    The expected range is the baseline range widened by the noise of a count: two Poisson
    standard deviations (2 x sqrt of the baseline mean) for counts, two binomial standard
    deviations at this month's denominator for percentages, and 10% of the mean (or two
    baseline standard deviations if larger) for means. A month is flagged 'below' or 'above'
    when its value leaves that range, but only when the baseline mean of the count behind
    it (the numerator of a count, the denominator of a share) reaches
    flag_min_baseline_count (default 10): smaller counts are 'small_count', never flagged.
-#}
with

monthly as (
    select * from {{ ref('fct_indicator_monthly') }}
),

months as (
    select * from {{ ref('dim_month') }}
),

baseline_candidates as (
    select
        target.area_code,
        target.month,
        target.indicator_id,
        target.breakdown_dimension,
        target.breakdown_value,
        earlier.month as baseline_month,
        earlier.value as baseline_value,
        coalesce(earlier.denominator, earlier.numerator) as baseline_base_count,
        row_number() over (
            partition by
                target.area_code, target.month, target.indicator_id,
                target.breakdown_dimension, target.breakdown_value
            order by earlier.month desc
        ) as years_back_rank
    from monthly as target
    inner join monthly as earlier
        on target.area_code = earlier.area_code
        and target.indicator_id = earlier.indicator_id
        and target.breakdown_dimension = earlier.breakdown_dimension
        and target.breakdown_value = earlier.breakdown_value
        and {{ dbt.date_trunc('month', 'earlier.month') }} < {{ dbt.date_trunc('month', 'target.month') }}
        and extract(month from earlier.month) = extract(month from target.month)
    inner join months as earlier_month
        on earlier.month = earlier_month.month
    where earlier_month.period_id is null
        and earlier.value is not null
),

baseline as (
    select
        area_code,
        month,
        indicator_id,
        breakdown_dimension,
        breakdown_value,
        count(*) as baseline_years_used,
        min(baseline_month) as baseline_first_month,
        avg(baseline_value) as baseline_mean,
        min(baseline_value) as baseline_min,
        max(baseline_value) as baseline_max,
        coalesce(stddev_samp(baseline_value), 0) as baseline_stddev,
        avg(baseline_base_count) as baseline_mean_base_count
    from baseline_candidates
    where years_back_rank <= {{ var('baseline_years') }}
    group by area_code, month, indicator_id, breakdown_dimension, breakdown_value
),

compared as (
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
        baseline.baseline_years_used,
        baseline.baseline_first_month,
        baseline.baseline_mean,
        baseline.baseline_min,
        baseline.baseline_max,
        baseline.baseline_stddev,
        baseline.baseline_mean_base_count,
        case monthly.unit
            when 'count' then 2 * sqrt(baseline.baseline_mean)
            when 'percent' then
                case when monthly.denominator > 0 then 2 * 100 * sqrt(
                    (baseline.baseline_mean / 100) * (1 - baseline.baseline_mean / 100)
                    / monthly.denominator
                ) end
            else greatest(0.1 * baseline.baseline_mean, 2 * baseline.baseline_stddev)
        end as tolerance
    from monthly
    inner join months
        on monthly.month = months.month
    left join baseline
        on monthly.area_code = baseline.area_code
        and monthly.month = baseline.month
        and monthly.indicator_id = baseline.indicator_id
        and monthly.breakdown_dimension = baseline.breakdown_dimension
        and monthly.breakdown_value = baseline.breakdown_value
),

final as (
    select
        *,
        baseline_min - tolerance as expected_low,
        baseline_max + tolerance as expected_high,
        value - baseline_mean as absolute_change,
        case
            when baseline_mean <> 0 then 100 * (value - baseline_mean) / baseline_mean
        end as percent_change,
        case
            when baseline_years_used is null then 'no_baseline'
            when value is null then 'no_value'
            when baseline_mean_base_count < {{ var('flag_min_baseline_count') }}
                then 'small_count'
            when value < baseline_min - tolerance then 'below'
            when value > baseline_max + tolerance then 'above'
            else 'within'
        end as flag,
        cast(null as varchar) as dq_caveat
    from compared
)

select * from final
