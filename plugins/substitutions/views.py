"""Substitution pages: the register by month (and its XLSX for payroll), recording a
substitution with help in finding a free colleague, withdrawing one, the term-end check."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from core.calendar.clock import college_today
from core.exports import append_row, xlsx_download
from core.extensions import db
from core.forms import attempt, page_status
from core.params import arg_date, arg_id, arg_month
from core.people.access import permission_required
from core.people.models import Group, RoleAssignment, User, short_names
from core.people.permissions import can
from core.people.roles import Role
from plugins.journal import api as journal
from plugins.substitutions import services
from plugins.substitutions.forms import SubstitutionForm

bp = Blueprint("substitutions", __name__, url_prefix="/substitutions",
               template_folder="templates")
RECORDERS = (Role.ADMIN, Role.DEPUTY)


def _month() -> date:
    return arg_month("month", college_today().replace(day=1))


def _names(ids) -> dict[int, str]:
    return short_names(ids)


def register_data(first: date) -> dict:
    """The month's register: one data function for the page and the XLSX."""
    last = first.replace(day=monthrange(first.year, first.month)[1])
    rows = services.register(first, last)
    by_substitute, by_absent = services.totals(rows)
    names = _names({r.sub.absent_id for r in rows} | {r.sub.substitute_id for r in rows})
    loads = journal.loads_by_id({o.load_id for r in rows for o in r.occurrences})
    groups = dict(db.session.execute(select(Group.id, Group.name).where(
        Group.id.in_({load.group_id for load in loads.values()}))).all())
    return {"first": first, "rows": rows, "by_substitute": by_substitute,
            "by_absent": by_absent, "names": names, "loads": loads, "groups": groups}


@bp.get("/")
@permission_required("substitutions.view")
def index():
    first = _month()
    data = register_data(first)
    if request.args.get("format") == "xlsx":
        return _register_xlsx(data)
    return render_template("substitutions/register.html", data=data, kinds=services.KINDS,
                           previous=(first - timedelta(days=1)).replace(day=1),
                           following=(first + timedelta(days=32)).replace(day=1),
                           may_record=can(current_user, "substitutions.record"))


def _register_xlsx(data: dict):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = data["first"].strftime("%m.%Y")
    append_row(sheet, [_("Журнал учёта замещений за %(month)s", month=data["first"].strftime("%m.%Y"))])
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, [_("Отсутствующий"), _("Замещающий"), _("Вид"), _("Период"), _("Занятий"),
                  _("Часов по расписанию"), _("Часов проведено")])
    names = data["names"]
    for row in data["rows"]:
        if row.sub.withdrawn_at is not None:
            continue
        append_row(sheet, [names.get(row.sub.absent_id, ""), names.get(row.sub.substitute_id, "—"),
                      str(services.KINDS[row.sub.kind]),
                      f"{row.sub.date_from:%d.%m.%Y} – {row.sub.date_to:%d.%m.%Y}",
                      len(row.occurrences), row.planned_hours, row.taught_hours])
    append_row(sheet, [])
    append_row(sheet, [_("Часов к оплате замещающим")])
    for user_id, hours in sorted(data["by_substitute"].items(), key=lambda i: names.get(i[0], "")):
        append_row(sheet, [names.get(user_id, ""), hours])
    append_row(sheet, [])
    append_row(sheet, [_("Часов отсутствия преподавателей")])
    for user_id, hours in sorted(data["by_absent"].items(), key=lambda i: names.get(i[0], "")):
        append_row(sheet, [names.get(user_id, ""), hours])
    sheet.column_dimensions["A"].width = sheet.column_dimensions["B"].width = 28
    return xlsx_download(book, f"substitutions-{data['first']:%Y-%m}.xlsx")


def _teachers() -> list[SelectChoice]:
    users = db.session.scalars(select(User).join(RoleAssignment).where(
        RoleAssignment.role == Role.TEACHER, User.active.is_(True))
        .order_by(User.last_name, User.first_name).distinct())
    return [SelectChoice(user.id, user.full_name) for user in users]


def _load_choices(absent_id: int | None) -> list[SelectChoice]:
    choices = [SelectChoice(0, _("все занятия преподавателя"))]
    if absent_id:
        loads = journal.loads(teacher_id=absent_id)
        groups = dict(db.session.execute(select(Group.id, Group.name).where(
            Group.id.in_({load.group_id for load in loads}))).all())
        choices += [SelectChoice(load.id, f"{groups.get(load.group_id, '')} · "
                                          f"{load.discipline.title} · {load.term.title}")
                    for load in loads]
    return choices


@bp.route("/new", methods=["GET", "POST"])
@permission_required("substitutions.record")
def new():
    form = SubstitutionForm()
    teachers = _teachers()
    form.absent_id.choices = teachers
    form.substitute_id.choices = [SelectChoice(0, "—"), *teachers]
    absent_id = form.absent_id.data if request.method == "POST" else arg_id("absent")
    form.load_id.choices = _load_choices(absent_id)
    if request.method == "GET":
        today = college_today()
        form.absent_id.data = absent_id
        form.date_from.data = form.date_to.data = today
    if form.validate_on_submit():
        pairs = {int(p) for p in (form.pairs.data or "").replace(" ", "").split(",") if p}
        done, sub = attempt(lambda: services.record(
            current_user, form.kind.data, form.absent_id.data, form.substitute_id.data or None,
            form.date_from.data, form.date_to.data, form.load_id.data or None, pairs,
            form.reason.data or ""), form.kind)
        if done:
            flash(_("Замещение записано: занятий — %(n)s.", n=len(services.occurrences(sub))),
                  "success")
            return redirect(url_for("substitutions.index",
                                    month=sub.date_from.strftime("%Y-%m")))
    free = None
    pair = arg_id("pair")
    day = form.date_from.data
    if absent_id and pair and day:
        free = services.free_colleagues(absent_id, day, pair)
    return render_template("substitutions/new.html", form=form, free=free, pair=pair,
                           absent_id=absent_id), page_status(form)


@bp.post("/<int:sub_id>/withdraw")
@permission_required("substitutions.record")
def withdraw(sub_id: int):
    done, sub = attempt(lambda: services.withdraw(current_user, sub_id))
    if done:
        flash(_("Запись о замещении отменена."), "success")
    return redirect(url_for("substitutions.index"))


@bp.get("/check")
@permission_required("substitutions.view")
def check():
    """The term-end check (KTIS 5.3): lessons taught by another teacher without a record, and
    substitutions whose lessons were left unfilled."""
    today = college_today()
    start, end = arg_date("from", None), arg_date("to", None)
    if start is None or end is None:
        start, end = today - timedelta(days=120), today
    unrecorded = services.unrecorded(start, end)
    unfilled = [row for row in services.register(start, end)
                if row.unfilled and row.sub.withdrawn_at is None]
    loads = journal.loads_by_id({item.load_id for item in unrecorded})
    names = _names({i.teacher_id for i in unrecorded} | {i.taught_by_id for i in unrecorded}
                   | {r.sub.absent_id for r in unfilled} | {r.sub.substitute_id for r in unfilled})
    return render_template("substitutions/check.html", start=start, end=end,
                           unrecorded=unrecorded, unfilled=unfilled, loads=loads, names=names)
