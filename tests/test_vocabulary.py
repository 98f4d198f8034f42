"""The vocabulary files (rulesets/vocabulary): checked on load, extended per home, and what the
parsers, the schemas and the template take from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import RulesetError
from parsers import read_submission
from parsers.invoice_pdf import InvoiceFields
from parsers.limits import ReadLimits
from parsers.submission import ParsedWorkbook
from rulesets.vocabulary import (
    BUILTIN_DIR,
    TableKind,
    builtin_vocabulary,
    load_vocabulary,
)
from tests.builders import (
    PLACEMENT_HEADERS,
    placement,
    valid_bsns,
    write_invoice_pdf,
    write_submission,
)

BSN = valid_bsns(1)[0]


def _home_file(home: Path, name: str, text: str) -> Path:
    folder = home / "rulesets" / "vocabulary"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_vocabulary_file_loads() -> None:
    assert sorted(path.name for path in BUILTIN_DIR.glob("*.yaml")) == [
        "invoice_labels.yaml",
        "tables.yaml",
    ]
    vocabulary = builtin_vocabulary()
    assert set(vocabulary.tables) == set(TableKind)
    placements = vocabulary.table(TableKind.PLACEMENTS)
    assert placements.field_for("Uren p/w (contract)") == "hours_per_week"
    assert placements.field_for("GEB. DATUM:") == "birth_date"
    assert placements.field_for("Schoenmaat") is None
    assert placements.label_of("fte") == "FTE"


def test_a_home_adds_headings_and_sheet_names(tmp_path: Path) -> None:
    _home_file(
        tmp_path,
        "headers.yaml",
        "tables:\n  plaatsingen:\n    sheet_names: [Medewerkers]\n"
        "    headers:\n      hours_per_week: [Werkuren per week]\n",
    )
    headers = [
        "Werkuren per week" if header == "Uren per week" else header for header in PLACEMENT_HEADERS
    ]
    path = write_submission(
        tmp_path / "q.xlsx",
        placements=[placement(BSN, **{"Werkuren per week": 24})],
        placement_headers=headers,
    )
    without = read_submission(path, ReadLimits())
    assert isinstance(without, ParsedWorkbook)
    assert "hours_per_week" not in without.tables[0].columns

    parsed = read_submission(path, ReadLimits(), load_vocabulary(tmp_path))
    assert isinstance(parsed, ParsedWorkbook)
    assert parsed.tables[0].columns["hours_per_week"] == "Werkuren per week"
    assert parsed.tables[0].rows[0].cells["hours_per_week"] == 24
    assert load_vocabulary(tmp_path).table(TableKind.PLACEMENTS).names_sheet("medewerkers")


def test_a_home_adds_invoice_labels(tmp_path: Path) -> None:
    pdf = write_invoice_pdf(
        tmp_path / "f.pdf",
        number="N-77",
        day="03-03-2026",
        excl="100,00",
        vat="21,00",
        total="121,00",
        number_label="Notanummer",
    )
    without = read_submission(pdf, ReadLimits())
    assert isinstance(without, InvoiceFields)
    assert without.invoice_number is None
    _home_file(tmp_path, "invoice_labels.yaml", "invoice_number: ['Notanummer']\n")
    labels = load_vocabulary(tmp_path).invoice_labels
    assert labels.invoice_number[0] == ("Notanummer",)
    assert labels.invoice_number[1:] == builtin_vocabulary().invoice_labels.invoice_number
    parsed = read_submission(pdf, ReadLimits(), load_vocabulary(tmp_path))
    assert isinstance(parsed, InvoiceFields)
    assert parsed.invoice_number == "N-77"


@pytest.mark.parametrize(
    ("file", "text", "key", "problem"),
    [
        (
            "headers.yaml",
            "tables:\n  plaatsingen:\n    headers:\n      schoenmaat: [Maat]\n",
            "tables.plaatsingen.headers.schoenmaat",
            "unknown field",
        ),
        ("headers.yaml", "tables:\n  facturen: {}\n", "tables.facturen", "Input should be"),
        (
            "headers.yaml",
            "tables:\n  plaatsingen:\n    headers:\n      fte: [Uren per week]\n",
            "tables.plaatsingen",
            "heading 'Uren per week' names both hours_per_week and fte",
        ),
        (
            "headers.yaml",
            "tables:\n  plaatsingen:\n    kolommen: {}\n",
            "tables.plaatsingen.kolommen",
            "Extra inputs are not permitted",
        ),
        ("invoice_labels.yaml", "total: ['Totaal (']\n", "total", "'Totaal (' is not a valid"),
        ("invoice_labels.yaml", "btw: ['BTW']\n", "btw", "Extra inputs are not permitted"),
        ("invoice_labels.yaml", "- a list\n", "(file)", "expected a mapping"),
    ],
)
def test_a_mistake_in_a_home_file_names_file_and_key(
    tmp_path: Path, file: str, text: str, key: str, problem: str
) -> None:
    path = _home_file(tmp_path, file, text)
    with pytest.raises(RulesetError) as error:
        load_vocabulary(tmp_path)
    assert error.value.file == str(path)
    assert error.value.key == key
    assert problem in error.value.problem
