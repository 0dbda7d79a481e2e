"""One data function, three forms: a ``ReportResult`` to the screen's tables, the print template
(PDF) and XLSX."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _

from core.plugins.types import ReportProvider, ReportQuery, ReportResult
from plugins.reports import layout, pdf, xlsx
from plugins.reports.registry import today

FORMATS = {"pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    mimetype: str
    filename: str


def cell_text(value) -> str:
    """How a value reads on screen and in print: 4.25 -> «4,25», None -> «»."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def print_html(result: ReportResult) -> str:
    return render_template("reports/print.html", result=result, fonts=pdf.FONT_FILES,
                           layout=layout.plan(result, cell_text), printed_on=today(),
                           cell_text=cell_text)


def filename(provider: ReportProvider, query: ReportQuery, extension: str) -> str:
    stem = re.sub(r"[^\w.-]+", "-", provider.name.replace(".", "-"))
    period = f"-{query.start:%Y%m%d}-{query.end:%Y%m%d}" if query.start else ""
    return f"{stem}{period}.{extension}"


def render(provider: ReportProvider, query: ReportQuery, file_format: str,
           result: ReportResult | None = None) -> Rendered:
    """The report as a file: ``file_format`` is "pdf" or "xlsx"."""
    if file_format not in FORMATS:
        raise ValueError(_("Неизвестный формат: %(format)s", format=file_format))
    result = result or provider.build(query)
    content = pdf.render(print_html(result)) if file_format == "pdf" else xlsx.render(result)
    return Rendered(content, FORMATS[file_format], filename(provider, query, file_format))
