"""The reports of every enabled plugin, who may run which, and a run's parameters checked against
the user's scope: a value outside it is a 404, a malformed or missing one a Russian message."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from core.calendar.clock import college_today
from core.calendar.models import AcademicYear
from core.calendar.years import current_year, term_on
from core.extensions import db
from core.params import CALENDAR_MESSAGE, OutOfCalendar, to_date, to_id, to_month
from core.people import scope
from core.people.models import Group, RoleAssignment, Student, SubjectCommission, User
from core.people.roles import Role
from core.plugins import hook
from core.plugins.types import ReportProvider, ReportQuery

if TYPE_CHECKING:
    from core.people.models import UserLike

MAX_PERIOD_DAYS = 400


class ParamError(ValueError):
    """A parameter the user must correct: ``field`` names it, ``message`` is Russian."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def providers() -> dict[str, ReportProvider]:
    found = [p for batch in hook().report_providers() for p in batch or ()]
    return {p.name: p for p in sorted(found, key=lambda p: (p.order, str(p.title)))}


def may_run(user: UserLike, provider: ReportProvider) -> bool:
    return bool(user.is_authenticated) and user.has_role(*provider.roles)


def available(user: User) -> list[ReportProvider]:
    return [p for p in providers().values() if may_run(user, p)]


def provider_or_404(user: User, name: str) -> ReportProvider:
    provider = providers().get(name)
    if provider is None or not may_run(user, provider):
        raise NotFound()
    return provider


# --- parameters ---------------------------------------------------------------------------------


def _int(args, name: str, missing: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return to_id(raw)
    except ValueError:
        raise ParamError(name, missing) from None


def _date(args, name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return to_date(raw)
    except OutOfCalendar:
        raise ParamError(name, str(CALENDAR_MESSAGE)) from None
    except ValueError:
        raise ParamError(name, _("Дата указывается как ГГГГ-ММ-ДД.")) from None


def today() -> date:
    return college_today()


def default_period() -> tuple[date, date]:
    """The current term, or the current academic year, or the current month."""
    day = today()
    year = current_year()
    if year is not None:
        term = term_on(year, day)
        if term is not None:
            return term.starts_on, term.ends_on
        return year.starts_on, year.ends_on
    return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])


def own_children(user: User) -> list[int]:
    return sorted(scope.own_student_ids(user))


def parse(user: User, provider: ReportProvider, args) -> ReportQuery:
    """The report's parameters from ``args`` (a request's), defaulted where one answer is obvious,
    each checked against ``user``'s scope."""
    values: dict = {"user": user}
    wanted = set(provider.params)
    if "group" in wanted:
        group_id = _int(args, "group", _("Выберите группу из списка."))
        if group_id is None:
            raise ParamError("group", _("Выберите группу."))
        if db.session.get(Group, group_id) is None or not scope.can_access_group(user, group_id):
            raise NotFound()
        values["group_id"] = group_id
    if "teacher" in wanted:
        teacher_id = _int(args, "teacher", _("Выберите преподавателя из списка."))
        if teacher_id is None:
            if not user.has_role(Role.TEACHER):
                raise ParamError("teacher", _("Выберите преподавателя."))
            teacher_id = user.id
        teacher = db.session.get(User, teacher_id)
        if teacher is None or not teacher.has_role(Role.TEACHER) or \
                not scope.can_access_teacher(user, teacher_id):
            raise NotFound()
        values["teacher_id"] = teacher_id
    if "student" in wanted:
        student_id = _int(args, "student", _("Выберите обучающегося из списка."))
        if student_id is None:
            children = own_children(user)
            if len(children) != 1:
                raise ParamError("student", _("Выберите обучающегося."))
            student_id = children[0]
        if not scope.can_access_student(user, student_id):
            raise NotFound()
        values["student_id"] = student_id
    if "commission" in wanted:
        values["commission_id"] = _commission(user, args)
    values.update(_dates(args, wanted))
    return ReportQuery(**values)


