"""Free text is scanned for identifiers: each kind is caught (and reported as a kind, never
the value), and the realistic quotes partners write pass."""

import csv
import random

import pytest

from orchestration.privacy.free_text import advice, given_names, identifiers_in, joined
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT

FORENAMES = PROJECT_ROOT / "synthetic" / "data" / "forenames.csv"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("His UPN is A123456789012", "a UPN"),
        ("temporary upn a12345678901b", "a UPN"),
        ("NHS 943 476 5919 on file", "an NHS number"),
        ("NHS number 9434765918", "an NHS number"),
        ("born 17/05/2011", "a date"),
        ("seen on 3-3-14", "a date"),
        ("dob 2011-05-17", "a date"),
        ("on 3 March 2014 she moved", "a date"),
        ("since the 3rd of March", "a date"),
        ("since March 3rd", "a date"),
        ("lives at ZZ99 9ZZ", "a postcode"),
        ("lives at sw1a1aa", "a postcode"),
        ("write to parent.one@example.org", "an email address"),
        ("ring 01632 960123", "a phone number"),
        ("ring +44 7700 900123", "a phone number"),
        ("case LA12345678 was closed", "a reference number"),
        ("Mr Smith was kind", "a name"),
        ("we met Dr. Patel", "a name"),
        ("Miss Jones and the team", "a name"),
        ("Zebedee said Jack hit him", "a name"),
        ("Staff said Will was scared", "a name"),
        ("Seán never came back", "a name"),
        ("Mary-Jane was not seen", "a name"),
    ],
)
def test_each_kind_is_caught(text, kind):
    assert kind in identifiers_in(text)


def test_the_kind_is_reported_never_the_value():
    found = identifiers_in("Oliver, born 17/05/2011, UPN A123456789012")
    assert found == ["a UPN", "a date", "a name"]
    assert not any(value in " ".join(found) for value in ("Oliver", "17/05/2011", "A1234"))


def test_one_identifier_is_one_kind():
    """Masked as found: the email address is not also a name, the UPN not a reference."""
    assert identifiers_in("oliver.smith@example.org") == ["an email address"]
    assert identifiers_in("A123456789012") == ["a UPN"]
    assert identifiers_in("943 476 5919") == ["an NHS number"]


def test_the_generators_names_are_caught():
    """A sample of the synthetic children's forenames (and their variants), capitalised."""
    with FORENAMES.open(encoding="utf-8") as handle:
        names = [n for row in csv.DictReader(handle) for n in (row["name"], row["variant"]) if n]
    sample = random.Random(16).sample(names, 30)
    missed = [
        name for name in sample if identifiers_in(f"I told {name} it would be fine") != ["a name"]
    ]
    assert missed == []


def test_the_generators_names_are_all_in_the_list():
    with FORENAMES.open(encoding="utf-8") as handle:
        names = [n for row in csv.DictReader(handle) for n in (row["name"], row["variant"]) if n]
    assert [name for name in names if identifiers_in(f"said {name}") != ["a name"]] == []
    assert len(given_names()) > 500


@pytest.mark.parametrize(
    "text",
    [
        "We stopped seeing children once schools closed",
        "Staff in Ashcombe North said the referral line was hard to reach",
        "Nobody asked me what I wanted, I just had to go along with it",
        "Will the new plan work? Staff were not sure.",
        "May we have more family support workers?",
        "Grace periods for reviews were used too often",
        "we will see whether the changes may help",
        "Referrals fell in March 2020 and again over the winter",
        "Review in May; the 2024/25 plan has 3 actions and 12 partners",
        "Key stage KS2 3rd year pupils were absent more",
        "We spent £250000 on early help",
        "Audit grades: 4 good, 2 requires improvement",
        "The school nurse and my social worker listened",
        "Parents in Brookfield Vale and Carrow Heath said the same",
        "Staff at Harlow Quay and Kestrel Hill and Longmead were stretched",
        "WE WILL REVIEW THIS IN THE SPRING",
    ],
)
def test_clean_quotes_pass(text):
    assert identifiers_in(text) == []


def test_every_locality_name_passes():
    with (DBT_PROJECT_DIR / "seeds" / "localities.csv").open(encoding="utf-8") as handle:
        localities = [row["locality"] for row in csv.DictReader(handle)]
    assert [name for name in localities if identifiers_in(f"Families in {name} said")] == []


def test_advice_names_each_fix():
    assert advice(["a name"]) == "replace the name with a role (e.g. 'my social worker')"
    both = advice(["a name", "a date"])
    assert "role" in both and " and replace the date with a period" in both
    assert joined(["a", "b", "c"]) == "a, b and c"
