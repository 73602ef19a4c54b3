{#- One row per hospital spell (area, SPELL_ID), the latest loaded copy, with the admission
    method decoded (emergency flag) and the spell classified by the ICD-10 prefix rules. -#}
with

latest as (
    {{ latest_delivered('health', 'hospital_admissions', 'spell_id', count_copies=true) }}
),

{{ import_ctes({
    'admission_methods': 'admission_methods',
    'icd10_conditions': 'icd10_conditions',
}) }},

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
        {{ health_record_columns('provider_code', 'spell_id', 'age_on_admission', 'latest') }},
        {{ parse_date('latest.admission_date') }} as admission_date,
        {{ parse_date('latest.discharge_date') }} as discharge_date,
        {{ decoded_code_columns('latest.admission_method', 'admission_methods', 'admission_method',
            also=['admission_methods.method_group as admission_method_group',
                'admission_methods.is_emergency']) }},
        upper(nullif(trim(latest.primary_diagnosis), '')) as primary_diagnosis_code,
        upper(nullif(trim(latest.external_cause), '')) as external_cause_code,
        coalesce(conditions.alcohol_related = 1, false) as is_alcohol_related,
        coalesce(conditions.self_harm = 1, false) as is_self_harm,
        {{ timestamp_or_null('latest.recorded_at') }} as recorded_at,
        {{ lineage_columns('latest') }}
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
