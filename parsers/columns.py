"""Which headers name which field, per table kind (INTERFACE.md sections 2 and 3).

Headers are compared after `normalise_header`: case, accents, spaces, dots, hyphens and text in
parentheses do not matter. Add a synonym here when contractors use a new heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from parsers.cells import normalise_header


class TableKind(StrEnum):
    PLACEMENTS = "plaatsingen"
    PURCHASES = "inkoop"
    HOURS = "mvo"
    CONTRACTS = "contracten"
    PARTICIPANTS = "deelnemers"


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    headers: tuple[str, ...]

    def matches(self, normalised: str) -> bool:
        return normalised in {normalise_header(header) for header in self.headers}


@dataclass(frozen=True)
class TableSpec:
    kind: TableKind
    sheet_names: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    key_fields: tuple[str, ...]
    """A header row is only accepted when all of these fields are found in it."""

    def field_for(self, header: str) -> str | None:
        normalised = normalise_header(header)
        if not normalised:
            return None
        for column in self.columns:
            if column.matches(normalised):
                return column.field
        return None

    def label_of(self, field: str) -> str:
        """The Dutch header a person would recognise for a field."""
        for column in self.columns:
            if column.field == field:
                return column.headers[0]
        return field


def _spec(*fields: tuple[str, tuple[str, ...]]) -> tuple[ColumnSpec, ...]:
    return tuple(ColumnSpec(field, headers) for field, headers in fields)


PLACEMENTS = TableSpec(
    kind=TableKind.PLACEMENTS,
    sheet_names=("plaatsingen", "plaatsing", "personen", "placements"),
    columns=_spec(
        ("bsn", ("BSN", "Burgerservicenummer", "BSN-nummer", "BSN nr", "Sofinummer")),
        ("personnel_number", ("Personeelsnummer", "Personeelsnr", "Medewerkernummer",
                              "Personnel number", "Employee number")),
        ("name", ("Naam", "Naam medewerker", "Naam kandidaat", "Name")),
        ("initials", ("Initialen", "Voorletters", "Initials")),
        ("birth_date", ("Geboortedatum", "Geb datum", "Geboren", "Date of birth", "Birth date")),
        ("target_group", ("Doelgroep", "Bouwblok", "Doelgroep / bouwblok", "Target group")),
        ("start_date", ("Startdatum", "Begindatum", "Datum in dienst", "Ingangsdatum",
                        "Start date")),
        ("end_date", ("Einddatum", "Datum uit dienst", "End date")),
        ("hours_per_week", ("Uren per week", "Uren p/w", "Uren/week", "Contracturen",
                            "Hours per week")),
        ("fte", ("FTE",)),
        ("employment", ("Dienstverband", "Soort dienstverband", "Contractvorm", "Employment")),
        ("benefit_since", ("Uitkering sinds", "Uitkering vanaf", "Uitkering sedert",
                           "Benefit since")),
        ("refugee", ("Statushouder", "Vluchteling met verblijfsstatus", "Refugee")),
        ("special_group", ("Bijzondere doelgroep", "Special group")),
        ("evidence", ("Bewijs", "Bewijsstuk", "Evidence")),
        ("note", ("Opmerking", "Opmerkingen", "Toelichting", "Note", "Remarks")),
    ),
    key_fields=("target_group", "start_date"),
)  # fmt: skip

PURCHASES = TableSpec(
    kind=TableKind.PURCHASES,
    sheet_names=("inkoop", "inkopen", "facturen", "purchases"),
    columns=_spec(
        ("supplier", ("Leverancier", "Naam leverancier", "Supplier")),
        ("supplier_kvk", ("KvK leverancier", "KvK-nummer leverancier", "KvK", "KvK-nummer",
                          "Supplier KvK")),
        ("invoice_number", ("Factuurnummer", "Factuurnr", "Invoice number")),
        ("invoice_date", ("Factuurdatum", "Datum factuur", "Invoice date")),
        ("amount_excl_vat", ("Bedrag excl. BTW", "Bedrag exclusief BTW", "Bedrag excl BTW",
                             "Factuurbedrag excl. BTW", "Amount excl. VAT")),
        ("block", ("Soort", "Bouwblok", "Type")),
        ("approved_by", ("Goedgekeurd door", "Akkoord door", "Approved by")),
    ),
    key_fields=("invoice_number", "amount_excl_vat"),
)  # fmt: skip

HOURS = TableSpec(
    kind=TableKind.HOURS,
    sheet_names=("mvo", "activiteiten", "mvo-activiteiten", "uren", "activities"),
    columns=_spec(
        ("activity_date", ("Datum", "Activiteitdatum", "Date")),
        ("activity", ("Activiteit", "Omschrijving", "Activity", "Description")),
        ("hours", ("Uren", "Aantal uren", "Hours")),
        ("travel_hours", ("Reisuren", "Reistijd", "Travel hours")),
        ("approved_by", ("Goedgekeurd door", "Akkoord door", "Approved by")),
    ),
    key_fields=("activity_date", "hours"),
)  # fmt: skip

CONTRACTS = TableSpec(
    kind=TableKind.CONTRACTS,
    sheet_names=("contracten", "contracts"),
    columns=_spec(
        ("contract_id", ("Contractnummer", "contract_id", "Contractnr", "Contract")),
        ("title", ("Omschrijving", "title")),
        ("contractor", ("Opdrachtnemer", "contractor")),
        ("contractor_kvk", ("KvK", "contractor_kvk", "KvK opdrachtnemer", "KvK-nummer")),
        ("municipality", ("Gemeente", "municipality")),
        ("contract_value", ("Opdrachtsom", "contract_value", "Contractwaarde")),
        ("sroi_percentage", ("SROI-percentage", "sroi_percentage", "SROI %", "SROI")),
        ("capital_intensive", ("Kapitaalintensief", "capital_intensive")),
        ("start_date", ("Startdatum", "start_date")),
        ("end_date", ("Einddatum", "end_date")),
        ("award_date", ("Gunningsdatum", "award_date")),
        ("ruleset", ("Regeling", "ruleset", "Bouwblokkenmodel")),
        ("pso_level", ("PSO-trede", "pso_level", "PSO")),
        ("label", ("Keurmerk", "label")),
        ("pso_valid_until", ("PSO geldig tot", "pso_valid_until", "Keurmerk geldig tot")),
        ("labour_share", ("Aandeel arbeid", "labour_share")),
    ),
    key_fields=("contract_id", "contract_value"),
)  # fmt: skip

PARTICIPANTS = TableSpec(
    kind=TableKind.PARTICIPANTS,
    sheet_names=("deelnemers", "participants"),
    columns=_spec(
        ("contract_id", ("Contractnummer", "contract_id", "Contractnr")),
        ("municipality", ("Gemeente", "municipality")),
        ("share", ("Aandeel", "share", "Aandeel %")),
    ),
    key_fields=("contract_id", "municipality", "share"),
)

SUBMISSION_TABLES = (PLACEMENTS, PURCHASES, HOURS)
