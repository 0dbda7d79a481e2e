"""Hook implementations of the КТП: its policy keys and permissions, pages and menu, the lesson
form's proposal, the notes in the list of journals, the reminder job, demo plans."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem, ScheduledJob

#: the values of ``planning.deadline``: none (""), or a day of the year «MM-DD» (29 February
#: left out: a deadline falls every year)
_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря")
_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
DAYS = ("", *(f"{month:02d}-{day:02d}" for month in range(1, 13)
              for day in range(1, _LENGTHS[month - 1] + 1)))


@hookimpl
def policy_schema():
    from core.people.roles import ROLE_TITLES, Role
    from core.policy.schema import PolicyKey

    roles = (Role.DEPUTY, Role.METHODIST, Role.DIRECTOR, Role.COMMISSION_HEAD)
    days = (("", _l("срок не установлен")),
            *((value, f"{int(value[3:])} {_MONTHS[int(value[:2]) - 1]}") for value in DAYS[1:]))
    return [
        PolicyKey("planning.approvers", "list[str]", [str(Role.DEPUTY)],
                  str(_l("Кто утверждает календарно-тематические планы")),
                  str(_l("Утверждает любой из названных (с правом «Утверждать КТП»); план с "
                         "несходящимися часами не утверждается.")),
                  choices=tuple(str(role) for role in roles),
                  labels=tuple((str(role), ROLE_TITLES[role]) for role in roles)),
        PolicyKey("planning.deadline", "str", "",
                  str(_l("Срок сдачи КТП: день учебного года «ММ-ДД» (пусто — срок не "
                         "установлен)")),
                  str(_l("За 3 дня до срока преподавателю, не отправившему план, приходит "
                         "напоминание; после срока он — в списке опоздавших у заместителя "
                         "директора.")), choices=DAYS, labels=days),
    ]


@hookimpl
def permissions():
    from core.plugins.types import Permission
    from plugins.planning.rights import APPROVE, APPROVER_ROLES, OVERVIEW, OVERVIEW_ROLES

    return [Permission(APPROVE, APPROVER_ROLES, str(_l("Утверждать и возвращать КТП"))),
            Permission(OVERVIEW, OVERVIEW_ROLES,
                       str(_l("Видеть все КТП и кто не сдал их в срок")))]


@hookimpl
def nav_items(user):
    if not user.is_authenticated:
        return []
    from core.people.roles import Role
    from plugins.planning.rights import may_overview

    if may_overview(user) or user.has_role(Role.TEACHER):
        return [NavItem(_l("КТП"), "planning.index", order=22, section="journal")]
    return []


@hookimpl
def dashboard_widgets(user):
    """The approvers and the deputy: how many plans are late, waiting, not adding up; a teacher:
    how many of their plans are not submitted yet, and by when."""
    if not user.is_authenticated:
        return []
    from core.calendar.clock import college_today
    from core.people.roles import Role
    from core.plugins.types import Widget
    from plugins.journal import api as journal
    from plugins.planning.rights import may_overview
    from plugins.planning.summary import standing, year_bounds

    overview = may_overview(user)
    if not (overview or user.has_role(Role.TEACHER)):
        return []
    loads = journal.visible_loads(user, *year_bounds(), teacher_id=None if overview else user.id)
    if not loads:
        return []
    found = standing(loads, college_today())
    if not (found.late or found.submitted or found.mismatch) if overview else not found.open:
        return []
    return [Widget(_l("КТП"), "planning/widget.html", {"standing": found, "overview": overview},
                   order=6)]


@hookimpl
def lesson_suggestions(load, lesson_date, user):
    """The next planned topic not held yet, with its kind of work and self-study task."""
    from flask_babel import gettext as _

    from plugins.journal.api import LessonSuggestion
    from plugins.planning.progress import next_row

    found = next_row(load, lesson_date)
    if found is None:
        return []
    number, row = found
    source = _("По КТП, тема %(n)s", n=number)
    if row.section:
        source = f"{source} · {row.section}"
    return [LessonSuggestion(source, row.topic, row.work_type, row.self_study)]


@hookimpl
def journal_links(load, lesson, user):
    """The grid links the journal's КТП (for staff; no query)."""
    from core.people.scope import is_staff

    if lesson is not None or not is_staff(user):
        return []
    return [NavItem(_l("Календарно-тематический план"), "planning.plan",
                    values={"load_id": load.id})]


@hookimpl
def journal_list_notes(loads, user):
    """The plan's state beside each journal, and its lag in hours once it has one."""
    from core.calendar.clock import college_today
    from plugins.planning.notes import notes_of

    return notes_of(loads, college_today())


@hookimpl
def scheduled_jobs():
    from plugins.planning.services import remind_job

    return [ScheduledJob("planning_remind", {"minute": "10", "hour": "6"}, remind_job)]


@hookimpl
def demo_data(college):
    from plugins.planning.demo import make_plans

    make_plans(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the planning plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels
    from plugins.planning.models import STATES

    return AuditLabels(actions={
        "planning.rows.save": _l("КТП изменён"),
        "planning.plan.draft": _l("КТП возвращён в черновик"),
        "planning.plan.submitted": _l("КТП отправлен на утверждение"),
        "planning.plan.approved": _l("КТП утверждён"),
        "planning.plan.returned": _l("КТП возвращён на доработку"),
    }, fields={
    }, targets={
        "Plan": _l("КТП"),
    }, values={"state": dict(STATES)})
