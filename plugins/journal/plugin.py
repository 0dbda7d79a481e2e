"""Hook implementations of the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from core.extensions import db
from core.people.permissions import can
from core.people.roles import Role
from core.people.scope import EDIT, VIEW
from core.plugins import hookimpl

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def nav_items(user: UserLike):
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import NavItem

    items = []
    if can(user, "journal.view"):
        items.append(NavItem(_l("Журналы"), "journal.index", order=10, section="journal"))
    if can(user, "journal.timetable.edit") \
            and not user.has_role(Role.ADMIN):  # the administrator's way is «Администрирование»
        items.append(NavItem(_l("Расписание"), "journal.planning_loads", order=20,
                             section="journal"))
    return items


@hookimpl
def dashboard_widgets(user: UserLike):
    """The teacher's day: today's lessons, each one click from its grid, unfilled ones marked."""
    from flask_babel import lazy_gettext as _l

    from core.calendar.clock import college_today
    from core.plugins.types import Widget
    from plugins.journal.today import todays_lessons

    if not (user.is_authenticated and user.has_role(Role.TEACHER)):
        return []
    lessons = todays_lessons(user.id, college_today())
    return [Widget(_l("Занятия сегодня"), "journal/widget_today.html", {"lessons": lessons},
                   order=10)]


@hookimpl
def admin_links(user: UserLike):
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import NavItem

    if not can(user, "journal.planning.edit"):
        return []
    return [NavItem(_l("Дисциплины и часы учебного плана"), "journal.planning_disciplines",
                    order=200),
            NavItem(_l("Педагогическая нагрузка и расписание"), "journal.planning_loads",
                    order=210)]


#: who enters and changes the weekly timetable and its dated changes (KTIS 3.11: the
#: methodological service; the deputy and the administrator as well)
TIMETABLE_EDITORS = frozenset({Role.ADMIN, Role.DEPUTY, Role.METHODIST})


@hookimpl
def permissions():
    from flask_babel import lazy_gettext as _l

    from core.people.roles import STAFF
    from core.plugins.types import Permission
    from plugins.journal.corrections import DECIDERS

    return [Permission("journal.timetable.edit", TIMETABLE_EDITORS,
                       str(_l("Вносить и менять расписание занятий"))),
            Permission("journal.view", STAFF, _l("Открывать журналы (в пределах своей области)")),
            Permission("journal.planning.edit", frozenset({Role.ADMIN, Role.DEPUTY}),
                       _l("Вести дисциплины, часы учебного плана и педагогическую нагрузку")),
            Permission("journal.lesson.correct", frozenset({Role.ADMIN}),
                       _l("Исправлять запись прошедшего занятия с указанием причины")),
            Permission("journal.correction.decide", frozenset(DECIDERS),
                       _l("Утверждать и отклонять исправления оценок и посещаемости")),
            Permission("journal.corrections.view", frozenset({*DECIDERS, Role.TEACHER}),
                       _l("Открывать списки исправлений оценок и посещаемости"))]


@hookimpl
def policy_schema():
    from flask_babel import lazy_gettext as _l

    from core.policy.schema import PolicyKey

    return [PolicyKey("journal.edit_grace_days", "int", 0,
                      str(_l("Сколько дней после дня занятия преподаватель правит запись без "
                             "корректировки")))]


@hookimpl
def scope_group_ids(user: UserLike, access):
    """A teacher's groups are those they teach; a commission head's, those of its disciplines."""
    from plugins.journal.models import Discipline, TeachingLoad

    if not user.is_authenticated:
        return set()
    ids = set(db.session.scalars(
        select(TeachingLoad.group_id).where(TeachingLoad.teacher_id == user.id)))
    commissions = {c for c in user.scope_ids(Role.COMMISSION_HEAD) if c is not None}
    if access == VIEW and commissions:
        ids |= set(db.session.scalars(
            select(TeachingLoad.group_id).join(Discipline)
            .where(Discipline.commission_id.in_(commissions))))
    return ids


@hookimpl
def taught_group_ids(user: UserLike, on):
    """The address book's "groups a teacher teaches": their journals of this academic year."""
    from core.calendar.years import year_span
    from plugins.journal import api

    if not user.is_authenticated:
        return set()
    start, end = year_span(on)
    return api.taught_group_ids(user.id, start, end)


