{#- Rows per delivered table, area and event month, every month from the table's first to
    its last (so a month without rows shows as 0), with duplicated keys and whether the
    month's extract was delivered more than once (raw.file_manifest). -#}
with

months as (
    select month from {{ ref('dim_month') }}
),

{{ dq_table_rows_ctes(dq_catalogue()) }}

counted as (
    {% for table in dq_catalogue() %}
    select
        area_code,
        '{{ table.source }}' as source,
        '{{ table.table_name }}' as table_name,
        month,
        count(*) as row_count,
        {% if table.get('key') %}
        count(*) - count(distinct {{ table.key }}) as duplicate_rows,
        min(case when key_rank > 1 then row_ref end) as example_row
        {% else %}
        0 as duplicate_rows,
        cast(null as varchar) as example_row
        {% endif %}
    from (
        select
            *
            {% if table.get('key') %}
            , row_number() over (partition by {{ table.key }} order by row_ref) as key_rank
            {% endif %}
        from table_rows_{{ table.table_name }}
    ) as keyed
    where month is not null
    group by area_code, month
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

spans as (
    select area_code, source, table_name, min(month) as first_month, max(month) as last_month
    from counted
    group by area_code, source, table_name
),

{#- A month's extract delivered more than once: the most copies of any one part of it (an
    extract of several files, such as the SSD's objects, is one delivery of each part). -#}
deliveries as (
    select source, area_code, month, max(copies) as deliveries
    from (
        select
            source,
            area as area_code,
            cast(left(collection_period, 7) || '-01' as date) as month,
            count(*) as copies
        from {{ source('ingest', 'file_manifest') }}
        where status in ('loaded', 'superseded')
            and collection_period like '____-__..____-__'
            and left(collection_period, 7) = right(collection_period, 7)
        group by source, area, collection_period, part
    ) as per_part
    group by source, area_code, month
)

select
    spans.area_code,
    spans.source,
    spans.table_name,
    months.month,
    coalesce(counted.row_count, 0) as row_count,
    coalesce(counted.duplicate_rows, 0) as duplicate_rows,
    coalesce(deliveries.deliveries, 0) as deliveries,
    counted.example_row
from spans
inner join months
    on months.month between spans.first_month and spans.last_month
left join counted
    on {{ columns_match('spans', 'counted', ['area_code', 'table_name']) }}
    and months.month = counted.month
left join deliveries
    on {{ columns_match('spans', 'deliveries', ['area_code', 'source']) }}
    and months.month = deliveries.month
