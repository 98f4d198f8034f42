"""The ground floor: text keys, atomic writes and calendar arithmetic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.periods import add_months, age_on
from domain.storage import copy_atomically, write_atomically, write_text_atomically
from domain.text import alphanumeric_key, company_key, header_key, legal_form_pattern, match_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Werkbedrijf De Schakel B.V.", "werkbedrijfdeschakel"),
        ("werkbedrijf de schakel bv", "werkbedrijfdeschakel"),
        ("Werkbedrijf De Schakel", "werkbedrijfdeschakel"),
        ("Groen & Zo V.O.F.", "groenzo"),
        ("Holding Noord N.V.", "noord"),
        ("Bouw C.V.", "bouw"),
        ("Bavaria", "bavaria"),  # 'bv' inside a word is no legal form
    ],
)
def test_company_names_compare_without_legal_form(name: str, key: str) -> None:
    assert company_key(name) == key


def test_keys_ignore_what_people_type_differently() -> None:
    assert header_key("Bedrag excl. BTW (€):") == header_key("bedrag exclBTW") == "bedragexclbtw"
    assert match_key("WW > 1 jaar") == match_key("ww>1-jaar") == "ww>1jaar"
    assert match_key("Gastles: techniek") == "gastles:techniek"  # a label keeps its colon
    assert alphanumeric_key("F-2025.001") == alphanumeric_key("f2025001") == "f2025001"


def test_legal_forms_in_a_document_need_capitals_or_dots() -> None:
    import re  # noqa: PLC0415

    finding = re.compile(legal_form_pattern(ignore_case=False))
    assert finding.search("Coolblue B.V.") and finding.search("circle.com b.v.")
    assert finding.search("Inleenlev BV")
    assert not finding.search("bijvoorbeeld bv een kraan")
    assert not finding.search("onderhoud CV-ketel")


def test_an_atomic_write_is_whole_or_absent(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    write_text_atomically(target, "eerste versie")

    def crash(partial: Path) -> None:
        partial.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, crash)
    assert target.read_text(encoding="utf-8") == "eerste versie"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]  # no partial left
    copy = copy_atomically(target, tmp_path / "copy.html")
    assert copy.read_text(encoding="utf-8") == "eerste versie"


def test_month_arithmetic_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)


def test_someone_born_on_29_february_turns_older_on_28_february() -> None:
    born = date(2004, 2, 29)
    assert age_on(born, date(2025, 2, 27)) == 20
    assert age_on(born, date(2025, 2, 28)) == 21
    assert age_on(born, date(2024, 2, 28)) == 19
    assert age_on(born, date(2024, 2, 29)) == 20
