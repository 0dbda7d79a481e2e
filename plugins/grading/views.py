"""Grading pages and JSON endpoints: a cell's history (the grid saves through the journal),
corrections (teacher and deputy director), the minimum-marks page with exceptions, unlocking a
load after its finals."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from core.errors import DomainError, NotFound
from core.extensions import db
from core.forms import attempt, page_status
from core.params import arg_id, parse_id
from core.people.models import Student, short_names
from core.people.permissions import can
from core.people.scope import VIEW, can_access
from core.web import error_response
from plugins.grading import flag_lists, flags, lesson_marks, rules, services
from plugins.grading.forms import CorrectionForm, DecisionForm, ReasonForm, SetupForm, UnlockForm
from plugins.grading.models import Correction
from plugins.journal import api as journal

bp = Blueprint("grading", __name__, url_prefix="/grading", template_folder="templates")


def _viewable_load(load_id: int):
    try:
        load = journal.get_load(load_id)
    except LookupError:
        load = None
    if load is None or not journal.can_view(current_user, load):
        raise NotFound(_(services.NOT_FOUND))
    return load


@bp.route("/lessons/<int:lesson_id>/marks", methods=["GET", "POST"])
@login_required
def lesson_marks_page(lesson_id: int):
    """A lesson's marks and their types, one line a student; its teacher (within the edit
    window) sets the type where the lesson's type of work does not fix it."""
    from plugins.grading.grid import _editable_lessons

    try:
        lesson = journal.get_lesson(lesson_id)
    except LookupError:
        raise NotFound(_(services.NOT_FOUND)) from None
    load = _viewable_load(lesson.load_id)
    user = current_user._get_current_object()
    editable = lesson.id in _editable_lessons(load, [lesson], user)
    fixed = services.fixed_mark_type(lesson.work_type)
    found = lesson_marks.lines(load, lesson)
    refused: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if not editable:
            raise NotFound(_(services.NOT_FOUND))
        changes = lesson_marks.changes_from_form(request.form, lesson.id, found, bool(fixed))
        if not changes:
            flash(_("Изменений нет."), "success")
            return redirect(url_for("grading.lesson_marks_page", lesson_id=lesson.id))
        try:
            services.save_cells(load, user, changes)
        except DomainError as exc:
            db.session.rollback()
            refused = {cell["student_id"]: cell["message"]
                       for cell in exc.details.get("cells", [])}
            flash(_("Ничего не сохранено: %(reason)s", reason=exc.message), "danger")
            status = exc.status if exc.status in (404, 409, 422) else 422
            if status == 404:
                raise NotFound(_(services.NOT_FOUND)) from None
        else:
            db.session.commit()
            flash(_("Сохранено оценок: %(n)s", n=len(changes)), "success")
            return redirect(url_for("grading.lesson_marks_page", lesson_id=lesson.id))
    # past its window: each line links the correction form filled in for that student
    correctable = not editable and services.cell_correction_link(user, load, lesson, 0) is not None
    return render_template("grading/lesson_marks.html", lesson=lesson, load=load, lines=found,
                           editable=editable, correctable=correctable, fixed=rules.MARK_TYPES.get(fixed) if fixed else None,
                           types=lesson_marks.type_choices(), refused=refused,
                           posted=request.form if request.method == "POST" else {}), status


@bp.get("/history")
@login_required
def history():
    """A cell's (or a whole lesson's) mark history for staff who may see the lesson: JSON for the
    grid's popover, a page for a browser (the lesson page links here)."""
    if not can(current_user, "journal.view"):
        raise NotFound(_(services.NOT_FOUND))
    lesson_id = arg_id("lesson_id")
    student_id = arg_id("student_id")
    try:
        lesson = journal.get_lesson(lesson_id) if lesson_id else None
    except LookupError:
        lesson = None
    if lesson is None or not can_access(current_user, lesson, VIEW):
        raise NotFound(_(services.NOT_FOUND))  # a substitute: only the lessons they take
    load = journal.load_of(lesson)
    rows, flag_ids = flag_lists.cell_history(current_user, load, lesson_id, student_id)
    if flag_ids:  # families' flags and their answers: a staff read, audited
        flags.audit_read(current_user, ("Lesson", lesson.id), flag_ids)
    accept = request.accept_mimetypes
    if not (accept.accept_html and accept.best != "application/json"):
        link = services.cell_correction_link(current_user, load, lesson, student_id) \
            if student_id else None
        return jsonify(history=rows, **(link or {}))
    names = {s.id: s.name for s in journal.roster(load)}
    for row in rows:
        row["at"] = datetime.fromisoformat(row["at"])
    return render_template("grading/history.html", rows=rows, names=names, lesson=lesson,
                           load=load)


