"""Attendance pages: «все присутствуют» from the grid (whose cells the journal saves),
corrections after the lesson's day (filed, listed, decided), the curator's «Пропуски», the
monthly sheet (on screen and XLSX), a student's absences (with the parents' report of a reason),
and the administration's list of lessons not marked on the day."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from core import audit
from core.calendar import mode as working_mode
from core.calendar.clock import college_today
from core.errors import DomainError, NotFound
from core.exports import append_row, xlsx_download
from core.extensions import db
from core.forms import attempt, page_status
from core.models import utcnow
from core.params import arg_date, arg_id, arg_month
from core.people.access import permission_required
from core.people.models import Group, Student, short_names
from core.people.movement import group_members, group_on
from core.people.permissions import can
from core.people.roles import Role
from core.people.scope import (
    VIEW,
    can_access,
    can_access_group,
    is_staff,
    own_student_ids,
    student_or_404,
)
from core.people.signers import curator_title
from core.web import error_response
from plugins.attendance import corrections, rules, services
from plugins.attendance.forms import (
    CorrectionDecisionForm,
    CorrectionForm,
    DecisionForm,
    ReasonForm,
    ReportForm,
)
from plugins.attendance.models import Excuse
from plugins.journal import api as journal
from plugins.journal.corrections import is_decider

bp = Blueprint("attendance", __name__, url_prefix="/attendance", template_folder="templates")


def _not_found() -> NotFound:
    return NotFound(_(services.NOT_FOUND))


def _today() -> date:
    return college_today()


def _group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or not can_access_group(current_user, group_id, VIEW):
        raise _not_found()
    return group


def _editable_load(load_id: int):
    try:
        load = journal.get_load(load_id)
    except LookupError:
        raise _not_found() from None
    if not journal.can_write(current_user, load):
        raise _not_found()
    return load


# --- the grid -----------------------------------------------------------------------------------


@bp.post("/lessons/<int:lesson_id>/present")
@login_required
def all_present(lesson_id: int):
    """«Все присутствуют» from the grid: the lesson's attendance is recorded."""
    try:
        lesson = journal.get_lesson(lesson_id)
    except LookupError:
        raise _not_found() from None
    load = _editable_load(lesson.load_id)
    done, marked = attempt(lambda: services.all_present(load, lesson.id, current_user))
    if done:
        flash(_("Посещаемость занятия %(date)s отмечена: отсутствуют или опоздали — %(n)s.",
                date=lesson.date.strftime("%d.%m"), n=marked), "success")
    return redirect(url_for("journal.grid", load_id=load.id))


@bp.route("/corrections/new", methods=["GET", "POST"])
@login_required
def correction():
    """A correction of a past lesson's attendance mark, with a reason, by whoever could write
    the cell on the day (the grid's 409 links here with the cell filled in)."""
    form = CorrectionForm(request.args) if request.method == "GET" else CorrectionForm()
    try:
        lesson = journal.get_lesson(form.lesson_id.data or 0)
        load = journal.get_load(lesson.load_id)
    except LookupError:
        raise _not_found() from None
    lesson, student = corrections.correctable_cell(current_user, load, lesson.id,
                                                   form.student_id.data)
    if request.method == "GET":
        corrections.check_correctable(current_user, lesson, utcnow())  # a 4xx page otherwise
    shown, _version = services.cell_state(lesson.id, student.id, lesson.hours)
    if request.method == "GET" and form.value.data is None:
        form.value.data = shown
    if request.method == "POST" and form.validate_on_submit():
        done, filed = attempt(lambda: corrections.file_correction(
            current_user, load, lesson.id, student.id, form.value.data or "", form.reason.data),
            form.value)
        if done:
            flash(_("Отметка исправлена, причина записана в историю") if filed.status == "approved"
                  else _("Заявка на исправление отправлена на утверждение"), "success")
            return redirect(url_for("journal.grid", load_id=load.id))
    return render_template("attendance/correction.html", form=form, lesson=lesson, load=load,
                           student=student, current=shown,
                           pending=corrections.pending_for(lesson.id, student.id),
                           approval=corrections.approval_required()), page_status(form)


