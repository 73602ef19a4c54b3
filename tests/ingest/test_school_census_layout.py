"""The school census layout of a term and year: the 2015 tables with every yearly change up
to the year applied (added, modified, renamed and removed columns, added and removed
tables), and the content rules read from it."""

import pytest

from orchestration.ingest.formats import school_census_layout as layout


def test_a_renamed_column_keeps_its_definition_under_its_new_name():
    before = layout.layout(2015, "autumn")["learningaimsonroll"]
    after = layout.layout(2016, "autumn")["learningaimsonroll"]
    assert "qan" in before and "qan" not in after
    assert after["qn"] == before["qan"]


def test_removed_columns_and_tables_are_gone_from_later_years_only():
    assert "incare" in layout.layout(2015, "autumn")["termlyexclusionsonroll"]
    assert "incare" not in layout.layout(2016, "autumn")["termlyexclusionsonroll"]
    assert "levels" in layout.layout(2016, "autumn")
    assert "levels" not in layout.layout(2018, "autumn")


def test_sex_replaces_gender_and_sessions_move_to_the_session_details_by_2025():
    pupils_2018 = layout.layout(2018, "spring")["pupilonroll"]
    pupils_2025 = layout.layout(2025, "spring")["pupilonroll"]
    assert "gender" in pupils_2018 and "sex" not in pupils_2018
    assert "sex" in pupils_2025 and "gender" not in pupils_2025
    assert "termlysessionsauthorised" in pupils_2018
    assert "termlysessionsauthorised" not in pupils_2025


def test_a_modify_replaces_the_column_s_code_list():
    codes = {
        year: {c["code"] for c in layout.layout(year, "spring")["termlyexclusionsonroll"]
               ["category"]["category"]}
        for year in (2018, 2025)
    }  # fmt: skip
    assert "FIXD" in codes[2018] and "SUSP" not in codes[2018]
    assert "SUSP" in codes[2025]


@pytest.mark.parametrize("term", layout.TERMS)
def test_every_year_and_term_from_2016_has_pupils_and_the_return(term):
    for year in range(2016, layout.latest_year() + 1):
        tables = layout.layout(year, term)
        assert {"pupilonroll", "schoolcensus", "termlyexclusionsonroll"} <= set(tables)


def test_rules_read_type_codes_and_blank_from_the_layout():
    kept = ("schoolcensustableid", "termlysessionspossible", "sex", "dob", "missing")
    rules = {r.column: r for r in layout.rules(2025, "spring", "pupilonroll", kept)}
    assert set(rules) == set(kept) - {"missing", "schoolcensustableid"} | {"schoolcensustableid"}
    assert rules["schoolcensustableid"].required
    assert rules["termlysessionspossible"].kind == "integer"
    assert rules["dob"].kind == "date"
    assert {"M", "F"} <= rules["sex"].codes


def test_the_widest_matching_table_is_recognised_and_a_short_header_is_not():
    header = list(layout.layout(2025, "spring")["pupilonroll"])
    assert layout.recognise(header, 2025, "spring") == "pupilonroll"
    assert layout.recognise(header[:-1], 2025, "spring") is None
    assert layout.closest(header[:-1], 2025, "spring") == ("pupilonroll", [header[-1]])
