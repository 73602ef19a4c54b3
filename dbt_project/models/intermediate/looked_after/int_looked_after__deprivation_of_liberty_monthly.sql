{#- One row per area and month of a collection year whose SSDA903 return delivered a DoLo
    table (the 2026-27 return onwards): the deprivation of liberty orders open on some day
    of the month, the children they concern, and the orders that started and ended in it.
    A year with no DoLo table has no rows, not zeros (a table with no orders cannot be
    delivered). Orders without a valid start, or ending before they start, are left out. -#}
with

deliveries as (
    select * from {{ ref('stg_ingest__deliveries') }}
    where source = 'ssda903' and part = 'dolo'
),

spine as (
    {{ month_spine('2026-04-01', '2041-04-01') }}
),

months as (
    select distinct
        deliveries.area_code,
        spine.month,
        cast({{ dbt.last_day('spine.month', 'month') }} as date) as month_end
    from deliveries
    inner join spine
        on spine.month between deliveries.first_month and deliveries.last_month
),

orders as (
    select * from {{ ref('stg_ssda903__deprivation_of_liberty_orders') }}
    where order_start_date is not null and not is_end_before_start
),

final as (
    select
        months.area_code,
        months.month,
        count(orders.order_id) as orders_open,
        count(distinct orders.la_child_id_pseudonym) as children_with_an_open_order,
        count(case when orders.order_start_date >= months.month then 1 end) as orders_started,
        count(case when orders.order_end_date <= months.month_end then 1 end) as orders_ended
    from months
    left join orders
        on months.area_code = orders.area_code
        and orders.order_start_date <= months.month_end
        and (orders.order_end_date is null or orders.order_end_date >= months.month)
    group by months.area_code, months.month
)

select * from final
