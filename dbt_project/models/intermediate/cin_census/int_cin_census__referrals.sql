with

details as (
    select * from {{ ref('stg_cin_census__cin_details') }}
),

children as (
    select * from {{ ref('stg_cin_census__children') }}
),

sources as (
    select * from {{ ref('cin_referral_sources') }}
),

joined as (
    select
        details.*,
        cast(date_trunc('month', details.referral_date) as date) as referral_month,
        children.la_child_id_pseudonym,
        children.upn_pseudonym,
        children.birth_month,
        children.sex,
        children.ethnicity_code,
        sources.label as referral_source_label,
        case
            when details.referral_source_code is null then 'not_recorded'
            when sources.code is null then 'invalid_code'
            else sources.source_group
        end as source_group
    from details
    inner join children
        on details.child_record_key = children.child_record_key
    left join sources
        on details.referral_source_code = sources.code
    where details.referral_date is not null
),

deduplicated as (
    select
        md5(
            area_code || '|' || la_child_id_pseudonym || '|' || cast(referral_date as varchar)
        ) as referral_id,
        *,
        count(*) over (
            partition by area_code, la_child_id_pseudonym, referral_date
        ) as returns_count
    from joined
    qualify row_number() over (
        partition by area_code, la_child_id_pseudonym, referral_date
        order by collection_year desc, source_line
    ) = 1
)

select * from deduplicated