@bp.get("/corrections", endpoint="corrections")
@login_required
def corrections_page():
    """Deputies and administrators: the pending corrections (their own ones wait for someone
    else); everyone who files them: their own latest."""
    return _corrections_page()


def _corrections_page() -> str:
    decider = is_decider(current_user)
    if not can(current_user, "journal.corrections.view"):
        raise _not_found()
    pending, own = corrections.listed(current_user)
    return render_template("attendance/corrections.html", corrections=pending, own=own,
                           decider=decider, people=_correction_names(pending + own),
                           places=_correction_places(pending + own),
                           form=CorrectionDecisionForm(), me=current_user.id)


def _correction_names(found: list) -> dict:
    users = {c.requested_by_id for c in found} | {c.decided_by_id for c in found if c.decided_by_id}
    students = {c.student_id for c in found}
    return {"users": short_names(users),
            "students": {s.id: s.short_name for s in db.session.scalars(
                select(Student).where(Student.id.in_(students)))} if students else {}}


def _correction_places(found: list) -> dict[int, str]:
    """Each correction's lesson: «12.03.2026, пара 2 — ИСП-21, Математика» (three queries)."""
    from plugins.journal.corrections import lesson_labels

    return lesson_labels(found)


@bp.post("/corrections/<int:correction_id>/decide")
@login_required
def correction_decide(correction_id: int):
    form = CorrectionDecisionForm()
    if not form.validate_on_submit() or form.decision.data not in ("approve", "reject"):
        return error_response(400, _("Неверный запрос"))
    try:
        corrections.decide_correction(current_user, correction_id,
                                      form.decision.data == "approve", form.note.data or "")
    except DomainError as exc:
        db.session.rollback()
        if isinstance(exc, NotFound):
            raise
        flash(exc.message, "danger")
        return _corrections_page(), exc.status  # the page as it is now, with the reason
    db.session.commit()
    flash(_("Заявка одобрена: отметка исправлена") if form.decision.data == "approve"
          else _("Заявка отклонена"), "success")
    return redirect(url_for("attendance.corrections"))


@bp.get("/history")
@login_required
def history():
    """A cell's attendance history for staff who may see the lesson (JSON for the grid)."""
    if not is_staff(current_user):
        raise _not_found()
    try:
        lesson = journal.get_lesson(arg_id("lesson_id", 0))
    except LookupError:
        raise _not_found() from None
    student_id = arg_id("student_id")
    if not can_access(current_user, lesson, VIEW) or student_id is None:
        raise _not_found()  # a substitute: only the lessons they take
    link = services.cell_correction_link(current_user, journal.get_load(lesson.load_id), lesson,
                                         student_id)
    return jsonify(history=services.history(lesson.id, student_id), **(link or {}))


# --- the curator's «Пропуски» -------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    """Where attendance starts for each user: a family's own page, staff's groups."""
    own = sorted(own_student_ids(current_user))
    if own and not is_staff(current_user):
        return redirect(url_for("attendance.student", student_id=own[0]))
    if not is_staff(current_user):
        raise _not_found()
    groups = [g for g in db.session.query(Group).filter(Group.graduated.is_(False))
              .order_by(Group.name) if can_access_group(current_user, g.id, VIEW)]
    return render_template("attendance/index.html", groups=groups,
                           may_control=can(current_user, "attendance.unmarked.view"))


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@bp.get("/groups/<int:group_id>/week")
@login_required
def week(group_id: int, reason_form: ReasonForm | None = None):
    """«Пропуски»: the group's week at a glance; reasons over date ranges; parents' reports."""
    group = _group(group_id)
    if not is_staff(current_user):
        raise _not_found()
    start = _week_start(arg_date("start", _today()))
    end = start + timedelta(days=5)
    students = group_members(group.id, start, end)
    found = services.details([sid for sid, _name in students], start, end, group_id=group.id)
    by_cell: dict[tuple[int, date], list] = {}
    for row in found:
        by_cell.setdefault((row.student_id, row.date), []).append(row)
    may_set = services.may_set_reasons(current_user, group.id)
    form = reason_form or ReasonForm()
    form.student_id.choices = [SelectChoice(sid, name) for sid, name in students]
    if reason_form is None:
        form.date_from.data, form.date_to.data = start, end
    pending = services.pending_reports(group.id) if may_set else []
    names = dict(students) | {s.id: s.full_name for s in db.session.query(Student).filter(
        Student.id.in_({e.student_id for e in pending}))}
    # the working week of the year's mode (BTT 4.1.1); a day off it only if marks were made on it
    days = sorted(set(working_mode.working_days(start)) | {day for _sid, day in by_cell})
    return render_template(
        "attendance/week.html", group=group, start=start, days=days,
        students=students, by_cell=by_cell, tallies=services.tallies(found), form=form,
        may_set=may_set, pending=pending, names=names, decision=DecisionForm(),
        reasons=rules.REASONS, letters=rules.REASON_LETTERS,
        previous=start - timedelta(days=7), following=start + timedelta(days=7),
    ), page_status(reason_form)


