"""A realistic demo home: a contract register and a coordinator's inbox for 2026 Q1-Q3.

`sroi demo` calls `write_demo_home`, then runs the pipeline on it as of `DEMO_AS_OF` and writes
the reports of `DEMO_QUARTER`. The data shows what a coordinator meets in a real week: joint and
capital-intensive contracts, PSO discounts, a contract below the threshold and one not started;
workbooks filled in by hand with varying headings, cumulative lists, a re-sent copy, a corrupt
and an empty file, an unknown contract, and lines that must be rejected or wait for approval.

Everything is fictitious. Companies, people and addresses are made up; BSNs are generated from a
fixed counter in the 9999xxxxx block and only pass the 11-test. The output is deterministic: the
same bytes on every call (workbook timestamps, zip entry times and PDF font timestamps are fixed).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import count, islice
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring
from stdnum.nl import bsn as bsn_number
from weasyprint import HTML

from domain.periods import Quarter

DEMO_QUARTER = Quarter(2026, 3)
DEMO_AS_OF = date(2026, 10, 15)

FILE_TIMESTAMP = datetime(2026, 10, 15, 8, 30, 0)
"""Creation and modification time written into every demo file."""
_ZIP_TIME = (2026, 10, 15, 8, 30, 0)
_DATE_FORMAT = "DD-MM-YYYY"
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)

Cell = str | int | float | date | None


# --- contracts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoContract:
    contract_id: str
    title: str
    contractor: str
    kvk: str
    municipality: str
    value: float | str
    sroi_percentage: float | str | None
    capital_intensive: str
    start: date | str
    end: date
    award: date
    ruleset: str
    pso_level: int | None = None
    label: str | None = None
    label_valid_until: date | None = None
    labour_share: int | None = None

    def cells(self) -> tuple[Cell, ...]:
        return (
            self.contract_id, self.title, self.contractor, self.kvk, self.municipality,
            self.value, self.sroi_percentage, self.capital_intensive, self.start, self.end,
            self.award, self.ruleset, self.pso_level, self.label, self.label_valid_until,
            self.labour_share,
        )  # fmt: skip


@dataclass(frozen=True)
class Share:
    contract_id: str
    municipality: str
    share: int


REGISTER_HEADERS = (
    "Contractnummer", "Omschrijving", "Opdrachtnemer", "KvK", "Gemeente", "Opdrachtsom",
    "SROI-percentage", "Kapitaalintensief", "Startdatum", "Einddatum", "Gunningsdatum",
    "Regeling", "PSO-trede", "Keurmerk", "PSO geldig tot", "Aandeel arbeid",
)  # fmt: skip

NOORDHORST = "Bouwcombinatie Noordhorst B.V."
GROENWERK = "Groenwerk Lonneker B.V."
KATTENBELT = "Kattenbelt Installatietechniek B.V."
VELDKAMP = "Schoonmaakgroep Veldkamp B.V."
DIEMERZEE = "Diemerzee Buitenruimte B.V."
AMSTELVLIET = "Amstelvliet Wegenbouw B.V."

# fmt: off
CONTRACTS: tuple[DemoContract, ...] = (
    # Joint contract of Enschede (lead), Hengelo and Almelo: see SHARES.
    DemoContract(
        "TW-2025-014", "Reconstructie Hengelosestraat en Boulevard 1945", NOORDHORST, "67254193",
        "Enschede", 4_500_000, 5, "nee", date(2025, 1, 1), date(2027, 12, 31),
        date(2024, 11, 18), "twente",
    ),
    # Capital-intensive, no percentage registered: the ruleset's 2% applies.
    DemoContract(
        "TW-2025-017", "Levering en aanleg persleiding en gemaal Almelo-Noord", NOORDHORST,
        "67254193", "Almelo", 3_600_000, None, "ja", date(2025, 4, 1), date(2027, 3, 31),
        date(2025, 2, 10), "twente",
    ),
    # PSO-trede 2; amount and start date typed as Dutch text, percentage as an Excel percentage.
    DemoContract(
        "TW-2025-021", "Onderhoud openbaar groen Hengelo 2025-2027", GROENWERK, "58310427",
        "Hengelo", "2.750.000,00", 0.05, "nee", "01-03-2025", date(2027, 12, 31),
        date(2025, 1, 20), "twente", pso_level=2,
    ),
    # Keurmerk Werkpakt, valid for the first half of the contract only.
    DemoContract(
        "TW-2025-030", "Verduurzaming gemeentelijk vastgoed Hengelo", KATTENBELT, "71846025",
        "Hengelo", 2_000_000, 5, "nee", date(2025, 7, 1), date(2027, 6, 30), date(2025, 5, 12),
        "twente-2016", label="Werkpakt", label_valid_until=date(2026, 6, 30),
    ),
    # Below the Twente threshold of EUR 100.000: the obligation stands, with a warning.
    DemoContract(
        "TW-2026-003", "Schoonmaak sportaccommodaties Enschede", VELDKAMP, "60473318",
        "Enschede", 80_000, "5%", "nee", date(2026, 1, 1), date(2026, 12, 31),
        date(2025, 11, 24), "twente",
    ),
    # DUOplus, PSO-trede 3 on the labour component (60%) only.
    DemoContract(
        "DUO-2025-003", "Beheer en onderhoud buitenruimte Diemen", DIEMERZEE, "74120986",
        "Diemen", 3_200_000, 5, "nee", date(2025, 1, 1), date(2027, 12, 31), date(2024, 10, 1),
        "duoplus-2024", pso_level=3, labour_share=60,
    ),
    DemoContract(
        "DUO-2025-008", "Groot onderhoud wegen Uithoorn", AMSTELVLIET, "69932751", "Uithoorn",
        650_000, 5, "nee", date(2025, 5, 1), date(2027, 4, 30), date(2025, 3, 14), "duoplus",
    ),
    # Awarded, but starts after the demo quarter: 'nog niet gestart'.
    DemoContract(
        "DUO-2026-011", "Renovatie bruggen Ouderkerk aan de Amstel", "Waterweg Techniek B.V.",
        "80251643", "Ouder-Amstel", 420_000, 5, "nee", date(2027, 1, 1), date(2028, 12, 31),
        date(2026, 9, 15), "duoplus-2024",
    ),
)

SHARES: tuple[Share, ...] = (
    Share("TW-2025-014", "Enschede", 50),
    Share("TW-2025-014", "Hengelo", 30),
    Share("TW-2025-014", "Almelo", 20),
)
# fmt: on


# --- people ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    birth: date | str


PEOPLE: tuple[Person, ...] = (
    Person("p01", "Gerrit Nijhuis", date(1973, 6, 14)),
    Person("p02", "Sanne Brinkhuis", date(2001, 3, 22)),
    Person("p03", "Dennis Wolters", date(1990, 5, 17)),
    Person("p04", "Fatima Bakkali", date(1985, 9, 30)),
    Person("p05", "Tom ter Horst", date(1998, 7, 8)),
    Person("p06", "Ricardo Pinas", "25-01-1979"),
    Person("p07", "Kevin Lansink", date(2004, 2, 11)),
    Person("p08", "Ahmad Haddad", date(1992, 4, 19)),
    Person("p09", "Lisa Schuurman", date(1996, 12, 3)),
    Person("p10", "Jeroen Pierik", date(1969, 8, 9)),
    Person("p11", "Joyce Hofstede", date(2007, 10, 1)),
    Person("p12", "Bart Oude Vrielink", date(1983, 2, 27)),
    Person("p13", "Esra Yildiz", date(1994, 6, 6)),
    Person("p14", "Niels Bosch", date(2005, 9, 14)),
    Person("p15", "Marloes Kamphuis", date(1990, 3, 3)),
    Person("p16", "Stefan Grobben", date(1987, 12, 12)),
    Person("p17", "Yvonne Mensink", date(1972, 4, 4)),
    Person("p18", "Rik Schepers", date(2003, 5, 21)),
    Person("p19", "Ilse Veldhuis", date(1995, 10, 10)),
    Person("p20", "Hans Lubbers", date(1964, 1, 30)),
    Person("p21", "Priscilla Doorn", "19 juli 1981"),
    Person("p22", "Noor Visser", date(1989, 8, 8)),
    Person("p23", "Anton de Graaf", date(1968, 2, 14)),
    Person("p24", "Samira Ouali", date(1997, 5, 5)),
    Person("p25", "Jesse Kramer", date(2000, 1, 9)),
    Person("p26", "Daan Smit", date(2006, 4, 4)),
    Person("p27", "Mila de Wit", date(2001, 2, 15)),
    Person("p28", "Thijs Mulder", date(2008, 3, 3)),
    Person("p29", "Bas Hoekstra", date(1976, 10, 10)),
    Person("p30", "Karin Dekker", date(1984, 12, 24)),
    Person("p31", "Emre Kaya", date(1991, 7, 7)),
    Person("p32", "Wim Hendriks", date(1970, 11, 11)),
    Person("p33", "Chantal Post", date(1999, 9, 9)),
    Person("p34", "Ruben Jacobs", date(1993, 3, 13)),
)


def _valid_bsns(first: int, step: int, amount: int) -> tuple[str, ...]:
    """The first `amount` numbers passing the 11-test in first, first + step, ..."""
    candidates = (f"{number:09d}" for number in count(first, step))
    return tuple(islice((c for c in candidates if bsn_number.is_valid(c)), amount))


_BSNS = dict(zip((p.key for p in PEOPLE), _valid_bsns(999_900_017, 233, len(PEOPLE)), strict=True))
_PEOPLE_BY_KEY = {person.key: person for person in PEOPLE}


def bsn_of(person_key: str) -> str:
    """The (fictitious, 11-test-valid) BSN of a demo person."""
    return _BSNS[person_key]


def _mistyped(bsn: str) -> str:
    """One digit off: changing the last digit always breaks the 11-test."""
    return bsn[:-1] + str((int(bsn[-1]) + 1) % 10)


INVALID_BSN = _mistyped(bsn_of("p09"))
"""The one BSN in the inbox that fails the 11-test on purpose (a typo of p09's number)."""


# --- rows --------------------------------------------------------------------------------------


class _Row(Protocol):
    def value(self, field: str) -> Cell: ...


@dataclass(frozen=True)
class Placement:
    person: str
    group: str | int
    start: date | str
    hours: float | str | None = None
    fte: float | str | None = None
    end: date | str | None = None
    employment: str | None = None
    benefit_since: date | str | None = None
    refugee: str | None = None
    special: str | None = None
    evidence: str | None = None
    note: str | None = None
    bsn: str | None = None
    """Only to override the person's BSN (the deliberate typo)."""

    def value(self, field: str) -> Cell:
        person = _PEOPLE_BY_KEY[self.person]
        if field == "bsn":
            return self.bsn or bsn_of(self.person)
        if field == "name":
            return person.name
        if field == "birth":
            return person.birth
        result: Cell = getattr(self, field)
        return result


@dataclass(frozen=True)
class Purchase:
    supplier: str
    kvk: str
    number: str
    day: date | str
    amount: float | str
    kind: str | None = None
    approved_by: str | None = None

    def value(self, field: str) -> Cell:
        result: Cell = getattr(self, field)
        return result


@dataclass(frozen=True)
class Activity:
    day: date | str
    activity: str
    hours: float | str
    travel: float | str | None = None
    approved_by: str | None = None

    def value(self, field: str) -> Cell:
        result: Cell = getattr(self, field)
        return result


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: tuple[tuple[str, str], ...]
    """(header as the contractor wrote it, field of the row)."""
    rows: tuple[Placement, ...] | tuple[Purchase, ...] | tuple[Activity, ...]
    footer: tuple[Cell, ...] = ()
    """A note or total row under the table, after one empty row."""


@dataclass(frozen=True)
class Submission:
    path: str
    """Relative to inbox/."""
    contract_id: str
    contractor: str
    period: str
    tables: tuple[Table, ...]
    contract_below: bool = False
    """'Contractnummer' with the id in the cell below instead of beside it."""
    dotted_bsn: bool = False
    """BSN typed as text '1234.56.782' instead of as a number."""
    hidden_lists: bool = False
    """A hidden sheet with drop-down values, as a template would have."""


# Header spellings, all within parsers/columns.py, varying per contractor.
_PLACEMENTS_STANDARD = (
    ("Naam", "name"), ("BSN", "bsn"), ("Geboortedatum", "birth"), ("Doelgroep", "group"),
    ("Startdatum", "start"), ("Einddatum", "end"), ("Uren per week", "hours"),
    ("Dienstverband", "employment"), ("Uitkering sinds", "benefit_since"),
    ("Statushouder", "refugee"), ("Bewijs", "evidence"), ("Opmerking", "note"),
)  # fmt: skip
_PLACEMENTS_ALMELO = (
    ("BSN-nummer", "bsn"), ("Naam medewerker", "name"), ("Geb. datum", "birth"),
    ("Bouwblok", "group"), ("Datum in dienst", "start"), ("Datum uit dienst", "end"),
    ("Uren p/w", "hours"), ("Uitkering vanaf", "benefit_since"),
    ("Soort dienstverband", "employment"), ("Opmerkingen", "note"),
)  # fmt: skip
_PLACEMENTS_GROENWERK = (
    ("Naam", "name"), ("BSN", "bsn"), ("Geboren", "birth"), ("Doelgroep", "group"),
    ("Ingangsdatum", "start"), ("Einddatum", "end"), ("Uren/week", "hours"),
    ("Contractvorm", "employment"), ("Uitkering sinds", "benefit_since"),
    ("Toelichting", "note"),
)  # fmt: skip
_PLACEMENTS_FTE = (
    ("Naam", "name"), ("BSN", "bsn"), ("Geboortedatum", "birth"), ("Doelgroep", "group"),
    ("Startdatum", "start"), ("Einddatum", "end"), ("FTE", "fte"),
    ("Dienstverband", "employment"), ("Opmerking", "note"),
)  # fmt: skip
_PLACEMENTS_VELDKAMP = (
    ("Naam", "name"), ("Burgerservicenummer", "bsn"), ("Geboortedatum", "birth"),
    ("Doelgroep", "group"), ("Startdatum", "start"), ("Einddatum", "end"),
    ("Contracturen", "hours"), ("Uitkering sinds", "benefit_since"),
)  # fmt: skip
_PLACEMENTS_DIEMERZEE = (
    ("Naam kandidaat", "name"), ("BSN", "bsn"), ("Geboortedatum", "birth"),
    ("Doelgroep / bouwblok", "group"), ("Begindatum", "start"), ("Einddatum", "end"),
    ("Uren per week", "hours"), ("Uitkering sinds", "benefit_since"),
    ("Bijzondere doelgroep", "special"), ("Opmerking", "note"),
)  # fmt: skip
_PURCHASE_COLUMNS = (
    ("Leverancier", "supplier"), ("KvK leverancier", "kvk"), ("Factuurnummer", "number"),
    ("Factuurdatum", "day"), ("Bedrag excl. BTW", "amount"), ("Soort", "kind"),
    ("Goedgekeurd door", "approved_by"),
)  # fmt: skip
_HOURS_VELDKAMP = (
    ("Datum", "day"), ("Activiteit", "activity"), ("Uren", "hours"), ("Reisuren", "travel"),
    ("Goedgekeurd door", "approved_by"),
)  # fmt: skip
_HOURS_AMSTELVLIET = (
    ("Datum", "day"), ("Omschrijving", "activity"), ("Aantal uren", "hours"),
    ("Reistijd", "travel"), ("Akkoord door", "approved_by"),
)  # fmt: skip

_HOURS_FOOTNOTE: tuple[Cell, ...] = ("* uren volgens arbeidscontract",)

# --- the Noordhorst lists (TW-2025-014), cumulative: Q2 repeats Q1 ----------------------------

_NOORDHORST_Q1: tuple[Placement, ...] = (
    Placement("p01", "Participatiewet > 2 jaar", date(2026, 1, 5), hours=36,
              employment="tijdelijk", benefit_since=date(2022, 9, 1),
              note="kandidaat via gemeente Enschede"),
    Placement("p02", "BBL", date(2025, 9, 1), hours=32, end=date(2027, 8, 31),
              note="opleiding infra niveau 2"),
    Placement("p03", "P-wet < 2jr", date(2026, 2, 1), hours="21,6",
              benefit_since=date(2025, 6, 1), note="ook ingezet op TW-2025-017"),
    Placement("p04", "WW > 1 jaar", date(2026, 1, 12), hours=36, employment="vast",
              benefit_since=date(2024, 10, 1)),
    Placement("p05", "Wajong", date(2025, 6, 2), hours=24),
    Placement("p06", "7 - WIA / WAO", date(2025, 11, 3), hours=28),
)  # fmt: skip
_NOORDHORST_Q2_NEW: tuple[Placement, ...] = (
    Placement("p06", "7 - WIA / WAO", date(2025, 11, 3), hours=28, end=date(2026, 5, 31),
              note="contract niet verlengd"),
    Placement("p07", "NUG", date(2026, 4, 1), hours=36, note="bewijs volgt"),
    Placement("p08", "P-wet < 2 jaar", date(2026, 4, 13), hours=36, refugee="ja",
              benefit_since=date(2024, 11, 1)),
    Placement("p09", "WW < 1 jaar", date(2026, 5, 4), hours=32,
              benefit_since=date(2025, 11, 15), bsn=INVALID_BSN),
)  # fmt: skip
_WERKPUNT = ("Werkpunt Twente B.V.", "41027385")
_NOORDHORST_PURCHASES: tuple[Purchase, ...] = (
    Purchase(*_WERKPUNT, "WPT-26-0193", date(2026, 4, 30), "3.450,00", kind="WSW"),
    Purchase(*_WERKPUNT, "WPT-26-0241", date(2026, 6, 15), 1875.5),
)

# --- the Amstelland invoice (DUO-2025-003): workbook row and PDF --------------------------------


@dataclass(frozen=True)
class Invoice:
    supplier: str
    address: str
    kvk: str
    vat_number: str
    iban: str
    number: str
    day: date
    description: str
    quantity: str
    rate: str
    excl_vat: str
    vat: str
    total: str
    customer: str
    customer_address: str
    reference: str


AMSTELLAND_INVOICE = Invoice(
    supplier="Werkbedrijf Amstelland B.V.",
    address="Industrieweg 41, 1422 AK Uithoorn",
    kvk="34217765",
    vat_number="NL853210007B01",
    iban="NL59 INGB 0006 7183 42",
    number="WA-2026-0412",
    day=date(2026, 5, 12),
    description="Detachering groenploeg (3 medewerkers met SW-indicatie), april 2026",
    quantity="310 uur",
    rate="€ 40,00",
    excl_vat="12.400,00",
    vat="2.604,00",
    total="15.004,00",
    customer=DIEMERZEE,
    customer_address="Diemerkade 40, 1111 AB Diemen",
    reference="DUO-2025-003 social return",
)

_DIEMERZEE_PURCHASES: tuple[Purchase, ...] = (
    Purchase(AMSTELLAND_INVOICE.supplier, AMSTELLAND_INVOICE.kvk, AMSTELLAND_INVOICE.number,
             "12-05-2026", 12400, kind="Inzet SW bedrijven",
             approved_by="R. de Boer (gemeente Diemen)"),
)  # fmt: skip

# --- all workbooks -----------------------------------------------------------------------------

# fmt: off
SUBMISSIONS: tuple[Submission, ...] = (
    Submission(
        "TW-2025-014/Noordhorst SROI 2026-Q1.xlsx", "TW-2025-014", NOORDHORST, "Q1 2026",
        (Table("Plaatsingen", _PLACEMENTS_STANDARD, _NOORDHORST_Q1, _HOURS_FOOTNOTE),),
    ),
    Submission(
        "TW-2025-014/Noordhorst SROI 2026-Q2.xlsx", "TW-2025-014", NOORDHORST, "Q2 2026",
        (
            Table(
                "Plaatsingen", _PLACEMENTS_STANDARD,
                (*_NOORDHORST_Q1[:5], *_NOORDHORST_Q2_NEW), _HOURS_FOOTNOTE,
            ),
            Table(
                "Inkoop", _PURCHASE_COLUMNS, _NOORDHORST_PURCHASES,
                ("Totaal", None, None, None, 5325.5),
            ),
        ),
    ),
    Submission(
        "TW-2025-017/Plaatsingen Q2 2026 Almelo-Noord.xlsx", "TW-2025-017", NOORDHORST, "Q2 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_ALMELO, (
                Placement("p03", "Participatiewet < 2 jaar", date(2026, 4, 1), hours="21,6",
                          benefit_since=date(2025, 6, 1), note="ook op TW-2025-014"),
                Placement("p10", "Doelgroepregister", date(2026, 4, 15), hours=32,
                          employment="vast"),
                Placement("p11", "BOL", date(2026, 2, 2), hours=16, end=date(2026, 6, 26),
                          note="stage ROC, 2e jaar"),
            )),
        ),
        contract_below=True,
    ),
    Submission(
        "TW-2025-021/verantwoording Q3 2026 Groenwerk.xlsx", "TW-2025-021", GROENWERK, "Q3 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_GROENWERK, (
                Placement("p15", "Herintreder", date(2026, 7, 6), hours=24),
                Placement("p16", "Arbeidsmatige dagbesteding", date(2026, 7, 1), hours=20),
                Placement("p17", "WW > 1 jaar", date(2026, 8, 3), hours=36,
                          benefit_since=date(2025, 1, 15)),
            )),
        ),
    ),
    Submission(
        "TW-2025-030/Kattenbelt SROI Q3-2026.xlsx", "TW-2025-030", KATTENBELT, "Q3 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_FTE, (
                Placement("p18", "Leerling BBL", date(2025, 8, 25), fte="0,8",
                          end=date(2027, 7, 1), note="4 dagen werk, 1 dag school"),
                Placement("p19", "Wajong", date(2026, 3, 2), fte=0.5),
                Placement("p20", "WIA", date(2026, 7, 6), fte=1, employment="vast"),
            )),
        ),
    ),
    Submission(
        "TW-2026-003/Veldkamp Q2 2026 plaatsingen en MVO.xlsx", "TW-2026-003", VELDKAMP,
        "Q2 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_VELDKAMP, (
                Placement("p21", "Bijstand > 2 jaar", "16-03-2026", hours=24,
                          benefit_since="01-03-2021"),
            )),
            Table("MVO", _HOURS_VELDKAMP, (
                Activity(date(2026, 4, 16), "Gastles schoonmaakvak op het VSO", 6, travel=1),
                Activity(date(2026, 5, 21), "Sollicitatietraining voor werkzoekenden", 4),
                Activity(date(2026, 6, 11), "Open dag leerwerkplekken", "3,5", travel="0,5"),
            )),
        ),
    ),
    Submission(
        "DUO-2025-003/SROI 2026-Q2.xlsx", "DUO-2025-003", DIEMERZEE, "Q2 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_DIEMERZEE, (
                Placement("p22", "Participatiewet < 2jr", date(2026, 4, 1), hours=32,
                          benefit_since=date(2025, 9, 1)),
                Placement("p23", "P-wet > 2jr", date(2026, 4, 6), hours=36,
                          benefit_since=date(2021, 6, 1)),
                Placement("p24", "WW", date(2026, 4, 20), hours=28,
                          benefit_since=date(2025, 8, 1), special="ja",
                          note="alleenstaande ouder"),
                Placement("p25", "Beschut werk", date(2026, 5, 11), hours=24),
                Placement("p26", "BBL (leerbaan)", date(2025, 9, 1), hours=32,
                          end=date(2027, 7, 31)),
            )),
            Table("Inkoop", _PURCHASE_COLUMNS, _DIEMERZEE_PURCHASES),
        ),
        dotted_bsn=True,
        hidden_lists=True,
    ),
    Submission(
        "DUO-2025-008/Amstelvliet Q3 2026.xlsx", "DUO-2025-008", AMSTELVLIET, "Q3 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_FTE, (
                Placement("p27", "BOL", date(2026, 9, 1), fte="0,6", end=date(2027, 1, 29),
                          note="stage mbo infra"),
                Placement("p28", "BOL stage", date(2026, 9, 1), fte="0,6",
                          end=date(2027, 1, 29)),
                Placement("p29", "Banenafspraak", date(2026, 7, 1), fte=0.6, employment="vast"),
                Placement("p30", "WIA/WAO", date(2026, 8, 17), fte=1),
                Placement("p31", "Werkervaringsplaats", date(2026, 7, 6), fte=0.5,
                          end=date(2026, 12, 31)),
            )),
            Table("Activiteiten", _HOURS_AMSTELVLIET, (
                Activity(date(2026, 7, 9), "Gastles wegenbouw op het vmbo", 4, travel=1),
                Activity(date(2026, 9, 24), "Meeloopdag voor werkzoekenden", 6),
            )),
        ),
    ),
    Submission(
        "XX-2026-999/SROI Q3 2026.xlsx", "XX-2026-999", "Bouwbedrijf Haarhuis B.V.", "Q3 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_STANDARD, (
                Placement("p32", "Participatiewet > 2 jaar", date(2026, 7, 1), hours=36,
                          benefit_since=date(2023, 2, 1)),
                Placement("p33", "BBL", date(2026, 8, 24), hours=32, end=date(2028, 7, 1)),
                Placement("p34", "WW > 1 jaar", date(2026, 9, 7), hours=36,
                          benefit_since=date(2025, 6, 2)),
            )),
        ),
    ),
    # At the top of the inbox: only the Contractnummer cell names the contract.
    Submission(
        "Groenwerk Lonneker SROI 1e kwartaal 2026.xlsx", "TW-2025-021", GROENWERK, "Q1 2026",
        (
            Table("Plaatsingen", _PLACEMENTS_GROENWERK, (
                Placement("p12", 2, date(2026, 1, 5), hours=36, employment="vast",
                          benefit_since=date(2023, 5, 1)),
                Placement("p13", 5, date(2026, 1, 19), hours=30, end=date(2026, 12, 31),
                          benefit_since=date(2025, 8, 18)),
                Placement("p14", 10, date(2025, 9, 1), hours=38, note="incl. schooldag"),
            ), _HOURS_FOOTNOTE),
        ),
    ),
)
# fmt: on

