"""A demo home of any size: the benchmark's (`python -m bench`) realistic inbox.

`scaled_home(contracts, workbooks, invoices)` builds the same kind of description as home.yaml,
only larger and by rule instead of by hand: contracts of the Twente, DUOplus and Oost-Nederland
rulesets spread over their municipalities (joint, capital-intensive, PSO and Werkpakt contracts
among them, a few not yet started), and per contract the workbooks of 2025Q1-2026Q3 with 12
placements each. Every contractor keeps its own habits: its column headings (the layouts of
home.yaml), how it types dates, hours and BSNs, where it writes the contract number, whether it
resends cumulative lists. Some workbooks carry an Inkoop sheet (most with the supplier's PDF
invoice beside them) or MVO hours; some invoices arrive without a purchase row.

As in a real inbox, some things go wrong: a mistyped BSN, an unknown target group or a benefit
too short for its group (rejected rows), MVO hours and SW invoices waiting for an approval or a
copy (pending rows), one workbook in the folder of an unknown contract, a few workbooks saved at
the top of the inbox, a byte copy of a workbook, a corrupt and an empty file.

The description is deterministic for a seed; write it with `write_demo_home(root, demo)`. The
inbox then holds `workbooks` workbooks, `invoices` PDFs and the three broken or copied files of
`mistakes`. BSNs are 11-test-valid numbers counted from 999000000, as in the demo: fictitious.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from dateutil.relativedelta import relativedelta
from stdnum import iban as iban_number
from stdnum.eu import vat as vat_number

from domain.periods import Quarter
from sroi.demo.generator import DEMO_AS_OF
from sroi.demo.model import (
    INBOX_TOP,
    Activity,
    BsnCounter,
    Cell,
    ColumnLayouts,
    CorruptFile,
    DemoContract,
    DemoHome,
    Duplicate,
    EmptyWorkbook,
    HiddenSheet,
    Invoice,
    Mistakes,
    Placement,
    Purchase,
    Register,
    Sheet,
    SubmissionWorkbook,
    inbox_path,
    load_demo_home,
)

PLACEMENTS_PER_WORKBOOK = 12
FIRST_QUARTER = Quarter(2025, 1)
LAST_QUARTER = Quarter(2026, 3)
"""Workbooks cover these quarters; run the home as of AS_OF and report LAST_QUARTER."""
AS_OF = DEMO_AS_OF
"""The run date: the morning the last quarter's submissions are in (15 October 2026)."""
UNKNOWN_CONTRACT = "XX-2026-999"
"""The folder of the one workbook whose contract is not in the register (from 10 workbooks)."""
BSN_COUNTER = BsnCounter(first=999_000_000, step=1)
MAX_PEOPLE = 80_000
"""The 11-test-valid numbers from 999000000 up to 999999999 are about 91,000."""

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_FIRST_NAMES = (
    "Jan", "Sanne", "Mohamed", "Fleur", "Kevin", "Anouk", "Ricardo", "Esra", "Bram", "Lotte",
    "Yusuf", "Iris", "Thijs", "Noor", "Dennis", "Fatima", "Ruben", "Priscilla", "Gerrit", "Mila",
    "Emre", "Chantal", "Bas", "Samira", "Niels", "Joyce", "Ahmad", "Karin", "Stefan", "Ilse",
    "Tom", "Yvonne", "Daan", "Marloes", "Hans", "Esther", "Rik", "Naima", "Wim", "Lisa",
    "Jeroen", "Demi", "Koen", "Aylin", "Sem", "Romy", "Mark", "Hatice",
)  # fmt: skip
_LAST_NAMES = (
    "de Vries", "Nijhuis", "Bakkali", "ter Horst", "Pinas", "Lansink", "Haddad", "Schuurman",
    "Pierik", "Hofstede", "Oude Vrielink", "Yildiz", "Bosch", "Kamphuis", "Grobben", "Mensink",
    "Schepers", "Veldhuis", "Lubbers", "Doorn", "Visser", "de Graaf", "Ouali", "Kramer", "Smit",
    "de Wit", "Mulder", "Hoekstra", "Dekker", "Kaya", "Hendriks", "Post", "Jacobs", "Brinkhuis",
    "Wolters", "Kuipers", "van Dijk", "El Amrani", "Meijer", "Bulut", "Tuinman", "Scholten",
    "Wessels", "Koster", "Demir", "Jansen", "Gerritsen", "Boerrigter",
)  # fmt: skip
_INITIALS = "ABCDEFGHJKLMNPRSTW"

_WORK = (
    "Reconstructie {place} centrum", "Onderhoud openbaar groen {place}",
    "Groot onderhoud wegen {place}", "Verduurzaming gemeentelijk vastgoed {place}",
    "Schoonmaak sportaccommodaties {place}", "Vervanging riolering {place}-Noord",
    "Nieuwbouw brede school {place}", "Beheer en onderhoud buitenruimte {place}",
    "Renovatie bruggen {place}", "Levering en plaatsing openbare verlichting {place}",
)  # fmt: skip
_ACTIVITIES = (
    "Gastles vakmanschap op het vmbo", "Sollicitatietraining voor werkzoekenden",
    "Open dag leerwerkplekken", "Meeloopdag voor werkzoekenden", "Bedrijfsbezoek VSO-klas",
)  # fmt: skip
_APPROVERS = ("R. de Boer", "M. Kuipers", "A. Yilmaz", "J. ter Beek")