@bp.post("/groups/<int:group_id>/reason")
@login_required
def set_reason(group_id: int):
    group = _group(group_id)
    if not services.may_set_reasons(current_user, group.id):
        raise _not_found()
    form = ReasonForm()
    start = _week_start(form.date_from.data or _today())
    form.student_id.choices = [SelectChoice(sid, name) for sid, name in group_members(
        group.id, start - timedelta(days=180), start + timedelta(days=180))]
    if form.validate_on_submit():
        done, result = attempt(lambda: services.set_reason(
            current_user, form.student_id.data, form.date_from.data, form.date_to.data,
            form.reason.data, document=form.document.data or "", comment=form.comment.data or ""),
            form.reason)
        if done:
            flash(_("Причина записана: занятий — %(n)s.", n=result[1]), "success")
            return redirect(url_for("attendance.week", group_id=group.id,
                                    start=_week_start(form.date_from.data).isoformat()))
    return week(group.id, reason_form=form)


@bp.post("/excuses/<int:excuse_id>/decide")
@login_required
def decide(excuse_id: int):
    excuse = db.session.get(Excuse, excuse_id)
    if excuse is None:
        raise _not_found()
    group_id = group_on(excuse.student_id, excuse.date_to) or group_on(
        excuse.student_id, excuse.date_from)
    if group_id is None or not services.may_set_reasons(current_user, group_id):
        raise _not_found()  # another group's student: the page does not say which group
    form = DecisionForm()
    if not form.validate_on_submit() or form.decision.data not in ("accept", "reject"):
        raise _not_found()
    done, result = attempt(lambda: services.decide(current_user, excuse_id,
                                                   form.decision.data == "accept",
                                                   form.comment.data or ""))
    if done:
        flash(_("Причина принята: занятий — %(n)s.", n=result[1]) if result[0].status == "accepted"
              else _("Сообщение отклонено; родитель увидит комментарий."), "success")
    return redirect(url_for("attendance.week", group_id=group_id,
                            start=_week_start(excuse.date_from).isoformat()))


# --- the monthly sheet --------------------------------------------------------------------------


def _month_arg() -> date:
    return arg_month("month", _today().replace(day=1))


def sheet_data(group_id: int, first: date) -> dict:
    """The monthly attendance sheet (ведомость учёта посещаемости): hours missed per student and
    day, totals by reason; one data function for the page and the XLSX."""
    last = first.replace(day=monthrange(first.year, first.month)[1])
    students = group_members(group_id, first, last)
    found = services.details([sid for sid, _name in students], first, last, group_id=group_id)
    tallies = services.tallies(found)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    rows = []
    for sid, name in students:
        tally = tallies.get(sid, services.Tally())
        rows.append({"student_id": sid, "name": name,
                     "days": [tally.by_day.get(day, 0) for day in days],
                     "total": tally.total, "illness": tally.by_reason.get("illness", 0),
                     "valid": tally.by_reason.get("valid", 0),
                     "invalid": tally.by_reason.get("invalid", 0),
                     "unknown": tally.by_reason.get("", 0), "late": tally.late})
    totals = {key: sum(row[key] for row in rows)
              for key in ("total", "illness", "valid", "invalid", "unknown", "late")}
    return {"first": first, "days": days, "rows": rows, "totals": totals,
            "chronic": services.chronic(found)}


