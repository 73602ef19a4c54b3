{#- One row per referral (area, REFERRAL_ID), the latest loaded copy. -#}
with

source as (
    select * from {{ source('health', 'camhs_referrals') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, referral_id
            order by {{ latest_delivery_first() }}
        ) as delivery_rank,
        count(*) over (partition by _area, referral_id) as copies_delivered
    from source
),

renamed as (
    select
        _area as area_code,
        provider_code,
        referral_id,
        copies_delivered,
        nhs_number as nhs_number_pseudonym,
        person_birth_date as birth_date_pseudonym,
        {{ parse_date("person_birth_date_month || '-01'") }} as birth_month,
        {{ integer_or_null('age_at_referral') }} as age_at_referral,
        case trim(sex) when '1' then 'M' when '2' then 'F' when '9' then 'U' when 'X' then 'U' end as sex,
        postcode_district as postcode_district_pseudonym,
        {{ postcode_district_or_null('postcode_district_district') }} as postcode_district,
        {{ parse_date('referral_date') }} as referral_date,
        nullif(trim(source_of_referral), '') as referral_source_code,
        {{ parse_yes_no('referral_accepted') }} as is_referral_accepted,
        {{ timestamp_or_null('recorded_at') }} as recorded_at,
        _source_file as source_file,
        _record_line as source_line
    from ranked
    where delivery_rank = 1
)

select * from renamed
