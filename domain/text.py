"""How texts written by people are compared: one normaliser for headers, labels, names and
invoice numbers, so 'Bedrag excl. BTW' and 'bedrag exclBTW', or 'F-2025.001' and 'f2025001',
are recognised as the same."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LEGAL_FORMS: dict[str, str | None] = {"B.V.": "BV", "N.V.": "NV", "V.O.F.": "VOF", "C.V.": None}
"""Dutch legal forms that end a company name ('Werkbedrijf B.V.' and 'Werkbedrijf' are one
supplier): the form with dots, and how it is written without dots where that is unambiguous in
a document (not 'CV', which is also a central-heating boiler)."""

_SEPARATORS = re.compile(r"[\s._\-–]+")
_HEADER_SEPARATORS = re.compile(r"[:*]+")
_PARENTHESISED = re.compile(r"\(.*?\)")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]")


def plain(text: str) -> str:
    """Case and accents removed: 'Ééntje' -> 'eentje'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@lru_cache(maxsize=16384)
def match_key(text: str) -> str:
    """Key under which labels and names are compared: case, accents, spaces, dots, hyphens and
    underscores do not count ('WW > 1 jaar' = 'ww>1jaar'). Remembered: the same labels and
    headings are compared for every row."""
    return _SEPARATORS.sub("", plain(text))


@lru_cache(maxsize=16384)
def header_key(text: str) -> str:
    """A column heading's key: as `match_key`, and neither do a unit in parentheses, colons and
    asterisks ('Bedrag excl. BTW (€):' = 'bedragexclbtw', 'Naam*' = 'naam')."""
    return _HEADER_SEPARATORS.sub("", match_key(_PARENTHESISED.sub("", plain(text))))


def alphanumeric_key(text: str) -> str:
    """Only letters and digits: 'F-2025.001' = 'f2025001' (invoice numbers, names)."""
    return _NOT_ALPHANUMERIC.sub("", plain(text))


def legal_form_pattern(*, ignore_case: bool) -> str:
    """A regular expression for any of `LEGAL_FORMS`. Ignoring case, dots are optional
    ('b.v', 'BV', 'B.V.'): for comparing names. Otherwise the form is written with its dots in
    any case ('b.v.'), or without dots in capitals ('BV'): for finding a company name in a
    document, where 'bv' is Dutch for 'for example'."""
    alternatives = []
    for dotted, bare in LEGAL_FORMS.items():
        letters = [re.escape(letter) for letter in dotted.replace(".", "")]
        if ignore_case:
            alternatives.append(r"\.?".join(letters) + r"\.?")
            continue
        alternatives.append("(?i:" + r"\.".join(letters) + r"\.?)")
        if bare is not None:
            alternatives.append(re.escape(bare))
    body = "|".join(alternatives)
    return ("(?i:" + body + ")" if ignore_case else "(?:" + body + ")") + r"(?![\w])"


_LEGAL_FORM_WORDS = re.compile(
    r"(?<![\w])(?:" + legal_form_pattern(ignore_case=True) + r"|holding(?![\w]))"
)


def company_key(name: str) -> str:
    """A company name without legal form and punctuation: 'Werkbedrijf De Schakel B.V.' =
    'werkbedrijf de schakel bv' = 'Werkbedrijf De Schakel'."""
    return alphanumeric_key(_LEGAL_FORM_WORDS.sub("", plain(name)))