@bp.route("/corrections/new", methods=["GET", "POST"])
@login_required
def correction_new():
    form = CorrectionForm(request.args) if request.method == "GET" else CorrectionForm()
    try:
        lesson = journal.get_lesson(form.lesson_id.data) if form.lesson_id.data else None
    except LookupError:
        lesson = None
    if lesson is None or not can_access(current_user, lesson, VIEW):
        raise NotFound(_(services.NOT_FOUND))
    load = services.editable_load(lesson.load_id, current_user)
    student = db.session.get(Student, form.student_id.data or 0)
    if student is None or student.id not in {s.id for s in journal.roster(load)}:
        raise NotFound(_(services.NOT_FOUND))
    if request.method == "POST" and form.validate_on_submit():
        done, filed = attempt(lambda: services.file_correction(
            current_user, load, lesson.id, student.id, form.new_value.data or "",
            form.reason.data), form.new_value, outside_is_404=True)
        if done:
            flash(_("Исправление внесено в журнал с указанной причиной")
                  if filed.status == "approved" else
                  _("Заявка на исправление отправлена на утверждение"), "success")
            return redirect(url_for("grading.corrections"))
    state = services._cells_for([(lesson.id, student.id)]).get((lesson.id, student.id))
    return render_template("grading/correction_new.html", form=form, lesson=lesson, load=load,
                           student=student, current=state.value if state else "",
                           pending=services.pending_for(lesson.id, student.id),
                           approval=services.approval_required()), page_status(form)


@bp.get("/corrections")
@login_required
def corrections():
    """Deputies and administrators: the pending corrections (their own ones wait for someone
    else) and their own latest; a teacher: their own corrections."""
    decider = services.is_decider(current_user)
    if not can(current_user, "journal.corrections.view"):
        raise NotFound(_(services.NOT_FOUND))
    query = select(Correction).order_by(Correction.requested_at.desc())
    pending = list(db.session.scalars(query.where(Correction.status == "pending"))) \
        if decider else []
    own = list(db.session.scalars(query.where(Correction.requested_by_id == current_user.id)
                                  .limit(200)))
    people = _names(pending + own)
    from plugins.journal.corrections import lesson_labels

    return render_template("grading/corrections.html", corrections=pending, own=own,
                           decider=decider, people=people, form=DecisionForm(),
                           places=lesson_labels(pending + own),
                           text_of=rules.text_of, me=current_user.id)


def _names(found: list[Correction]) -> dict:
    users = {c.requested_by_id for c in found} | {c.decided_by_id for c in found if c.decided_by_id}
    students = {c.student_id for c in found}
    return {
        "users": short_names(users),
        "students": {s.id: s.short_name for s in db.session.scalars(
            select(Student).where(Student.id.in_(students)))},
    }


@bp.post("/corrections/<int:correction_id>/decide")
@login_required
def correction_decide(correction_id: int):
    form = DecisionForm()
    if not form.validate_on_submit() or form.decision.data not in ("approve", "reject"):
        return error_response(400, _("Неверный запрос"))
    done, _none = attempt(lambda: services.decide_correction(
        current_user, correction_id, form.decision.data == "approve", form.note.data or ""),
        outside_is_404=True)
    if done:
        flash(_("Заявка одобрена: оценка исправлена") if form.decision.data == "approve"
              else _("Заявка отклонена"), "success")
    return redirect(url_for("grading.corrections"))


