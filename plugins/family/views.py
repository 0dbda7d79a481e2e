"""The diary pages: a student sees themself, a parent their children (switching between them),
staff a student of their scope (each read audited)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core import audit
from core.calendar.clock import college_today
from core.errors import NotFound
from core.extensions import db
from core.params import arg_date
from core.people.models import Student
from core.people.scope import VIEW, is_staff, own_student_ids, student_or_404
from plugins.family import diary
from plugins.journal.models import WORK_TYPES

bp = Blueprint("family", __name__, url_prefix="/diary", template_folder="templates")


@bp.get("/")
@login_required
def index():
    own = sorted(own_student_ids(current_user))
    if not own:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    return redirect(url_for("family.student", student_id=own[0]))


@bp.get("/students/<int:student_id>")
@login_required
def student(student_id: int):
    found = student_or_404(current_user, student_id, VIEW)
    if is_staff(current_user) and student_id not in own_student_ids(current_user):
        audit.record_read("family.diary.view", found)  # 152-ФЗ: staff reads of a student's data
    today = college_today()
    start = diary.week_start(arg_date("week", today))
    week = diary.build(student_id, start, current_user)
    children = []
    own = own_student_ids(current_user)
    if len(own) > 1:
        children = db.session.scalars(select(Student).where(Student.id.in_(own))
                                      .order_by(Student.last_name, Student.first_name)).all()
    return render_template("family/diary.html", student=found, week=week, today=today,
                           children=children, previous=start - timedelta(days=7),
                           following=start + timedelta(days=7),
                           work_types={k: str(v) for k, v in WORK_TYPES.items()})
