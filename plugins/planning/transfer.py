"""A plan to and from a file in the documented template (columns №, Раздел, Тема, Часы,
Вид занятия, Самостоятельная работа and the optional Неделя): read and checked row by row for a
preview, written as XLSX or CSV for export and as the empty template."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response
from flask_babel import gettext as _

from core.exports import append_row, csv_text, xlsx_download
from core.people import importer
from plugins.journal import api as journal
from plugins.planning.rows import COLUMNS, Problem, Row, check_rows, norm

ImportFileError = importer.ImportFileError


@dataclass
class ImportPreview:
    """What a file would put in the plan: its rows and every problem (none: it may be saved)."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def hours(self) -> int:
        return sum(row.hours for row in self.rows)


def read_plan_file(data: bytes, filename: str) -> ImportPreview:
    """Read and check an uploaded plan; ``ImportFileError`` (Russian) if the file is unreadable
    or its header is not the template's."""
    table = importer.read_rows(data, filename)
    header, body = table[0], table[1:]
    keys = {norm(title): key for key, title, _required in COLUMNS}
    keys.update({"n": "number", "no": "number", "№ п/п": "number", "n п/п": "number"})
    columns: list[str | None] = [keys.get(norm(cell)) for cell in header]
    missing = [title for key, title, required in COLUMNS if required and key not in columns]
    if missing:
        raise ImportFileError(_("В заголовке нет столбцов: %(names)s. Скачайте шаблон и "
                                "заполните его.", names=", ".join(missing)))
    unknown = [cell for cell, key in zip(header, columns, strict=True) if cell and key is None]
    if unknown:
        raise ImportFileError(_("Неизвестный столбец «%(name)s»: оставьте только столбцы "
                                "шаблона.", name=unknown[0][:60]))
    if not body:
        raise ImportFileError(_("В файле только заголовок, строк плана нет."))
    raw = [{key: (cells[index] if index < len(cells) else "")
            for index, key in enumerate(columns) if key} for cells in body]
    rows, problems = check_rows(raw, first_row=2)
    return ImportPreview(rows, problems)


def _header() -> list[str]:
    return [title for _key, title, _required in COLUMNS]


def _values(rows: list[Row]) -> list[list]:
    titles = journal.work_type_titles()
    return [[number, row.section, row.topic, row.hours, titles.get(row.work_type, row.work_type),
             row.self_study, row.week] for number, row in enumerate(rows, 1)]


def xlsx(rows: list[Row], filename: str, title: str = ""):
    """The rows (none: the empty template with a sheet of explanations) as an XLSX download."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "КТП"
    append_row(sheet, _header())
    for values in _values(rows):
        append_row(sheet, values)
    for letter, width in zip("ABCDEFG", (5, 30, 60, 7, 24, 40, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet("Пояснения")
    for line in help_lines(title):
        append_row(notes, [line])
    return xlsx_download(book, filename)


def csv(rows: list[Row], filename: str) -> Response:
    text = csv_text([_header(), *_values(rows)])
    return Response(text, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def help_lines(title: str = "") -> list[str]:
    """The template's explanations (its second sheet, the import page)."""
    kinds = ", ".join(journal.work_type_titles().values())
    return [
        *([title] if title else []),
        _("Одна строка — одна тема. Обязательные столбцы: «Тема» и «Часы» (целое число)."),
        _("«№» — для вашего удобства: порядок плана — порядок строк."),
        _("«Раздел» — название раздела; можно повторять его в каждой строке раздела."),
        _("«Вид занятия» — одно из: %(kinds)s (пусто — лекция).", kinds=kinds),
        _("«Самостоятельная работа» — задание, которое журнал предложит при записи занятия."),
        _("«Неделя» — необязательный номер недели семестра (1 — первая)."),
        _("Сумма часов должна равняться часам нагрузки и учебного плана."),
    ]