@dataclass(frozen=True)
class _Company:
    """A contractor: its name, its short name in file names and its KvK number."""

    name: str
    short: str
    kvk: str
    address: str


_COMPANIES = tuple(
    _Company(f"{kind} {short} B.V.", short, kvk, address)
    for kind, short, kvk, address in (
        ("Bouwcombinatie", "Noordhorst", "67254193", "Hengelosestraat 120, 7514 AK Enschede"),
        ("Groenwerk", "Lonneker", "58310427", "Lonnekerweg 8, 7524 PA Enschede"),
        ("Installatietechniek", "Kattenbelt", "71846025", "Industriestraat 14, 7553 CN Hengelo"),
        ("Schoonmaakgroep", "Veldkamp", "60473318", "Twentepoort 3, 7609 RG Almelo"),
        ("Buitenruimte", "Diemerzee", "74120986", "Diemerkade 40, 1111 AB Diemen"),
        ("Wegenbouw", "Amstelvliet", "69932751", "Amsteldijk 200, 1422 XZ Uithoorn"),
        ("Techniek", "Waterweg", "80251643", "Rondehoep 5, 1191 KB Ouderkerk aan de Amstel"),
        ("Aannemingsbedrijf", "Haarhuis", "62718834", "Rijksweg 77, 7011 AB Gaanderen"),
        ("Bouwbedrijf", "Ter Haarweg", "73300128", "Doetinchemseweg 4, 7021 BT Zelhem"),
        ("Infra", "Gelderse Poort", "65542291", "Veluwezoom 19, 6883 DB Velp"),
        ("Groenvoorziening", "Achterhoek", "77109436", "Boterdijk 12, 7101 NN Winterswijk"),
        ("Elektrotechniek", "Van der Veen", "59028817", "Wolweg 3, 6711 AA Ede"),
        ("Schilderwerken", "Oude Egberink", "68841205", "Oldenzaalsestraat 90, 7551 AG Hengelo"),
        ("Aannemersbedrijf", "Klomps", "75523360", "Denekamperstraat 1, 7581 PA Losser"),
    )
)


@dataclass(frozen=True)
class _Group:
    """A target group as contractors type it, and what makes a person fit it."""

    labels: tuple[str | int, ...]
    """Spellings the ruleset knows (a label, a synonym or the block number)."""
    benefit_months: tuple[int, int] | None = None
    """Months of benefit before the start that fit the group: lowest, highest."""
    ages: tuple[int, int] = (23, 61)
    evidence: bool = False
    """The ruleset wants a reference to evidence (Bewijs)."""
    months: int | None = None
    """A training or work-experience placement ends after this many months."""


@dataclass(frozen=True)
class _Supplier:
    """A sheltered-work company that invoices contractors for its people's work."""

    name: str
    code: str
    kvk: str
    address: str
    work: str
    rate: Decimal


@dataclass(frozen=True)
class _Region:
    """A ruleset with the municipalities that use it, and how its contractors fill things in."""

    prefix: str
    rulesets: tuple[str, str]
    """A family and a version id: the register names either."""
    municipalities: tuple[str, ...]
    groups: tuple[_Group, ...]
    suppliers: tuple[_Supplier, ...]
    purchase_kind: str | None
    purchase_approval: bool
    """Purchase rows carry 'Goedgekeurd door': the ruleset needs an approval."""
    activities: bool
    """The ruleset values MVO hours."""
    labour_share: int | None = None
    label: str | None = None


