{#- One row per child looked after at any time in a covered month, with the placements the
    child had in the 12 months to the month end (the denominator and numerator of the
    three-or-more-placements indicator). -#}
with

in_care as (
    select * from {{ ref('int_looked_after__children_in_care_monthly') }}
),

final as (
    select
        child_month_id,
        area_code,
        la_child_id_pseudonym,
        month,
        month_end,
        periods_in_month,
        started_in_month,
        is_in_care_at_month_end,
        placements_in_12_months,
        has_three_or_more_placements
    from in_care
)

select * from final
