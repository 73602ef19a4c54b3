{#- Per source, how far back the retention policy has deleted rows, so that the months it
    emptied are no longer reported on (a zero there would be an artefact of deletion, not a
    quiet month): rows dated, or children born, before `dated_before`; whole returns whose
    collection year ended before `returns_ending_before`. Only rules that deleted rows count:
    a later cut-off that found nothing left to delete has emptied nothing. -#}
with

audit as (
    select * from {{ source('ingest', 'retention_audit') }}
    where rows_deleted > 0
),

final as (
    select
        source,
        max(case when basis in ('date', 'birth_month') then cutoff_date end) as dated_before,
        max(case when basis = 'collection_year' then cutoff_date end) as returns_ending_before
    from audit
    group by source
)

select * from final
