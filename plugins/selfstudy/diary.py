"""What the diary (and so the weekly digest, which is built from it) shows of self-study: a
task in the row of the lesson it was set at, and under the week the term's tasks the student
still has to hand in, those missed (overdue) and those handed in or marked, each with its due
date and state. An individual task shows only in its students' diaries. A fixed number of
queries whatever the number of tasks."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from core.calendar.clock import college_day, college_today
from core.people import scope
from core.plugins import hookimpl
from core.plugins.types import DiaryNote, DiarySection
from plugins.grading import api as grading
from plugins.journal import api as journal
from plugins.selfstudy import services

#: the order rows of the section come in: what needs doing first
ORDER = {"overdue": 0, "assigned": 1, "handed_in": 2, "marked": 3}
#: how long a marked task stays in the section after its mark
MARKED_DAYS = 14


def _staff(user) -> bool:
    return user is not None and scope.is_staff(user)


def _for_student(tasks, student_id: int):
    """The tasks of ``tasks`` that are the student's (an individual one only when chosen)."""
    chosen = services.assignees_of(task.id for task in tasks if task.individual)
    return [task for task in tasks
            if not task.individual or student_id in chosen.get(task.id, set())]


def _due(task) -> str:
    return task.due_on.strftime("%d.%m.%Y")


@hookimpl(specname="diary_lesson_notes")
def lesson_notes(student_id, lessons, user) -> dict[int, list[DiaryNote]]:
    lessons = list(lessons)
    if _staff(user):
        shown = {load_id for load_id, load in {lesson.load_id: journal.load_of(lesson)
                                               for lesson in lessons}.items()
                 if services.may_read(user, load)}
        lessons = [lesson for lesson in lessons if lesson.load_id in shown]
    by_id = {lesson.id for lesson in lessons}
    tasks = [task for task in services.of_loads({lesson.load_id for lesson in lessons})
             if task.lesson_id in by_id]
    tasks = _for_student(tasks, student_id)
    works = services.works_of([task.id for task in tasks], [student_id])
    marks = grading.marks_by_id(work.mark_id for work in works.values())
    today = college_today()
    found: dict[int, list[DiaryNote]] = {}
    for task in tasks:
        state = services.state_of(task, works.get((task.id, student_id)), today, marks)
        found.setdefault(task.lesson_id, []).append(DiaryNote(
            "", title=str(services.STATES[state]),
            detail=_("Самостоятельная работа до %(date)s (%(state)s):", date=_due(task),
                     state=services.STATES[state]),
            link=url_for("selfstudy.task", task_id=task.id), link_title=task.title))
    return found


@hookimpl(specname="diary_sections")
def sections(student_id, student_loads, user) -> list[DiarySection]:
    """The term's self-study tasks of the student: to do, missed, handed in, and those marked in
    the last ``MARKED_DAYS`` days."""
    entries = {entry.load.id: entry for entry in student_loads}
    if _staff(user):
        entries = {load_id: entry for load_id, entry in entries.items()
                   if services.may_read(user, entry.load)}
    tasks = [task for task in services.of_loads(entries)
             if entries[task.load_id].joined_on <= task.due_on
             and (entries[task.load_id].left_on is None
                  or entries[task.load_id].left_on >= task.set_on)]
    tasks = _for_student(tasks, student_id)
    if not tasks:
        return []
    works = services.works_of([task.id for task in tasks], [student_id])
    marks = grading.marks_by_id(work.mark_id for work in works.values())
    today = college_today()
    rows, links, missed, due = [], [], 0, 0
    states = {task.id: services.state_of(task, works.get((task.id, student_id)), today, marks)
              for task in tasks}
    recent = today - timedelta(days=MARKED_DAYS)
    for task in sorted(tasks, key=lambda t: (ORDER[states[t.id]], t.due_on, t.id)):
        state = states[task.id]
        work = works.get((task.id, student_id))
        if state == "marked" and college_day(work.marked_at) < recent:
            continue  # long marked: the marks' section holds it
        mark = marks.get(work.mark_id) if work and work.mark_id else None
        missed += state == "overdue"
        due += state == "assigned"
        kind = _("индивидуальное") if task.individual else _("для группы")
        rows.append([entries[task.load_id].load.discipline.title, f"{task.title} ({kind})",
                     _due(task), str(services.STATES[state]), mark.text if mark else ""])
        if state != "marked":
            links.append((_("%(discipline)s: «%(title)s»",
                            discipline=entries[task.load_id].load.discipline.title,
                            title=task.title), url_for("selfstudy.task", task_id=task.id)))
    if not rows:
        return []
    note = _("К сроку: %(due)s, просрочено: %(missed)s.", due=due, missed=missed)
    return [DiarySection(_("Самостоятельные работы"),
                         [_("Дисциплина"), _("Задание"), _("Срок"), _("Состояние"),
                          _("Оценка")], rows, order=15, note=note, links=links)]
