"""Demo self-study: in the first demo student's group, a collective task set last week and due
a few days ago (the student handed in a text and it is marked into the journal, a classmate's
work waits for a mark, others missed it), a collective task due in a few days with a distance
consultation, and an individual task for the student with an in-person consultation; one more
individual task for a classmate only, which the student's family never sees. All through the
services, with the teacher's and the student's own accounts, at times within the edit window."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from core.extensions import db
from core.people.models import GroupMembership, Student, User
from core.policy import policy_value
from plugins.journal import api as journal
from plugins.selfstudy import services


def _at(day, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def make_tasks(college) -> None:
    students = college.made.get("student_users") or []
    loads = college.made.get("loads") or []
    if not students or not loads:
        return
    account = students[0]
    student = db.session.scalar(select(Student).where(Student.user_id == account.id))
    group_id = db.session.scalar(select(GroupMembership.group_id).where(
        GroupMembership.student_id == student.id, GroupMembership.left_on.is_(None)))
    mine = [journal.get_load(load.id) for load in loads
            if load.group_id == group_id and load.subgroup_id is None]
    today = college.today
    made = 0
    for number, load in enumerate(mine[:3]):
        teacher = db.session.get(User, load.teacher_id)
        lessons = [lesson for lesson in journal.lessons(load) if lesson.date <= today]
        roster = [s for s in journal.roster(load) if s.member_on(today)]
        if len(lessons) < 2 or len(roster) < 4:
            continue
        others = [s for s in roster if s.id != student.id]
        if number == 0:
            set_at = next((lesson for lesson in reversed(lessons)
                           if lesson.date <= today - timedelta(days=5)), lessons[0])
            marked_in = lessons[-1] if lessons[-1].date > set_at.date else None
            task = services.create(
                teacher, load, title="Конспект по теме занятия и ответы на вопросы 1–5",
                description="Ответы — письменно, в тетради или текстом в журнале.",
                due_on=set_at.date + timedelta(days=3), lesson_id=set_at.id)
            if policy_value("selfstudy.students_hand_in"):
                services.hand_in(account, task, load, student.id,
                                 text="Конспект выполнен, ответы на вопросы 1–5 приложены.",
                                 at=_at(set_at.date + timedelta(days=2), 9))
            else:
                services.record_hand_in(teacher, task, load, student.id,
                                        at=_at(set_at.date + timedelta(days=2), 9))
            services.record_hand_in(teacher, task, load, others[0].id,
                                    at=_at(set_at.date + timedelta(days=3), 8))
            if marked_in is not None:
                services.mark(teacher, task, load, student.id, value="5",
                              lesson_id=marked_in.id, mark_type="written",
                              at=_at(marked_in.date))
            made += 1
        elif number == 1:
            task = services.create(
                teacher, load, title="Реферат: подготовить доклад по теме раздела",
                description="Объём — 3–5 страниц, список литературы обязателен.",
                due_on=min(today + timedelta(days=4), load.term.ends_on),
                lesson_id=lessons[-1].id, consultation="distance",
                consultation_day=today + timedelta(days=2), consultation_time=time(16, 0),
                consultation_place="https://meet.college.example/consult")
            services.record_hand_in(teacher, task, load, others[1].id, at=_at(today, 8))
            made += 1
        else:
            services.create(
                teacher, load, title="Индивидуальное задание: разобрать ошибки контрольной",
                due_on=min(today + timedelta(days=1), load.term.ends_on),
                lesson_id=lessons[-1].id, individual=True, student_ids=[student.id],
                consultation="in_person", consultation_day=today + timedelta(days=1),
                consultation_time=time(14, 30), consultation_place="ауд. 214")
            services.create(
                teacher, load, title="Индивидуальное задание: досдать практическую работу",
                due_on=min(today + timedelta(days=3), load.term.ends_on),
                lesson_id=lessons[-1].id, individual=True, student_ids=[others[2].id])
            made += 2
    college.made["selfstudy_tasks"] = made
