{#- One row per attendance (area, ATTENDANCE_ID): a re-delivered month repeats rows, the
    latest loaded copy wins. -#}
with

source as (
    select * from {{ source('health', 'ae_attendances') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, attendance_id
            order by {{ latest_delivery_first() }}
        ) as delivery_rank,
        count(*) over (partition by _area, attendance_id) as copies_delivered
    from source
),

latest as (
    select * from ranked where delivery_rank = 1
),

chief_complaints as (
    select * from {{ ref('ae_chief_complaints') }}
),

renamed as (
    select
        latest._area as area_code,
        latest.site_code,
        latest.attendance_id,
        latest.copies_delivered,
        latest.nhs_number as nhs_number_pseudonym,
        latest.person_birth_date as birth_date_pseudonym,
        {{ parse_date("latest.person_birth_date_month || '-01'") }} as birth_month,
        {{ integer_or_null('latest.age_at_arrival') }} as age_at_arrival,
        case trim(latest.sex) when '1' then 'M' when '2' then 'F' when '9' then 'U' when 'X' then 'U' end
            as sex,
        latest.postcode_district as postcode_district_pseudonym,
        {{ postcode_district_or_null('latest.postcode_district_district') }} as postcode_district,
        {{ parse_date('latest.arrival_date') }} as arrival_date,
        nullif(trim(latest.arrival_time), '') as arrival_time,
        nullif(trim(latest.attendance_source), '') as attendance_source_code,
        nullif(trim(latest.chief_complaint), '') as chief_complaint_code,
        chief_complaints.label as chief_complaint,
        case when nullif(trim(latest.chief_complaint), '') is not null then chief_complaints.code is not null end
            as is_chief_complaint_code_valid,
        {{ parse_yes_no('latest.safeguarding_concern') }} as has_safeguarding_concern,
        {{ timestamp_or_null('latest.recorded_at') }} as recorded_at,
        latest._source_file as source_file,
        latest._record_line as source_line
    from latest
    left join chief_complaints on trim(latest.chief_complaint) = chief_complaints.code
)

select * from renamed