DUPLICATE_OF = "TW-2025-014/Noordhorst SROI 2026-Q2.xlsx"
DUPLICATE = "TW-2025-014/Noordhorst SROI 2026-Q2_kopie.xlsx"
"""An exact byte copy, sent again by mail; sorts after the original."""
INVOICE_PDF = "DUO-2025-003/SROI 2026-Q2_factuur WA-2026-0412.pdf"
"""Sorts after 'SROI 2026-Q2.xlsx', so its purchase row is known when the PDF arrives."""
CORRUPT = "TW-2025-030/kapot.xlsx"
EMPTY = "DUO-2025-008/leeg.xlsx"
_CORRUPT_BYTES = (
    b"<!DOCTYPE html>\n<html><head><title>Sessie verlopen</title></head>\n"
    b"<body><p>Uw sessie is verlopen. Log opnieuw in om de bijlage te downloaden.</p>"
    b"</body></html>\n"
)


# --- writing workbooks -------------------------------------------------------------------------


def _rezip(data: bytes, replacements: dict[str, bytes]) -> bytes:
    """The same zip with fixed entry times (zipfile stamps the current time on each entry)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, replacements.get(info.filename, source.read(info)))
    return output.getvalue()


def _workbook_bytes(workbook: Workbook, author: str) -> bytes:
    properties = workbook.properties
    properties.creator = author
    properties.lastModifiedBy = author
    properties.created = FILE_TIMESTAMP
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl sets `modified` to now while saving; write core.xml again with the fixed time.
    properties.modified = FILE_TIMESTAMP
    return _rezip(buffer.getvalue(), {"docProps/core.xml": tostring(properties.to_tree())})


def _put(sheet: Worksheet, row: int, values: tuple[Cell, ...], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, date):
            cell.number_format = _DATE_FORMAT
        if bold:
            cell.font = _BOLD


def _widen(sheet: Worksheet, headers: tuple[str, ...]) -> None:
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(header) + 4)


def _bsn_cell(bsn: str, dotted: bool) -> Cell:
    return f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}" if dotted else int(bsn)


def _preamble(sheet: Worksheet, submission: Submission, title: str, first: bool) -> int:
    """Title rows as contractors fill them in; returns the header row."""
    sheet.cell(row=1, column=1, value=title).font = _TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    row = 2
    if first:
        sheet.cell(row=row, column=1, value="Contractnummer").font = _BOLD
        if submission.contract_below:
            sheet.cell(row=row + 1, column=1, value=submission.contract_id)
            row += 1
        else:
            sheet.cell(row=row, column=2, value=submission.contract_id)
        row += 1
    _put(sheet, row, ("Opdrachtnemer", submission.contractor))
    return row + 2


def _write_table(sheet: Worksheet, table: Table, header_row: int, dotted_bsn: bool) -> None:
    headers = tuple(header for header, _ in table.columns)
    _put(sheet, header_row, headers, bold=True)
    _widen(sheet, headers)
    rows: tuple[_Row, ...] = table.rows
    for offset, data in enumerate(rows, start=1):
        values = tuple(
            _bsn_cell(str(data.value(field)), dotted_bsn) if field == "bsn" else data.value(field)
            for _, field in table.columns
        )
        _put(sheet, header_row + offset, values)
    if table.footer:
        _put(sheet, header_row + len(rows) + 2, table.footer)


def _submission_workbook(submission: Submission) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, table in enumerate(submission.tables):
        sheet = workbook.create_sheet(table.sheet)
        title = f"SROI-verantwoording {submission.period} – {table.sheet}"
        header_row = _preamble(sheet, submission, title, first=index == 0)
        _write_table(sheet, table, header_row, submission.dotted_bsn)
    if submission.hidden_lists:
        lists = workbook.create_sheet("Keuzelijsten")
        lists.sheet_state = "hidden"
        for row, label in enumerate(("Doelgroep", "Participatiewet < 2jr", "WW", "BBL"), 1):
            lists.cell(row=row, column=1, value=label)
    return workbook


def _empty_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    sheet.cell(row=1, column=1, value="SROI-verantwoording Q3 2026").font = _TITLE
    return workbook


def _register_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Contracten"
    sheet.cell(row=1, column=1, value="Contractregister SROI").font = _TITLE
    sheet.cell(row=2, column=1, value=f"Peildatum: {DEMO_AS_OF:%d-%m-%Y}")
    _put(sheet, 4, REGISTER_HEADERS, bold=True)
    _widen(sheet, REGISTER_HEADERS)
    for offset, contract in enumerate(CONTRACTS, start=5):
        _put(sheet, offset, contract.cells())
        if isinstance(contract.sroi_percentage, float):
            sheet.cell(row=offset, column=7).number_format = "0%"
        if isinstance(contract.value, int):
            sheet.cell(row=offset, column=6).number_format = "#,##0.00"
    participants = workbook.create_sheet("Deelnemers")
    _put(participants, 1, ("Contractnummer", "Gemeente", "Aandeel"), bold=True)
    for offset, share in enumerate(SHARES, start=2):
        _put(participants, offset, (share.contract_id, share.municipality, share.share))
    return workbook


# --- the PDF invoice ---------------------------------------------------------------------------

_INVOICE_CSS = """
@page { size: A4; margin: 20mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; color: #222; }
h1 { font-size: 16pt; margin: 0; }
h2 { font-size: 14pt; margin: 12mm 0 4mm; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 2mm 1mm; text-align: left; }
th { border-bottom: 1px solid #555; }
.amount { text-align: right; white-space: nowrap; }
.totals { width: 60%; margin-left: 40%; }
.totals td { padding: 1mm; }
.small { font-size: 8pt; color: #555; }
"""


def invoice_html(invoice: Invoice) -> str:
    day = f"{invoice.day:%d-%m-%Y}"
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Factuur {invoice.number}</title>
<meta name="author" content="{invoice.supplier}">
<meta name="dcterms.created" content="{invoice.day.isoformat()}T09:00:00+02:00">
<style>{_INVOICE_CSS}</style></head><body>
<h1>{invoice.supplier}</h1>
<p>{invoice.address}<br>KvK {invoice.kvk} &middot; BTW-nummer {invoice.vat_number}<br>
IBAN {invoice.iban}</p>
<p>Aan:<br>{invoice.customer}<br>t.a.v. crediteurenadministratie<br>
{invoice.customer_address}</p>
<h2>FACTUUR</h2>
<table>
<tr><td>Factuurnummer:</td><td>{invoice.number}</td></tr>
<tr><td>Factuurdatum:</td><td>{day}</td></tr>
<tr><td>Uw referentie:</td><td>{invoice.reference}</td></tr>
</table>
<br>
<table>
<tr><th>Omschrijving</th><th class="amount">Aantal</th><th class="amount">Tarief</th>
<th class="amount">Bedrag</th></tr>
<tr><td>{invoice.description}</td><td class="amount">{invoice.quantity}</td>
<td class="amount">{invoice.rate}</td><td class="amount">€ {invoice.excl_vat}</td></tr>
</table>
<br>
<table class="totals">
<tr><td>Totaal excl. BTW</td><td class="amount">€ {invoice.excl_vat}</td></tr>
<tr><td>BTW 21%</td><td class="amount">€ {invoice.vat}</td></tr>
<tr><td><b>Totaal</b></td><td class="amount"><b>€ {invoice.total}</b></td></tr>
</table>
<p class="small">Betaling binnen 30 dagen op {invoice.iban} t.n.v. {invoice.supplier},
onder vermelding van het nummer van deze factuur. Het werk is uitgevoerd door medewerkers
met een indicatie sociale werkvoorziening.</p>
</body></html>
"""


@contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """fontTools stamps the current time into subset fonts unless SOURCE_DATE_EPOCH is set."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FILE_TIMESTAMP.replace(tzinfo=UTC).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def invoice_pdf_bytes(invoice: Invoice) -> bytes:
    with _fixed_font_timestamps():
        data: bytes = HTML(string=invoice_html(invoice)).write_pdf()
    return data


# --- the home ----------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_demo_home(root: Path) -> list[Path]:
    """Writes root/contracts.xlsx and files under root/inbox/; returns the inbox files written.
    Creates root/inbox (and root) if missing. Deterministic: the same bytes every time."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    _write(root / "contracts.xlsx", _workbook_bytes(_register_workbook(), "Team SROI Twente"))
    written: list[Path] = []
    for submission in SUBMISSIONS:
        data = _workbook_bytes(_submission_workbook(submission), submission.contractor)
        written.append(_write(inbox / submission.path, data))
        if submission.path == DUPLICATE_OF:
            written.append(_write(inbox / DUPLICATE, data))
    written.append(_write(inbox / INVOICE_PDF, invoice_pdf_bytes(AMSTELLAND_INVOICE)))
    written.append(_write(inbox / CORRUPT, _CORRUPT_BYTES))
    written.append(_write(inbox / EMPTY, _workbook_bytes(_empty_workbook(), AMSTELVLIET)))
    return sorted(written)
