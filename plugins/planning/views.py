"""The КТП's pages: the list of plans, a plan with its editor, its import, export and copy,
and its states."""

from __future__ import annotations

import json

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from core.calendar.clock import college_today
from core.errors import DomainError, NotFound
from core.extensions import db
from core.forms import attempt
from core.params import parse_id, takes_json
from core.people.models import short_names
from core.people.scope import is_staff
from core.plugins import hook
from plugins.journal import api as journal
from plugins.planning import rights, services, transfer
from plugins.planning.forms import ActionForm, ConfirmForm, CopyForm, ReturnForm, UploadForm
from plugins.planning.models import APPROVED, STATES, SUBMITTED
from plugins.planning.progress import lag_of_loads
from plugins.planning.rows import COLUMNS, TITLES
from plugins.planning.summary import year_bounds

bp = Blueprint("planning", __name__, url_prefix="/planning", template_folder="templates",
               static_folder="static", static_url_path="/static")

NOT_FOUND = "Такой страницы нет или она вам недоступна."
FILTERS = ("all", "late", "submitted", "mismatch", "none")


def _load_or_404(load_id: int) -> journal.LoadInfo:
    try:
        load = journal.get_load(load_id)
    except LookupError:
        raise NotFound(_(NOT_FOUND)) from None
    if not rights.may_read(current_user, load):
        raise NotFound(_(NOT_FOUND))
    return load


@bp.get("/")
@login_required
def index():
    """The plans of this year's journals the user reads: a teacher's own; an approver's or the
    deputy's every one, with who is late, what waits for approval and whose hours do not add up."""
    start, end = year_bounds()
    overview = rights.may_overview(current_user)
    loads = journal.visible_loads(current_user, start, end,
                                  teacher_id=None if overview else current_user.id)
    if not overview and not is_staff(current_user):
        raise NotFound(_(NOT_FOUND))  # families and students have no plans to see
    today = college_today()
    plans = services.plans_of(load.id for load in loads)
    rows = services.rows_by_plan(plan.id for plan in plans.values())
    checks = services.hours_checks(loads, plans, rows)
    due = services.deadlines(loads)
    lags = lag_of_loads(loads, today)
    groups, teachers = journal.load_labels(loads)
    shown = request.args.get("show", "all")
    shown = shown if shown in FILTERS else "all"

    def state_of(load):
        return plans[load.id].state if load.id in plans else None

    def keep(load) -> bool:
        state = state_of(load)
        return {"all": True, "late": services.is_late(state, due[load.id], today),
                "submitted": state == SUBMITTED, "mismatch": not checks[load.id].ok,
                "none": state is None}[shown]

    entries = [load for load in sorted(loads, key=lambda ld: (teachers.get(ld.teacher_id, ""),
                                                              groups.get(ld.group_id, ""),
                                                              ld.discipline.title))
               if keep(load)]
    late = [load for load in loads if services.is_late(state_of(load), due[load.id], today)]
    links = [link for batch in hook().planning_links(user=current_user) for link in batch or ()]
    return render_template("planning/index.html", entries=entries, links=links, plans=plans, checks=checks,
                           due=due, lags=lags, groups=groups, teachers=teachers, states=STATES,
                           shown=shown, overview=overview, late_count=len(late), today=today,
                           is_late=lambda load: services.is_late(state_of(load), due[load.id],
                                                                 today))


