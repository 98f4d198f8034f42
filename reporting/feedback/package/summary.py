"""The summary sheet "Samenvatting" as a worksheet part (its content: summary_layout.py)."""

from __future__ import annotations

from decimal import Decimal

from reporting.feedback.package.markup import escape_attribute, neutralised, text_content
from reporting.feedback.package.names import MAIN, RELATIONSHIPS
from reporting.feedback.package.styles import StyleBook
from reporting.feedback.package.worksheet import column_letter
from reporting.feedback.summary_layout import SummaryCell, SummaryLayout, SummaryValue

_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="' + MAIN.encode() + b'" xmlns:r="' + RELATIONSHIPS.encode() + b'">'
)
_VIEWS = (
    b'<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
    b'<sheetFormatPr defaultRowHeight="15"/>'
)
_MARGINS = b'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'


def summary_part(layout: SummaryLayout, styles: StyleBook) -> bytes:
    """The worksheet XML of the summary, selected (the tab Excel opens on); its formats are
    added to `styles`."""
    last_row = max(cell.row for cell in layout.cells)
    last_column = max(cell.column for cell in layout.cells)
    pieces = [
        _HEAD,
        b'<dimension ref="A1:' + f"{column_letter(last_column)}{last_row}".encode() + b'"/>',
        _VIEWS,
        _columns(layout),
        _sheet_data(layout, styles),
    ]
    if layout.auto_filter is not None:
        first, last = layout.auto_filter
        pieces.append(b'<autoFilter ref="' + f"A{first}:D{last}".encode() + b'"/>')
    if layout.merged:
        merges = [
            b'<mergeCell ref="'
            + f"{column_letter(m.first)}{m.row}:{column_letter(m.last)}{m.row}".encode()
            + b'"/>'
            for m in layout.merged
        ]
        count = str(len(merges)).encode()
        pieces.append(b'<mergeCells count="' + count + b'">' + b"".join(merges) + b"</mergeCells>")
    pieces += [_MARGINS, b"</worksheet>"]
    return b"".join(pieces)


def _columns(layout: SummaryLayout) -> bytes:
    columns = [
        f'<col min="{column}" max="{column}" width="{width:g}" customWidth="1"/>'.encode()
        for column, width in layout.widths
    ]
    return b"<cols>" + b"".join(columns) + b"</cols>"


def _sheet_data(layout: SummaryLayout, styles: StyleBook) -> bytes:
    heights = dict(layout.row_heights)
    rows: dict[int, list[SummaryCell]] = {}
    for cell in layout.cells:
        rows.setdefault(cell.row, []).append(cell)
    pieces = [b"<sheetData>"]
    for number in sorted(rows):
        height = heights.get(number)
        extra = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        pieces.append(f'<row r="{number}"{extra}>'.encode())
        pieces += [
            _cell(cell, styles) for cell in sorted(rows[number], key=lambda cell: cell.column)
        ]
        pieces.append(b"</row>")
    pieces.append(b"</sheetData>")
    return b"".join(pieces)


def _cell(cell: SummaryCell, styles: StyleBook) -> bytes:
    reference = f"{column_letter(cell.column)}{cell.row}"
    style = styles.derive(0, cell.look)
    start = f'<c r="{reference}"' + (f' s="{style}"' if style else "")
    if isinstance(cell.value, str):
        text = text_content(neutralised(cell.value))
        return start.encode() + b' t="inlineStr"><is><t' + text + b"</t></is></c>"
    return start.encode() + b"><v>" + escape_attribute(_number(cell.value)) + b"</v></c>"


def _number(value: SummaryValue) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
