"""Reading a Dutch PDF invoice into typed fields.

The text layer (pdfplumber `extract_text()`) is searched for Dutch labels such as Factuurnummer,
Totaal te betalen or Exclusief BTW; the value next to each label is normalised and checked. A
file that cannot be used becomes `UnreadableFile` with a Dutch reason for the quarantine; a
doubtful value (failing check digit, totals that do not add up) becomes a Dutch warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat
from stdnum.exceptions import ValidationError

from domain.dutch import CENT, number_nl
from domain.errors import UnreadableFile
from domain.text import legal_form_pattern
from parsers.cells import CellError, parse_date_nl, parse_decimal_nl
from parsers.invoice_columns import WordLine, value_below, word_lines, words_of
from parsers.limits import ReadLimits
from parsers.workbook import check_size
from rulesets.vocabulary import ColumnHeaders, InvoiceLabels, LabelLevels, builtin_vocabulary

_T = TypeVar("_T")
_PDF_MAGIC = b"%PDF-"
_HEADER_WINDOW = 1024  # the PDF standard allows junk before the header within the first 1 KB
# pdfplumber wraps the errors of document parsing and page layout in PdfminerException, but not
# those of building its Page objects (a page without MediaBox raises TypeError), and pdfminer.six
# raises builtin errors on malformed files (its issues #548-#551, #997: KeyError, TypeError,
# ValueError, RecursionError).
_PDF_ERRORS = (
    PdfminerException,
    MalformedPDFException,
    PSException,
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    RecursionError,
)


@dataclass(frozen=True)
class InvoiceFields:
    file: str  # file name only
    pages: int
    supplier: str | None
    kvk: str | None  # 8 digits
    vat_number: str | None  # normalised, e.g. NL810433941B01
    iban: str | None  # normalised, no spaces
    invoice_number: str | None
    invoice_date: date | None
    amount_excl_vat: Decimal | None
    vat: Decimal | None
    total: Decimal | None
    currency: str  # "EUR" unless the document clearly says otherwise
    warnings: tuple[str, ...]  # Dutch


def read_invoice_pdf(
    path: Path, limits: ReadLimits, labels: InvoiceLabels | None = None
) -> InvoiceFields:
    """Fields of one PDF invoice; `UnreadableFile` when the file cannot be used at all."""
    labels = labels or builtin_vocabulary().invoice_labels
    check_size(path, limits)
    _check_signature(path)
    pages, raw_text, lines = _extract(path, limits)
    text = _normalise_text(raw_text)
    if not re.search(r"[^\W\d_]{2}", text):
        raise UnreadableFile(
            "de PDF heeft geen tekstlaag (gescand document?); lever een digitale factuur aan",
            path=path,
        )
    amounts = _find_amounts(text, lines, labels)
    currency = _detect_currency(text, amounts.currency_token)
    if amounts.total is None and amounts.excl is None:
        raise UnreadableFile(_no_amount_reason(text, currency), path=path)
    return _build_fields(
        path.name, pages, text, lines, found=amounts, currency=currency, labels=labels
    )


# --- opening the file --------------------------------------------------------------------------


def _check_signature(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(_HEADER_WINDOW)
    if _PDF_MAGIC not in head:
        named = f", al eindigt de naam op {path.suffix}" if path.suffix else ""
        raise UnreadableFile(f"het bestand is geen PDF-bestand{named}", path=path)


def _extract(path: Path, limits: ReadLimits) -> tuple[int, str, list[WordLine]]:
    """Page count, the text of all pages and its words in lines by position; the page limit is
    checked before any text is read."""
    try:
        with pdfplumber.open(path) as pdf:
            page_count = len(pdf.pages)
            if page_count > limits.max_pdf_pages:
                raise UnreadableFile(
                    f"de PDF heeft {page_count} pagina's; per factuur worden er maximaal "
                    f"{limits.max_pdf_pages} verwerkt",
                    path=path,
                )
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
            words = words_of(page.extract_words() for page in pdf.pages)
    except _PDF_ERRORS as error:
        raise UnreadableFile(_open_error_reason(error), path=path) from error
    return page_count, text, word_lines(words)


def _open_error_reason(error: BaseException) -> str:
    # pdfplumber wraps the pdfminer error it caught as the first argument.
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFEncryptionError):
        return "de PDF is beveiligd met een wachtwoord; lever een onbeveiligde PDF aan"
    return "de PDF is beschadigd en kan niet worden gelezen; vraag om een nieuwe PDF"


def _normalise_text(text: str) -> str:
    # Fonts without a unicode map come out as '(cid:12)': that is not text a person can read.
    text = re.sub(r"\(cid:\d+\)", "", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t]+", " ", text)


# --- labels and values -------------------------------------------------------------------------

_CURRENCY = r"€|EUR|USD|SEK|GBP|CHF|\$|£"
_AMOUNT = (
    r"(?P<amount>-? ?(?:\d{1,3}(?:\.\d{3})+|\d+),(?:\d{2}|-{1,2})(?!\d| ?%)-?"
    r"|-? ?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d,]| ?%)-?)"
)
_AMOUNT_AFTER_LABEL = rf"[ \t]*[:*]*[ \t]*\(?(?P<currency>{_CURRENCY})?\)?[ \t]*:?[ \t]*{_AMOUNT}"
_DATE = (
    r"(?P<value>\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?!\d)|\d{4}-\d{1,2}-\d{1,2}(?!\d)"
    r"|\d{1,2}\.? [^\W\d_]{3,10}\.? \d{4})"
)
_REFERENCE = r"(?P<value>[A-Za-z0-9][\w/.%#-]*)"
_VALUE_ON_SAME_OR_NEXT_LINE = r"[ \t:*]*\n?[ \t*]*"

_AMOUNT_WORD = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d{2}-?|-?\d{1,3}(?:,\d{3})*\.\d{2}-?")
_DATE_WORD = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}")
_REFERENCE_WORD = re.compile(r"(?=[^\s]*\d)[A-Za-z0-9][\w/.%#-]*")
"""A value standing alone under its label (invoice_columns): an amount, a date, a number."""

_RATE = r"\d{1,2}(?:[,.]\d{1,2})? ?%"
_VAT_LABEL = (
    rf"(?:(?P<rate_before>{_RATE}) ?)?(?P<vat_total>Totaal ?)?BTW(?:[ -]?bedrag)?"
    rf"(?: ?\(?(?P<rate_after>{_RATE})\)?)?"
)
_NOT_VAT_BEFORE = {"exclusief", "excl", "ex", "inclusief", "incl", "uw"}


def _tolerant(alternative: str) -> str:
    """Also match a label that the PDF splits after its first letter ('F actuurnummer')."""
    return f"{alternative[0]} ?{alternative[1:]}" if alternative[0].isalpha() else alternative


def _label(alternatives: Iterable[str]) -> str:
    return r"(?<![\w])(?:" + "|".join(_tolerant(alt) for alt in alternatives) + r")(?![\w])"


@lru_cache(maxsize=256)
def _labelled_pattern(alternatives: tuple[str, ...], value: str) -> re.Pattern[str]:
    return re.compile(_label(alternatives) + value, re.IGNORECASE)


def _labelled(text: str, levels: LabelLevels, value: str) -> list[re.Match[str]]:
    """Matches of the first label level that has any, in document order."""
    for alternatives in levels:
        matches = list(_labelled_pattern(alternatives, value).finditer(text))
        if matches:
            return matches
    return []


# --- amounts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Amounts:
    excl: Decimal | None
    vat: Decimal | None
    total: Decimal | None
    currency_token: str | None


def _to_decimal(text: str) -> Decimal | None:
    # '1.250,-' is Dutch for 1.250,00; parse_decimal_nl would read the dash as a minus sign.
    text = re.sub(r",-{1,2}$", ",00", text.strip())
    try:
        return parse_decimal_nl(text)
    except CellError:
        return None


def _find_amounts(text: str, lines: Sequence[WordLine], labels: InvoiceLabels) -> _Amounts:
    # The last match of a label: a grand total follows the subtotals it sums.
    totals = _labelled(text, labels.total, _AMOUNT_AFTER_LABEL)
    excls = _labelled(text, labels.amount_excl_vat, _AMOUNT_AFTER_LABEL)
    token = next((m["currency"] for m in (*totals[-1:], *excls[-1:]) if m["currency"]), None)
    found = _Amounts(
        excl=_to_decimal(excls[-1]["amount"]) if excls else None,
        vat=_find_vat(text),
        total=_to_decimal(totals[-1]["amount"]) if totals else None,
        currency_token=token,
    )
    return _amounts_below_labels(found, lines, labels.column_headers)


def _amounts_below_labels(
    found: _Amounts, lines: Sequence[WordLine], headers: ColumnHeaders
) -> _Amounts:
    """What a label beside its value did not give, from a header row with the values below."""

    def below(labels: tuple[str, ...]) -> Decimal | None:
        value = value_below(lines, labels, _AMOUNT_WORD)
        return _to_decimal(value) if value is not None else None

    return replace(
        found,
        excl=found.excl if found.excl is not None else below(headers.amount_excl_vat),
        vat=found.vat if found.vat is not None else below(headers.vat),
        total=found.total if found.total is not None else below(headers.total),
    )


def _find_vat(text: str) -> Decimal | None:
    """A 'Totaal BTW' line if there is one, else the sum of the distinct lines per VAT rate."""
    pattern = re.compile(r"(?<![\w%])" + _VAT_LABEL + _AMOUNT_AFTER_LABEL, re.IGNORECASE)
    matches = [
        m for m in pattern.finditer(text) if _word_before(text, m.start()) not in _NOT_VAT_BEFORE
    ]
    totals = [m for m in matches if m["vat_total"]]
    if totals:
        return _to_decimal(totals[-1]["amount"])
    lines: dict[tuple[str, str], Decimal] = {}
    for match in matches:
        amount = _to_decimal(match["amount"])
        rate = (match["rate_before"] or match["rate_after"] or "").replace(" ", "")
        if amount is not None:
            lines[(rate, match["amount"].strip())] = amount
    return sum(lines.values(), Decimal(0)) if lines else None


def _word_before(text: str, position: int) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    words = text[line_start:position].split()
    return words[-1].strip(".:*(").casefold() if words else ""


def _reconcile(amounts: _Amounts, currency: str) -> tuple[_Amounts, list[str]]:
    """Fill in the one missing amount of excl + VAT = total; warn when the three disagree."""
    excl, vat, total = amounts.excl, amounts.vat, amounts.total
    notes: list[str] = []
    if total is None and excl is not None and vat is not None:
        total = excl + vat
        notes.append("totaalbedrag niet gevonden; berekend als bedrag exclusief BTW plus BTW")
    elif excl is None and total is not None and vat is not None:
        excl = total - vat
        notes.append("bedrag exclusief BTW niet gevonden; berekend als totaal min BTW")
    elif vat is None and total is not None and excl is not None:
        vat = total - excl
        notes.append("BTW-bedrag niet gevonden; berekend als totaal min bedrag exclusief BTW")
    elif excl is not None and vat is not None and total is not None:
        notes += _sum_notes(excl, vat, total, currency)
    return _Amounts(excl, vat, total, amounts.currency_token), notes


def _sum_notes(excl: Decimal, vat: Decimal, total: Decimal, currency: str) -> list[str]:
    if abs(excl + vat - total) <= CENT:
        return []
    return [
        f"bedragen op de factuur tellen niet op: {_money(excl, currency)} exclusief BTW plus "
        f"{_money(vat, currency)} BTW is {_money(excl + vat, currency)}, maar het totaal is "
        f"{_money(total, currency)}"
    ]


def _money(amount: Decimal, currency: str) -> str:
    symbol = "€" if currency == "EUR" else currency
    return f"{symbol} {number_nl(amount)}"


# --- currency ----------------------------------------------------------------------------------

_CURRENCY_CODES = {"€": "EUR", "$": "USD", "£": "GBP"}
_CURRENCY_MARKERS = (
    ("EUR", r"€|\bEUR\b|\beuros?\b|\beuro's\b"),
    ("USD", r"\$|\bUSD\b"),
    ("SEK", r"\bSEK\b"),
    ("GBP", r"£|\bGBP\b"),
    ("CHF", r"\bCHF\b"),
)


def _detect_currency(text: str, token: str | None) -> str:
    """The sign next to the total, else euro unless only another currency is named."""
    if token:
        return _CURRENCY_CODES.get(token, token.upper())
    counts = {
        code: len(re.findall(marker, text, re.IGNORECASE)) for code, marker in _CURRENCY_MARKERS
    }
    if counts.pop("EUR"):
        return "EUR"
    code, count = max(counts.items(), key=lambda item: item[1])
    return code if count else "EUR"


def _no_amount_reason(text: str, currency: str) -> str:
    reason = (
        "er staat geen leesbaar bedrag in de PDF (geen totaalbedrag en geen bedrag exclusief "
        "BTW gevonden)"
    )
    if not re.search(r"factuur|btw|totaal", text, re.IGNORECASE):
        reason += "; de PDF lijkt geen Nederlandstalige factuur te zijn"
    if currency != "EUR":
        reason += f"; de bedragen lijken in {currency} te zijn, niet in euro"
    return reason + "; lever een Nederlandse factuur met totaalbedrag aan"


# --- invoice number and date -------------------------------------------------------------------


def _find_invoice_number(
    text: str, lines: Sequence[WordLine], labels: InvoiceLabels
) -> tuple[str | None, list[str]]:
    matches = _labelled(text, labels.invoice_number, _VALUE_ON_SAME_OR_NEXT_LINE + _REFERENCE)
    found = [m for m in matches if re.search(r"\d", m["value"])]
    if all("\n" in m.group(0) for m in found):
        # A label that ends its line may head a column ('Factuurdatum  Factuurnummer'): the
        # value under it beats the first word of the next line.
        below = value_below(lines, labels.column_headers.invoice_number, _REFERENCE_WORD)
        if below is not None:
            return below, []
    numbers = _unique(m["value"].rstrip(".,;:") for m in found)
    if not numbers:
        return None, ["geen factuurnummer gevonden"]
    return numbers[0], _conflict_notes("factuurnummer", numbers)


def _find_invoice_date(
    text: str, lines: Sequence[WordLine], labels: InvoiceLabels
) -> tuple[date | None, list[str]]:
    matches = _labelled(text, labels.invoice_date, _VALUE_ON_SAME_OR_NEXT_LINE + _DATE)
    dates = _unique(parsed for m in matches if (parsed := _to_date(m["value"])) is not None)
    if not dates:
        below = value_below(lines, labels.column_headers.invoice_date, _DATE_WORD)
        day = _to_date(below) if below is not None else None
        return (day, []) if day is not None else (None, ["geen factuurdatum gevonden"])
    notes = _conflict_notes("factuurdatum", [day.strftime("%d-%m-%Y") for day in dates])
    return dates[0], notes


def _to_date(text: str) -> date | None:
    try:
        return parse_date_nl(text)
    except CellError:
        return None


def _unique(values: Iterable[_T]) -> list[_T]:
    return list(dict.fromkeys(values))


def _conflict_notes(what: str, values: list[str]) -> list[str]:
    if len(values) < 2:
        return []
    listed = ", ".join(values)
    return [f"de factuur noemt meer dan één {what} ({listed}); {values[0]} is gebruikt"]


# --- registration numbers ----------------------------------------------------------------------

_KVK = re.compile(
    r"(?<![\w])(?i:K ?v ?K|Kamer van Koophandel)(?i:[ -]?(?:nummer|nr\.?))?[^\d\n]{0,25}?"
    r"(?P<value>\d{8}(?!\d)|\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2}(?!\d)|\d{4}[ .]\d{4}(?!\d)|\d+)"
)
_VAT_NUMBER = re.compile(
    r"(?<![\w])(?i:BTW|VAT|OB)(?i:[ -]?(?:identificatie)?(?:nummer|nr|no|id)\.?)?[^\n]{0,12}?"
    r"(?P<value>\b[A-Z]{2}(?:[ .]?\d){8,12}(?:[ .]?B[ .]?\d{2})?)(?![\w])"
)
_IBAN = re.compile(
    r"(?<![\w])(?i:IBAN)(?![\w])[^\n]{0,20}?"
    r"(?P<value>\b[A-Z]{2}\d{2}(?:[A-Z0-9]{10,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)\b)"
)


def _find_kvk(text: str) -> tuple[str | None, list[str]]:
    match = _KVK.search(text)
    if match is None:
        return None, []
    digits = re.sub(r"\D", "", match["value"])
    if len(digits) != 8:
        return None, [f"KvK-nummer {digits} lijkt niet te kloppen (een KvK-nummer heeft 8 cijfers)"]
    return digits, []


def _find_vat_number(text: str) -> tuple[str | None, list[str]]:
    # The customer's own number ('Uw BTW-nummer') is not the supplier's.
    match = next(
        (m for m in _VAT_NUMBER.finditer(text) if _word_before(text, m.start()) != "uw"), None
    )
    if match is None:
        return None, []
    try:
        number = stdnum_vat.compact(match["value"])
    except ValidationError:
        number = re.sub(r"[ .]", "", match["value"])
    if stdnum_vat.is_valid(number):
        return number, []
    return number, [f"BTW-nummer {number} lijkt niet te kloppen (controle mislukt)"]


def _find_iban(text: str) -> tuple[str | None, list[str]]:
    match = _IBAN.search(text)
    if match is None:
        return None, []
    number = stdnum_iban.compact(match["value"])
    if stdnum_iban.is_valid(number):
        return number, []
    return number, [f"IBAN {number} lijkt niet te kloppen (controle mislukt)"]


# --- supplier ----------------------------------------------------------------------------------

# Lower-case 'bv' is left out: in Dutch text it usually means 'bijvoorbeeld'.
_LEGAL_FORM = legal_form_pattern(ignore_case=False)
_LEGAL_FORM_NAME = re.compile(
    # '1234 BV Amsterdam' is a postcode, not a company.
    rf"^(?P<name>.*?[^\W\d_].*?(?<!\d{{4}} )(?<![\w.]){_LEGAL_FORM})"
    r"|(?P<foundation>\bStichting [^\n,]+)",
    re.MULTILINE,
)
_DOCUMENT_WORDS = re.compile(
    r"^\W*(?:kopie ?)?(?:factuur|betaaloverzicht|creditnota)\b\W*", re.IGNORECASE
)
# A label in the right-hand column ends the name; at the start it is the whole line (no name).
_NEXT_LABEL = re.compile(
    r"(?:\s+(?:Factuur\w*|IBAN|BIC|KvK|BTW|Debiteur\w*|Inkooporder|Klantnummer|Datum)\b"
    r"|(?:^|\s+)\S+:).*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=16)
def _party_line(levels: LabelLevels) -> re.Pattern[str]:
    """A line starting with a party label; compared with case ('Leverancier', not in a
    sentence)."""
    alternatives = "|".join(label for level in levels for label in level)
    return re.compile(rf"^(?:{alternatives})\b(?P<rest>.*)$", re.MULTILINE)


def _find_supplier(text: str, labels: InvoiceLabels) -> str | None:
    candidates = (*_party_block_names(text, labels), *_legal_form_names(text))
    return next((name for raw in candidates if (name := _clean_name(raw))), None)


def _party_block_names(text: str, labels: InvoiceLabels) -> Iterator[str]:
    """E-factuur layout: the supplier's name is on the line under 'Leverancier' or 'Crediteur'."""
    for match in _party_line(labels.supplier).finditer(text):
        rest = match["rest"].strip()
        if rest.startswith(":"):
            yield rest[1:]
            continue
        following = text[match.end() + 1 :].split("\n", 1)[0]
        yield following