@bp.get("/load/<int:load_id>")
@login_required
def plan(load_id: int):
    load = _load_or_404(load_id)
    found = services.plans_of([load.id]).get(load.id)
    state = found.state if found else "draft"
    rows = services.rows_of(found)
    check = services.hours_check(load, found)
    writable = rights.may_write(current_user, load, state)
    approver = rights.may_approve(current_user, load)
    history = services.transitions(found)
    names = short_names({t.actor_id for t in history} | (
        {found.approved_by_id} if found and found.approved_by_id else set()))
    groups, teachers = journal.load_labels([load])
    deadline = services.deadlines([load])[load.id]
    lag = lag_of_loads([load], college_today())[load.id]
    copy = CopyForm()
    sources = services.copy_sources(current_user, load) if writable else []
    source_groups, source_teachers = journal.load_labels(sources)
    copy.source_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(item.id, f"{item.term.title} · {source_groups.get(item.group_id, '')} · "
                              f"{item.discipline.title} · "
                              f"{source_teachers.get(item.teacher_id, '')}")
        for item in sources]
    return render_template(
        "planning/plan.html", load=load, plan=found, state=state, rows=rows, check=check,
        writable=writable, approver=approver, history=history, names=names,
        group=groups.get(load.group_id, ""), teacher=teachers.get(load.teacher_id, ""),
        states=STATES, deadline=deadline, lag=lag, work_types=journal.work_type_titles(),
        action=ActionForm(), give_back=ReturnForm(), copy=copy,
        late=services.is_late(found.state if found else None, deadline, college_today()),
        rows_json=[row.as_dict() for row in rows], SUBMITTED=SUBMITTED, APPROVED=APPROVED)


