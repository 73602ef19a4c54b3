{#- One row per looked-after child (area, child) with the characteristics the periods of
    care are read with: the SSDA903 return's (its header and UASC table) for a child a return
    holds, else the SSD's (its person and immigration status) for a child whose episodes of
    care only the SSD holds. -#}
with

{{ import_ctes({
    'header': 'stg_ssda903__header',
    'uasc': 'stg_ssda903__uasc',
    'ssd_episodes': 'int_ssd__cla_episodes',
    'people': 'stg_ssd__person',
    'statuses': 'stg_ssd__immigration_statuses',
}) }},

returned as (
    select
        coalesce(header.area_code, uasc.area_code) as area_code,
        coalesce(header.la_child_id_pseudonym, uasc.la_child_id_pseudonym)
            as la_child_id_pseudonym,
        header.sex,
        header.birth_month,
        header.ethnicity_code,
        header.ethnicity_major_group,
        uasc.la_child_id_pseudonym is not null as is_recorded_uasc,
        uasc.uasc_ceased_date,
        'ssda903' as record_source
    from header
    full outer join uasc
        on {{ columns_match('header', 'uasc', ['area_code', 'la_child_id_pseudonym']) }}
),

{#- The specification leaves the status free text ("e.g. Unaccompanied Asylum Seeking
    Child"): either spelling is an unaccompanied asylum-seeking child's. A child's status
    ceased when none of its rows is open. -#}
ssd_uasc as (
    select
        area_code,
        la_child_id_pseudonym,
        case when count(*) = count(ended_on) then max(ended_on) end as uasc_ceased_date
    from statuses
    where upper(immigration_status) = 'UASC'
        or upper(immigration_status) like 'UNACCOMPANIED ASYLUM%'
    group by area_code, la_child_id_pseudonym
),

ssd_children as (
    select distinct area_code, la_child_id_pseudonym
    from ssd_episodes
    where not exists (
        select 1 from returned
        where {{ columns_match('returned', 'ssd_episodes', ['area_code', 'la_child_id_pseudonym']) }}
    )
),

from_ssd as (
    select
        ssd_children.area_code,
        ssd_children.la_child_id_pseudonym,
        people.sex,
        people.birth_month,
        people.ethnicity_code,
        people.ethnicity_major_group,
        ssd_uasc.la_child_id_pseudonym is not null as is_recorded_uasc,
        ssd_uasc.uasc_ceased_date,
        'ssd' as record_source
    from ssd_children
    left join people
        on {{ columns_match('ssd_children', 'people', ['area_code', 'la_child_id_pseudonym']) }}
    left join ssd_uasc
        on {{ columns_match('ssd_children', 'ssd_uasc', ['area_code', 'la_child_id_pseudonym']) }}
)

select * from returned
union all
select * from from_ssd
