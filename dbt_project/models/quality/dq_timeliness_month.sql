{#- Recording lag (days from the event to RECORDED_AT) per table, area and event month, for
    the extracts that carry a recorded-at time. -#}
with

{{ dq_table_rows_ctes(dq_catalogue() | selectattr('recorded_at') | list) }}

lags as (
    {% for table in dq_catalogue() if table.get('recorded_at') %}
    select
        area_code,
        '{{ table.source }}' as source,
        '{{ table.table_name }}' as table_name,
        '{{ table.recorded_at | upper }}' as field,
        month,
        count(lag_days) as rows_timed,
        avg(lag_days order by lag_days) as mean_lag_days  -- in order: the same bits every run
    from (
        select
            area_code,
            month,
            {{ dbt.datediff('cast(event_date as timestamp)',
                dq_parse_timestamp(table.recorded_at), 'minute') }} / 1440.0 as lag_days
        from table_rows_{{ table.table_name }}
    ) as timed
    where month is not null
    group by area_code, month
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from lags
