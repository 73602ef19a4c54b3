with

details as (
    select * from {{ ref('int_cin_census__details') }}
    where referral_id is not null
),

from_ssd as (
    select * from {{ ref('int_ssd__referrals') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

latest_record as (
    {{ one_row_per(
        'details', 'referral_id', 'collection_year desc, source_line', count_as='returns_count') }}
),

-- The SSD's referrals in the months it feeds (fed_records); a referral the last return left
-- open takes its closure from the SSD.
fed as (
    {{ fed_records('latest_record', 'from_ssd', 'referral_id', 'referral_date',
        ['referral_id', 'area_code', 'la_child_id_pseudonym', 'upn_pseudonym', 'referral_date',
            'referral_source_code', 'referral_source', 'referral_source_group',
            'primary_need_code', 'primary_need', 'is_referral_nfa', 'closure_date',
            'reason_for_closure_code', 'sex', 'birth_month', 'expected_birth_month',
            'ethnicity_code', 'ethnicity_major_group', 'collection_year', 'returns_count',
            'source_file', 'source_line'],
        carried={'closure_date': 'closure_date', 'reason_for_closure_code': 'closure_date'}) }}
),

with_history as (
    select
        *,
        lag(referral_date) over (
            partition by area_code, la_child_id_pseudonym order by referral_date
        ) as previous_referral_date,
        {{ age_in_years('birth_month', 'referral_date') }} as age_at_referral
    from fed
),

final as (
    select
        with_history.referral_id,
        with_history.area_code,
        with_history.la_child_id_pseudonym,
        with_history.upn_pseudonym,
        with_history.referral_date,
        cast({{ dbt.date_trunc('month', 'with_history.referral_date') }} as date)
            as referral_month,
        with_history.referral_source_code,
        with_history.referral_source as referral_source_label,
        with_history.referral_source_group as source_group,
        coalesce(with_history.primary_need_code, 'not_recorded') as primary_need_code,
        with_history.primary_need,
        with_history.is_referral_nfa,
        with_history.closure_date,
        with_history.reason_for_closure_code,
        with_history.sex,
        with_history.birth_month,
        with_history.ethnicity_code,
        {{ decoded_or_reason('with_history.ethnicity_code', 'with_history.ethnicity_major_group',
            'with_history.ethnicity_major_group') }} as ethnicity_major_group,
        with_history.age_at_referral,
        case
            -- A referral before the month of birth (a known birth date or an expected one) is
            -- of an unborn child, the catalogue's own band for it.
            when with_history.birth_month > with_history.referral_date then 'unborn'
            when with_history.age_at_referral is null and with_history.expected_birth_month
                is not null then 'unborn'
            else coalesce(age_bands.age_band, 'not_recorded')
        end as age_band,
        with_history.previous_referral_date,
        coalesce(
            with_history.previous_referral_date
            > {{ dbt.dateadd('month', -12, 'with_history.referral_date') }},
            false
        ) as is_re_referral_within_12_months,
        with_history.record_source,
        with_history.collection_year,
        with_history.returns_count,
        with_history.source_file,
        with_history.source_line
    from with_history
    left join age_bands
        on with_history.age_at_referral between age_bands.min_age and age_bands.max_age
)

select * from final
