{#-
    Each period of interest (periods seed) against the same months of the baseline years:
    for a period, the totals over its months; for the baseline, the same calendar months
    shifted back by whole years, using the baseline_years most recent years whose shifted
    months are all outside every period, as mean, minimum and maximum across those years.
-#}

{#- An indicator's grain (with its unit) and the totals a period or a baseline year sums
    over its months. -#}
{%- set indicator_grain = ['area_code', 'indicator_id', 'breakdown_dimension', 'breakdown_value'] %}
{%- set monthly_columns = 'monthly.area_code, monthly.indicator_id, monthly.unit, '
    ~ 'monthly.breakdown_dimension, monthly.breakdown_value' %}
{%- set totals = 'sum(monthly.numerator) as numerator, sum(monthly.denominator) as denominator, '
    ~ 'count(*) as months_covered' %}

with

{{ import_ctes({
    'monthly': 'fct_indicator_monthly',
    'months': 'dim_month',
    'periods': 'periods',
}) }},

period_months as (
    select period_id, month from months where period_id is not null
),

year_offsets as (
    {% for years_back in range(1, var('baseline_years') + 6) %}
    select {{ years_back }} as years_back
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

shifted as (
    select
        period_months.period_id,
        period_months.month as period_month,
        year_offsets.years_back,
        cast({{ dbt.dateadd('year', '-year_offsets.years_back', 'period_months.month') }} as date)
            as baseline_month
    from period_months
    cross join year_offsets
),

usable_offsets as (
    select shifted.period_id, shifted.years_back
    from shifted
    left join months
        on shifted.baseline_month = months.month
    group by shifted.period_id, shifted.years_back
    having count(*) = count(months.month) and count(months.period_id) = 0
),

ranked_offsets as (
    select
        period_id,
        years_back,
        row_number() over (partition by period_id order by years_back) as offset_rank
    from usable_offsets
),

chosen_offsets as (
    select period_id, years_back
    from ranked_offsets
    where offset_rank <= {{ var('baseline_years') }}
),

period_totals as (
    select
        period_months.period_id,
        cast(null as integer) as years_back,
        {{ monthly_columns }},
        {{ totals }}
    from monthly
    inner join period_months
        on monthly.month = period_months.month
    group by period_months.period_id, {{ monthly_columns }}
),

baseline_years as (
    select
        shifted.period_id,
        shifted.years_back,
        {{ monthly_columns }},
        {{ totals }}
    from shifted
    inner join chosen_offsets
        on {{ columns_match('shifted', 'chosen_offsets', ['period_id', 'years_back']) }}
    inner join monthly
        on shifted.baseline_month = monthly.month
    group by shifted.period_id, shifted.years_back, {{ monthly_columns }}
),

valued as (
    {% for relation in ['period_totals', 'baseline_years'] %}
    select
        period_id,
        years_back,
        area_code,
        indicator_id,
        unit,
        breakdown_dimension,
        breakdown_value,
        numerator,
        denominator,
        months_covered,
        case unit
            when 'count' then numerator
            when 'percent' then case when denominator > 0 then 100 * numerator / denominator end
            {#- The denominator sums the children of each month: their mean is the base. #}
            when 'per_10000' then
                case when denominator > 0 then 10000 * numerator * months_covered / denominator end
            else case when denominator > 0 then numerator / denominator end
        end as value
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

baseline as (
    select
        period_id,
        area_code,
        indicator_id,
        breakdown_dimension,
        breakdown_value,
        count(*) as baseline_years_used,
        -- Summed in order: a parallel sum of doubles differs in its last bits run to run.
        avg(value order by value) as baseline_mean,
        min(value) as baseline_min,
        max(value) as baseline_max
    from valued
    where years_back is not null
    group by period_id, area_code, indicator_id, breakdown_dimension, breakdown_value
),

final as (
    select
        periods.period_id,
        periods.label as period_label,
        periods.period_type,
        periods.start_date,
        periods.end_date,
        current_period.area_code,
        current_period.indicator_id,
        current_period.unit,
        current_period.breakdown_dimension,
        current_period.breakdown_value,
        current_period.months_covered,
        current_period.numerator,
        current_period.denominator,
        current_period.value,
        baseline.baseline_years_used,
        baseline.baseline_mean,
        baseline.baseline_min,
        baseline.baseline_max,
        current_period.value - baseline.baseline_mean as absolute_change,
        {{ percent_change('current_period.value', 'baseline.baseline_mean') }} as percent_change
    from valued as current_period
    inner join periods
        on current_period.period_id = periods.period_id
    left join baseline
        on {{ columns_match('current_period', 'baseline', ['period_id'] + indicator_grain) }}
    where current_period.years_back is null
),

caveats as (
    select * from {{ ref('dq_caveats_period') }}
)

-- The recording quality of the source-months behind each period's value travels with it.
select
    final.*,
    caveats.dq_caveat
from final
left join caveats
    on {{ columns_match('final', 'caveats', [
        'period_id', 'area_code', 'indicator_id', 'breakdown_dimension']) }}