@bp.route("/loads/<int:load_id>/setup", methods=["GET", "POST"])
@login_required
def setup(load_id: int):
    """The journal's scale and forms of certification: set by the administration, seen by staff
    who see the journal."""
    load = _viewable_load(load_id)
    may_change = can(current_user, "grading.setup.edit")
    form = SetupForm()
    form.kinds.choices = [SelectChoice(kind, str(title)) for kind, title in rules.FINAL_KINDS.items()
                          if kind != "term"]
    if request.method == "GET":
        form.scale.data = services.scale_of(load.discipline.id)
        form.kinds.data = services.assessment_kinds(load.id)
    if request.method == "POST":
        if not may_change:
            raise NotFound(_(services.NOT_FOUND))
        if form.validate_on_submit():
            done, _none = attempt(lambda: (
                services.set_scale(load.discipline.id, form.scale.data, actor=current_user),
                services.set_assessment_kinds(load, form.kinds.data or [], current_user)),
                form.scale)
            if done:
                flash(_("Шкала и формы аттестации сохранены."), "success")
                return redirect(url_for("grading.setup", load_id=load.id))
    scale_title = {c.value: c.label for c in form.scale.choices}.get(form.scale.data, "")
    return render_template("grading/setup.html", load=load, form=form, may_change=may_change,
                           scale_title=scale_title,
                           kinds=[str(rules.FINAL_KINDS[k])
                                  for k in services.assessment_kinds(load.id)]), page_status(form)


@bp.get("/loads/<int:load_id>/minimum")
@login_required
def minimum(load_id: int, unlock_form: UnlockForm | None = None):
    """Who is short of the minimum number of marks, and by how many; the lock after finals."""
    load = _viewable_load(load_id)
    students = journal.roster(load)
    marks = services.student_marks(load)
    exceptions = services.exception_ids(load.id)
    rows = []
    for student in students:
        short = services.shortfall_of(load, student.id, marks.get(student.id, []))
        rows.append((student, short, student.id in exceptions))
    return render_template("grading/minimum.html", load=load, rows=rows, form=ReasonForm(),
                           unlock_form=unlock_form or UnlockForm(),
                           locked=services.is_locked(load),
                           unlocked=services.unlock_in_force(load.id),
                           may_waive=can(current_user, "grading.minimum.waive"),
                           may_unlock=can(current_user, "grading.unlock")), page_status(unlock_form)


@bp.post("/loads/<int:load_id>/exception")
@login_required
def exception(load_id: int):
    if not can(current_user, "grading.minimum.waive"):
        raise NotFound(_(services.NOT_FOUND))
    load = _viewable_load(load_id)
    form = ReasonForm()
    student_id = parse_id(form.student_id.data)
    if not form.validate_on_submit() or student_id is None:
        flash(_("Укажите причину исключения"), "danger")
        return redirect(url_for("grading.minimum", load_id=load.id))
    done, _none = attempt(lambda: services.grant_exception(current_user, load, student_id,
                                                            form.reason.data),
                          outside_is_404=True)
    if done:
        flash(_("Исключение предоставлено"), "success")
    return redirect(url_for("grading.minimum", load_id=load.id))


@bp.post("/loads/<int:load_id>/unlock")
@login_required
def unlock(load_id: int):
    if not can(current_user, "grading.unlock"):
        raise NotFound(_(services.NOT_FOUND))
    load = _viewable_load(load_id)
    form = UnlockForm()
    if form.validate_on_submit():
        done, opened = attempt(lambda: services.unlock(current_user, load, form.reason.data,
                                                       form.until.data), form.until)
        if done:
            flash(_("Журнал разблокирован по %(day)s включительно",
                    day=opened.until.strftime("%d.%m.%Y")), "success")
            return redirect(url_for("grading.minimum", load_id=load.id))
    return minimum(load.id, unlock_form=form)


@bp.post("/loads/<int:load_id>/relock")
@login_required
def relock(load_id: int):
    if not can(current_user, "grading.unlock"):
        raise NotFound(_(services.NOT_FOUND))
    load = _viewable_load(load_id)
    if not DecisionForm().validate_on_submit():
        return error_response(400, _("Неверный запрос"))
    services.relock(current_user, load)
    db.session.commit()
    flash(_("Журнал снова закрыт"), "success")
    return redirect(url_for("grading.minimum", load_id=load.id))

