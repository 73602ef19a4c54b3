{#- One row per child looked after at any time in a month the SSDA903 return covers (a
    period of care started on or before the month's last day and not ended before its first
    day), with the number of placements the child had in the 12 months to the month end:
    every placement (of any period of care) that the child was in on some day of the 12
    calendar months ending with this one. A placement counts when it started on or before
    the month end and ended after the window's first day (a move on that day leaves the
    old placement outside the window). -#}
with

months as (
    select
        area_code,
        month,
        cast({{ dbt.last_day('month', 'month') }} as date) as month_end,
        cast({{ dbt.dateadd('month', -11, 'month') }} as date) as window_start
    from {{ coverage_of('ssda903') }} as coverage
),

periods as (
    select * from {{ ref('int_looked_after__periods_of_care') }}
    where not is_end_before_start
),

placements as (
    select * from {{ ref('int_looked_after__placements') }}
),

in_care as (
    select
        months.area_code,
        months.month,
        months.month_end,
        months.window_start,
        periods.la_child_id_pseudonym,
        min(periods.started_on) as period_started_on,
        max(
            case when periods.ended_on is null or periods.ended_on > months.month_end then 1 else 0 end
        ) as in_care_at_month_end,
        count(*) as periods_in_month
    from months
    inner join periods
        on months.area_code = periods.area_code
        and periods.started_on <= months.month_end
        and (periods.ended_on is null or periods.ended_on >= months.month)
    group by
        months.area_code, months.month, months.month_end, months.window_start,
        periods.la_child_id_pseudonym
),

placement_counts as (
    select
        in_care.area_code,
        in_care.month,
        in_care.la_child_id_pseudonym,
        count(*) as placements_in_12_months
    from in_care
    inner join placements
        on {{ columns_match('in_care', 'placements', ['area_code', 'la_child_id_pseudonym']) }}
        and placements.started_on <= in_care.month_end
        and (placements.ended_on is null or placements.ended_on > in_care.window_start)
    group by in_care.area_code, in_care.month, in_care.la_child_id_pseudonym
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'in_care.area_code', "'|'",
            'in_care.la_child_id_pseudonym', "'|'",
            'cast(in_care.month as ' ~ dbt.type_string() ~ ')'
        ])) }} as child_month_id,
        in_care.area_code,
        in_care.la_child_id_pseudonym,
        in_care.month,
        in_care.month_end,
        in_care.periods_in_month,
        in_care.in_care_at_month_end = 1 as is_in_care_at_month_end,
        in_care.period_started_on >= in_care.month as started_in_month,
        coalesce(placement_counts.placements_in_12_months, 0) as placements_in_12_months,
        coalesce(placement_counts.placements_in_12_months, 0) >= 3
            as has_three_or_more_placements
    from in_care
    left join placement_counts
        on {{ columns_match('in_care', 'placement_counts', [
            'area_code', 'month', 'la_child_id_pseudonym']) }}
)

select * from final