@bp.post("/load/<int:load_id>/rows")
@login_required
@takes_json
def save_rows(load_id: int):
    """The editor's save: every row at once, all or nothing; 422 names each bad row and column."""
    load = _load_or_404(load_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
        return jsonify({"error": _("Строки плана не прочитаны")}), 400
    version = parse_id(body.get("version"))
    try:
        saved = services.save_rows(current_user, load, body["rows"], version)
    except services.RowsRefused as exc:
        db.session.rollback()
        return jsonify({"error": exc.message,
                        "problems": [p.as_dict() for p in exc.problems]}), 422
    except DomainError as exc:
        db.session.rollback()
        return jsonify({"error": exc.message}), exc.status
    db.session.commit()
    check = services.hours_check(load, saved)
    return jsonify({"version": saved.version, "hours": check.plan, "ok": check.ok,
                    "problems": check.problems(),
                    "message": _("План сохранён: %(n)s строк, %(hours)s ч.",
                                 n=len(services.rows_of(saved)), hours=check.plan)})


def _version(form) -> int | None:
    return parse_id(form.version.data)


@bp.post("/load/<int:load_id>/submit")
@login_required
def submit(load_id: int):
    load = _load_or_404(load_id)
    form = ActionForm()
    if form.validate_on_submit():
        done, _p = attempt(lambda: services.submit(current_user, load, _version(form)),
                           outside_is_404=True)
        if done:
            flash(_("План отправлен на утверждение."), "success")
    return redirect(url_for("planning.plan", load_id=load.id))


@bp.post("/load/<int:load_id>/approve")
@login_required
def approve(load_id: int):
    load = _load_or_404(load_id)
    form = ActionForm()
    if form.validate_on_submit():
        done, _p = attempt(lambda: services.approve(current_user, load, _version(form)),
                           outside_is_404=True)
        if done:
            flash(_("План утверждён."), "success")
    return redirect(url_for("planning.plan", load_id=load.id))


@bp.post("/load/<int:load_id>/return")
@login_required
def give_back(load_id: int):
    load = _load_or_404(load_id)
    form = ReturnForm()
    if form.validate_on_submit():
        done, _p = attempt(lambda: services.return_plan(current_user, load, form.comment.data,
                                                        _version(form)), outside_is_404=True)
        if done:
            flash(_("План возвращён на доработку."), "success")
    return redirect(url_for("planning.plan", load_id=load.id))


@bp.post("/load/<int:load_id>/copy")
@login_required
def copy(load_id: int):
    load = _load_or_404(load_id)
    form = CopyForm()
    source_id = parse_id(request.form.get("source_id"))
    if form.validate_on_submit():
        if not source_id:
            flash(_("Выберите план, из которого копировать."), "danger")
        else:
            try:
                source = journal.get_load(source_id)
            except LookupError:
                raise NotFound(_(NOT_FOUND)) from None
            done, _p = attempt(lambda: services.copy_from(current_user, load, source),
                               outside_is_404=True)
            if done:
                flash(_("План скопирован; проверьте часы и недели."), "success")
    return redirect(url_for("planning.plan", load_id=load.id))


# --- import and export ------------------------------------------------------------------------


def _writable_or_404(load_id: int) -> journal.LoadInfo | None:
    load = _load_or_404(load_id)
    found = services.plans_of([load.id]).get(load.id)
    if not journal.can_edit(current_user, load):
        raise NotFound(_(NOT_FOUND))
    if not rights.may_write(current_user, load, found.state if found else "draft"):
        flash(_("Отправленный или утверждённый план не изменяется."), "danger")
        return None
    return load


@bp.route("/load/<int:load_id>/import", methods=["GET", "POST"])
@login_required
def import_file(load_id: int):
    """Upload a file in the template: a preview with a row-level report; nothing is saved until
    the teacher confirms a file without problems."""
    load = _writable_or_404(load_id)
    if load is None:
        return redirect(url_for("planning.plan", load_id=load_id))
    form = UploadForm()
    preview, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = [_("Выберите файл.")]
            status = 422
        else:
            try:
                preview = transfer.read_plan_file(upload.read(transfer.importer.MAX_BYTES + 1),
                                                  upload.filename)
            except transfer.ImportFileError as exc:
                form.file.errors = [str(exc)]
                status = 422
            else:
                status = 200 if preview.ok else 422
    elif request.method == "POST":
        status = 422
    groups, _t = journal.load_labels([load])
    confirm = ConfirmForm()
    if preview is not None and preview.ok:
        confirm.rows.data = json.dumps([row.as_dict() for row in preview.rows], ensure_ascii=False)
    return render_template("planning/import.html", load=load, form=form, preview=preview,
                           confirm=confirm, columns=COLUMNS, titles=TITLES,
                           group=groups.get(load.group_id, ""), help_lines=transfer.help_lines(),
                           work_types=journal.work_type_titles(),
                           check=services.HoursCheck(preview.hours, load.hours_total, None)
                           if preview is not None else None), status


@bp.post("/load/<int:load_id>/import/confirm")
@login_required
def import_confirm(load_id: int):
    load = _writable_or_404(load_id)
    if load is None:
        return redirect(url_for("planning.plan", load_id=load_id))
    form = ConfirmForm()
    try:
        raw = json.loads(form.rows.data or "")
    except ValueError:
        raw = None
    if not form.validate_on_submit() or not isinstance(raw, list):
        flash(_("Строки плана не прочитаны: загрузите файл ещё раз."), "danger")
        return redirect(url_for("planning.import_file", load_id=load.id))
    done, _p = attempt(lambda: services.save_rows(current_user, load, raw, how="import"))
    if done:
        flash(_("План загружен из файла."), "success")
        return redirect(url_for("planning.plan", load_id=load.id))
    return redirect(url_for("planning.import_file", load_id=load.id))


@bp.get("/load/<int:load_id>/export.<fmt>")
@login_required
def export(load_id: int, fmt: str):
    load = _load_or_404(load_id)
    rows = services.rows_of(services.plans_of([load.id]).get(load.id))
    name = f"ktp-{load.id}"
    if fmt == "xlsx":
        return transfer.xlsx(rows, f"{name}.xlsx", services.journal_title(load))
    if fmt == "csv":
        return transfer.csv(rows, f"{name}.csv")
    raise NotFound(_(NOT_FOUND))


@bp.get("/template.<fmt>")
@login_required
def template(fmt: str):
    if fmt == "xlsx":
        return transfer.xlsx([], "ktp-template.xlsx")
    if fmt == "csv":
        return transfer.csv([], "ktp-template.csv")
    raise NotFound(_(NOT_FOUND))
