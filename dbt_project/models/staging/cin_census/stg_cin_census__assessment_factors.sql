with

{{ import_ctes({
    'factors': source('cin_census', 'cin_assessment_factor'),
    'codes': 'cin_assessment_factors',
}) }},

renamed as (
    select
        factors.assessment_key,
        upper(trim(factors.assessment_factor)) as assessment_factor_code,
        codes.label as assessment_factor,
        {{ decoded_or_reason('upper(trim(factors.assessment_factor))', 'codes.code', 'codes.factor_group') }}
            as factor_group,
        {{ lineage_columns('factors') }}
    from factors
    {{ cin_code_join('codes', 'factors.assessment_factor') }}
)

select * from renamed
