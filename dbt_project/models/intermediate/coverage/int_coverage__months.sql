{#- The months each source reports on, per area: the months for which a count of zero is a
    real zero. A month no delivery covers (an extract gap) has no row, so indicators show
    it as missing rather than as a fall in need; nor has a month that starts before the
    retention policy's cut-off for the source (its records are partly or wholly deleted). -#}
with

{{ import_ctes({
    'deliveries': 'stg_ingest__deliveries',
    'retention': 'stg_ingest__retention_cutoffs',
}) }},

months as (
    {{ month_spine('2010-01-01', '2031-01-01') }}
),

final as (
    select distinct
        deliveries.source,
        deliveries.area_code,
        months.month
    from deliveries
    inner join months
        on months.month between deliveries.first_month and deliveries.last_month
    left join retention
        on deliveries.source = retention.source
    where (retention.dated_before is null or months.month >= retention.dated_before)
        and (
            retention.returns_ending_before is null
            or deliveries.last_month >= {{ dbt.date_trunc('month', 'retention.returns_ending_before') }}
        )
)

select * from final
