"""The administrator's archive page: each period of the calendar with its state and what blocks
closing it, closing a period (the worker writes it, with a progress bar), a period's files and
addenda, and a file of the archive to download."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import audit
from core.calendar.clock import college_today
from core.errors import DomainError
from core.extensions import db
from core.params import to_date
from core.people.access import permission_required
from plugins.archive import addenda, closing
from plugins.archive.models import ArchivedPeriod, ArchiveFile
from plugins.archive.storage import StorageError, storage

bp = Blueprint("archive", __name__, url_prefix="/archive", template_folder="templates")
MANAGE = "archive.manage"

STATE_TITLES = {"closing": _l("записывается"), "archived": _l("в архиве"),
                "failed": _l("ошибка записи")}
KIND_TITLES = {"journal_pdf": _l("печатный журнал (PDF)"),
               "statement_pdf": _l("сводная ведомость (PDF)"), "data_csv": _l("данные (CSV)"),
               "data_json": _l("данные (JSON)"), "manifest": _l("опись"),
               "addendum": _l("дополнение")}
RETENTION_TITLES = {"journal": _l("как журнал"), "statement": _l("как сводная ведомость")}


def percent(period: ArchivedPeriod) -> int:
    if period.state == "archived":
        return 100
    return 100 * period.done // period.total if period.total else 0


def _render_index(status: int = 200):
    states = closing.period_states(college_today())
    return render_template("archive/index.html", states=states, titles=STATE_TITLES,
                           percent=percent), status


@bp.get("/")
@permission_required(MANAGE)
def index():
    return _render_index()


def _date_field(name: str):
    try:
        return to_date(request.form.get(name))
    except ValueError:
        return None


@bp.post("/close")
@permission_required(MANAGE)
def close():
    try:
        choice = closing.require_choice(_date_field("starts_on"), _date_field("ends_on"))
        period = closing.start(current_user, choice, college_today())
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return _render_index(exc.status)
    return redirect(url_for("archive.period", period_id=period.id))


def _period_or_404(period_id: int) -> ArchivedPeriod:
    period = db.session.get(ArchivedPeriod, period_id)
    if period is None:
        abort(404)
    return period


@bp.get("/<int:period_id>")
@permission_required(MANAGE)
def period(period_id: int):
    found = _period_or_404(period_id)
    if request.accept_mimetypes.best == "application/json":
        return {"state": found.state, "percent": percent(found), "done": found.done,
                "total": found.total, "error": found.error}
    files = [file for file in found.files if file.kind != "addendum"]
    return render_template("archive/period.html", period=found, files=files,
                           addenda=addenda.chain(found.id), percent=percent(found),
                           titles=STATE_TITLES, kinds=KIND_TITLES, retentions=RETENTION_TITLES)


@bp.get("/file/<int:file_id>")
@permission_required(MANAGE)
def file(file_id: int):
    found = db.session.get(ArchiveFile, file_id)
    if found is None or found.purged_at is not None:
        abort(404)
    try:
        content = storage().get(found.path)
    except StorageError:
        flash(_("Файла нет в хранилище архива: %(path)s", path=found.path), "danger")
        return redirect(url_for("archive.period", period_id=found.period_id))
    audit.record_bulk_read("archive.file.download", found, path=found.path)
    mimetype = "application/pdf" if found.path.endswith(".pdf") else (
        "text/csv" if found.path.endswith(".csv") else "application/json")
    return send_file(BytesIO(content), mimetype=mimetype, as_attachment=True,
                     download_name=found.path.rsplit("/", 1)[-1])
