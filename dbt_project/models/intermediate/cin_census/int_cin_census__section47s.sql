{#- One row per s47 enquiry across returns, with its initial child protection conference. -#}
with

enquiries as (
    select * from {{ ref('stg_cin_census__section47s') }}
),

details as (
    select * from {{ ref('int_cin_census__details') }}
),

calendar as (
    select * from {{ ref('int_calendar__days') }}
),

copies as (
    select
        md5(
            details.area_code || '|' || details.la_child_id_pseudonym || '|'
            || cast(enquiries.started_on as varchar)
        ) as section47_id,
        enquiries.section47_key,
        details.referral_id,
        details.area_code,
        details.la_child_id_pseudonym,
        enquiries.started_on,
        enquiries.icpc_on,
        enquiries.is_icpc_not_required,
        details.collection_year,
        row_number() over (
            partition by details.area_code, details.la_child_id_pseudonym, enquiries.started_on
            order by details.collection_year desc, enquiries.source_line
        ) as copy_rank
    from enquiries
    inner join details
        on enquiries.cin_details_key = details.cin_details_key
    where enquiries.started_on is not null
),

deduplicated as (
    select
        section47_id,
        section47_key,
        referral_id,
        area_code,
        la_child_id_pseudonym,
        started_on,
        icpc_on,
        is_icpc_not_required,
        collection_year
    from copies
    where copy_rank = 1
),

final as (
    select
        deduplicated.*,
        cast({{ dbt.date_trunc('month', 'deduplicated.started_on') }} as date) as started_month,
        cast({{ dbt.date_trunc('month', 'deduplicated.icpc_on') }} as date) as icpc_month,
        {{ working_days_between('started', 'icpc') }} as working_days_to_icpc
    from deduplicated
    left join calendar as started
        on deduplicated.started_on = started.calendar_date
    left join calendar as icpc
        on deduplicated.icpc_on = icpc.calendar_date
)

select * from final
