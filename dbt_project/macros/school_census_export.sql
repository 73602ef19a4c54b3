{#- The school census as schools' systems export it (raw.school_census_export_<table>),
    reshaped to the rows of the contract file (raw.school_census: one pupil, school and term,
    values as text), so stg_education__school_census reads either layout the same way.

    A census reports what happened before it, as the DfE collects it (pupil absence and
    exclusion statistics methodologies, "the collection process"):
    - absence one term in arrears: the spring census carries the autumn term's sessions, the
      summer census the spring term's, the autumn census the summer term's, its first half in
      the termly fields and its second half in the summerhalfterm2 fields;
    - exclusions by their start date, in the term it falls in (autumn from 1 August, spring
      from 1 January to Easter Sunday, summer from Easter Monday to 31 July); since 2019 a
      census reports them one and two terms in arrears, so one exclusion can arrive twice and
      is counted once.
    The export carries no term dates: a term is dated to the first of the month it starts in
    (1 September, 1 January, 1 April), which keeps it in its academic year and its term's
    months. Pupils no longer on roll carry their sessions up to leaving, like the contract's
    row per school for a pupil who moved. -#}
{% macro school_census_export_as_contract() %}
    {%- set pupil_tables = [
        ('pupilonroll', 'ncyearactual', ['addressesonroll', 'addresses'], 'termlyexclusionsonroll'),
        ('pupilnolongeronroll', 'ncyearleaving', ['addressesoffroll'], 'termlyexclusionsoffroll'),
    ] -%}
    with

    censuses as (
        select
            _area,
            _collection_period,
            {{ delivery_folder('_source_file') }} as delivery_folder,
            schoolcensustableid,
            {#- The 2015-16 and 2016-17 layouts name no URN: the school's LA and DfE
                establishment numbers then. -#}
            coalesce(nullif(trim(urn), ''), nullif(trim(lea) || trim(estab), '')) as urn,
            {{ export_census_term('term', '_collection_period') }} as census_term,
            cast(left(_collection_period, 4) as integer)
                + case when {{ export_census_term('term', '_collection_period') }} = 'autumn'
                    then 1 else 0 end as collection_year
        from {{ source('education_export', 'school_census_export_schoolcensus') }}
    ),

    {%- for pupils, year_group, addresses, exclusions in pupil_tables %}

    {#- One postcode district per pupil (the first, should a pupil carry two addresses). -#}
    {{ pupils }}_addresses as (
        select delivery_folder, _collection_period, pupil_table_id,
            min(postcode_district) as postcode_district
        from (
            {%- for table in addresses %}
            select
                {{ delivery_folder('_source_file') }} as delivery_folder,
                _collection_period,
                {{ pupils }}tableid as pupil_table_id,
                postcode_district
            from {{ source('education_export', 'school_census_export_' ~ table) }}
            {{ 'union all' if not loop.last }}
            {%- endfor %}
        ) as delivered_addresses
        group by delivery_folder, _collection_period, pupil_table_id
    ),

    {{ pupils }}_rows as (
        select
            pupils._area,
            pupils._collection_period,
            pupils._source_file,
            pupils._file_sha256,
            pupils._record_line,
            pupils._loaded_at,
            pupils.{{ pupils }}tableid as pupil_table_id,
            censuses.urn,
            censuses.census_term,
            censuses.collection_year,
            nullif(trim(pupils.upn), '') as upn,
            nullif(trim(pupils.dob), '') as person_birth_date,
            pupils.dob_month as person_birth_date_month,
            coalesce(nullif(trim(pupils.sex), ''), nullif(trim(pupils.gender), '')) as sex,
            addresses.postcode_district as postcode_district_district,
            {%- if pupils == 'pupilonroll' %}
            {#- The autumn census reports the summer term before it, when a pupil on roll
                was a year group below the one they are in at the census. -#}
            case when censuses.census_term = 'autumn'
                then {{ year_group_before('pupils.' ~ year_group) }}
                else nullif(trim(pupils.{{ year_group }}), '')
            end as ncyear_actual,
            {%- else %}
            nullif(trim(pupils.{{ year_group }}), '') as ncyear_actual,
            {%- endif %}
            {%- for measure in ['possible', 'authorised', 'unauthorised'] %}
            case when censuses.census_term = 'autumn'
                then {{ integer_or_null('pupils.termlysessions' ~ measure) }}
                    + coalesce({{ integer_or_null('pupils.summerhalfterm2sessions' ~ measure) }}, 0)
                else {{ integer_or_null('pupils.termlysessions' ~ measure) }}
            end as sessions_{{ measure }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ source('education_export', 'school_census_export_' ~ pupils) }} as pupils
        inner join censuses
            on {{ columns_match('pupils', 'censuses', ['_area', '_collection_period']) }}
            and {{ delivery_folder('pupils._source_file') }} = censuses.delivery_folder
            and pupils.schoolcensustableid = censuses.schoolcensustableid
        left join {{ pupils }}_addresses as addresses
            on {{ delivery_folder('pupils._source_file') }} = addresses.delivery_folder
            and pupils._collection_period = addresses._collection_period
            and pupils.{{ pupils }}tableid = addresses.pupil_table_id
    ),

    {{ pupils }}_exclusions as (
        select
            pupils._area,
            pupils.urn,
            pupils.upn,
            {{ parse_export_date('exclusions.startdate') }} as start_date,
            upper(trim(exclusions.category)) as category,
            pupils._collection_period
        from {{ source('education_export', 'school_census_export_' ~ exclusions) }} as exclusions
        inner join {{ pupils }}_rows as pupils
            on {{ delivery_folder('exclusions._source_file') }} = {{ delivery_folder('pupils._source_file') }}
            and exclusions._collection_period = pupils._collection_period
            and exclusions.{{ pupils }}tableid = pupils.pupil_table_id
    ),
    {%- endfor %}

    pupil_rows as (
        {%- for pupils, _, _, _ in pupil_tables %}
        select * from {{ pupils }}_rows
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ),

    {#- The term a census's sessions describe: the one before it. -#}
    described as (
        select
            pupil_rows.*,
            case census_term
                when 'spring' then 'autumn' when 'summer' then 'spring' else 'summer'
            end as term,
            collection_year - case when census_term = 'autumn' then 1 else 0 end as academic_year_end
        from pupil_rows
        where sessions_possible is not null
    ),

    easter_mondays as (
        select holiday_date as easter_monday
        from {{ ref('bank_holidays_england') }}
        where holiday_name = 'Easter Monday'
    ),

    {#- An exclusion in the term it started; one reported by two censuses (one and two
        terms in arrears) counts once: per pupil, start date and category, the most any one
        census reported (two suspensions starting on one day stay two). -#}
    exclusions_by_census as (
        select
            exclusions._area,
            exclusions.urn,
            exclusions.upn,
            exclusions.start_date,
            exclusions.category,
            exclusions._collection_period,
            count(*) as reported
        from (
            {%- for pupils, _, _, _ in pupil_tables %}
            select * from {{ pupils }}_exclusions
            {{ 'union all' if not loop.last }}
            {%- endfor %}
        ) as exclusions
        where exclusions.upn is not null and exclusions.start_date is not null
        group by all
    ),

    exclusion_terms as (
        select
            exclusions._area,
            exclusions.urn,
            exclusions.upn,
            exclusions.category,
            case
                when month(exclusions.start_date) >= 8 then 'autumn'
                when exclusions.start_date < easter_mondays.easter_monday then 'spring'
                else 'summer'
            end as term,
            year(exclusions.start_date) + case when month(exclusions.start_date) >= 8 then 1 else 0 end
                as academic_year_end,
            max(exclusions.reported) as exclusions
        from exclusions_by_census as exclusions
        left join easter_mondays
            on year(easter_mondays.easter_monday) = year(exclusions.start_date)
        group by all
    ),

    exclusion_counts as (
        select
            _area, urn, upn, term, academic_year_end,
            coalesce(sum(exclusions) filter (where category in ('SUSP', 'FIXD')), 0) as suspensions,
            bool_or(category = 'PERM') as is_permanently_excluded
        from exclusion_terms
        group by _area, urn, upn, term, academic_year_end
    )

    select
        described._area as la_code,
        cast(described.academic_year_end - 1 as varchar) || '/'
            || right(cast(described.academic_year_end as varchar), 2) as academic_year,
        described.term,
        cast(make_date(
            described.academic_year_end - case when described.term = 'autumn' then 1 else 0 end,
            case described.term when 'autumn' then 9 when 'spring' then 1 else 4 end,
            1
        ) as varchar) as term_start_date,
        described.urn,
        described.upn,
        described.person_birth_date,
        described.person_birth_date_month,
        described.sex,
        described.postcode_district_district,
        described.ncyear_actual,
        cast(described.sessions_possible as varchar) as sessions_possible,
        cast(described.sessions_possible - described.sessions_authorised
            - described.sessions_unauthorised as varchar) as sessions_attended,
        cast(described.sessions_authorised as varchar) as sessions_authorised_absence,
        cast(described.sessions_unauthorised as varchar) as sessions_unauthorised_absence,
        cast(coalesce(exclusion_counts.suspensions, 0) as varchar) as suspensions,
        case when exclusion_counts.is_permanently_excluded then 'Y' else 'N' end
            as permanent_exclusion,
        described._source_file,
        described._file_sha256,
        described._record_line,
        described._area,
        described._collection_period,
        described._loaded_at
    from described
    left join exclusion_counts
        on {{ columns_match('described', 'exclusion_counts', [
            '_area', 'urn', 'upn', 'term', 'academic_year_end']) }}
{% endmacro %}

{#- The folder a delivered file sits in: one school's export of one census. -#}
{% macro delivery_folder(path) -%}
    regexp_replace({{ path }}, '[^/]*$', '')
{%- endmacro %}

{#- AUT, SPR or SUM in the census table (or the term's name), else the delivery's period. -#}
{% macro export_census_term(term, period) -%}
    coalesce(
        case upper(left(trim({{ term }}), 3))
            when 'AUT' then 'autumn' when 'SPR' then 'spring' when 'SUM' then 'summer'
        end,
        case substr({{ period }}, 6, 2)
            when '09' then 'autumn' when '01' then 'spring' when '04' then 'summer'
        end
    )
{%- endmacro %}

{#- Export dates are written 2021-Jan-05 00:00:00; ISO and dd/mm/yyyy are read as well. -#}
{% macro parse_export_date(column) -%}
    coalesce(
        try_strptime(trim({{ column }}), '%Y-%b-%d %H:%M:%S')::date,
        {{ parse_date(column) }}
    )
{%- endmacro %}

{#- The months of the term a census of the exported layout reports, from the first month of
    the census's own term: the spring census (January) the autumn term before it (September
    to December), the summer census (April) the spring term (January to March), the autumn
    census (September) the summer term (April to July). -#}
{% macro school_census_export_described_months(census_first_month) -%}
    case month({{ census_first_month }})
        when 1 then {{ census_first_month }} - interval 4 month
        when 4 then {{ census_first_month }} - interval 3 month
        else {{ census_first_month }} - interval 5 month
    end::date,
    case month({{ census_first_month }})
        when 1 then {{ census_first_month }} - interval 1 month
        when 4 then {{ census_first_month }} - interval 1 month
        else {{ census_first_month }} - interval 2 month
    end::date
{%- endmacro %}

{#- The national curriculum year group a year before (R after nursery N2, N2 after N1). -#}
{% macro year_group_before(column) -%}
    case upper(trim({{ column }}))
        when '' then null
        when 'R' then 'N2'
        when 'N2' then 'N1'
        when '1' then 'R'
        else coalesce(
            cast(try_cast(trim({{ column }}) as integer) - 1 as varchar),
            nullif(trim({{ column }}), '')
        )
    end
{%- endmacro %}
