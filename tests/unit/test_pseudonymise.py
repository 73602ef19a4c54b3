import duckdb
import pyarrow as pa
import pytest

from orchestration.ingest.formats.contract_csv import ContractCsvFormat
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.clear_parts import dropped_postcodes
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import (
    DEMO_KEY,
    MissingKeyError,
    Pseudonymiser,
    load_pseudonymiser,
    normalise,
    normalise_array,
)
from orchestration.sources.registry import SOURCES_DIR

KEY = b"a test key that is long enough"


@pytest.mark.parametrize(
    ("kind", "raw", "canonical"),
    [
        ("upn", " a123 456789123 ", "A123456789123"),
        ("nhs_number", "943 476 5919", "9434765919"),
        ("name", "  Zoë O'Brien-Ñúñez ", "zoeobriennunez"),
        ("date_of_birth", "07/03/2012", "2012-03-07"),
        ("date_of_birth", "2012-03-07", "2012-03-07"),
        ("postcode_district", "ip4 1aj", "IP4"),
        ("postcode_district", "SW1A 2AA", "SW1A"),
        ("la_child_id", " dfex0000001", "DFEX0000001"),
    ],
)
def test_identifiers_are_normalised_before_hashing(kind, raw, canonical):
    assert normalise(kind, raw) == canonical


@pytest.mark.parametrize(
    ("raw", "district"),
    [
        ("zz99-9zz", "ZZ99"),
        ("SW1A 1AA", "SW1A"),
        ("M1 1AE.", "M1"),
        ("EC1A1BB GB", "EC1A"),
        ("EC1A 1BB, UK", "EC1A"),
        ("not a postcode", None),
        ("B33 8TH", "B33"),
        ("CR2", "CR2"),
        ("cr2 gb", "CR2"),
        ("QX12", "QX12"),
        ("SW1Á 1AA", None),
        ("GB", None),
        ("  ", None),
    ],
)
def test_postcode_districts_are_validated_after_normalising(raw, district):
    assert normalise_array("postcode_district", [raw]).to_pylist() == [district]


def test_a_postcode_without_a_district_is_dropped_and_counted_never_quoted():
    frame = pa.table(
        {
            "child_postcode": ["SW1A 1AA", "Jane Smith's house", None, "zz99-9zz", "?"],
            "_record_line": [2, 3, 4, 5, 6],
        }
    )
    frame = frame.append_column(
        "child_postcode_district", normalise_array("postcode_district", frame["child_postcode"])
    )
    [(line, element, rule, message)] = dropped_postcodes(
        {"child_postcode": "postcode_district"}, frame
    )
    assert (line, element, rule) == (3, "child_postcode", "postcode_district")
    assert message.startswith("2 value(s) of child_postcode") and "3, 6" in message
    assert "Jane" not in message and "Smith" not in message


def test_same_child_same_pseudonym_across_formatting():
    pseudonymiser = Pseudonymiser(KEY, "test")
    assert pseudonymiser.pseudonymise("upn", "a123456789123") == pseudonymiser.pseudonymise(
        "upn", "A123456789123 "
    )
    assert pseudonymiser.pseudonymise("name", "Zoë") == pseudonymiser.pseudonymise("name", "ZOE")


def test_pseudonym_depends_on_kind_and_key_and_hides_the_value():
    pseudonymiser = Pseudonymiser(KEY, "test")
    as_upn = pseudonymiser.pseudonymise("upn", "1234567890")
    assert as_upn != pseudonymiser.pseudonymise("nhs_number", "1234567890")
    assert as_upn != Pseudonymiser(KEY + b"!", "other").pseudonymise("upn", "1234567890")
    assert len(as_upn) == 32 and "1234567890" not in as_upn


def test_blank_identifiers_stay_null():
    pseudonymiser = Pseudonymiser(KEY, "test")
    assert pseudonymiser.pseudonymise_many("upn", [None, "  ", "A1"])[:2] == [None, None]


def test_key_comes_from_env_then_file_then_explicit_demo(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("a key held in a file outside the repo\n")
    landing = tmp_path / "landing"
    from_env = load_pseudonymiser(landing, {"CSC_INTEL_PSEUDONYMISATION_KEY": "k" * 20})
    assert from_env.key_label.startswith("env:")
    from_file = load_pseudonymiser(landing, {"CSC_INTEL_PSEUDONYMISATION_KEY_FILE": str(key_file)})
    assert from_file.key_label == "file:key"
    mark_synthetic(landing)
    demo = load_pseudonymiser(landing, {"CSC_INTEL_DEMO_KEY": "1"})
    assert demo.key_label.startswith("DEMO")
    assert demo.pseudonymise("upn", "A1") == Pseudonymiser(DEMO_KEY, "x").pseudonymise("upn", "A1")


def test_no_key_is_an_error_that_says_how_to_set_one(tmp_path):
    with pytest.raises(MissingKeyError, match="CSC_INTEL_PSEUDONYMISATION_KEY") as error:
        load_pseudonymiser(tmp_path, {})
    assert "secrets.token_urlsafe(32)" in str(error.value)


def test_short_keys_are_refused():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Pseudonymiser(b"short", "test")


def test_ingested_postcodes_keep_a_valid_district_or_none_and_findings_count_the_rest(tmp_path):
    header = (
        "FORCE_CODE,LA_CODE,INCIDENT_REF,INCIDENT_DATE,INCIDENT_TYPE,CHILDREN_PRESENT,"
        "NOTIFIED_TO_CSC,CHILD_FORENAME,CHILD_SURNAME,CHILD_DOB,CHILD_POSTCODE,RECORDED_AT"
    )
    postcodes = ["zz99-9zz", "ZZ99 9ZZ", "EC1A1BB GB", "Jane Smith", ""]
    rows = [
        f"37,938,INC{i},2020-04-03,other,1,Y,Tom,Jones,2009-11-30,{p},"
        for i, p in enumerate(postcodes)
    ]
    (tmp_path / "police_incidents").mkdir()
    (tmp_path / "police_incidents" / "april.csv").write_text("\n".join([header, *rows]) + "\n")
    mark_synthetic(tmp_path)
    fmt = ContractCsvFormat(SOURCES_DIR / "police_incidents.yaml")
    with duckdb.connect() as con:
        Ingestor(fmt, con, load_pseudonymiser(tmp_path), tmp_path).ingest(tmp_path / fmt.source)
        loaded = con.execute(
            "select child_postcode, child_postcode_district from raw.police_incidents"
            " order by incident_ref"
        ).fetchall()
        findings = con.execute(
            "select line, element, rule, message from raw.schema_findings"
            " where rule = 'postcode_district'"
        ).fetchall()
        dump = str(con.execute("select * from raw.police_incidents").fetchall()) + str(findings)
    assert [district for _, district in loaded] == ["ZZ99", "ZZ99", "EC1A", None, None]
    # The pseudonym and the clear district come from the same rule: records still link.
    assert loaded[0][0] == loaded[1][0] and loaded[3][0] is None
    [(line, element, rule, message)] = findings
    assert (line, element, rule) == (5, "child_postcode", "postcode_district")
    assert message.startswith("1 value(s) of child_postcode")
    for planted in ("Jane", "zz99", "EC1A1BB"):
        assert planted not in dump  # only the district (ZZ99, EC1A) of a postcode is kept
