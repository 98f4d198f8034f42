"""Who or what a line is about, in words a coordinator recognises, without identifying anyone:
initials and a short pseudonym, an invoice number, an activity."""

from __future__ import annotations

from domain.dutch import short_number_nl
from domain.pseudonym import is_stand_in
from validators.lines import CheckedLine, HourFacts, PlacementFacts, PurchaseFacts


def subject_of(line: CheckedLine) -> str:
    facts = line.facts
    if isinstance(facts, PlacementFacts):
        if is_stand_in(facts.person_key):
            return "persoonsgegevens verwijderd (bewaartermijn)"
        return f"{facts.initials or '?'} ({facts.person_key[:7]})"
    if isinstance(facts, PurchaseFacts):
        return f"factuur {facts.invoice_number}, {facts.supplier}"
    if isinstance(facts, HourFacts):
        return (
            f"{facts.activity} ({short_number_nl(facts.hours)} uur, {facts.activity_date:%d-%m-%Y})"
        )
    return ", ".join(f"{key} {value}" for key, value in list(line.raw_summary.items())[:4])
