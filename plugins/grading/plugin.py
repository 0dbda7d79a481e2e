"""Hook implementations of grading: marks in the journal's grid, averages and finals columns,
the refusals of "grade.edit" and "grade.final.set", policy keys, pages, demo marks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import Role
from core.plugins import hookimpl
from core.plugins.types import NavItem, Permission
from core.policy.schema import PolicyKey

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def policy_schema():
    from plugins.grading.rules import MARK_TYPES

    return [PolicyKey("grading.weights", "dict[str,float]", {key: 1.0 for key in MARK_TYPES},
                      str(_l("Веса видов оценок в среднем балле")),
                      str(_l("устный ответ (oral), письменная (written), контрольная (control), "
                             "лабораторная (laboratory), практическая (practical)")),
                      labels=tuple(MARK_TYPES.items())),
            PolicyKey("grading.correction_approval", "bool", True,
                      str(_l("Исправление оценки после срока утверждает второе лицо")),
                      str(_l("Заместитель директора или администратор, но не автор исправления; "
                             "без утверждения исправление с причиной вступает в силу сразу"))),
            PolicyKey("grading.mark_flags", "bool", False,
                      str(_l("Обучающиеся и родители сообщают преподавателю об ошибочной оценке")),
                      str(_l("Из дневника, с комментарием; преподаватель отвечает: оценка верна "
                             "или исправление с причиной"))),
            PolicyKey("grades.min_marks", "tiers", [{"hours_from": 1, "count": 3}],
                      str(_l("Минимум текущих оценок до аттестации")),
                      str(_l("По недельной нагрузке: сколько оценок нужно, начиная с какого "
                             "числа часов в неделю (например, с 1 ч/нед — 3, с 2 ч/нед — 5)."))),
            PolicyKey("grades.min_marks_required_kinds", "list[str]", [],
                      str(_l("Виды работ, оценки за которые обязательны до аттестации")),
                      labels=tuple(MARK_TYPES.items())),
            PolicyKey("grading.check_days", "int", 7,
                      str(_l("Срок проверки контрольных, лабораторных и практических работ, "
                             "календарных дней после занятия (0 — срок не контролируется)")),
                      str(_l("День занятия не считается. Занятие с таким видом работы, где "
                             "после срока у присутствовавших нет оценок, попадает в отчёты "
                             "«Недостаточно оценок перед аттестацией» и «Заполнение журналов», "
                             "в контроль журналов и на главную страницу преподавателя."))),
            PolicyKey("grades.lock_after_finals", "bool", True,
                      str(_l("Запрет правки периода после итоговых оценок")),
                      str(_l("Для всех, администратора тоже: до разблокировки с причиной и "
                             "сроком")))]


@hookimpl
def policy_rules(action, user, target, at, policy):
    """Refuse a direct edit past the journal's edit window or in a load locked after its finals
    (BTT 4.5.1, KTIS 3.13) to everyone, the administrator included: such a change is a
    correction with a reason. Refuse a final without the minimum of current marks (BTT 4.5.2,
    KTIS 4.2) to all but the administrator, who grants exceptions."""
    if action not in ("grade.edit", "grade.final.set") or not user.is_authenticated:
        return None
    from core.policy import Decision
    from plugins.grading import services
    from plugins.journal import api as journal

    if action == "grade.edit" and isinstance(target, services.MarkTarget):
        window = journal.cell_window(user, target.lesson, at,
                                     str(_l("Подайте заявку на исправление оценки.")))
        if window is not None:
            return window
        if policy["grades.lock_after_finals"] and services.is_locked(target.load, at=at):
            return Decision.deny(str(_l("Итоговые оценки за период выставлены: журнал закрыт "
                                        "для изменений. Подайте заявку на исправление.")))
        return None
    if action == "grade.final.set" and isinstance(target, services.FinalTarget):
        if policy["grades.lock_after_finals"] and services.is_locked(target.load, at=at):
            return Decision.deny(str(_l("Итоговые оценки за период выставлены: изменить их "
                                        "можно только после разблокировки журнала.")))
        if can(user, "grading.minimum.waive"):
            return None
        if target.value and target.value not in services.rules.SPECIAL \
                and not services.has_exception(target.load.id, target.student_id):
            short = services.shortfall_of(target.load, target.student_id)
            if not short.ok:
                return Decision.deny(str(_l("Итоговую оценку ставить рано: %(what)s",
                                            what=short.describe())))
    return None


@hookimpl
def nav_items(user: UserLike):
    if not user.is_authenticated:
        return []
    from plugins.grading import flags

    items = []
    if can(user, "journal.corrections.view"):
        items.append(NavItem(_l("Исправления оценок"), "grading.corrections", order=320,
                             section="journal"))
    if flags.enabled() and can(user, "grading.flags.list"):
        items.append(NavItem(_l("Обращения по оценкам"), "grading.flags_page", order=325,
                             section="journal"))
    return items


@hookimpl
def dashboard_widgets(user: UserLike):
    """A teacher's home: the flags of their journals waiting for an answer, each one click from
    its grid and its answer; the lessons of written work whose marks are overdue
    (``grading.check_days``), each one click from the lesson's marks."""
    if not (user.is_authenticated and user.has_role(Role.TEACHER)):
        return []
    from core.plugins.types import Widget
    from plugins.grading import flag_lists

    widgets = []
    waiting = flag_lists.lines(user, open_only=True, answerable_only=True)
    if waiting:
        widgets.append(Widget(_l("Обращения по оценкам"), "grading/widget_flags.html",
                              {"lines": waiting[:10], "total": len(waiting)}, order=12))
    late = _late_checks_of(user)
    if late:
        from plugins.journal import api as journal

        groups, _teachers = journal.load_labels(late_check.load for late_check in late)
        widgets.append(Widget(_l("Работы не проверены в срок"), "grading/widget_late_checks.html",
                              {"lines": late[:10], "total": len(late), "groups": groups,
                               "work_types": journal.work_type_titles()}, order=11))
    return widgets


