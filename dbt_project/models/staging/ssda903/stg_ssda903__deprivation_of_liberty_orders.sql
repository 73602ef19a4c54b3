{#- One row per deprivation of liberty order (area, child, DOLO_START), from the DoLo table
    of the 2026-27 and later returns. An order open at 31 March is in two returns and the
    later one carries its end date, so the latest return's row wins. The DfE rules on the
    orders (700-710) are ingestion findings and the raw_ssda903_dolo_rules suite; here they
    only decide which dates are usable (an order ending before it starts is flagged). -#}
with

source as (
    select * from {{ source('ssda903', 'ssda903_dolo') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, child, coalesce(trim(dolo_start), '')
            order by {{ latest_return_first() }}
        ) as return_rank,
        count(*) over (partition by _area, child, coalesce(trim(dolo_start), '')) as returns_count
    from source
),

latest as (
    select * from ranked where return_rank = 1
),

renamed as (
    select
        {{ dbt.hash(dbt.concat([
            "latest._area", "'|'", "coalesce(latest.child, '')", "'|'",
            "coalesce(trim(latest.dolo_start), '')"
        ])) }} as order_id,
        latest._area as area_code,
        {{ integer_or_null('latest._collection_period') }} as collection_year,
        latest.returns_count,
        latest.child as la_child_id_pseudonym,
        latest.dob as birth_date_pseudonym,
        {{ parse_date("latest.dob_month || '-01'") }} as birth_month,
        {{ parse_date('latest.dolo_start') }} as order_start_date,
        {{ parse_date('latest.dolo_end') }} as order_end_date,
        latest._source_file as source_file,
        latest._record_line as source_line
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
