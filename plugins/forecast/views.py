"""The forecast's pages: the groups and journals one may see, a group's forecasts by
discipline (the curator, the deputy), a journal's (its teacher too), and the journal's feed the
grid fetches when the teacher hovers over its final column."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.calendar.clock import college_today
from core.errors import NotFound
from core.extensions import db
from core.people.models import Group
from plugins.forecast import api, model, rights
from plugins.journal import api as journal

bp = Blueprint("forecast", __name__, url_prefix="/forecast", template_folder="templates",
               static_folder="static", static_url_path="/static")

NOT_FOUND = _l("Такой страницы нет или она вам недоступна.")
RISK_TITLES = {"none": _l("нет"), "fail": _l("риск «2»"), "na": _l("риск «н/а»")}
RISK_CSS = {"none": "", "fail": "text-bg-danger", "na": "text-bg-warning"}


def risk_title(risk: str) -> str:
    return str(RISK_TITLES[risk])


def expected_text(found: api.Forecast) -> str:
    """«4», «4 (3–5)», or «—» when there is nothing to go on."""
    if found.expected is None:
        return "—"
    if found.low == found.high:
        return str(found.expected)
    return f"{found.expected} ({found.low}–{found.high})"


def _load_or_404(load_id: int) -> journal.LoadInfo:
    try:
        load = journal.get_load(load_id)
    except LookupError:
        raise NotFound(str(NOT_FOUND)) from None
    if not rights.may_see_load(current_user, load):
        raise NotFound(str(NOT_FOUND))
    return load


def _group_or_404(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or not rights.may_see_group(current_user, group_id):
        raise NotFound(str(NOT_FOUND))
    return group


@bp.get("/")
@login_required
def index():
    groups = rights.group_scope(current_user)
    own = _own_loads() if rights.is_staff(current_user) else []
    if groups == set() and not own:
        raise NotFound(str(NOT_FOUND))
    query = db.select(Group).where(Group.graduated.is_(False))
    if groups is not None:
        query = query.where(Group.id.in_(groups))
    shown = db.session.scalars(query.order_by(Group.name)).all()
    labels, _teachers = journal.load_labels(own)
    return render_template("forecast/index.html", groups=shown, own=own, labels=labels)


def _own_loads() -> list[journal.LoadInfo]:
    today = college_today()
    return journal.teachers_loads({current_user.id}, today, today)


@bp.get("/group/<int:group_id>")
@login_required
def group(group_id: int):
    found_group = _group_or_404(group_id)
    today = college_today()
    loads = sorted(journal.group_loads(found_group.id, today, today),
                   key=lambda load: (load.discipline.title, load.id))
    forecasts = api.forecasts_for_loads([load.id for load in loads])
    students = {}
    for roster in journal.rosters(loads).values():
        for student in roster:
            students.setdefault(student.id, student.name)
    rows = sorted(((sid, name) for sid, name in students.items()
                   if any((sid, load.id) in forecasts for load in loads)), key=lambda r: r[1])
    at_risk = sum(1 for found in forecasts.values() if found.risk != "none")
    return render_template("forecast/group.html", group=found_group, loads=loads, rows=rows,
                           forecasts=forecasts, at_risk=at_risk, expected_text=expected_text,
                           risk_title=risk_title, risk_css=RISK_CSS)


@bp.get("/load/<int:load_id>")
@login_required
def load(load_id: int):
    found_load = _load_or_404(load_id)
    forecasts = api.forecasts_for_loads([found_load.id])
    roster = {student.id: student.name
              for student in journal.rosters([found_load]).get(found_load.id, [])}
    rows = sorted(((roster[sid], found) for (sid, _lid), found in forecasts.items()
                   if sid in roster), key=lambda row: row[0])
    group_row = db.session.get(Group, found_load.group_id)
    return render_template("forecast/load.html", load=found_load, group=group_row, rows=rows,
                           expected_text=expected_text, risk_title=risk_title,
                           risk_css=RISK_CSS, number=model.number,
                           may_see_group=rights.may_see_group(current_user, found_load.group_id))


@bp.get("/load/<int:load_id>/feed")
@login_required
def feed(load_id: int):
    """The load's forecasts as JSON, by student id: what the grid shows on hover."""
    found_load = _load_or_404(load_id)
    forecasts = api.forecasts_for_loads([found_load.id])
    return jsonify({
        "title": _("Прогноз итоговой оценки"),
        "students": {str(sid): {
            "expected": expected_text(found), "risk": found.risk,
            "risk_title": risk_title(found.risk) if found.risk != "none" else "",
            "current": None if found.current is None else model.number(found.current, 2),
            "reasons": list(found.reasons)} for (sid, _lid), found in forecasts.items()}})
