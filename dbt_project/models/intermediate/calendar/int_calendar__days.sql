{#- Every day with whether it is a working day in England, and a running count of working
    days, so that the working days between two dates is a subtraction. -#}
with

days as (
    {{ dbt.date_spine('day', "cast('2010-01-01' as date)", "cast('2031-01-01' as date)") }}
),

holidays as (
    select * from {{ ref('bank_holidays_england') }}
),

flagged as (
    select
        cast(days.date_day as date) as calendar_date,
        {{ day_of_week_iso('days.date_day') }} >= 6 as is_weekend,
        holidays.holiday_date is not null as is_bank_holiday
    from days
    left join holidays
        on cast(days.date_day as date) = holidays.holiday_date
),

final as (
    select
        calendar_date,
        is_weekend,
        is_bank_holiday,
        not (is_weekend or is_bank_holiday) as is_working_day,
        sum(case when not (is_weekend or is_bank_holiday) then 1 else 0 end)
            over (order by calendar_date rows unbounded preceding) as working_day_number
    from flagged
)

select * from final
