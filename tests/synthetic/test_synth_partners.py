"""SSDA903, health, police, education and population extracts, the shock and the defects."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from synthetic import GenerationSummary, generate
from synthetic.contracts import SSDA903_TABLES, contract, ssda903_schema
from synthetic.defects import INVALID_CODE, KINDS
from tests.synthetic.synth_helpers import generate_clean

RUN = {"seed": 42, "children": 20_000, "start": "2019-04", "end": "2021-03"}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate(tmp_path_factory.mktemp("partners"), **RUN)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate_clean(tmp_path_factory.mktemp("clean"), **RUN)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _truth(summary: GenerationSummary, name: str) -> pd.DataFrame:
    return pd.read_csv(summary.out_dir / "_truth" / name, dtype={"month": str})


def _monthly(summary: GenerationSummary, source: str, measure: str) -> dict[str, float]:
    table = _truth(summary, f"{source}_monthly.csv")
    table = table[table["measure"] == measure]
    return dict(zip(table["month"], table["value"], strict=True))


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_ssda903_columns_and_codes_per_year(clean_run: GenerationSummary) -> None:
    root = clean_run.out_dir / "ssda903"
    years = sorted(int(p.name) for p in root.iterdir())
    assert years == [2020, 2021]
    for year in years:
        schema = ssda903_schema(year)
        for table, name in SSDA903_TABLES.items():
            if table not in schema.tables:
                continue
            frame = _read(root / str(year) / f"ssda903_938_{year}_{name}.csv")
            assert tuple(frame.columns) == schema.columns(table), (year, name)
            for column in frame.columns:
                codes = schema.codes(table, column)
                if codes:
                    values = set(frame[column]) - {""}
                    assert values <= set(codes), (year, name, column, values - set(codes))
            for column, spec in schema.tables[table].items():
                if "date" in spec:
                    dates = frame[column][frame[column] != ""]
                    assert dates.str.fullmatch(r"\d\d/\d\d/\d{4}").all(), (name, column)
        header = _read(root / str(year) / f"ssda903_938_{year}_Header.csv")
        assert set(header["SEX"]) <= {"1", "2"}
        assert header["CHILD"].is_unique


def test_child_in_care_across_years_is_in_each_return(clean_run: GenerationSummary) -> None:
    root = clean_run.out_dir / "ssda903"
    episodes = {y: _read(root / str(y) / f"ssda903_938_{y}_Episodes.csv") for y in (2020, 2021)}
    still_open = set(episodes[2020].loc[episodes[2020]["DEC"] == "", "CHILD"])
    assert still_open and still_open <= set(episodes[2021]["CHILD"])


def test_csv_headers_equal_the_contracts(run: GenerationSummary) -> None:
    for source in (
        "ae_attendances",
        "hospital_admissions",
        "camhs_referrals",
        "police_incidents",
        "school_census",
        "school_attendance_daily",
        "population",
    ):
        files = sorted((run.out_dir / source).glob("*.csv"))
        assert files, source
        for path in files[:3] + files[-1:]:
            with path.open(encoding="utf-8") as handle:
                assert tuple(next(csv.reader(handle))) == contract(source).columns


def test_coded_columns_use_contract_codes(clean_run: GenerationSummary) -> None:
    for source in ("ae_attendances", "camhs_referrals", "police_incidents"):
        frame = pd.concat(_read(p) for p in (clean_run.out_dir / source).glob("*.csv"))
        for column, codes in contract(source).codes.items():
            assert set(frame[column]) - {""} <= set(codes), (source, column)


def test_linkage_keys_agree_across_sources(clean_run: GenerationSummary) -> None:
    out = clean_run.out_dir
    census = _read(out / "school_census" / "school_census_938_2019-20_autumn.csv")
    dob_by_upn = dict(zip(census["UPN"], census["PERSON_BIRTH_DATE"], strict=True))
    header = _read(out / "ssda903" / "2020" / "ssda903_938_2020_Header.csv")
    linked = header[header["UPN"].isin(dob_by_upn)]
    assert len(linked) > 20
    iso = linked["DOB"].str[6:] + "-" + linked["DOB"].str[3:5] + "-" + linked["DOB"].str[:2]
    assert (iso.to_numpy() == linked["UPN"].map(dob_by_upn).to_numpy()).all()
    health = pd.concat(
        _read(p)[["NHS_NUMBER", "PERSON_BIRTH_DATE", "POSTCODE_DISTRICT"]]
        for source in ("ae_attendances", "hospital_admissions", "camhs_referrals")
        for p in sorted((out / source).glob("*_2019-1*.csv"))
    )
    per_nhs = health.groupby("NHS_NUMBER")[["PERSON_BIRTH_DATE", "POSTCODE_DISTRICT"]].nunique()
    assert (per_nhs == 1).all().all()
    police = _read(out / "police_incidents" / "police_incidents_938_2019-10.csv")
    assert (police["CHILD_FORENAME"] == "").any() and (police["CHILD_POSTCODE"] == "").any()


def test_published_rates_within_ten_percent(clean_run: GenerationSummary) -> None:
    baseline = [f"{y}-{m:02d}" for y, m in [(2019, m) for m in range(4, 13)]]
    baseline += [f"2020-{m:02d}" for m in (1, 2, 3)]
    starts = sum(_monthly(clean_run, "ssda903", "starts")[m] for m in baseline)
    assert starts / RUN["children"] * 10_000 == pytest.approx(27, rel=0.10)
    referrals = _truth(clean_run, "cin_referrals_monthly.csv")
    total = referrals[referrals["month"].str[:7].isin(baseline)]["referrals"].sum()
    assert total / RUN["children"] * 10_000 == pytest.approx(545, rel=0.10)


def test_lockdown_visible_in_monthly_counts(run: GenerationSummary) -> None:
    ae = _monthly(run, "ae_attendances", "rows")
    assert ae["2020-04"] < 0.5 * ae["2019-04"]
    att = _monthly(run, "school_attendance_daily", "attendance_rate")
    csw = _monthly(run, "school_attendance_daily", "csw_attendance_rate")
    assert 0.01 <= att["2020-04"] <= 0.03 and 0.01 <= att["2020-05"] <= 0.03
    assert 0.85 <= att["2020-09"] <= 0.91
    assert csw["2020-04"] > att["2020-04"]
    assert att["2019-10"] > 0.93
    starts = _monthly(run, "ssda903", "starts")
    # A quarter of the baseline year against April to June 2020 (a third down).
    before = sum(v for m, v in starts.items() if "2019-04" <= m <= "2020-03") / 4
    during = sum(starts[m] for m in ("2020-04", "2020-05", "2020-06"))
    assert during < 0.85 * before
    da = _monthly(run, "police_incidents", "domestic_abuse")
    assert sum(da[m] for m in ("2020-04", "2020-05", "2020-06")) > sum(
        da[m] for m in ("2019-04", "2019-05", "2019-06")
    )


def test_truth_file_matches_injected_defects(run: GenerationSummary) -> None:
    out = run.out_dir
    defects = _truth(run, "defects.csv")
    assert set(defects["kind"]) == set(KINDS)
    gap = defects[defects["kind"] == "gap_month"].iloc[0]
    month = gap["first_month"]
    assert not (out / gap["source"] / f"{gap['source']}_938_{month}.csv").exists()
    assert int(gap["rows_affected"]) == _monthly(run, gap["source"], "rows")[month]
    dup = defects[defects["kind"] == "duplicate_delivery"].iloc[0]
    original = _read(out / dup["source"] / f"{dup['source']}_938_{dup['first_month']}.csv")
    again = _read(out / dup["location"])
    assert len(again) == len(original) + int(dup["rows_affected"])
    assert again.duplicated().sum() == int(dup["rows_affected"])
    invalid = defects[(defects["kind"] == "invalid_code") & (defects["source"] == "ae_attendances")]
    row = invalid.iloc[0]
    frame = _read(out / "ae_attendances" / f"ae_attendances_938_{row['first_month']}.csv")
    assert (frame[row["field"]] == INVALID_CODE).sum() == int(row["rows_affected"])
    order = defects[(defects["kind"] == "date_order") & (defects["source"] == "ssda903")].iloc[0]
    year = int(order["location"].split("/")[1])
    episodes = _read(out / "ssda903" / str(year) / f"ssda903_938_{year}_Episodes.csv")
    closed = episodes[episodes["DEC"] != ""]
    to_date = lambda s: pd.to_datetime(s, format="%d/%m/%Y")  # noqa: E731
    assert (to_date(closed["DEC"]) < to_date(closed["DECOM"])).sum() == int(order["rows_affected"])
    ethnic = defects[(defects["field"] == "ETHNIC")].iloc[0]
    header = _read(out / "ssda903" / "2021" / "ssda903_938_2021_Header.csv")
    assert (header["ETHNIC"] == "").sum() == int(ethnic["rows_affected"]) > 0


def test_clean_scenario_injects_nothing(clean_run: GenerationSummary) -> None:
    assert _truth(clean_run, "defects.csv").empty
    assert not list(clean_run.out_dir.rglob("*redelivery*"))
    police = {p.stem[-7:] for p in (clean_run.out_dir / "police_incidents").glob("*.csv")}
    assert len(police) == 24


def test_same_seed_same_bytes_and_cin_unchanged_by_new_sources(tmp_path: Path) -> None:
    small = {"seed": 3, "children": 3_000, "start": "2019-04", "end": "2020-03"}
    a = _hashes(generate(tmp_path / "a", **small).out_dir)
    b = _hashes(generate(tmp_path / "b", **small).out_dir)
    assert a == b
    cin_only = _hashes(generate(tmp_path / "c", **small, partner_sources=False).out_dir)
    cin_only.pop("_truth/defects.csv")  # the CIN census defects, written without partners too
    cin_only.pop("_truth/injected_effects.csv")  # the answer key: referrals only, without partners
    assert cin_only.pop("_synthetic.json") == a["_synthetic.json"]
    assert cin_only == {k: v for k, v in a.items() if k.startswith("cin_census/")} | {
        k: v for k, v in a.items() if k.startswith("_truth/cin_")
    }


def test_several_authorities(tmp_path: Path) -> None:
    small = {"seed": 3, "children": 3_000, "start": "2019-04", "end": "2020-03"}
    one = _hashes(generate(tmp_path / "one", **small).out_dir)
    two = _hashes(generate(tmp_path / "two", **small, authorities=2).out_dir)
    for name, digest in one.items():
        if name.startswith(("cin_census/", "ssda903/", "ae_attendances/")):
            assert two[name] == digest
    assert any("_936_" in name for name in two)
    populations = _read(tmp_path / "two" / "population" / "population_936.csv")
    assert populations["POPULATION"].astype(int).sum() < sum(
        _read(tmp_path / "two" / "population" / "population_938.csv")["POPULATION"].astype(int)
    )
    assert date(2020, 1, 1)  # keeps the import used for readers of this test