def _commission(user, args) -> int:
    """A subject commission within ``user``'s scope (a head's own when they have one)."""
    commission_id = _int(args, "commission", _("Выберите комиссию из списка."))
    if commission_id is None:
        own = scope.commission_ids(user)
        if own is None or len(own) != 1:
            raise ParamError("commission", _("Выберите предметно-цикловую комиссию."))
        commission_id = next(iter(own))
    if db.session.get(SubjectCommission, commission_id) is None or \
            not scope.can_access_commission(user, commission_id):
        raise NotFound()
    return commission_id


def _dates(args, wanted: set[str]) -> dict:
    if "year" in wanted:
        year_id = _int(args, "year", _("Выберите учебный год из списка."))
        year = db.session.get(AcademicYear, year_id) if year_id else current_year()
        if year is None:
            raise ParamError("year", _("Выберите учебный год."))
        return {"year_id": year.id, "start": year.starts_on, "end": year.ends_on}
    if "month" in wanted:
        raw = (args.get("month") or "").strip()
        day = today()
        try:
            first = to_month(raw) if raw else day.replace(day=1)
        except OutOfCalendar:
            raise ParamError("month", str(CALENDAR_MESSAGE)) from None
        except ValueError:
            raise ParamError("month", _("Месяц указывается как ГГГГ-ММ.")) from None
        return {"start": first,
                "end": first.replace(day=monthrange(first.year, first.month)[1])}
    if "period" in wanted:
        start, end = _date(args, "start"), _date(args, "end")
        default_start, default_end = default_period()
        start, end = start or default_start, end or default_end
        if end < start:
            raise ParamError("end", _("Конец периода раньше его начала."))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise ParamError("end", _("Период не длиннее %(days)s дней.", days=MAX_PERIOD_DAYS))
        return {"start": start, "end": end}
    return {}


def as_args(query: ReportQuery) -> dict[str, str]:
    """The query back as request arguments (for links, jobs and exports)."""
    names = {"group_id": "group", "teacher_id": "teacher", "student_id": "student",
             "commission_id": "commission", "year_id": "year"}
    args = {arg: str(getattr(query, field)) for field, arg in names.items()
            if getattr(query, field) is not None}
    if query.start is not None and query.year_id is None:
        args["start"], args["end"] = query.start.isoformat(), query.end.isoformat()
        args["month"] = query.start.strftime("%Y-%m")
    return args


# --- what a user may choose ---------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    groups: list[tuple[int, str]]
    teachers: list[tuple[int, str]]
    students: list[tuple[int, str]]
    years: list[tuple[int, str]]
    commissions: list[tuple[int, str]]


def choices(user: User, provider: ReportProvider) -> Choices:
    """Only the values in ``user``'s scope, and only for the report's parameters."""
    wanted = set(provider.params)
    groups = teachers = students = years = []
    if "group" in wanted:
        groups = [(g.id, g.name) for g in scope.visible_groups(user)]
    if "teacher" in wanted:
        if scope.teacher_ids(user) is None:
            found = db.session.scalars(
                select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
                .where(RoleAssignment.role == Role.TEACHER).distinct()
                .order_by(User.last_name, User.first_name))
            teachers = [(t.id, t.full_name) for t in found]
        else:
            teachers = [(user.id, user.full_name)]
    if "student" in wanted:
        found = db.session.scalars(
            select(Student).where(Student.id.in_(scope.students_query(user)))
            .order_by(Student.last_name, Student.first_name, Student.middle_name).limit(3000))
        students = [(s.id, s.full_name) for s in found]
    if "year" in wanted:
        years = [(y.id, y.title) for y in db.session.scalars(
            select(AcademicYear).order_by(AcademicYear.starts_on.desc()))]
    commissions = []
    if "commission" in wanted:
        ids = scope.commission_ids(user)
        found = select(SubjectCommission.id, SubjectCommission.name).order_by(
            SubjectCommission.name)
        if ids is not None:
            found = found.where(SubjectCommission.id.in_(ids))
        commissions = [tuple(row) for row in db.session.execute(found)]
    return Choices(groups, teachers, students, years, commissions)


def with_progress(query: ReportQuery, progress) -> ReportQuery:
    return replace(query, progress=progress)
