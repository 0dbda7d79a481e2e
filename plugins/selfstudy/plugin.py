"""Hook implementations of self-study: its policy value and rule (whether students hand in
through the journal), the journal's links (the grid's count of tasks and hand-ins, a lesson's
tasks), demo tasks. The diary's notes and section are in ``diary.py``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [PolicyKey("selfstudy.students_hand_in", "bool", True,
                      str(_l("Обучающиеся сдают самостоятельные работы в журнале")),
                      str(_l("Да: обучающийся отмечает задание выполненным или сдаёт текст и "
                             "файлы. Нет: семьи видят задания только в режиме просмотра, сдачу "
                             "отмечает преподаватель.")))]


@hookimpl
def policy_rules(action, user, target, at, policy):
    if action != "selfstudy.hand_in":
        return None
    from flask_babel import gettext as _

    from core.policy import Decision

    if not policy.get("selfstudy.students_hand_in"):
        return Decision.deny(_("По положению колледжа обучающиеся видят задания в режиме "
                               "просмотра: работу сдают преподавателю, он отмечает сдачу."),
                             status=403)
    return Decision.allow()


@hookimpl
def journal_links(load, lesson, user):
    """The grid links the journal's tasks with how many are waiting for a mark; a lesson's page
    its own tasks with «сдали N из M» and, for the teacher, «Задать самостоятельную работу»."""
    from flask_babel import gettext as _

    from plugins.selfstudy import services

    if not services.may_read(user, load):
        return []
    tasks = services.of_load(load.id)
    if lesson is None:
        tallies = services.tallies(load, tasks)
        waiting = sum(t.handed_in - t.marked for t in tallies.values())
        title = _("Самостоятельные работы (%(count)s)", count=len(tasks)) if tasks \
            else _("Самостоятельные работы")
        if waiting:
            title = _("%(title)s, ждут оценки: %(count)s", title=title, count=waiting)
        return [NavItem(title, "selfstudy.load", values={"load_id": load.id})]
    mine = [task for task in tasks if task.lesson_id == lesson.id]
    tallies = services.tallies(load, mine)
    links = [NavItem(_("Самостоятельная работа «%(title)s»: сдали %(done)s из %(total)s",
                       title=task.title, done=tallies[task.id].handed_in,
                       total=tallies[task.id].total), "selfstudy.task",
                     values={"task_id": task.id}) for task in mine]
    if services.may_set(user, load):
        links.append(NavItem(_("Задать самостоятельную работу"), "selfstudy.new",
                             values={"load_id": load.id, "lesson": lesson.id}))
    return links


@hookimpl
def demo_data(college):
    from plugins.selfstudy.demo import make_tasks

    make_tasks(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes self-study records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "selfstudy.task.add": _l("Самостоятельная работа задана"),
        "selfstudy.task.remove": _l("Самостоятельная работа снята"),
        "selfstudy.work.hand_in": _l("Самостоятельная работа сдана"),
        "selfstudy.work.received": _l("Самостоятельная работа принята на бумаге"),
        "selfstudy.work.mark": _l("Самостоятельная работа оценена"),
    }, targets={"Task": _l("Самостоятельная работа"), "Work": _l("Сданная работа")})