@bp.get("/groups/<int:group_id>/month")
@login_required
def month(group_id: int):
    group = _group(group_id)
    if not is_staff(current_user):
        raise _not_found()
    first = _month_arg()
    data = sheet_data(group.id, first)
    if request.args.get("format") == "xlsx":
        sheet = _sheet_xlsx(group, data)
        audit.record_bulk_read("attendance.month.export", group, count=len(data["rows"]),
                               month=first.strftime("%Y-%m"), format="xlsx")  # 152-ФЗ
        return sheet
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render_template("attendance/month.html", group=group, data=data, previous=previous,
                           following=following)


def _sheet_xlsx(group: Group, data: dict):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = data["first"].strftime("%m.%Y")
    append_row(sheet, [_("Ведомость учёта посещаемости: группа %(group)s, %(month)s",
                    group=group.name, month=data["first"].strftime("%m.%Y"))])
    sheet["A1"].font = Font(bold=True)
    header = [_("Обучающийся"), *[day.day for day in data["days"]], _("Всего, ч"),
              _("Б"), _("УП"), _("НП"), _("Не указана"), _("Опозданий")]
    append_row(sheet, header)
    for row in data["rows"]:
        append_row(sheet, [row["name"], *[hours or None for hours in row["days"]], row["total"],
                      row["illness"], row["valid"], row["invalid"], row["unknown"], row["late"]])
    totals = data["totals"]
    append_row(sheet, [_("Итого"), *[None for _day in data["days"]], totals["total"],
                  totals["illness"], totals["valid"], totals["invalid"], totals["unknown"],
                  totals["late"]])
    sheet.column_dimensions["A"].width = 36
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    return xlsx_download(book, f"attendance-{group.name}-{data['first']:%Y-%m}.xlsx")


# --- a student's absences -----------------------------------------------------------------------


@bp.route("/students/<int:student_id>", methods=["GET", "POST"])
@login_required
def student(student_id: int):
    """A student's absences with reasons; a parent reports a reason here (BTT 4.4.2)."""
    found_student = student_or_404(current_user, student_id, VIEW)
    if is_staff(current_user):
        audit.record_read("attendance.student.view", found_student)  # 152-ФЗ: staff reads
    form = ReportForm() if can(current_user, "attendance.reason.report") and student_id in own_student_ids(
        current_user) else None
    if request.method == "POST" and form is None:
        raise _not_found()
    if form is not None and form.validate_on_submit():
        done, _excuse = attempt(lambda: services.report_reason(
            current_user, student_id, form.date_from.data, form.date_to.data, form.reason.data,
            form.comment.data or ""), form.comment)
        if done:
            flash(_("Сообщение отправлено. Причину рассмотрит %(curator)s.",
                    curator=curator_title(False)), "success")
            return redirect(url_for("attendance.student", student_id=student_id))
    end = _today()
    start = arg_date("from", end - timedelta(days=120))
    found = services.details([student_id], start, end)
    tally = services.tallies(found).get(student_id, services.Tally())
    children = []
    if current_user.has_role(Role.PARENT):
        ids = own_student_ids(current_user)
        children = db.session.query(Student).filter(Student.id.in_(ids)).order_by(
            Student.last_name).all() if len(ids) > 1 else []
    return render_template("attendance/student.html", student=found_student, found=found,
                           tally=tally, start=start, end=end, form=form, children=children,
                           excuses=services.excuses_of(student_id), reasons=rules.REASONS,
                           letters=rules.REASON_LETTERS), page_status(form)


# --- control ------------------------------------------------------------------------------------


@bp.get("/unmarked")
@permission_required("attendance.unmarked.view")
def unmarked():
    """Lessons whose attendance was not marked on the day (BTT 4.5.2: in real time)."""
    end = arg_date("to", _today())
    start = arg_date("from", end - timedelta(days=13))
    if start > end:
        start, end = end, start
    found = services.not_marked_on_the_day(start, end)

    teachers = short_names(row.teacher_id for row in found)
    return render_template("attendance/unmarked.html", found=found, start=start, end=end,
                           teachers=teachers)

