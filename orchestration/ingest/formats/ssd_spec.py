"""The Standard Safeguarding Dataset (SSD) specification as ingestion reads it: each object's
fields with their type, keys and validators, from the objects' YAML copied unedited into
data/reference/ssd_data_model/objects/ (the one home of the columns: nothing here repeats
them). Only the objects the platform loads so far are read; the others of the 46 come with
the indicators that need them.

The specification gives no nvarchar lengths; the one limit it states is in the guidance of
pers_person_id ("no longer than 20 characters"), which the person ids of the other objects
share through their foreign key, so a limit is read from a field's guidance and inherited
along foreign keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from orchestration.settings import REFERENCE_DIR

SPEC_DIR = REFERENCE_DIR / "ssd_data_model" / "objects"
LOADED_OBJECTS = (
    "ssd_person",
    "ssd_linked_identifiers",
    "ssd_contacts",
    "ssd_early_help_episodes",
    # The children in need journey, for the indicators the CIN census feeds.
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    # Children looked after, as the SSDA903 return holds them: episodes and missing episodes.
    "ssd_cla_episodes",
    "ssd_missing",
    # Their placements, legal statuses and (unaccompanied asylum-seeking) immigration status.
    "ssd_cla_placement",
    "ssd_legal_status",
    "ssd_immigration_status",
)
PERSON_KEY = "ssd_person.pers_person_id"
# Person ids the specification leaves without their foreign key to ssd_person, though its
# guidance says they are the person's id: read as if it stated it, so they are pseudonymised
# as every other person id and share its length limit.
UNSTATED_FOREIGN_KEYS = {"ssd_cla_placement.clap_person_id": PERSON_KEY}
LENGTH_IN_GUIDANCE = re.compile(r"no longer than (\d+) characters")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # as the specification spells it, lower-cased: nvarchar, datetime, int...
    primary_key: bool
    required: bool
    foreign_key: str | None
    max_length: int | None


@dataclass(frozen=True)
class SsdObject:
    name: str
    fields: tuple[Field, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.primary_key)

    @property
    def necessary(self) -> tuple[str, ...]:
        """The fields a delivered file must have a column for: its key and required fields."""
        return tuple(f.name for f in self.fields if f.primary_key or f.required)

    def person_ids(self) -> tuple[str, ...]:
        """The fields holding a person's id: the person's own key, or a foreign key to it."""
        return tuple(
            f.name
            for f in self.fields
            if f.foreign_key == PERSON_KEY or f"{self.name}.{f.name}" == PERSON_KEY
        )


def _enabled(field: dict, validator: str) -> bool:
    for entry in field.get("validators") or []:
        if validator in entry and (entry[validator] or {}).get("enabled"):
            return True
    return False


def _stated_length(field: dict) -> int | None:
    found = LENGTH_IN_GUIDANCE.search(" ".join(str(field.get("guidance") or "").split()))
    return int(found[1]) if found else None


def _foreign_key(name: str, field: dict) -> str | None:
    return field.get("foreign_key") or UNSTATED_FOREIGN_KEYS.get(f"{name}.{field['name']}")


@cache
def _raw_objects() -> dict[str, list[dict]]:
    objects = {}
    for name in LOADED_OBJECTS:
        document = yaml.safe_load((SPEC_DIR / f"{name}.yml").read_text(encoding="utf-8"))
        [node] = [n for n in document["nodes"] if n["name"] == name]
        objects[name] = node["fields"]
    return objects


@cache
def objects() -> dict[str, SsdObject]:
    """The loaded objects by name, fields in the specification's order."""
    raw = _raw_objects()
    stated = {
        f"{name}.{field['name']}": _stated_length(field)
        for name, fields in raw.items()
        for field in fields
    }
    return {
        name: SsdObject(
            name,
            tuple(
                Field(
                    field["name"],
                    str(field.get("type") or "").lower(),
                    bool(field.get("primary_key")),
                    _enabled(field, "required"),
                    _foreign_key(name, field),
                    stated[f"{name}.{field['name']}"] or stated.get(_foreign_key(name, field)),
                )
                for field in fields
            ),
        )
        for name, fields in raw.items()
    }


def record_keys() -> dict[str, tuple[str, ...]]:
    """Each object's raw table and its primary key, for comparing re-deliveries."""
    return {name: obj.primary_key for name, obj in objects().items()}
