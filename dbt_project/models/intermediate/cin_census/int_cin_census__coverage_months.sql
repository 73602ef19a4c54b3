with

returns as (
    select distinct area_code, collection_year
    from {{ ref('stg_cin_census__children') }}
),

months as (
    select
        returns.area_code,
        returns.collection_year,
        cast(month_start as date) as month
    from returns,
        generate_series(
            make_date(returns.collection_year - 1, 4, 1),
            make_date(returns.collection_year, 3, 1),
            interval 1 month
        ) as series(month_start)
)

select area_code, month, max(collection_year) as collection_year
from months
group by area_code, month
