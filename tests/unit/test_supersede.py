"""A delivery replaces another only when it is the same return: periods from the bulk of the
dates (or the path), every supersede reconciled, and one that drops too much held until a
person confirms it."""

from pathlib import Path

import duckdb

from orchestration.ingest.delivered import SourceFormat
from orchestration.ingest.formats.contract_csv import ContractCsvFormat
from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.loader import Ingestor
from orchestration.ingest.model import IngestReport
from orchestration.ingest.periods import year_in_path
from orchestration.operations import max_dropped_share
from orchestration.privacy.keys import DEMO_KEY
from orchestration.privacy.pseudonymise import Pseudonymiser
from orchestration.sources.registry import SOURCES_DIR

POLICE_HEADER = (
    "FORCE_CODE,LA_CODE,INCIDENT_REF,INCIDENT_DATE,INCIDENT_TYPE,CHILDREN_PRESENT,"
    "NOTIFIED_TO_CSC,CHILD_FORENAME,CHILD_SURNAME,CHILD_DOB,CHILD_POSTCODE,RECORDED_AT"
)
EPISODES_HEADER = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def ingest(con: duckdb.DuckDBPyConnection, landing: Path, fmt: SourceFormat) -> IngestReport:
    pseudonymiser = Pseudonymiser(DEMO_KEY, "demo")
    return Ingestor(fmt, con, pseudonymiser, landing).ingest(landing / fmt.source)


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def police(refs: range, day: str = "15/04/2020") -> list[str]:
    return [f"37,938,INC{ref},{day},domestic_abuse,1,Y,,,,," for ref in refs]


def police_format() -> ContractCsvFormat:
    return ContractCsvFormat(SOURCES_DIR / "police_incidents.yaml")


def episode(child: int, decom: str, dec: str = "") -> str:
    return f"C{child},{decom},P,C2,N1,U1,PR1,{dec},{'E11' if dec else ''},,,,"


def test_five_yearly_reviews_files_with_a_stray_date_each_all_stay_loaded(con, tmp_path):
    for year in range(2017, 2022):
        reviews = [
            f"C{child},01/01/2010,15/{4 + child % 9:02d}/{year - 1},PN1" for child in range(40)
        ]
        # One review keyed into the next return's year: the year is the bulk's, not the latest.
        reviews.append(f"C99,01/01/2010,02/05/{year},PN1")
        path = tmp_path / "ssda903" / "938" / f"reviews_{year - 2016}.csv"
        write(path, "CHILD,DOB,REVIEW,REVIEW_CODE", reviews)
    report = ingest(con, tmp_path, Ssda903Format())
    assert [o.status for o in report.outcomes] == ["loaded"] * 5
    assert fetch(con, "select collection_period from raw.file_manifest order by 1") == [
        (str(year),) for year in range(2017, 2022)
    ]
    assert fetch(con, "select count(*) from raw.ssda903_reviews") == [(205,)]
    assert fetch(con, "select count(*) from raw.supersede_reconciliation") == [(0,)]


def test_episodes_ending_on_1_april_stay_in_their_return(con, tmp_path):
    for number, year in enumerate((2017, 2018, 2019), start=1):
        episodes = [episode(child, f"10/{4 + child % 9:02d}/{year - 1}") for child in range(10)]
        if year != 2018:  # a few episodes end the day after the year: the next year's date
            ending = [episode(child, f"01/06/{year - 1}", f"01/04/{year}") for child in (20, 21)]
            episodes += ending * 2
        write(tmp_path / "ssda903" / "938" / f"episodes_{number}.csv", EPISODES_HEADER, episodes)
    report = ingest(con, tmp_path, Ssda903Format())
    assert [o.status for o in report.outcomes] == ["loaded"] * 3
    assert fetch(con, "select collection_period from raw.file_manifest order by 1") == [
        ("2017",),
        ("2018",),
        ("2019",),
    ]
    assert fetch(con, "select count(*) from raw.ssda903_episodes") == [(38,)]


