{#- The months each source reports on, per area: the months for which a count of zero is a
    real zero. A month no delivery covers (an extract gap) has no row, so indicators show
    it as missing rather than as a fall in need; nor has a month that starts before the
    retention policy's cut-off for the source (its records are partly or wholly deleted).
    The school census as schools export it reports the term before each census, so its
    deliveries cover the school census's months of that term. -#}
with

{{ import_ctes({
    'deliveries': 'stg_ingest__deliveries',
    'retention': 'stg_ingest__retention_cutoffs',
}) }},

reported as (
    select source, area_code, first_month, last_month
    from deliveries
    where source != 'school_census_export'
    union all
    select 'school_census', area_code, described.first_month, described.last_month
    from deliveries,
        lateral (select {{ school_census_export_described_months('deliveries.first_month') }})
            as described (first_month, last_month)
    where source = 'school_census_export'
),

months as (
    {{ month_spine('2010-01-01', '2031-01-01') }}
),

final as (
    select distinct
        reported.source,
        reported.area_code,
        months.month
    from reported
    inner join months
        on months.month between reported.first_month and reported.last_month
    left join retention
        on reported.source = retention.source
    where (retention.dated_before is null or months.month >= retention.dated_before)
        and (
            retention.returns_ending_before is null
            or reported.last_month >= {{ dbt.date_trunc('month', 'retention.returns_ending_before') }}
        )
)

select * from final
