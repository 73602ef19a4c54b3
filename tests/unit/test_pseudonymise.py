import pytest

from orchestration.ingest.pseudonymise import (
    DEMO_KEY,
    MissingKeyError,
    Pseudonymiser,
    load_pseudonymiser,
    normalise,
)

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
    assert load_pseudonymiser({"CSC_INTEL_PSEUDONYMISATION_KEY": "k" * 20}).key_label.startswith(
        "env:"
    )
    from_file = load_pseudonymiser({"CSC_INTEL_PSEUDONYMISATION_KEY_FILE": str(key_file)})
    assert from_file.key_label == "file:key"
    demo = load_pseudonymiser({"CSC_INTEL_DEMO_KEY": "1"})
    assert demo.key_label.startswith("DEMO")
    assert demo.pseudonymise("upn", "A1") == Pseudonymiser(DEMO_KEY, "x").pseudonymise("upn", "A1")


def test_no_key_is_an_error_that_says_how_to_set_one():
    with pytest.raises(MissingKeyError, match="CSC_INTEL_PSEUDONYMISATION_KEY"):
        load_pseudonymiser({})


def test_short_keys_are_refused():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Pseudonymiser(b"short", "test")