def _legal_form_names(text: str) -> Iterator[str]:
    for match in _LEGAL_FORM_NAME.finditer(text):
        yield match["name"] or match["foundation"]


def _clean_name(raw: str) -> str | None:
    name = _DOCUMENT_WORDS.sub("", raw.replace("*", "").strip())
    name = _NEXT_LABEL.sub("", name).strip(" ,;:-")
    return name if re.search(r"[^\W\d_]{2}", name) else None


# --- assembling --------------------------------------------------------------------------------


def _build_fields(
    file: str,
    pages: int,
    text: str,
    lines: Sequence[WordLine],
    *,
    found: _Amounts,
    currency: str,
    labels: InvoiceLabels,
) -> InvoiceFields:
    amounts, warnings = _reconcile(found, currency)
    invoice_number, number_notes = _find_invoice_number(text, lines, labels)
    invoice_date, date_notes = _find_invoice_date(text, lines, labels)
    kvk, kvk_notes = _find_kvk(text)
    vat_number, vat_notes = _find_vat_number(text)
    iban, iban_notes = _find_iban(text)
    if currency != "EUR":
        warnings.append(f"de bedragen op de factuur zijn in {currency}, niet in euro")
    warnings += number_notes + date_notes + kvk_notes + vat_notes + iban_notes
    return InvoiceFields(
        file=file,
        pages=pages,
        supplier=_find_supplier(text, labels),
        kvk=kvk,
        vat_number=vat_number,
        iban=iban,
        invoice_number=invoice_number,
        invoice_date=invoice_date,
        amount_excl_vat=amounts.excl,
        vat=amounts.vat,
        total=amounts.total,
        currency=currency,
        warnings=tuple(warnings),
    )
