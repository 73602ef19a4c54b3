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
        year(months.month) as calendar_year,
        month(months.month) as month_number,
        {{ month_label('months.month') }} as month_label,
        case
            when month(months.month) >= 4 then year(months.month) + 1
            else year(months.month)
        end as year_ending_march,
        periods.period_id,
        periods.label as period_label,
        periods.period_type
    from months
    left join periods
        on months.month + interval 14 day between periods.start_date and periods.end_date
)

select * from final