_TWENTE = _Region(
    prefix="TW",
    rulesets=("twente", "twente-2016"),
    municipalities=(
        "Enschede",
        "Hengelo",
        "Almelo",
        "Borne",
        "Oldenzaal",
        "Haaksbergen",
        "Hof van Twente",
        "Rijssen-Holten",
        "Wierden",
        "Losser",
        "Tubbergen",
        "Dinkelland",
        "Twenterand",
        "Hellendoorn",
    ),
    groups=(
        _Group(("Participatiewet < 2 jaar", "P-wet < 2jr", 1), benefit_months=(3, 20)),
        _Group(("Participatiewet > 2 jaar", "Bijstand > 2 jaar", 2), benefit_months=(26, 90)),
        _Group(("Doelgroepregister", "Banenafspraak", 3)),
        _Group(("WW < 1 jaar", 5), benefit_months=(4, 11)),
        _Group(("WW > 1 jaar", "WW > 1jr", 6), benefit_months=(13, 30)),
        _Group(("WIA / WAO", "WIA", 7)),
        _Group(("Wajong", 8), ages=(19, 35)),
        _Group(("BBL", "Leerling BBL", 10), ages=(17, 22), months=24),
        _Group(("BOL", "BOL stage", 11), ages=(16, 21), months=5),
        _Group(("NUG",), ages=(18, 26), evidence=True),
    ),
    suppliers=(
        _Supplier(
            "Werkpunt Twente B.V.",
            "WPT",
            "41027385",
            "Havenstraat 12, 7553 GK Hengelo",
            "Detachering groenploeg (medewerkers met SW-indicatie)",
            Decimal("38.50"),
        ),
        _Supplier(
            "Twentse Werkgroep B.V.",
            "TWG",
            "41029914",
            "Kanaaldijk 9, 7607 NG Almelo",
            "Montage- en inpakwerk door SW-medewerkers",
            Decimal("32.00"),
        ),
    ),
    purchase_kind="WSW",
    purchase_approval=False,
    activities=True,
    label="Werkpakt",
)
_DUOPLUS = _Region(
    prefix="DUO",
    rulesets=("duoplus", "duoplus-2024"),
    municipalities=("Diemen", "Uithoorn", "Ouder-Amstel"),
    groups=(
        _Group(("Participatiewet < 2jr", "P-wet < 2 jaar"), benefit_months=(3, 20)),
        _Group(("P-wet > 2jr", "Participatiewet > 2 jaar"), benefit_months=(26, 90)),
        _Group(("WW", "WW-uitkering"), benefit_months=(8, 24)),
        _Group(("Banenafspraak", "Doelgroepregister")),
        _Group(("Beschut werk",)),
        _Group(("WIA/WAO", "WIA")),
        _Group(("BBL (leerbaan)", "BBL"), ages=(17, 22), months=24),
        _Group(("BOL", "BOL stage"), ages=(16, 21), months=5),
        _Group(("Werkervaringsplaats", "WEP"), months=12),
    ),
    suppliers=(
        _Supplier(
            "Werkbedrijf Amstelland B.V.",
            "WA",
            "34217765",
            "Industrieweg 41, 1422 AK Uithoorn",
            "Detachering groenploeg (medewerkers met SW-indicatie)",
            Decimal("40.00"),
        ),
    ),
    purchase_kind="Inzet SW bedrijven",
    purchase_approval=True,
    activities=True,
    labour_share=60,
)
_OOST = _Region(
    prefix="ON",
    rulesets=("oost-nederland", "oost-nederland-2023"),
    municipalities=("Doetinchem", "Winterswijk", "Aalten", "Oost Gelre", "Ede", "Wageningen"),
    groups=(
        _Group(("Participatiewet < 2 jaar", "P-wet < 2jr"), benefit_months=(3, 20)),
        _Group(("Participatiewet > 2 jaar",), benefit_months=(26, 90)),
        _Group(("Doelgroepregister", "Wajong", "WIA/WAO", "Beschut werk")),
        _Group(("WW < 1 jaar",), benefit_months=(2, 11)),
        _Group(("WW > 1 jaar",), benefit_months=(13, 30)),
        _Group(("NUG",), ages=(18, 26)),
        _Group(("Werkervaringsplek", "WEP"), months=6),
        _Group(("BBL",), ages=(17, 22), months=24),
    ),
    suppliers=(
        _Supplier(
            "Werkkracht Achterhoek B.V.",
            "WKA",
            "09184471",
            "Keppelseweg 2, 7001 CE Doetinchem",
            "Schoonmaakwerkzaamheden door medewerkers met SW-indicatie",
            Decimal("35.00"),
        ),
    ),
    purchase_kind=None,
    purchase_approval=False,
    activities=False,
)
_REGION_CYCLE = (_TWENTE, _TWENTE, _DUOPLUS, _TWENTE, _OOST, _TWENTE, _DUOPLUS, _OOST, _TWENTE)
_UNKNOWN_GROUP = "Herintreder"


# --- how each contractor fills things in ------------------------------------------------------


@dataclass(frozen=True)
class _Habits:
    """What one contract's submissions look like, the same in every quarter."""

    layout: str
    activities_layout: str
    dates: str
    """'excel', 'dash' (31-12-2025), 'slash' (31/12/2025), 'iso' (2025-12-31), 'long'."""
    sheet_name: str
    file_name: str
    """A pattern with {short}, {id}, {year} and {q}."""
    period: str
    cumulative: bool
    contract_below: bool
    dotted_bsn: bool
    hidden_sheet: bool
    footer: bool


_LAYOUTS = ("standard", "almelo", "groenwerk", "fte", "veldkamp", "diemerzee")
_FILE_NAMES = (
    "{short} SROI {year}-Q{q}",
    "SROI {year} kwartaal {q} {short}",
    "{id} plaatsingen {year}Q{q}",
    "Verantwoording {short} {year} Q{q}",
)
_PERIODS = ("Q{q} {year}", "{q}e kwartaal {year}", "{year}-Q{q}")
_SHEET_NAMES = (
    "Plaatsingen",
    "Plaatsingen",
    "plaatsingen",
    "PLAATSINGEN",
    "Personen",
    "Medewerkers",
)
_DATE_STYLES = ("excel", "excel", "excel", "dash", "excel", "slash", "excel", "iso", "long")


