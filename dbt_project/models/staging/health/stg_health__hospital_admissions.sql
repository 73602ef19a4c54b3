{#- One row per hospital spell (area, SPELL_ID), the latest loaded copy, with the admission
    method decoded (emergency flag) and the spell classified by the ICD-10 prefix rules. -#}
with

source as (
    select * from {{ source('health', 'hospital_admissions') }}
),

ranked as (
    select
        source.*,
        row_number() over (
            partition by _area, spell_id
            order by {{ latest_delivery_first() }}
        ) as delivery_rank,
        count(*) over (partition by _area, spell_id) as copies_delivered
    from source
),

latest as (
    select * from ranked where delivery_rank = 1
),

admission_methods as (
    select * from {{ ref('admission_methods') }}
),

icd10_conditions as (
    select * from {{ ref('icd10_conditions') }}
),

conditions as (
    select
        latest._area,
        latest.spell_id,
        max(case when icd10_conditions.condition = 'alcohol_related' then 1 else 0 end) as alcohol_related,
        max(case when icd10_conditions.condition = 'self_harm' then 1 else 0 end) as self_harm
    from latest
    inner join icd10_conditions
        on (
            icd10_conditions.applies_to = 'primary_diagnosis'
            and upper(trim(latest.primary_diagnosis)) like icd10_conditions.code_prefix || '%'
        )
        or (
            icd10_conditions.applies_to = 'external_cause'
            and upper(trim(latest.external_cause)) like icd10_conditions.code_prefix || '%'
        )
    group by latest._area, latest.spell_id
),

renamed as (
    select
        latest._area as area_code,
        latest.provider_code,
        latest.spell_id,
        latest.copies_delivered,
        latest.nhs_number as nhs_number_pseudonym,
        latest.person_birth_date as birth_date_pseudonym,
        {{ parse_date("latest.person_birth_date_month || '-01'") }} as birth_month,
        {{ integer_or_null('latest.age_on_admission') }} as age_on_admission,
        case trim(latest.sex) when '1' then 'M' when '2' then 'F' when '9' then 'U' when 'X' then 'U' end
            as sex,
        latest.postcode_district as postcode_district_pseudonym,
        {{ postcode_district_or_null('latest.postcode_district_district') }} as postcode_district,
        {{ parse_date('latest.admission_date') }} as admission_date,
        {{ parse_date('latest.discharge_date') }} as discharge_date,
        nullif(trim(latest.admission_method), '') as admission_method_code,
        admission_methods.label as admission_method,
        admission_methods.method_group as admission_method_group,
        admission_methods.is_emergency,
        case when nullif(trim(latest.admission_method), '') is not null then admission_methods.code is not null end
            as is_admission_method_code_valid,
        upper(nullif(trim(latest.primary_diagnosis), '')) as primary_diagnosis_code,
        upper(nullif(trim(latest.external_cause), '')) as external_cause_code,
        coalesce(conditions.alcohol_related = 1, false) as is_alcohol_related,
        coalesce(conditions.self_harm = 1, false) as is_self_harm,
        {{ timestamp_or_null('latest.recorded_at') }} as recorded_at,
        latest._source_file as source_file,
        latest._record_line as source_line
    from latest
    left join admission_methods on trim(latest.admission_method) = admission_methods.code
    left join conditions
        on latest._area = conditions._area
        and latest.spell_id = conditions.spell_id
),

final as (
    select
        *,
        coalesce(discharge_date < admission_date, false) as is_discharge_before_admission
    from renamed
)

select * from final
