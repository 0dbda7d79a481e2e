"""A report's tables as an XLSX workbook: one sheet, the title and parameter lines on top, each
table under its caption, numbers kept as numbers, text written as text (``core.exports``)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from core.exports import append_row
from core.plugins.types import ReportResult


def render(result: ReportResult) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(result.title))
    bold = Font(bold=True)
    append_row(sheet, [_styled(book, sheet, result.title, bold)])
    for line in result.lines:
        append_row(sheet, [line])
    for table in result.tables:
        append_row(sheet, [])
        if table.title:
            append_row(sheet, [_styled(book, sheet, table.title, bold)])
        append_row(sheet, [_styled(book, sheet, column, bold) for column in table.columns])
        for row in table.rows:
            append_row(sheet, row)
        for row in table.footer:
            append_row(sheet, [_styled(book, sheet, value, bold) for value in row])
        if table.note:
            append_row(sheet, [table.note])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _styled(book, sheet, value, font):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "report"