def _habits(index: int) -> _Habits:
    """The habits of the index-th contract: every combination turns up, none is random."""
    return _Habits(
        layout=_LAYOUTS[index % len(_LAYOUTS)],
        activities_layout=("veldkamp", "amstelvliet")[index % 2],
        dates=_DATE_STYLES[index % len(_DATE_STYLES)],
        sheet_name=_SHEET_NAMES[index % len(_SHEET_NAMES)],
        file_name=_FILE_NAMES[index % len(_FILE_NAMES)],
        period=_PERIODS[index % len(_PERIODS)],
        cumulative=index % 3 == 1,
        contract_below=index % 5 == 3,
        dotted_bsn=index % 7 == 4,
        hidden_sheet=index % 4 == 2,
        footer=index % 3 == 0,
    )


def typed_date(day: date, style: str) -> date | str:
    """A date as a contractor types it: an Excel date or text in one of the Dutch notations."""
    texts = {
        "dash": f"{day:%d-%m-%Y}",
        "slash": f"{day:%d/%m/%Y}",
        "iso": day.isoformat(),
        "long": f"{day.day} {_MONTHS[day.month - 1]} {day.year}",
    }
    return texts.get(style, day)


def dutch_amount(amount: Decimal) -> str:
    """12400 -> '12.400,00'."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _typed_amount(amount: Decimal, as_text: bool) -> Cell:
    """An amount as a number where a float holds it exactly, else as Dutch text."""
    if as_text or amount * 2 != int(amount * 2):
        return dutch_amount(amount)
    return int(amount) if amount == int(amount) else float(amount)


# --- the register ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _ContractPlan:
    """A register row with what the submissions of it need to know."""

    contract: DemoContract
    region: _Region
    company: _Company
    habits: _Habits
    start: date

    @property
    def started(self) -> bool:
        return self.start <= LAST_QUARTER.last_day

    def quarters(self) -> list[Quarter]:
        """The quarters it has submissions for: from its start (at the earliest FIRST_QUARTER)."""
        quarter = max(FIRST_QUARTER, Quarter.of(self.start))
        quarters = []
        while quarter <= LAST_QUARTER:
            quarters.append(quarter)
            quarter = quarter.next()
        return quarters


def _contract_start(index: int, rng: random.Random) -> date:
    """Quarter starts from 2024Q3 to 2026Q2; one contract in 25 starts in 2027 (not started)."""
    if index % 25 == 24:
        return date(2027, 1, 1)
    quarter = Quarter(2024, 3)
    for _ in range(rng.randrange(8)):
        quarter = quarter.next()
    return quarter.first_day


def _contract_value(index: int, rng: random.Random) -> int | str:
    """The contract sum as typed: a number, or Dutch text for one contract in six; one in forty
    lies below the Twente threshold."""
    value = 80_000 if index % 40 == 17 else rng.randrange(150_000, 6_000_000, 10_000)
    return value if index % 6 != 5 else dutch_amount(Decimal(value))


def _shares(index: int, region: _Region, lead: str) -> dict[str, int]:
    """Joint contracts (one in eight, where the region has partners): the lead takes most."""
    others = [name for name in region.municipalities if name != lead]
    if index % 8 != 6 or not others:
        return {}
    if len(others) == 1:
        return {lead: 60, others[0]: 40}
    return {lead: 50, others[index % len(others)]: 30, others[(index + 1) % len(others)]: 20}


def _contract(index: int, rng: random.Random) -> _ContractPlan:
    region = _REGION_CYCLE[index % len(_REGION_CYCLE)]
    company = _COMPANIES[(index * 5) % len(_COMPANIES)]
    municipality = region.municipalities[(index // len(_REGION_CYCLE)) % len(region.municipalities)]
    start = _contract_start(index, rng)
    award = start - timedelta(days=rng.randrange(30, 120))
    capital = index % 8 == 3
    value = _contract_value(index, rng)
    label = region.label if region.label is not None and index % 15 == 7 else None
    contract = DemoContract(
        id=f"{region.prefix}-{award.year}-{101 + index:03d}",
        title=_WORK[index % len(_WORK)].format(place=municipality),
        contractor=company.name,
        kvk=company.kvk,
        municipality=municipality,
        value=value,
        sroi_percentage=None if capital else (5, 5, "5%", 0.05)[index % 4],
        capital_intensive="ja" if capital else "nee",
        start=start if index % 7 != 2 else f"{start:%d-%m-%Y}",
        end=start + relativedelta(years=2 + index % 3) - timedelta(days=1),
        award=award,
        ruleset=region.rulesets[index % 2],
        pso_level=(index // 6) % 3 + 1 if index % 6 == 1 and label is None else None,
        label=label,
        label_valid_until=start + relativedelta(years=1) if label else None,
        labour_share=region.labour_share if index % 4 == 0 else None,
        shares=_shares(index, region, municipality),
    )
    return _ContractPlan(contract, region, company, _habits(index), start)


# --- people and their placements -------------------------------------------------------------


@dataclass
class _Person:
    """Someone placed: the name that hands out the BSN, and the group they were placed in."""

    name: str
    group: _Group


@dataclass
class _Slot:
    """One workbook to write: where it goes, for which quarter, and what it carries."""

    plan: _ContractPlan
    quarter: Quarter
    folder: str
    file_name: str
    invoices: list[Invoice] = field(default_factory=list)

    @property
    def path(self) -> str:
        return inbox_path(self.folder, self.file_name)

    @property
    def in_contract_folder(self) -> bool:
        return self.folder == self.plan.contract.id


class _Builder:
    """Hands out people, rows and invoices in a fixed order, so that a seed gives one home."""

    def __init__(self, rng: random.Random, layouts: ColumnLayouts) -> None:
        self.rng = rng
        self.layouts = layouts
        self.people: dict[str, date | str] = {}
        self.placed: dict[str, list[_Person]] = {}
        """Per region prefix, everyone placed so far: a few work on two contracts."""
        self.rows = count()
        self.invoice_numbers = count(1)

    # people ---------------------------------------------------------------------------------

    def _new_name(self) -> str:
        """A name not handed out before; neighbours differ in first and last name."""
        index = len(self.people)
        first = index % len(_FIRST_NAMES)
        rest = index // len(_FIRST_NAMES)
        last = _LAST_NAMES[(rest + first) % len(_LAST_NAMES)]
        initial = _INITIALS[(rest // len(_LAST_NAMES)) % len(_INITIALS)]
        round_ = rest // (len(_LAST_NAMES) * len(_INITIALS))
        suffix = f" {round_ + 1}" if round_ else ""
        return f"{_FIRST_NAMES[first]} {initial}. {last}{suffix}"

    def _birth(self, group: _Group, start: date) -> date | str:
        """A date of birth that makes the person the group's age at the start, as typed: mostly
        an Excel date, one in eight as text."""
        age = self.rng.randint(*group.ages)
        born = start - relativedelta(years=age) - timedelta(days=self.rng.randrange(1, 300))
        index = len(self.people)
        style = "dash" if index % 8 == 3 else "long" if index % 40 == 21 else "excel"
        return typed_date(born, style)

    def person(self, region: _Region, group: _Group, start: date) -> _Person:
        if len(self.people) >= MAX_PEOPLE:
            raise ValueError(f"more than {MAX_PEOPLE} people: not enough fictitious BSNs")
        name = self._new_name()
        self.people[name] = self._birth(group, start)
        person = _Person(name, group)
        self.placed.setdefault(region.prefix, []).append(person)
        return person

    # placements -----------------------------------------------------------------------------

    def _fields(self, plan: _ContractPlan) -> set[str]:
        return set((self.layouts.get("placements", plan.habits.layout) or {}).values())

    def _group(self, plan: _ContractPlan, fields: set[str]) -> _Group:
        usable = [g for g in plan.region.groups if not g.evidence or "evidence" in fields]
        return usable[self.rng.randrange(len(usable))]

    def _start(self, plan: _ContractPlan, quarter: Quarter) -> date:
        """Mostly inside the quarter; one in six reported late (started up to half a year
        earlier). Never before the contract starts."""
        first = quarter.first_day
        if self.rng.randrange(6) == 0:
            first -= timedelta(days=182)
        day = first + timedelta(days=self.rng.randrange((quarter.last_day - first).days + 1))
        return max(day, plan.start)

    def _end(self, group: _Group, start: date) -> date | None:
        if group.months is not None:
            return start + relativedelta(months=group.months) - timedelta(days=1)
        if self.rng.randrange(5) == 0:
            return start + timedelta(days=self.rng.randrange(60, 400))
        return None

    def _work(self, fields: set[str]) -> tuple[Cell | None, Cell | None]:
        """(hours a week, FTE fraction) as typed: whichever of the two the layout has."""
        if "fte" in fields:
            return None, self.rng.choice((0.5, 0.6, "0,8", 1, "0,75", 1))
        return self.rng.choice((16, 20, 24, 28, 32, 36, 36, 38, "21,6", "30,5")), None

    def _reused(self, plan: _ContractPlan, row: int) -> _Person | None:
        """One row in 53 places someone already working on another contract of the region."""
        earlier = self.placed.get(plan.region.prefix, [])
        if row % 53 != 19 or len(earlier) < 20:
            return None
        return earlier[self.rng.randrange(len(earlier) - 10)]

    def new_placement(self, plan: _ContractPlan, quarter: Quarter) -> Placement:
        """A fresh row; about one in fourteen is wrong on purpose (rejected)."""
        row = next(self.rows)
        fields = self._fields(plan)
        start = self._start(plan, quarter)
        person = self._reused(plan, row) or self.person(
            plan.region, self._group(plan, fields), start
        )
        group = person.group
        label: str | int = group.labels[row % len(group.labels)]
        benefit = self._benefit(group, start, wrong=row % 43 == 31)
        hours, fte = self._work(fields)
        if row % 41 == 23:
            label = _UNKNOWN_GROUP
        return Placement(
            person=person.name,
            group=label,
            start=typed_date(start, plan.habits.dates),
            end=self._typed(self._end(group, start), plan.habits.dates),
            hours=hours,
            fte=fte,
            employment=self.rng.choice(("vast", "tijdelijk", None, None)),
            benefit_since=self._typed(benefit, plan.habits.dates),
            refugee="ja" if row % 17 == 5 else None,
            special="ja" if row % 13 == 4 else None,
            evidence=f"verklaring {start.year}-{row:05d}" if group.evidence else None,
            note=self.rng.choice((None, None, None, "via werkgeversservicepunt", "proeftijd")),
            mistyped_bsn=row % 37 == 11,
        )

    def _benefit(self, group: _Group, start: date, *, wrong: bool) -> date | None:
        """The start of the benefit; `wrong`: a month, too short for the group (rejected)."""
        if group.benefit_months is None:
            return None
        months = 1 if wrong else self.rng.randint(*group.benefit_months)
        return start - relativedelta(months=months)

    @staticmethod
    def _typed(day: date | None, style: str) -> date | str | None:
        return None if day is None else typed_date(day, style)

    def resent(self, row: Placement, quarter: Quarter, style: str, changed: bool) -> Placement:
        """A row of the previous list sent again: corrected if its BSN was mistyped, and
        `changed` ending on the quarter's last day (a new version of the placement)."""
        update: dict[str, object] = {"mistyped_bsn": False}
        if changed and row.end is None:
            update["end"] = typed_date(quarter.last_day, style)
        return row.model_copy(update=update)

    # purchases, invoices and hours ----------------------------------------------------------

    def invoice(self, plan: _ContractPlan, quarter: Quarter) -> Invoice:
        """An invoice of one of the region's SW companies to the contractor, in the quarter."""
        number = next(self.invoice_numbers)
        supplier = plan.region.suppliers[number % len(plan.region.suppliers)]
        hours = self.rng.randrange(8, 400)
        excl_vat = supplier.rate * hours
        vat = (excl_vat * Decimal("0.21")).quantize(Decimal("0.01"))
        day = max(quarter.first_day + timedelta(days=self.rng.randrange(88)), plan.start)
        return Invoice(
            supplier=supplier.name,
            address=supplier.address,
            kvk=supplier.kvk,
            vat_number=_vat_number(supplier.kvk),
            iban=_iban(supplier.kvk),
            number=f"{supplier.code}-{day:%y}-{number:04d}",
            day=day,
            description=f"{supplier.work}, {_MONTHS[day.month - 1]} {day.year}",
            quantity=f"{hours} uur",
            rate=f"€ {dutch_amount(supplier.rate)}",
            excl_vat=dutch_amount(excl_vat),
            vat=dutch_amount(vat),
            total=dutch_amount(excl_vat + vat),
            customer=plan.company.name,
            customer_address=plan.company.address,
            reference=f"{plan.contract.id} social return",
        )

    def purchase(self, plan: _ContractPlan, invoice: Invoice, approved: bool) -> Purchase:
        """The Inkoop row of an invoice as the contractor copies it."""
        amount = Decimal(invoice.excl_vat.replace(".", "").replace(",", "."))
        approver = f"{self.rng.choice(_APPROVERS)} (gemeente {plan.contract.municipality})"
        return Purchase(
            supplier=invoice.supplier,
            kvk=invoice.kvk,
            number=invoice.number,
            day=typed_date(invoice.day, plan.habits.dates),
            amount=_typed_amount(amount, as_text=invoice.number.endswith(("3", "7"))),
            kind=plan.region.purchase_kind,
            approved_by=approver if plan.region.purchase_approval and approved else None,
        )

    def activities(self, plan: _ContractPlan, quarter: Quarter) -> tuple[Activity, ...]:
        """MVO hours; about half carry the municipality's approval, the rest wait for it."""
        rows = []
        for index in range(2 + self.rng.randrange(2)):
            day = quarter.first_day + timedelta(days=self.rng.randrange(88))
            rows.append(
                Activity(
                    day=typed_date(day, plan.habits.dates),
                    activity=_ACTIVITIES[(index + day.day) % len(_ACTIVITIES)],
                    hours=self.rng.choice((2, 3, 4, 6, "3,5")),
                    travel=self.rng.choice((None, 1, "0,5")),
                    approved_by=self.rng.choice((None, _APPROVERS[index % len(_APPROVERS)])),
                )
            )
        return tuple(rows)


