"""Builds small CIN census XML returns with exactly known content for tests."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Episode:
    referral_date: str
    source: str | None = "2A"
    need: str = "N1"
    nfa: str = "0"
    closure_date: str | None = None
    closure_reason: str | None = None


@dataclass
class Child:
    la_child_id: str | None
    upn: str | None = None
    birth_date: str = "2012-05-17"
    sex: str = "2"
    ethnicity: str = "WBRI"
    episodes: list[Episode] = field(default_factory=list)


def _optional(tag: str, value: str | None) -> str:
    return f"<{tag}>{value}</{tag}>" if value is not None else ""


def _episode_xml(episode: Episode) -> str:
    closure = _optional("CINclosureDate", episode.closure_date) + _optional(
        "ReasonForClosure", episode.closure_reason
    )
    return (
        "<CINdetails>"
        f"<CINreferralDate>{episode.referral_date}</CINreferralDate>"
        f"{_optional('ReferralSource', episode.source)}"
        f"<PrimaryNeedCode>{episode.need}</PrimaryNeedCode>{closure}"
        f"<ReferralNFA>{episode.nfa}</ReferralNFA>"
        "</CINdetails>"
    )


def _child_xml(child: Child, year: int) -> str:
    sex_tag = "Sex" if year >= 2025 else "GenderCurrent"
    episodes = "\n".join(_episode_xml(e) for e in child.episodes)
    return (
        "<Child>\n<ChildIdentifiers>"
        f"{_optional('LAchildID', child.la_child_id)}{_optional('UPN', child.upn)}"
        f"<PersonBirthDate>{child.birth_date}</PersonBirthDate>"
        f"<{sex_tag}>{child.sex}</{sex_tag}>"
        "</ChildIdentifiers>\n"
        f"<ChildCharacteristics><Ethnicity>{child.ethnicity}</Ethnicity></ChildCharacteristics>\n"
        f"{episodes}\n</Child>"
    )


def cin_return(year: int, children: list[Child], la_code: str = "938") -> str:
    body = "\n".join(_child_xml(child, year) for child in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n<Header>'
        f"<CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>"
        f"<ReferenceDate>{year}-03-31</ReferenceDate></CollectionDetails>"
        f"<Source><SourceLevel>L</SourceLevel><LEA>{la_code}</LEA></Source>"
        f"</Header>\n<Children>\n{body}\n</Children>\n</Message>\n"
    )


def write_return(landing: Path, year: int, children: list[Child], name: str | None = None) -> Path:
    folder = landing / "cin_census"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"cin_{year}.xml")
    path.write_text(cin_return(year, children))
    return path
