{#- One row per child across every partner (linkage child_key), with where the child is
    known, the latest postcode district seen and its locality. Identifiers stay pseudonyms. -#}
with

{{ import_ctes({'linked': 'int_linkage__linked_records', 'localities': 'localities'}) }},

places as (
    select
        child_key,
        postcode_district,
        row_number() over (partition by child_key order by event_date desc) as recency_rank
    from linked
    where postcode_district is not null
),

latest_place as (
    select child_key, postcode_district from places where recency_rank = 1
),

summary as (
    select
        child_key,
        max(area_code) as area_code,
        max(case when partner = 'social_care' then 1 else 0 end) = 1
            as is_known_to_social_care,
        max(case when source = 'ssda903' then 1 else 0 end) = 1 as has_been_in_care,
        max(case when partner = 'health' then 1 else 0 end) = 1 as is_known_to_health,
        max(case when partner = 'police' then 1 else 0 end) = 1 as is_known_to_police,
        max(case when partner = 'education' then 1 else 0 end) = 1
            as is_known_to_education,
        min(event_date) as first_seen_on,
        max(event_date) as last_seen_on,
        count(*) as records
    from linked
    group by child_key
),

final as (
    select
        summary.*,
        latest_place.postcode_district as latest_postcode_district,
        coalesce(localities.locality, 'not_known') as locality
    from summary
    left join latest_place
        on summary.child_key = latest_place.child_key
    left join localities
        on latest_place.postcode_district = localities.postcode_district
)

select * from final
