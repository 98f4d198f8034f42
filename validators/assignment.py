"""Which registered contract an inbox file belongs to (INTERFACE.md section 4): the folder it
was dropped in, else the workbook's Contractnummer cell, else a contract id in its name."""

from __future__ import annotations

from domain.contracts import Contract
from domain.errors import ContractMismatch, UnknownContract
from validators.register import Register


def assign_contract(
    folder_contract: str | None, file_name: str, named_in_file: str | None, register: Register
) -> Contract:
    """The file's contract. Raises UnknownContract (Dutch reason) when none is registered, and
    ContractMismatch when the workbook names another contract than its folder."""
    if folder_contract is not None:
        return _by_folder(folder_contract, named_in_file, register)
    return _at_top_level(file_name, named_in_file, register)


def _by_folder(folder: str, named_in_file: str | None, register: Register) -> Contract:
    contract = register.get(folder)
    if contract is None:
        raise UnknownContract(
            f"onbekend contract: map '{folder}' staat niet (geldig) in het contractregister"
        )
    if named_in_file and named_in_file.strip().casefold() != contract.contract_id.casefold():
        raise ContractMismatch(named_in_file, contract.contract_id)
    return contract


def _at_top_level(file_name: str, named_in_file: str | None, register: Register) -> Contract:
    if named_in_file:
        contract = register.get(named_in_file)
        if contract is None:
            raise UnknownContract(
                f"onbekend contract: '{named_in_file}' staat niet in het contractregister"
            )
        return contract
    contract = register.find_in_name(file_name)
    if contract is None:
        raise UnknownContract(
            "onbekend contract: zet het bestand in inbox/<contractnummer>/, vul de cel "
            "'Contractnummer' in of noem het contractnummer in de bestandsnaam"
        )
    return contract
