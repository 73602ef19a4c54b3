{#- One row per hospital spell of a child resident in the area: admission method (emergency
    or not), alcohol-related and self-harm classification (ICD-10 prefix rules of the
    icd10_conditions seed, applied in staging) and age band. -#}
with

admissions as (
    select * from {{ ref('stg_health__hospital_admissions') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat(["admissions.area_code", "'|'", "admissions.spell_id"])) }}
            as hospital_admission_id,
        admissions.area_code,
        admissions.spell_id,
        admissions.provider_code,
        admissions.admission_date,
        cast({{ dbt.date_trunc('month', 'admissions.admission_date') }} as date) as admission_month,
        admissions.discharge_date,
        admissions.is_discharge_before_admission,
        case
            when not admissions.is_discharge_before_admission
                then {{ dbt.datediff('admissions.admission_date', 'admissions.discharge_date', 'day') }}
        end as length_of_stay_days,
        admissions.age_on_admission,
        coalesce(age_bands.age_band, 'not_recorded') as age_band,
        admissions.sex,
        admissions.admission_method_code,
        admissions.admission_method,
        coalesce(admissions.admission_method_group, 'not_recorded') as admission_method_group,
        coalesce(admissions.is_emergency, false) as is_emergency,
        admissions.primary_diagnosis_code,
        admissions.external_cause_code,
        admissions.is_alcohol_related,
        admissions.is_self_harm,
        admissions.copies_delivered,
        admissions.source_file,
        admissions.source_line
    from admissions
    left join age_bands
        on admissions.age_on_admission between age_bands.min_age and age_bands.max_age
)

select * from final