@hookimpl
def student_teachers(student_ids, on):
    """The teachers of the students' journals of this academic year, in their groups of today."""
    from core.calendar.years import year_span
    from core.plugins.types import TeachingTie
    from plugins.journal import api

    start, end = year_span(on)
    return [TeachingTie(student_id, load.teacher_id, load.discipline.title)
            for student_id, load in api.current_loads_of_students(student_ids, on, start, end)]


@hookimpl
def policy_rules(action, user, target, at, policy):
    """"lesson.edit": a lesson's record (its topic, marks, attendance) is changed directly only
    within its edit window (REQUIREMENTS J6), by everyone; past it a change is a correction."""
    if action != "lesson.edit":
        return None
    from plugins.journal.api import edit_window

    return edit_window(user, target, at)


@hookimpl
def policy_rules_many(action, user, targets, at, policy):
    """"lesson.edit" of a page's lessons in one pass (the window's days found once)."""
    if action != "lesson.edit":
        return None
    from plugins.journal.api import window_decisions

    return window_decisions(targets, at)


@hookimpl
def object_scope(user: UserLike, target, access):
    """A load's journal: its teacher (and the administrator, who records corrections) writes it;
    curator, supervisors, the commission head and the administration read it; nobody else sees
    it. A lesson: whoever reads its journal sees it, and a substitute opens and writes exactly
    the lessons they take while their substitution is open (``lesson_editors``), not the rest of
    the journal. The one rule for journals: ``plugins.journal.api`` asks here."""
    from plugins.journal.api import LessonInfo, LoadInfo, guest_lessons, load_of

    lesson = None
    if isinstance(target, LessonInfo):
        lesson, target = target, load_of(target)
    if not isinstance(target, LoadInfo):
        return None
    if not user.is_authenticated:
        return False
    if target.teacher_id == user.id:
        return True
    if lesson is not None and (lesson.date, lesson.pair_number) in guest_lessons(target).get(
            user.id, ()):
        return True  # a substitute's lesson, while the substitution is open
    if access == EDIT:
        return user.has_role(Role.ADMIN)
    from plugins.journal.readers import readers_of

    return readers_of(user).admits(target)


@hookimpl
def demo_data(college):
    from plugins.journal.demo import make_journals, make_previous_journals

    make_journals(college)
    make_previous_journals(college)


@hookimpl
def report_providers():
    from plugins.journal.reports import providers

    return providers()


@hookimpl
def control_findings(teacher_ids, start, end):
    from plugins.journal.findings import findings

    return findings(teacher_ids, start, end)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the journal plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "journal.discipline.create": _l("Дисциплина создана"),
        "journal.discipline.update": _l("Дисциплина изменена"),
        "journal.curriculum.set": _l("Учебный план задан"),
        "journal.load.create": _l("Нагрузка создана"),
        "journal.load.update": _l("Нагрузка изменена"),
        "journal.load.delete": _l("Нагрузка удалена"),
        "journal.timetable.add": _l("Занятие добавлено в расписание"),
        "journal.timetable.change": _l("Расписание изменено"),
        "journal.timetable.delete": _l("Занятие удалено из расписания"),
        "journal.timetable.end": _l("Занятие в расписании завершено"),
        "journal.lesson.create": _l("Занятие записано"),
        "journal.lesson.update": _l("Занятие изменено"),
        "journal.lesson.correct": _l("Занятие исправлено после срока"),
        "journal.grid.view": _l("Просмотр журнала"),
    }, fields={
        "topic": _l("Тема"),
        "homework": _l("Домашнее задание"),
        "lesson_id": _l("Занятие (№)"),
        "lesson_day": _l("День занятия"),
    }, targets={
        "Discipline": _l("Дисциплина"),
        "TeachingLoad": _l("Нагрузка"),
        "TimetableSlot": _l("Занятие расписания"),
        "Lesson": _l("Занятие"),
        "Correction": _l("Заявка на исправление"),
    })
