"""The early warning's page: the students at risk in any discipline of the user's groups (a
curator: their group; the administration: every group, or one), sortable, with the change since
a week ago, and its export as XLSX or CSV."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core import audit
from core.exports import append_row, csv_text, xlsx_download
from core.extensions import db
from core.params import parse_id
from core.people.models import Group
from plugins.forecast import warning, widgets
from plugins.forecast.access import require_groups
from plugins.forecast.views import bp


@bp.get("/warnings")
@login_required
def warnings():
    group_id = parse_id(request.args.get("group")) if request.args.get("group") else None
    groups = require_groups(current_user, group_id)
    listing = warning.warning_list(groups)
    if groups is not None:
        widgets.remember(groups, len(listing.rows))
    sort = request.args.get("sort", "count")
    sort = sort if sort in warning.SORTS else "count"
    rows = warning.sorted_rows(listing.rows, sort)
    fmt = request.args.get("format")
    if fmt in ("xlsx", "csv"):
        audit.record_bulk_read("forecast.warnings.export", None, count=len(rows),
                               group=group_id, format=fmt)  # 152-ФЗ
        return _export(listing, rows, fmt)
    allowed = require_groups(current_user)
    query = select(Group.id, Group.name).where(Group.graduated.is_(False)).order_by(Group.name)
    if allowed is not None:
        query = query.where(Group.id.in_(allowed))
    choices = [(gid, name) for gid, name in db.session.execute(query)]
    return render_template("forecast/warnings.html", listing=listing, rows=rows, sort=sort,
                           group_id=group_id, choices=choices, signals=warning.SIGNALS)


def _export(listing: warning.WarningList, rows, fmt: str):
    header, body = warning.table(listing, rows)
    name = f"early-warning-{listing.day:%Y-%m-%d}"
    if fmt == "csv":
        return Response(csv_text([header, *body]), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = listing.day.strftime("%d.%m.%Y")
    append_row(sheet, [_("Раннее предупреждение на %(day)s", day=listing.day.strftime(
        "%d.%m.%Y"))])
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in body:
        append_row(sheet, line)
    for column, width in zip("ABCDEFGH", (12, 34, 40, 34, 60, 10, 10, 14), strict=True):
        sheet.column_dimensions[column].width = width
    return xlsx_download(book, f"{name}.xlsx")