def test_a_year_the_path_names_wins_over_the_dates():
    assert year_in_path(Path("ssda903/938/2021/reviews.csv")) == 2021
    assert year_in_path(Path("ssda903/938/ssda903_938_2019_Reviews.csv")) == 2019
    assert year_in_path(Path("ssda903/938/reviews 2020-21.csv")) == 2021
    assert year_in_path(Path("ssda903/938/2021/confirmed/reviews.csv")) == 2021
    assert year_in_path(Path("ssda903/938/reviews_20210415.csv")) is None


def test_a_police_redelivery_with_a_date_in_2099_replaces_its_predecessor(con, tmp_path):
    folder = tmp_path / "police_incidents"
    write(folder / "april.csv", POLICE_HEADER, police(range(10)))
    ingest(con, tmp_path, police_format())
    stray = police(range(10, 11), "15/04/2099")
    write(folder / "april_v2.csv", POLICE_HEADER, police(range(10)) + stray)
    report = ingest(con, tmp_path, police_format())
    assert [(o.file_path, o.status) for o in report.outcomes if o.status != "unchanged"] == [
        ("police_incidents/april_v2.csv", "loaded")
    ]
    manifest = "select file_path, status, collection_period from raw.file_manifest order by 1"
    assert fetch(con, manifest) == [
        ("police_incidents/april.csv", "superseded", "2020-04..2020-04"),
        ("police_incidents/april_v2.csv", "loaded", "2020-04..2020-04"),
    ]
    # The 2099 row still loads, and is a finding with its line, never its value.
    assert fetch(con, "select count(*) from raw.police_incidents") == [(11,)]
    [(line, rule, message)] = fetch(
        con,
        "select line, rule, message from raw.schema_findings where rule = 'date_outside_period'",
    )
    assert (line, rule) == (12, "date_outside_period")
    assert message.startswith("1 row(s)") and "2099" not in message
    assert fetch(
        con,
        "select raw_table, rows_in_replaced, rows_in_new, rows_only_in_replaced, decision"
        " from raw.supersede_reconciliation",
    ) == [("police_incidents", 10, 11, 0, "superseded")]


def test_a_stray_month_far_before_the_bulk_does_not_set_the_period(con, tmp_path):
    rows = police(range(300), "15/03/2023") + police(range(300, 301), "15/03/2001")
    write(tmp_path / "police_incidents" / "march.csv", POLICE_HEADER, rows)
    ingest(con, tmp_path, police_format())
    assert fetch(con, "select collection_period from raw.file_manifest") == [("2023-03..2023-03",)]
    assert fetch(
        con, "select line from raw.schema_findings where rule = 'date_outside_period'"
    ) == [(302,)]


def test_a_redelivery_dropping_30_percent_is_held_until_confirmed(con, tmp_path):
    folder = tmp_path / "police_incidents"
    write(folder / "april.csv", POLICE_HEADER, police(range(10)))
    ingest(con, tmp_path, police_format())
    write(folder / "april_v2.csv", POLICE_HEADER, police(range(7)))
    for _ in range(2):  # decided again at each run, recorded once
        [_, held] = ingest(con, tmp_path, police_format()).outcomes
    assert held.status == "held"
    assert fetch(con, "select file_path, status from raw.file_manifest order by 1") == [
        ("police_incidents/april.csv", "loaded"),
        ("police_incidents/april_v2.csv", "held"),
    ]
    [(error, fix, rows_loaded)] = fetch(
        con, "select error, fix, rows_loaded from raw.file_manifest where status = 'held'"
    )
    assert "drop 3 of its 10 records of raw.police_incidents (30%)" in error
    assert "data/landing/police_incidents/confirmed/april_v2.csv" in fix
    assert rows_loaded == 0
    assert fetch(con, "select count(*), min(_source_file) from raw.police_incidents") == [
        (10, "police_incidents/april.csv")
    ]
    reconciliation = (
        "select rows_in_replaced, rows_in_new, rows_only_in_replaced, decision, record_key"
        " from raw.supersede_reconciliation order by decided_at"
    )
    key = "incident_ref+child_forename+child_surname+child_dob"
    assert fetch(con, reconciliation) == [(10, 7, 3, "held", key)]

    # A person confirms it by moving it into confirmed/: it replaces the earlier file.
    (folder / "confirmed").mkdir()
    (folder / "april_v2.csv").rename(folder / "confirmed" / "april_v2.csv")
    outcomes = ingest(con, tmp_path, police_format()).outcomes
    [loaded] = [outcome for outcome in outcomes if outcome.status != "unchanged"]
    assert (loaded.status, loaded.rows_loaded) == ("loaded", 7)
    assert fetch(con, "select file_path, status, fix from raw.file_manifest order by 1") == [
        ("police_incidents/april.csv", "superseded", None),
        (
            "police_incidents/april_v2.csv",
            "confirmed",
            "Confirmed by a person: loaded from police_incidents/confirmed/april_v2.csv.",
        ),
        ("police_incidents/confirmed/april_v2.csv", "loaded", None),
    ]
    assert fetch(con, "select count(*) from raw.police_incidents") == [(7,)]
    assert [row[3] for row in fetch(con, reconciliation)] == ["held", "confirmed"]


