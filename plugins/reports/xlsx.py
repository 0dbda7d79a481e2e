"""A report's tables as an XLSX workbook: one sheet, the title and parameter lines on top, each
table under its caption, numbers kept as numbers."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from core.plugins.types import ReportResult


def render(result: ReportResult) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(result.title))
    bold = Font(bold=True)
    sheet.append([_styled(book, sheet, result.title, bold)])
    for line in result.lines:
        sheet.append([line])
    for table in result.tables:
        sheet.append([])
        if table.title:
            sheet.append([_styled(book, sheet, table.title, bold)])
        sheet.append([_styled(book, sheet, column, bold) for column in table.columns])
        for row in table.rows:
            sheet.append(list(row))
        for row in table.footer:
            sheet.append([_styled(book, sheet, value, bold) for value in row])
        if table.note:
            sheet.append([table.note])
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
