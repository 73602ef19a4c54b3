with

manifest as (
    select * from {{ source('ingest', 'file_manifest') }}
),

-- The partnership's returns (orchestration/partnership/) are listed in the manifest too, but
-- they are no partner's extract: their period is the day they were returned, not months of
-- events.
loaded as (
    select * from manifest where status = 'loaded' and source <> 'partnership'
),

final as (
    select
        file_sha256,
        file_path,
        source,
        area as area_code,
        part,
        rows_loaded,
        pseudonymisation_key,
        case
            when collection_period like '%..%'
                then {{ parse_date("substr(collection_period, 1, 7) || '-01'") }}
            else {{ parse_date("cast(cast(collection_period as integer) - 1 as varchar) || '-04-01'") }}
        end as first_month,
        case
            when collection_period like '%..%'
                then {{ parse_date("substr(collection_period, 10, 7) || '-01'") }}
            else {{ parse_date("collection_period || '-03-01'") }}
        end as last_month
    from loaded
)

select * from final