def test_reconciliation_counts_records_by_their_natural_key(con, tmp_path):
    assert max_dropped_share() == 0.10
    folder = tmp_path / "ssda903" / "938" / "2020"
    old = [episode(child, "10/05/2019") for child in range(10)]
    write(folder / "episodes.csv", EPISODES_HEADER, old)
    ingest(con, tmp_path, Ssda903Format())
    # Child 0's episode is corrected (same CHILD and DECOM), child 9's is gone, two are new,
    # and child 1's is delivered twice: 1 of 10 records dropped, exactly the share allowed.
    new = [episode(0, "10/05/2019", "01/03/2020"), *old[1:9], old[1]]
    new += [episode(child, "10/06/2019") for child in (20, 21)]
    write(folder / "episodes_v2.csv", EPISODES_HEADER, new)
    [_, outcome] = ingest(con, tmp_path, Ssda903Format()).outcomes
    assert outcome.status == "loaded"
    assert fetch(
        con,
        "select raw_table, record_key, rows_in_replaced, rows_in_new, rows_only_in_replaced,"
        " decision from raw.supersede_reconciliation",
    ) == [("ssda903_episodes", "child+decom", 10, 12, 1, "superseded")]
    assert fetch(con, "select count(*) from raw.ssda903_episodes") == [(12,)]
    # Another year's table of the same part is a different return: no supersede.
    write(tmp_path / "ssda903" / "938" / "2021" / "episodes.csv", EPISODES_HEADER, old[:3])
    ingest(con, tmp_path, Ssda903Format())
    assert fetch(con, "select count(*) from raw.supersede_reconciliation") == [(1,)]
    assert fetch(con, "select count(*) from raw.file_manifest where status = 'loaded'") == [(2,)]


def test_a_held_redelivery_is_a_warning_on_the_source_in_dagster(tmp_path):
    """Service leads see a held delivery on the asset's checks, not only in the manifest."""
    import dagster as dg

    from orchestration.ingest.assets import INGEST_ASSETS, NO_DELIVERY_HELD_CHECK
    from orchestration.privacy.keys import mark_synthetic
    from orchestration.resources import build_resources

    folder = tmp_path / "landing" / "police_incidents"
    mark_synthetic(tmp_path / "landing")
    table = dg.AssetKey(["raw", "police_incidents"])
    police_assets = [a for a in INGEST_ASSETS if table in getattr(a, "keys", ())]
    resources = build_resources(tmp_path)
    checks = {}
    for rows in (range(10), range(7)):
        write(folder / f"april_{len(rows)}.csv", POLICE_HEADER, police(rows))
        result = dg.materialize(police_assets, resources=resources)
        assert result.success
        checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    held = checks[NO_DELIVERY_HELD_CHECK]
    assert not held.passed and held.severity == dg.AssetCheckSeverity.WARN
    assert held.metadata["files_held"].value == 1
    assert "april_7.csv" in held.metadata["held"].value and checks["files_parsed"].passed
