"""Hook implementations of attendance: cells and a column in the journal's grid, the refusal of
"attendance.edit" past the edit window, policy keys, pages, links and menu, demo absences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.people.permissions import can
from core.people.roles import ADMINISTRATION, Role
from core.plugins import hookimpl
from core.plugins.types import NavItem, Permission
from core.policy.schema import PolicyKey

if TYPE_CHECKING:
    from core.people.models import UserLike


@hookimpl
def policy_schema():
    return [PolicyKey("attendance.chronic_hours_per_month", "int", 20,
                      str(_l("Систематические пропуски: часов без уважительной причины в месяц")),
                      str(_l("С этого числа обучающийся попадает в список систематически "
                             "пропускающих занятия"))),
            PolicyKey("attendance.correction_approval", "bool", True,
                      str(_l("Исправление отметки посещаемости после дня занятия утверждает "
                             "второе лицо")),
                      str(_l("Заместитель директора или администратор, но не автор исправления; "
                             "без утверждения исправление с причиной вступает в силу сразу")))]


@hookimpl
def policy_rules(action, user, target, at, policy):
    """Refuse an attendance mark past the journal's edit window (BTT 4.5.2: marked in real time,
    KTIS 3.13: no backdating) to everyone, the administrator included: after the lesson's day a
    change is a correction with a reason (``services.file_correction``). Reasons of absences
    are the curator's weekly work (BTT 4.2.2) and are not limited by it."""
    if action != "attendance.edit" or not user.is_authenticated:
        return None
    from plugins.journal.api import cell_window

    return cell_window(user, target.lesson, at,
                       str(_l("Подайте заявку на исправление отметки с указанием причины.")))


@hookimpl
def nav_items(user: UserLike):
    if not user.is_authenticated:
        return []
    if user.has_role(Role.PARENT, Role.STUDENT) and not user.has_role(*ADMINISTRATION,
                                                                       Role.CURATOR):
        return [NavItem(_l("Пропуски"), "attendance.index", order=30)]
    items = []
    if user.has_role(Role.CURATOR, *ADMINISTRATION):
        from plugins.attendance.services import curated_pending_reports

        waiting = len(curated_pending_reports(user)) if user.has_role(Role.CURATOR) else 0
        items.append(NavItem(_l("Посещаемость"), "attendance.index", order=30,
                             section="journal", badge=waiting or None))
        if can(user, "attendance.unmarked.view"):
            items.append(NavItem(_l("Не отмечена посещаемость"), "attendance.unmarked",
                                 order=31, section="journal"))
    if can(user, "journal.corrections.view"):  # beside «Исправления оценок»
        items.append(NavItem(_l("Исправления посещаемости"), "attendance.corrections",
                             order=321, section="journal"))
    return items


@hookimpl
def dashboard_widgets(user: UserLike):
    """A curator's home: the parents' reports of reasons waiting for an answer, counted."""
    if not (user.is_authenticated and user.has_role(Role.CURATOR)):
        return []
    from flask_babel import gettext as _

    from core.plugins.types import Widget
    from plugins.attendance import rules
    from plugins.attendance.services import curated_pending_reports

    found = curated_pending_reports(user)
    if not found:
        return []
    return [Widget(_("Сообщения родителей о пропусках: %(n)s", n=len(found)),
                   "attendance/widget_reports.html",
                   {"reports": found, "reasons": rules.REASONS}, order=3)]


@hookimpl
def demo_data(college):
    from plugins.attendance.demo import make_absences, make_previous_absences

    make_absences(college)
    make_previous_absences(college)


@hookimpl
def permissions():
    from plugins.attendance.services import REASON_SETTERS

    return [
        Permission("attendance.unmarked.view", ADMINISTRATION,
                   _l("Видеть занятия, на которых не отмечена посещаемость")),
        Permission("attendance.reasons.set", frozenset(REASON_SETTERS),
                   _l("Указывать причины пропусков в любой группе (классный руководитель — в "
                      "своей)")),
        Permission("attendance.reason.report", frozenset({Role.PARENT}),
                   _l("Сообщать причину пропуска своего ребёнка")),
    ]


@hookimpl
def audit_labels():
    """Russian names of the audit codes the attendance plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "attendance.mark": _l("Отметка посещаемости"),
        "attendance.all_present": _l("Все присутствовали"),
        "attendance.reason": _l("Причина пропусков указана"),
        "attendance.reason.report": _l("Родитель сообщил причину пропуска"),
        "attendance.reason.decide": _l("Решение по сообщению родителя"),
        "attendance.month.export": _l("Выгрузка посещаемости за месяц"),
        "attendance.student.view": _l("Просмотр пропусков обучающегося"),
        "attendance.correction.apply": _l("Исправление посещаемости внесено"),
        "attendance.correction.approved": _l("Исправление посещаемости одобрено"),
        "attendance.correction.rejected": _l("Исправление посещаемости отклонено"),
        "attendance.correction.file": _l("Запрошено исправление посещаемости"),
    }, fields={
    }, targets={
        "Absence": _l("Пропуск"),
        "Excuse": _l("Причина пропусков"),
    })


@hookimpl
def lesson_absentees(lesson_ids):
    from plugins.attendance.api import absent_ids

    return absent_ids(lesson_ids)