#: how far back the teacher's home looks for unchecked work: the journals of terms that
#: overlap these last days
LATE_CHECKS_LOOKBACK_DAYS = 30


def _late_checks_of(user: UserLike):
    """The late checks of the teacher's own journals of the current terms, oldest first."""
    from datetime import timedelta

    from core.calendar.clock import college_today
    from plugins.grading import checks
    from plugins.journal import api as journal

    if not checks.check_days():
        return []
    today = college_today()
    loads = journal.teachers_loads({user.id}, today - timedelta(days=LATE_CHECKS_LOOKBACK_DAYS),
                                   today)
    if not loads:
        return []
    return checks.late_checks(loads, min(load.term.starts_on for load in loads), today, today)


@hookimpl
def journal_links(load, lesson, user):
    """The grid links the journal's finals setup and who is short of marks; a lesson's page
    links the history of its marks (for staff)."""
    from core.people.scope import is_staff

    if not is_staff(user):
        return []
    if lesson is not None:
        from plugins.grading import services

        if services.cell_correction_link(user, load, lesson, 0) is not None:
            title = _l("Исправить оценку (с указанием причины)")  # past the edit window
        else:
            title = _l("Оценки за занятие и их виды")
        return [NavItem(title, "grading.lesson_marks_page", values={"lesson_id": lesson.id}),
                NavItem(_l("История оценок за это занятие"), "grading.history",
                        values={"lesson_id": lesson.id})]
    return [NavItem(_l("Кому не хватает оценок"), "grading.minimum", values={"load_id": load.id}),
            NavItem(_l("Шкала и формы аттестации"), "grading.setup", values={"load_id": load.id})]


@hookimpl
def demo_data(college):
    from plugins.grading.demo import make_marks, make_previous_marks
    from plugins.grading.flag_demo import make_flags

    make_marks(college)
    make_previous_marks(college)
    make_flags(college)


@hookimpl
def permissions():
    from core.people.roles import ADMINISTRATION
    from plugins.journal.corrections import DECIDERS

    admin = frozenset({Role.ADMIN})
    return [
        Permission("grading.setup.edit", frozenset(DECIDERS),
                   _l("Задавать шкалу журнала и формы аттестации")),
        Permission("grading.minimum.waive", admin,
                   _l("Разрешать итоговую оценку без минимума текущих отметок")),
        Permission("grading.unlock", admin,
                   _l("Открывать журнал после итоговых оценок и закрывать его снова")),
        Permission("grading.flag.raise", frozenset({Role.STUDENT, Role.PARENT}),
                   _l("Обращаться по оценке из дневника")),
        Permission("grading.flags.list", frozenset({Role.TEACHER, *ADMINISTRATION}),
                   _l("Открывать список обращений по оценкам")),
        Permission("grading.flags.view_all", ADMINISTRATION,
                   _l("Читать обращения по оценкам всех журналов")),
    ]


@hookimpl
def audit_labels():
    """Russian names of the audit codes the grading plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "grade.edit": _l("Оценка"),
        "grade.type": _l("Вид оценки изменён"),
        "grade.final": _l("Итоговая оценка"),
        "grade.minimum.exception": _l("Исключение из минимума оценок"),
        "grade.unlock": _l("Итоговая оценка открыта для исправления"),
        "grade.relock": _l("Итоговая оценка закрыта снова"),
        "grade.flag.raise": _l("Отметка о подозрительной оценке"),
        "grade.flag.read": _l("Просмотр отмеченной оценки"),
        "grade.flag.keep": _l("Оценка оставлена после проверки"),
        "grade.flag.correct": _l("Отмеченная оценка исправлена"),
        "grading.scale": _l("Шкала оценок изменена"),
        "grading.assessment.set": _l("Форма аттестации задана"),
        "grade.correction.file": _l("Запрошено исправление оценки"),
        "grade.correction.apply": _l("Исправление оценки внесено"),
        "grade.correction.approved": _l("Исправление оценки одобрено"),
        "grade.correction.rejected": _l("Исправление оценки отклонено"),
    }, fields={
        "mark_id": _l("Оценка (№)"),
        "flags": _l("Отметки"),
        "unlocked": _l("Открыто"),
        "correction_id": _l("Исправление (№)"),
    }, targets={
        "Mark": _l("Оценка"),
        "Final": _l("Итоговая оценка"),
        "MarkFlag": _l("Отметка об оценке"),
        "DisciplineScale": _l("Шкала дисциплины"),
        "MinimumException": _l("Исключение из минимума"),
        "Unlock": _l("Открытие итоговой"),
    })
