{#- One row per deprivation of liberty order (area, child, DOLO_START), from the DoLo table
    of the 2026-27 and later returns. An order open at 31 March is in two returns and the
    later one carries its end date, so the latest return's row wins. The DfE rules on the
    orders (700-710) are ingestion findings and the raw_ssda903_dolo_rules suite; here they
    only decide which dates are usable (an order ending before it starts is flagged). -#}
with

latest as (
    {{ ssda903_latest(
        'ssda903_dolo', "child, coalesce(trim(dolo_start), '')", count_as='returns_count') }}
),

renamed as (
    select
        {{ dbt.hash(dbt.concat([
            "_area", "'|'", "coalesce(child, '')", "'|'", "coalesce(trim(dolo_start), '')"
        ])) }} as order_id,
        {{ ssda903_return_columns(count_returns=true) }},
        {{ ssda903_child_columns() }},
        {{ parse_date('dolo_start') }} as order_start_date,
        {{ parse_date('dolo_end') }} as order_end_date,
        {{ lineage_columns() }}
    from latest
),

final as (
    select
        renamed.*,
        order_end_date is null as is_open_in_latest_return,
        coalesce(order_end_date < order_start_date, false) as is_end_before_start
    from renamed
)

select * from final
