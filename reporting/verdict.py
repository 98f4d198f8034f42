"""The one sentence a manager reads first: where the contract stands and whether it will make
it, in plain Dutch, amounts in whole euros."""

from __future__ import annotations

from reporting.render import euro_whole
from valuation.portfolio import ContractValuation
from valuation.progress import ContractStatus

_RUNNING = {
    ContractStatus.ON_SCHEDULE: "Ligt op schema",
    ContractStatus.ATTENTION: "Vraagt aandacht",
    ContractStatus.BEHIND: "Ligt achter op schema",
}


def verdict_nl(valuation: ContractValuation) -> str:
    net = valuation.obligation.net_obligation
    realised = valuation.realized_to_date
    status = valuation.status
    contract = valuation.contract
    if status is ContractStatus.NOT_STARTED:
        return (
            f"Nog niet gestart: het contract begint op {contract.start_date:%d-%m-%Y}; "
            f"de netto verplichting is {euro_whole(net)}."
        )
    if status is ContractStatus.REALISED:
        return (
            f"Gerealiseerd: {euro_whole(realised)} van {euro_whole(net)} gehaald; "
            "de verplichting is nagekomen."
        )
    if status is ContractStatus.ENDED_SHORT:
        return (
            f"Afgerond met tekort: het contract eindigde op {contract.end_date:%d-%m-%Y} met "
            f"{euro_whole(realised)} van {euro_whole(net)}; de boete is het niet gerealiseerde "
            f"bedrag van {euro_whole(valuation.fine)}."
        )
    forecast = valuation.forecast_at_end
    lead = _RUNNING[status]
    if valuation.forecast_shortfall == 0:
        return (
            f"{lead}; met de lopende plaatsingen wordt naar verwachting {euro_whole(forecast)} "
            f"gehaald: de volledige verplichting van {euro_whole(net)}."
        )
    return (
        f"{lead}; met de lopende plaatsingen wordt naar verwachting {euro_whole(forecast)} van "
        f"{euro_whole(net)} gehaald: nog {euro_whole(valuation.forecast_shortfall)} te vinden."
    )
