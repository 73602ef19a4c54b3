"""What must never be stored in free text a person typed (a quote, a note, a closing finding):
children's identifiers (UPNs, NHS numbers, reference numbers), dates (a date of birth looks
like any other date), full postcodes, email addresses, phone numbers and names.

identifiers_in says which KINDS a text holds, never the matched value, so that the reader's
message can name what to remove without repeating it. Each pattern's matches are masked
before the next runs, so an email address is not also read as a name, nor a UPN as a
reference number.

A name is a capitalised word of the given-names list (data/reference/privacy/given_names.csv)
or a title (Mr, Mrs, Ms, Miss, Mx, Dr) before a capitalised word. The capital decides, so
"will" and "grace" in lower case pass; a name that is also an English word ("Will", "Grace",
"Hope") is read as a word at the start of a sentence. Month names are left out of the list
(notes name months all the time; a date has a day, which the date patterns catch), and the
authority's locality names (dbt_project/seeds/localities.csv) are places, not names.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from functools import cache

from orchestration.privacy.pseudonymise import INWARD_CODE, OUTWARD_CODE
from orchestration.settings import DBT_PROJECT_DIR, REFERENCE_DIR

GIVEN_NAMES_FILE = REFERENCE_DIR / "privacy" / "given_names.csv"
LOCALITIES_FILE = DBT_PROJECT_DIR / "seeds" / "localities.csv"
MASK = " # "

# Full month names in any case; "May" and the abbreviations only with their capital, since
# "may", "mar" and "dec" are words too.
MONTH = (
    r"(?:(?i:january|february|march|april|june|july|august|september|october|november"
    r"|december)|May|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
ORDINAL = r"(?i:st|nd|rd|th)"
DATE_PATTERNS = (
    r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b",  # 03/03/2014, 3-3-14, 3.3.2014
    r"\b\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b",  # 2014-03-03
    rf"\b\d{{1,2}}{ORDINAL}?\s+(?i:of\s+)?{MONTH}\b",  # 3 March (2014), 3rd of March
    rf"\b{MONTH}\.?\s+\d{{1,2}}{ORDINAL}?\b",  # March 3rd, Mar 3 2014
)
TITLE = r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b\.?\s+[^\W\d_]+"
SENTENCE_START = re.compile(r"(?:^|[.!?:;\n])[\s\"'“‘(\[\-–]*$")
WORD = re.compile(r"[^\W\d_]+")


def _postcode(match: re.Match[str]) -> bool:
    """A postcode is written in one case: 'KS2 3rd' (a key stage) is not one."""
    letters = re.sub(r"[^A-Za-z]", "", match.group())
    return letters.isupper() or letters.islower()


def _capitalised(match: re.Match[str]) -> bool:
    """A title before a name: 'Mr Smith', not 'Ms or mrs'."""
    return match.group().split()[-1][0].isupper()


# (kind, pattern, whether a match counts): in the order they are masked.
PATTERNS: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool] | None], ...] = (
    ("an email address", re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), None),
    ("a UPN", re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b", re.IGNORECASE), None),
    # 0 and 9 or 10 digits, or +44 and 9 or 10, spaced or hyphenated anywhere.
    ("a phone number", re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\b0)(?:\d[ \-]?){8,9}\d\b"), None),
    ("an NHS number", re.compile(r"\b\d{3}[ \-]?\d{3}[ \-]?\d{4}\b"), None),
    (
        "a postcode",
        re.compile(rf"\b{OUTWARD_CODE}\s*{INWARD_CODE}\b", re.IGNORECASE),
        _postcode,
    ),
    ("a date", re.compile("|".join(DATE_PATTERNS)), None),
    # A word of six digits or more (a case or file reference), unless it is a sum of money.
    ("a reference number", re.compile(r"(?<![£$€])\b(?=(?:[A-Za-z]*\d){6})[A-Za-z0-9]+\b"), None),
    ("a name", re.compile(TITLE), _capitalised),
)
NAME = "a name"
# How to take each kind out of a text, for the reader's fix.
ADVICE = {
    "a name": "replace the name with a role (e.g. 'my social worker')",
    "a date": "replace the date with a period (e.g. 'last spring')",
    "a UPN": "remove the UPN",
    "an NHS number": "remove the NHS number",
    "a reference number": "remove the reference number",
    "a postcode": "replace the postcode with the area's name",
    "an email address": "remove the email address",
    "a phone number": "remove the phone number",
}


def _folded(word: str) -> str:
    without_accents = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return without_accents.casefold()


@cache
def given_names() -> dict[str, bool]:
    """Folded name -> whether it is also an English word."""
    with GIVEN_NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            _folded(row["name"]): row["also_a_word"] == "true" for row in csv.DictReader(handle)
        }


@cache
def locality_names() -> re.Pattern[str] | None:
    with LOCALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        names = sorted({row["locality"] for row in csv.DictReader(handle)}, key=len, reverse=True)
    return re.compile("|".join(rf"\b{re.escape(name)}\b" for name in names)) if names else None


def _has_given_name(text: str) -> bool:
    places = locality_names()
    text = places.sub(MASK, text) if places else text
    names = given_names()
    for word in WORD.finditer(text):
        token = word.group()
        also_a_word = names.get(_folded(token))
        # A capital decides; in capitals throughout, a word ('WILL') is taken for a word.
        if also_a_word is None or not token[0].isupper() or (also_a_word and token.isupper()):
            continue
        if not (also_a_word and SENTENCE_START.search(text, 0, word.start())):
            return True
    return False


def identifiers_in(text: str) -> list[str]:
    """The kinds of identifier the text holds ('a name', 'a date', 'a UPN'...), in the order
    of PATTERNS; empty when the text may be stored."""
    found: list[str] = []
    for kind, pattern, counts in PATTERNS:

        def mask(match: re.Match[str], kind: str = kind, counts: Callable | None = counts) -> str:
            if counts is not None and not counts(match):
                return match.group()
            if kind not in found:
                found.append(kind)
            return MASK

        text = pattern.sub(mask, text)
    if NAME not in found and _has_given_name(text):
        found.append(NAME)
    return found


def advice(kinds: list[str]) -> str:
    """How to take the kinds out of a text: 'replace the name with a role (...) and ...'."""
    return joined([ADVICE[kind] for kind in kinds])


def joined(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
