{#- One row per month any source covers, with the period of interest it belongs to: the
    period holding the month's 15th day (a lockdown from 23 March covers April, not March;
    one to 4 July covers June, not July). -#}
with

months as (
    select distinct month from {{ ref('int_coverage__months') }}
),

periods as (
    select * from {{ ref('periods') }}
),

final as (
    select
        months.month,
        cast(extract(year from months.month) as integer) as calendar_year,
        cast(extract(month from months.month) as integer) as month_number,
        {{ month_label('months.month') }} as month_label,
        cast(extract(year from {{ dbt.dateadd('month', 9, 'months.month') }}) as integer)
            as year_ending_march,
        periods.period_id,
        periods.label as period_label,
        periods.period_type
    from months
    left join periods
        on {{ dbt.dateadd('day', 14, 'months.month') }}
        between periods.start_date and periods.end_date
)

select * from final
