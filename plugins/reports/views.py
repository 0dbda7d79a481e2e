"""Report pages: the list of reports the user may run, a report's parameters and its result on
screen with PDF and XLSX, jobs of long reports with their progress and file."""

from __future__ import annotations

from io import BytesIO
from itertools import groupby

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from core import audit
from core.extensions import db
from core.people import scope
from core.plugins import hook
from plugins.reports import charts, jobs, registry, render
from plugins.reports.models import ReportJob

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")

CATEGORIES = {
    "progress": _l("Успеваемость"),
    "attendance": _l("Посещаемость"),
    "statements": _l("Ведомости и печатный журнал"),
    "control": _l("Контроль заполнения"),
    "family": _l("Для родителей"),
    "activity": _l("Работа пользователей"),
}


@bp.get("/")
@login_required
def index():
    found = sorted(registry.available(current_user),
                   key=lambda p: (list(CATEGORIES).index(p.category)
                                  if p.category in CATEGORIES else 99, p.order, str(p.title)))
    sections = [(CATEGORIES.get(category, category), list(items))
                for category, items in groupby(found, key=lambda p: p.category)]
    if not found:
        abort(404)
    recent = db.session.scalars(select(ReportJob).where(ReportJob.user_id == current_user.id)
                                .order_by(ReportJob.id.desc()).limit(10)).all()
    names = {p.name: p.title for p in found}
    return render_template("reports/index.html", sections=sections, recent=recent, names=names)


def _checked(provider):
    """The request's parameters as a query, or the form's error (422)."""
    try:
        query = registry.parse(current_user, provider, request.values)
    except registry.ParamError as exc:
        return None, {exc.field: exc.message}
    if query.student_id is not None and scope.is_staff(current_user):
        audit.record_read("reports.student.view", ("Student", query.student_id))
    return query, {}


def _page(provider, query=None, errors=None):
    """The report's page: its parameters (with their errors: 422) and, for a checked query of a
    report that is not long, the result."""
    result = provider.build(query) if query is not None and not provider.long else None
    drawings = [charts.draw(chart) for chart in result.charts] if result else []
    args = registry.as_args(query) if query is not None else {}
    return render_template("reports/report.html", provider=provider,
                           choices=registry.choices(current_user, provider), result=result,
                           drawings=drawings, errors=errors or {}, query=query, args=args,
                           cell_text=render.cell_text,
                           defaults=registry.default_period()), 422 if errors else 200


@bp.get("/<name>")
@login_required
def show(name: str):
    provider = registry.provider_or_404(current_user, name)
    if "run" not in request.args:
        return _page(provider)
    query, errors = _checked(provider)
    return _page(provider, query, errors)


@bp.get("/<name>/file.<file_format>")
@login_required
def export(name: str, file_format: str):
    provider = registry.provider_or_404(current_user, name)
    if file_format not in render.FORMATS:
        abort(404)
    query, errors = _checked(provider)
    if errors:
        return _page(provider, errors=errors)
    kept = _archived(provider, query, file_format)
    if kept is not None:
        return kept
    if provider.long:  # laid out in the worker: ask for it with the form's button
        return redirect(url_for("reports.show", name=name, run=1, **registry.as_args(query)))
    rendered = render.render(provider, query, file_format)
    _audit_export(provider.name, file_format, registry.as_args(query))
    return send_file(BytesIO(rendered.content), mimetype=rendered.mimetype, as_attachment=True,
                     download_name=rendered.filename)


@bp.post("/<name>/jobs")
@login_required
def start_job(name: str):
    provider = registry.provider_or_404(current_user, name)
    file_format = request.form.get("format", "pdf")
    if file_format not in render.FORMATS:
        abort(404)
    query, errors = _checked(provider)
    if errors:
        return _page(provider, errors=errors)
    kept = _archived(provider, query, file_format)
    if kept is not None:
        return kept
    job_id = jobs.start(current_user, provider, query, file_format)
    return redirect(url_for("reports.job", job_id=job_id))


def _archived(provider, query, file_format: str):
    """The file of an archived period's report, as the archive keeps it (``archived_report``):
    a statement of a closed period is served, never built again from live data."""
    kept = hook().archived_report(report=provider.name, query=query, file_format=file_format)
    if kept is None:
        return None
    _audit_export(provider.name, file_format, registry.as_args(query), archived=True)
    return send_file(BytesIO(kept.content), mimetype=kept.mimetype, as_attachment=True,
                     download_name=kept.filename)


#: what an export is logged against: the first of its parameters that names whose data it holds
EXPORT_TARGETS = (("group", "Group"), ("student", "Student"), ("commission", "SubjectCommission"),
                  ("teacher", "User"))


def _audit_export(report: str, file_format: str, args: dict, **details) -> None:
    """152-ФЗ: every file of a report a staff user takes away is logged, one row a file."""
    if not scope.is_staff(current_user):
        return
    target = next(((kind, args[arg]) for arg, kind in EXPORT_TARGETS if args.get(arg)),
                  ("Report", report))
    audit.record_bulk_read("reports.export", target, report=report, format=file_format,
                           params=args, **details)


def _own_job(job_id: int) -> ReportJob:
    job = db.session.get(ReportJob, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


@bp.get("/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    found = _own_job(job_id)
    provider = registry.providers().get(found.report)
    if request.accept_mimetypes.best == "application/json":
        return {"status": found.status, "percent": found.percent, "error": found.error}
    return render_template("reports/job.html", job=found,
                           title=provider.title if provider else found.report)


@bp.get("/jobs/<int:job_id>/file")
@login_required
def job_file(job_id: int):
    found = _own_job(job_id)
    if found.status != "done":
        abort(404)
    response = send_file(BytesIO(found.content), mimetype=render.FORMATS[found.file_format],
                         as_attachment=True, download_name=found.filename)
    _audit_export(found.report, found.file_format, found.params or {}, job_id=found.id)
    return response

