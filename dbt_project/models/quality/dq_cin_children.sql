{#- Each Child of each CIN census return with its ethnicity and the month it belongs to:
    that of its latest CINreferralDate in the return. -#}
with

{{ import_ctes({
    'children': source('cin_census', 'cin_child'),
    'characteristics': source('cin_census', 'cin_child_characteristics'),
    'details': source('cin_census', 'cin_details'),
}) }},

latest_referral as (
    select
        child_key,
        _file_sha256,
        max({{ parse_date('cin_referral_date') }}) as latest_referral_date
    from details
    group by child_key, _file_sha256
)

select
    children.child_key,
    children.upn,
    characteristics.ethnicity,
    latest_referral.latest_referral_date,
    children._source_file,
    children._record_line,
    children._area,
    children._collection_period,
    children._file_sha256
from children
left join characteristics
    on {{ columns_match('children', 'characteristics', ['child_key', '_file_sha256']) }}
left join latest_referral
    on {{ columns_match('children', 'latest_referral', ['child_key', '_file_sha256']) }}
