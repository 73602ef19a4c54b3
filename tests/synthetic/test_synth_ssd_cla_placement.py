"""The SSD extracts' placements, legal statuses and immigration statuses against the SSDA903
returns of the same run: each placement and legal-status spell is the run of that year's
Episodes rows it is made of (the same child, start, PLACE, provider, URN, PL_POST and LS
code, an end only once it came, the next placement's REASON_PLACE_CHANGE), each UASC child's
status carries the UASC table's DUC, ids stay the same from extract to extract, and the
placements started in a year are the return's episodes that start a placement."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import numpy as np
import pandas as pd
import pytest

from synthetic import GenerationSummary
from synthetic.care_episodes import CareEpisodes
from synthetic.care_periods import CarePeriods
from synthetic.care_starts import ROUTE_UASC
from synthetic.looked_after import LookedAfter
from synthetic.population import Population
from synthetic.writers.ssd_cla import cla_ids, cla_tables
from synthetic.writers.ssd_cla_placement import ReturnedPlaces
from tests.synthetic.test_synth_ssd_cin import YEARS, extract
from tests.synthetic.test_synth_ssd_cla import MADE, day, days, returned, text

STARTS_PLACEMENT = ("S", "P", "B", "T", "U")  # S: a period's first episode in this run


def labelled_episodes(run: GenerationSummary, year: int) -> pd.DataFrame:
    """The year's Episodes rows (ISO dates), each with the period and placement ids its SSD
    episode of care (same child and start) carries."""
    rows = returned(run, year, "Episodes", iso_dates=("DECOM", "DEC"))
    care = extract(run, "ssd_cla_episodes", f"{year}-04-01")
    key = ["clae_person_id", "clae_cla_episode_start_date"]
    assert not care.duplicated(key).any()
    ids = care[[*key, "clae_cla_id", "clae_cla_placement_id"]]
    labelled = rows.merge(ids, left_on=["CHILD", "DECOM"], right_on=key, validate="one_to_one")
    assert len(labelled) == len(rows)
    return labelled.sort_values(["clae_cla_id", "DECOM"]).reset_index(drop=True)


def runs_of(rows: pd.DataFrame, starts: pd.Series) -> pd.DataFrame:
    """Runs of consecutive rows: the first row's fields, the last row's DEC."""
    number = starts.cumsum()
    first = rows[starts.to_numpy()].reset_index(drop=True)
    last = rows.groupby(number.to_numpy())["DEC"].last().reset_index(drop=True)
    return first.assign(END=last)


@pytest.mark.parametrize("year", YEARS)
def test_each_placement_is_the_run_of_the_return_s_episodes_it_is_made_of(
    ssd_run: GenerationSummary, year: int
) -> None:
    rows = labelled_episodes(ssd_run, year)
    places = extract(ssd_run, "ssd_cla_placement", f"{year}-04-01").set_index(
        "clap_cla_placement_id"
    )
    new = rows["clae_cla_placement_id"] != rows["clae_cla_placement_id"].shift()
    made = runs_of(rows, new).set_index("clae_cla_placement_id")
    # the extract holds the placements of its episodes, no other
    assert set(places.index) == set(made.index) and len(places) > 30
    got = places.loc[made.index]
    assert (got["clap_person_id"] == made["CHILD"]).all()
    assert (got["clap_cla_id"] == made["clae_cla_id"]).all()
    assert (got["clap_cla_placement_type"] == made["PLACE"]).all()
    assert (got["clap_cla_placement_provider"] == made["PLACE_PROVIDER"]).all()
    assert (got["clap_cla_placement_end_date"] == made["END"]).all()
    # a placement is one place: an episode within it changes only the legal status
    within = rows[~new]
    assert set(within["RNE"]) <= {"L"} and len(within) > 5
    same = rows.groupby("clae_cla_placement_id")[["PLACE", "PLACE_PROVIDER"]].nunique()
    assert (same == 1).all().all()
    # begun in the year's episodes: its start, URN and postcode are its first row's; begun
    # before the year's first episode of it, the return of this year holds neither
    begun = made["RNE"].isin(STARTS_PLACEMENT).to_numpy()
    here = got[begun]
    assert (here["clap_cla_placement_start_date"] == made.loc[begun, "DECOM"]).all()
    assert (here["clap_cla_placement_urn"] == made.loc[begun, "URN"]).all()
    assert (here["clap_cla_placement_postcode"] == made.loc[begun, "PL_POST"]).all()
    before = got[~begun]
    assert (before["clap_cla_placement_start_date"] < made.loc[~begun, "DECOM"]).all()
    assert (before[["clap_cla_placement_urn", "clap_cla_placement_postcode"]] == "").all().all()
    # the reason for a change is the next placement's, in the same period
    moved = new & (rows["clae_cla_id"] == rows["clae_cla_id"].shift())
    reasons = dict(
        zip(
            rows["clae_cla_placement_id"].shift()[moved],
            rows["REASON_PLACE_CHANGE"][moved],
            strict=True,
        )
    )
    change = places["clap_cla_placement_change_reason"]
    assert change.to_dict() == {p: reasons.get(p, "") for p in places.index}
    assert (change != "").sum() > 0


@pytest.mark.parametrize("year", YEARS)
def test_each_legal_status_is_the_run_of_the_return_s_episodes_with_that_code(
    ssd_run: GenerationSummary, year: int
) -> None:
    rows = labelled_episodes(ssd_run, year)
    period = rows["clae_cla_id"]
    new = (period != period.shift()) | (rows["LS"] != rows["LS"].shift())
    made = runs_of(rows, new)
    spells = extract(ssd_run, "ssd_legal_status", f"{year}-04-01")
    key = ["lega_person_id", "lega_legal_status", "lega_legal_status_end_date"]
    wanted = made[["CHILD", "LS", "END"]].itertuples(index=False, name=None)
    assert sorted(spells[key].itertuples(index=False, name=None)) == sorted(wanted)
    assert set(spells["lega_legal_status"]) >= {"C1", "C2", "V2"}
    assert 0 < (spells["lega_legal_status_end_date"] == "").sum() < len(spells)
    # a spell begun in the year starts with its first row there; one begun before, earlier
    starts = dict(
        zip(
            zip(
                spells["lega_person_id"],
                spells["lega_legal_status"],
                spells["lega_legal_status_end_date"],
                strict=True,
            ),
            spells["lega_legal_status_start_date"],
            strict=True,
        )
    )
    for child, code, end, start in made[["CHILD", "LS", "END", "DECOM"]].itertuples(index=False):
        assert starts[(child, code, end)] <= start
        if start >= f"{year - 1}-04-01":
            assert starts[(child, code, end)] == start


def test_a_uasc_child_s_status_runs_from_the_period_s_start_to_the_uasc_table_s_duc(
    ssd_run: GenerationSummary,
) -> None:
    for year in YEARS:
        uasc = returned(ssd_run, year, "UASC", iso_dates=("DUC",))
        wanted = sorted(zip(uasc["CHILD"], uasc["DUC"], strict=True))
        made = f"{year}-04-01"
        if not wanted:  # a small county: no file for a year without such a child
            assert not (ssd_run.out_dir / "ssd" / f"938_ssd_immigration_status_{made}.csv").exists()
            continue
        statuses = extract(ssd_run, "ssd_immigration_status", made)
        ends = ["immi_person_id", "immi_immigration_status_end_date"]
        assert sorted(statuses[ends].itertuples(index=False, name=None)) == wanted
        assert set(statuses["immi_immigration_status"]) == {"UASC"}
        # from the day the child entered care, as their episodes of care say
        care = extract(ssd_run, "ssd_cla_episodes", made).drop_duplicates("clae_person_id")
        entered = care.set_index("clae_person_id")["clae_entered_care_date"]
        started = statuses["immi_person_id"].map(entered)
        assert (started == statuses["immi_immigration_status_start_date"]).all()


def test_ids_stay_the_same_from_extract_to_extract(ssd_run: GenerationSummary) -> None:
    for name, id_column, key in [
        (
            "ssd_cla_placement",
            "clap_cla_placement_id",
            ["clap_person_id", "clap_cla_placement_start_date"],
        ),
        (
            "ssd_legal_status",
            "lega_legal_status_id",
            ["lega_person_id", "lega_legal_status_start_date", "lega_legal_status"],
        ),
    ]:
        every = pd.concat([extract(ssd_run, name, made) for made in MADE])
        assert (every.groupby(id_column)[key].nunique() == 1).all().all(), name
        assert (every.groupby(key)[id_column].nunique() == 1).all(), name
        assert every[id_column].duplicated().any(), name  # one still open, restated


def test_the_placements_started_in_a_year_are_the_return_s_episodes_starting_one(
    ssd_run: GenerationSummary,
) -> None:
    # As a placement moves measure would count them: from the SSD, its placements begun in
    # the year; from the return, its episodes with a reason that starts a placement.
    for year in YEARS:
        places = extract(ssd_run, "ssd_cla_placement", f"{year}-04-01")
        started = places["clap_cla_placement_start_date"].between(
            f"{year - 1}-04-01", f"{year}-03-31"
        )
        rows = returned(ssd_run, year, "Episodes", iso_dates=("DECOM",))
        in_year = rows["DECOM"].between(f"{year - 1}-04-01", f"{year}-03-31")
        starting = rows["RNE"].isin(STARTS_PLACEMENT).to_numpy() & in_year.to_numpy()
        assert started.sum() == starting.sum() > 20


def test_placements_and_spells_know_only_what_happened_by_the_last_day() -> None:
    # One UASC child, in care from 2019-01-10: a legal status change on 2019-03-01 (RNE L,
    # same placement), a move on 2019-09-01 (P, reason CHILD), another on 2020-04-10 (P,
    # reason PLACE), still in care. The 2020 return holds the last two episodes before it.
    periods = CarePeriods(
        child=np.array([0]),
        start=days("2019-01-10"),
        end=days(""),
        route=np.array([ROUTE_UASC]),
        reason=text(""),
        adopted=np.zeros(1, dtype=bool),
        placement_order=days(""),
    )
    episodes = CareEpisodes(
        period=np.zeros(4, dtype=np.int64),
        child=np.zeros(4, dtype=np.int64),
        start=days("2019-01-10", "2019-03-01", "2019-09-01", "2020-04-10"),
        end=days("2019-03-01", "2019-09-01", "2020-04-10", ""),
        rne=text("S", "L", "P", "P"),
        legal_status=text("V2", "C2", "C2", "C2"),
        place=text("U6", "U6", "K2", "U1"),
        provider=text("PR1", "PR1", "PR2", "PR4"),
        reason_ceased=text("X1", "X1", "X1", ""),
        reason_place_change=text("", "", "CHILD", "PLACE"),
        need=text(*["N8"] * 4),
        pl_inside=np.ones(4, dtype=bool),
    )
    none = np.zeros(0, dtype=np.int64)
    cla = LookedAfter(periods, episodes, none, none, text(), none, none, none, text())
    dob = day("2002-06-30")
    population = cast(Population, SimpleNamespace(la_child_id=text("K0"), dob=np.array([dob])))
    places = ReturnedPlaces(
        np.array([1, 2]), text("XXXXXXX", "SC000042"), text("QX1 1AA", "QX2 2BB")
    )
    ids = cla_ids(cla)
    tables, _ = cla_tables(cla, population, ids, day("2020-03-31"), places)
    placements = pd.DataFrame(tables["ssd_cla_placement"])
    assert list(tables["ssd_cla_episodes"]["clae_cla_placement_id"]) == ["PL0000001", "PL0000002"]
    columns = [
        "clap_cla_placement_id",
        "clap_cla_placement_start_date",
        "clap_cla_placement_type",
        "clap_cla_placement_urn",
        "clap_cla_placement_postcode",
        "clap_cla_placement_end_date",
        "clap_cla_placement_change_reason",
    ]
    assert list(placements[columns].itertuples(index=False, name=None)) == [
        # its first episode (the S) is not in the 2020 return: no URN or postcode from it
        ("PL0000001", "2019-01-10", "U6", "", "", "2019-09-01", "CHILD"),
        # moved again on 10 April, after the last day: still open, no reason yet
        ("PL0000002", "2019-09-01", "K2", "SC000042", "QX2 2BB", "", ""),
    ]
    spells = pd.DataFrame(tables["ssd_legal_status"])
    assert list(spells.itertuples(index=False, name=None)) == [
        ("LS0000002", "K0", "C2", "2019-03-01", ""),
    ]
    [status] = pd.DataFrame(tables["ssd_immigration_status"]).itertuples(index=False, name=None)
    # to the UASC table's DUC (18 years of 365.25 days from birth), though still to come
    assert status == ("K0", "IM0000001", "UASC", "2019-01-10", "2020-06-29")
    # An extract cut short on 30 June 2020 (no return that year): both moves known.
    tables, _ = cla_tables(cla, population, ids, day("2020-06-30"))
    placements = pd.DataFrame(tables["ssd_cla_placement"])
    assert list(placements[columns[0:1] + columns[3:]].itertuples(index=False, name=None)) == [
        ("PL0000002", "", "", "2020-04-10", "PLACE"),
        ("PL0000003", "", "", "", ""),
    ]
