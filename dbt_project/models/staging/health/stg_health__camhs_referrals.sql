{#- One row per referral (area, REFERRAL_ID), the latest loaded copy. -#}
select
    {{ health_record_columns('provider_code', 'referral_id', 'age_at_referral') }},
    {{ parse_date('referral_date') }} as referral_date,
    nullif(trim(source_of_referral), '') as referral_source_code,
    {{ parse_yes_no('referral_accepted') }} as is_referral_accepted,
    {{ timestamp_or_null('recorded_at') }} as recorded_at,
    {{ lineage_columns() }}
from (
    {{ latest_delivered('health', 'camhs_referrals', 'referral_id', count_copies=true) }}
) as latest