def _vat_number(kvk: str) -> str:
    """A Dutch VAT number that passes its check, found from the KvK number (fictitious)."""
    candidates = (f"NL{number % 10**9:09d}B01" for number in count(int(kvk) * 10 + 1))
    return next(c for c in candidates if vat_number.is_valid(c))


def _iban(kvk: str) -> str:
    """A Dutch IBAN with valid check digits, printed in groups of four (fictitious)."""
    bban = f"INGB{int(kvk) % 10**10:010d}"
    check = iban_number.calc_check_digits(f"NL00{bban}")
    text = f"NL{check}{bban}"
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# --- workbooks -------------------------------------------------------------------------------


def _file_name(plan: _ContractPlan, quarter: Quarter, part: int | None) -> str:
    name = plan.habits.file_name.format(
        short=plan.company.short, id=plan.contract.id, year=quarter.year, q=quarter.number
    )
    return f"{name}{f' deel {part}' if part else ''}.xlsx"


def _slots_of(plan: _ContractPlan, amount: int) -> Iterator[tuple[Quarter, int | None]]:
    """`amount` workbooks over the contract's quarters in order, the last quarter always among
    them; fewer workbooks than quarters skip some, more are parts ('deel 1', 'deel 2', as for
    two building sites) of one quarter."""
    quarters = plan.quarters()
    chosen = [
        quarters[len(quarters) - 1 - (back * len(quarters) // amount)]
        for back in reversed(range(amount))
    ]
    for index, quarter in enumerate(chosen):
        several = chosen.count(quarter) > 1
        yield quarter, chosen[: index + 1].count(quarter) if several else None


def _plan_slots(plans: list[_ContractPlan], workbooks: int) -> list[_Slot]:
    """Every workbook's contract, quarter and place: spread evenly over the started contracts;
    one in forty saved at the top of the inbox, one (from ten workbooks) in the folder of an
    unknown contract."""
    started = [plan for plan in plans if plan.started]
    unknown = 3 if workbooks >= 10 else None
    assigned: dict[str, list[int]] = {}
    regular = [index for index in range(workbooks) if index != unknown]
    for position, index in enumerate(regular):
        assigned.setdefault(started[position % len(started)].contract.id, []).append(index)
    slots: dict[int, _Slot] = {}
    for plan in started:
        indexes = assigned.get(plan.contract.id, [])
        for index, (quarter, part) in zip(indexes, _slots_of(plan, len(indexes)), strict=True):
            folder = INBOX_TOP if index % 40 == 5 else plan.contract.id
            slots[index] = _Slot(plan, quarter, folder, _file_name(plan, quarter, part))
    if unknown is not None:
        slots[unknown] = _Slot(started[0], LAST_QUARTER, UNKNOWN_CONTRACT, "SROI Q3 2026.xlsx")
    return _unique_names([slots[index] for index in sorted(slots)])


def _unique_names(slots: list[_Slot]) -> list[_Slot]:
    """Two files saved at the top of the inbox under the same name: the second gets ' (2)'."""
    taken: set[str] = set()
    for slot in slots:
        name, number = slot.file_name, 1
        while inbox_path(slot.folder, name) in taken:
            number += 1
            name = slot.file_name.replace(".xlsx", f" ({number}).xlsx")
        slot.file_name = name
        taken.add(slot.path)
    return slots


def _attach_invoices(builder: _Builder, slots: list[_Slot], invoices: int) -> dict[str, Invoice]:
    """Three in four invoices back a purchase row (the PDF beside the workbook, sorting after
    it); the others arrive on their own, to become purchase lines themselves. Returns the
    stand-alone PDFs: path in the inbox -> invoice."""
    eligible = [slot for slot in slots if slot.in_contract_folder]
    alone = invoices // 4
    backed = invoices - alone
    for index in range(backed):
        slot = eligible[index * len(eligible) // backed]
        slot.invoices.append(builder.invoice(slot.plan, slot.quarter))
    single: dict[str, Invoice] = {}
    for index in range(alone):
        slot = eligible[(index * len(eligible) // alone + len(eligible) // 2) % len(eligible)]
        invoice = builder.invoice(slot.plan, slot.quarter)
        single[f"{slot.folder}/Factuur {invoice.number}.pdf"] = invoice
    return single


@dataclass
class _History:
    """Per contract, what its previous workbook said: cumulative lists repeat it."""

    placements: dict[str, tuple[Placement, ...]] = field(default_factory=dict)
    purchases: dict[str, tuple[Purchase, ...]] = field(default_factory=dict)


def _placements(builder: _Builder, slot: _Slot, history: _History) -> tuple[Placement, ...]:
    """12 rows: a cumulative list repeats 4 rows of its previous list (one of them changed)."""
    contract_id = slot.plan.contract.id
    previous = history.placements.get(contract_id, ())
    repeated: list[Placement] = []
    if slot.plan.habits.cumulative and slot.in_contract_folder:
        repeated = [
            builder.resent(row, slot.quarter, slot.plan.habits.dates, changed=index == 0)
            for index, row in enumerate(previous[-4:])
        ]
    fresh = [
        builder.new_placement(slot.plan, slot.quarter)
        for _ in range(PLACEMENTS_PER_WORKBOOK - len(repeated))
    ]
    rows = (*repeated, *fresh)
    if slot.in_contract_folder:
        history.placements[contract_id] = rows
    return rows


def _purchases(
    builder: _Builder, slot: _Slot, index: int, history: _History
) -> tuple[Purchase, ...]:
    """The rows of the invoices beside the workbook, one in five workbooks a purchase whose
    copy never arrives, and for a cumulative contractor the purchases it listed before."""
    plan = slot.plan
    rows = [
        builder.purchase(plan, invoice, approved=number % 3 != 2)
        for number, invoice in enumerate(slot.invoices)
    ]
    if index % 5 == 2 and slot.in_contract_folder:
        rows.append(builder.purchase(plan, builder.invoice(plan, slot.quarter), approved=True))
    if plan.habits.cumulative and rows:
        earlier = history.purchases.get(plan.contract.id, ())
        rows = [*earlier, *rows]
        history.purchases[plan.contract.id] = tuple(rows)
    return tuple(rows)


def _footer(kind: str, slot: _Slot, rows: tuple[Purchase, ...] = ()) -> tuple[Cell | None, ...]:
    if not slot.plan.habits.footer:
        return ()
    if kind == "purchases":
        total = sum((Decimal(_plain_amount(row.amount)) for row in rows), Decimal(0))
        return ("Totaal", None, None, None, dutch_amount(total))
    return ("* uren volgens arbeidscontract",)


def _plain_amount(cell: Cell) -> str:
    """The amount of a typed cell as plain decimal text: '12.400,00' -> '12400.00'."""
    if isinstance(cell, str):
        return cell.replace(".", "").replace(",", ".")
    return str(cell)


def _workbook(builder: _Builder, slot: _Slot, index: int, history: _History) -> SubmissionWorkbook:
    plan, habits = slot.plan, slot.plan.habits
    placements = _placements(builder, slot, history)
    sheets = [
        Sheet(
            name=habits.sheet_name,
            columns=habits.layout,
            placements=placements,
            footer=_footer("placements", slot),
        )
    ]
    purchases = _purchases(builder, slot, index, history)
    if purchases:
        sheets.append(
            Sheet(
                name="Inkoop",
                columns="standard",
                purchases=purchases,
                footer=_footer("purchases", slot, purchases),
            )
        )
    if plan.region.activities and index % 7 == 4:
        sheet_name = "MVO" if habits.activities_layout == "veldkamp" else "Activiteiten"
        activities = builder.activities(plan, slot.quarter)
        sheets.append(
            Sheet(name=sheet_name, columns=habits.activities_layout, activities=activities)
        )
    return SubmissionWorkbook(
        contract=plan.contract.id if slot.folder == INBOX_TOP else None,
        contractor=plan.company.name,
        period=habits.period.format(q=slot.quarter.number, year=slot.quarter.year),
        sheets=tuple(sheets),
        contract_below=habits.contract_below,
        dotted_bsn=habits.dotted_bsn,
        hidden_sheet=_hidden_sheet(plan) if habits.hidden_sheet else None,
    )


def _hidden_sheet(plan: _ContractPlan) -> HiddenSheet:
    labels = tuple(str(group.labels[0]) for group in plan.region.groups)
    return HiddenSheet(name="Keuzelijsten", values=("Doelgroep", *labels))


# --- the whole home --------------------------------------------------------------------------


def _mistakes(slots: list[_Slot]) -> Mistakes:
    """A byte copy of the first workbook, a corrupt and an empty file in contract folders."""
    in_folders = [slot for slot in slots if slot.in_contract_folder]
    original = in_folders[0]
    other = in_folders[-1]
    return Mistakes(
        duplicate=Duplicate(
            file=original.path.replace(".xlsx", "_kopie.xlsx"), copy_of=original.path
        ),
        corrupt=CorruptFile(
            file=f"{original.folder}/kapot.xlsx",
            content="<!DOCTYPE html>\n<html><body><p>Uw sessie is verlopen.</p></body></html>\n",
        ),
        empty=EmptyWorkbook(
            file=f"{other.folder}/leeg.xlsx",
            author=other.plan.company.name,
            sheet="Blad1",
            title=f"SROI-verantwoording {LAST_QUARTER.label_nl}",
        ),
    )


def scaled_home(contracts: int, workbooks: int, invoices: int, seed: int = 0) -> DemoHome:
    """A realistic home of `contracts` contracts, `workbooks` workbooks of 12 placements each
    and `invoices` PDF invoices, the same for the same arguments. Process it with
    `sroi run --as-of AS_OF` and report LAST_QUARTER."""
    if contracts < 1 or workbooks < 1 or invoices < 0:
        raise ValueError("need at least one contract and one workbook, and invoices >= 0")
    rng = random.Random(seed)  # noqa: S311 - fictitious data, not secrets
    builder = _Builder(rng, load_demo_home().column_layouts)
    plans = [_contract(index, rng) for index in range(contracts)]
    if not any(plan.started for plan in plans):
        raise ValueError("no contract has started: give more contracts")
    slots = _plan_slots(plans, workbooks)
    single_invoices = _attach_invoices(builder, slots, invoices)
    history = _History()
    submissions: dict[str, dict[str, SubmissionWorkbook]] = {}
    backed: dict[str, Invoice] = {}
    for index, slot in enumerate(slots):
        submissions.setdefault(slot.folder, {})[slot.file_name] = _workbook(
            builder, slot, index, history
        )
        stem = slot.file_name.removesuffix(".xlsx")
        for invoice in slot.invoices:
            backed[f"{slot.folder}/{stem}_factuur {invoice.number}.pdf"] = invoice
    return DemoHome(
        register=Register(
            author="Team SROI (benchmark)", contracts=tuple(plan.contract for plan in plans)
        ),
        bsn_counter=BSN_COUNTER,
        people=builder.people,
        column_layouts=builder.layouts,
        submissions=submissions,
        invoices=backed | single_invoices,
        mistakes=_mistakes(slots),
    )
