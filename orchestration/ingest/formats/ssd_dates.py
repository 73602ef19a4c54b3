"""Which months an SSD extract's records fall in: the dates that place each object's records,
and the DuckDB expression that dates one record (ssd.py takes the file's period from the
bulk of these dates, periods.bulk_months_sql).

An extract restates every record still open, however long ago it started: an episode
referred two years ago and still open is in this year's extract. Dated by its start, it
would pull the extract's first month back by two years and make it overlap (and in the
supersede rule replace) earlier extracts. So a record of an object with a start and an end
whose end is blank (still open at the extract) is dated at the extract's last complete
month, the month before the day it was made: it is known to be open then (as is one whose
end, known in advance, is after that day: ENDS_KNOWN_AHEAD). A record that has ended is
dated by the later of its start and end (an episode may start before the extract's
months and end in them); a single-dated record by its one date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from orchestration.ingest.formats.ssd_checks import FORMS

# Each object's dates: (start, end) for records that run over time, (date,) for events.
EVENT_DATES = {
    "ssd_contacts": ("cont_contact_date",),
    "ssd_early_help_episodes": ("earl_episode_start_date", "earl_episode_end_date"),
    "ssd_cin_episodes": ("cine_referral_date", "cine_close_date"),
    "ssd_cin_assessments": ("cina_assessment_start_date", "cina_assessment_auth_date"),
    "ssd_s47_enquiry": ("s47e_s47_start_date", "s47e_s47_end_date"),
    # The conference is one day; its target date is a deadline, often after the extract
    # was made for a conference not yet held, so it places nothing.
    "ssd_initial_cp_conference": ("icpc_icpc_date",),
    "ssd_cp_plans": ("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
    # A child still looked after is restated in every extract from the episode's start, as
    # a child still missing is from the day they went: both open records, dated as above.
    "ssd_cla_episodes": ("clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),
    "ssd_missing": ("miss_missing_episode_start_date", "miss_missing_episode_end_date"),
    # A placement the child is still in, a legal status still in force and an immigration
    # status still held are restated from their start in the same way: open, dated as above.
    "ssd_cla_placement": ("clap_cla_placement_start_date", "clap_cla_placement_end_date"),
    "ssd_legal_status": ("lega_legal_status_start_date", "lega_legal_status_end_date"),
    "ssd_immigration_status": (
        "immi_immigration_status_start_date",
        "immi_immigration_status_end_date",
    ),
}
# Objects whose end may be known before it comes: an unaccompanied asylum-seeking child's
# status ends on the day they turn 18 (as the SSDA903 UASC table's DUC), recorded from the
# start. Such an end after the day the extract was made is still to come, so the record is
# open at the extract and dated as a blank end is, not at a month no extract has reached.
ENDS_KNOWN_AHEAD = frozenset({"ssd_immigration_status"})


def month_before(day: date) -> str:
    """The last complete month before the day an extract was made (yyyy-mm)."""
    previous = date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)
    return f"{previous:%Y-%m}"


def datetime_sql(column: str) -> str:
    """DuckDB expression: a delivered SSD datetime (a date, a date and time, fractions of a
    second, or dd/mm/yyyy), else null."""
    text = f"regexp_replace(trim(\"{column}\"), '\\.\\d+$', '')"
    return "coalesce(" + ", ".join(f"try_strptime({text}, '{f}')" for f, _ in FORMS) + ")"


def event_sql(name: str, mapping: Mapping[str, str], day: date) -> str:
    """DuckDB expression dating one record of the object `name` from the delivered columns
    (mapping: specification field -> delivered column), for an extract made on `day`; null
    where the record has no readable date."""
    dates = EVENT_DATES.get(name, ())
    given = [datetime_sql(mapping[c]) for c in dates if c in mapping]
    if not given:
        return "null::timestamp"
    later = f"greatest({', '.join(given)})"
    if len(dates) < 2 or dates[0] not in mapping or dates[1] not in mapping:
        # Without an end column nothing says which records are open: dated by what is given.
        return later
    start, end = datetime_sql(mapping[dates[0]]), mapping[dates[1]]
    # Only a blank end (or an end still to come, known ahead) is open: an end that cannot be
    # read is a finding, and the record is dated by its start rather than taken for open.
    is_open = f"coalesce(trim(\"{end}\"), '') = ''"
    if name in ENDS_KNOWN_AHEAD:
        to_come = f"cast({datetime_sql(end)} as date) > date '{day.isoformat()}'"
        is_open = f"({is_open} or coalesce({to_come}, false))"
    last_month = f"timestamp '{month_before(day)}-01'"
    return f"(case when {is_open} and {start} is not null then {last_month} else {later} end)"
