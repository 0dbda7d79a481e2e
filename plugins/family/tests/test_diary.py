"""The diary: a student's week with topics, homework, marks and absences; the term's marks and
absences; a parent switches between children; nobody sees another family's child."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from core.auth.passwords import hash_password
from core.extensions import db
from core.people.models import Guardian, RoleAssignment, StudentGuardian, User
from core.people.roles import ROLE_SCOPE, Role
from plugins.attendance import services as attendance
from plugins.attendance.tests.test_attendance import cell
from plugins.grading import services as grading
from plugins.grading.tests.world import PASSWORD, build, save_on_the_day
from plugins.journal import api as journal
from plugins.journal.models import Lesson
from tests.fixtures import count_queries, signed_in

PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
TODAY = 11


@pytest.fixture
def world(app):
    """The grading world; Петров's parent has a second child (Фёдорова); Кузнецов's parent."""
    made = build(app, prefix="fa")
    with app.app_context():
        for key, children in (("parent", (PETROV, FEDOROVA)), ("other_parent", (KUZNETSOV,))):
            user = User(login=f"fa.{key}", password_hash=hash_password(PASSWORD),
                        last_name="Родителева", first_name="Ольга")
            user.roles.append(RoleAssignment(role=Role.PARENT, scope_kind=ROLE_SCOPE[Role.PARENT]))
            db.session.add(user)
            db.session.flush()
            guardian = Guardian(last_name="Родителева", first_name="Ольга", user_id=user.id)
            db.session.add(guardian)
            db.session.flush()
            for child in children:
                db.session.add(StudentGuardian(student_id=made.students[child],
                                               guardian_id=guardian.id))
            made.users[key] = user
        lesson = db.session.get(Lesson, made.lessons[TODAY])
        lesson.homework, lesson.homework_due = "Задачи 1–5 на стр. 40", made.dates[TODAY] + \
            timedelta(days=7)
        db.session.commit()
        for user in made.users.values():
            _ = user.roles
    save_on_the_day(app, made, attendance.save_cells, "admin",
                    [cell(made, TODAY, KUZNETSOV, "н"), cell(made, 10, PETROV, "оп5")])
    save_on_the_day(app, made, grading.save_cells, "admin", [
        {"lesson_id": made.lessons[TODAY], "student_id": made.students[PETROV], "value": "5",
         "version": None},
        {"lesson_id": made.lessons[10], "student_id": made.students[PETROV], "value": "3",
         "version": None},
        {"lesson_id": made.lessons[TODAY], "student_id": made.students[KUZNETSOV],
         "value": "2", "version": None}])
    return made


def diary(client, world, who: int, week=None) -> str:
    week = week or world.dates[TODAY]
    response = client.get(f"/diary/students/{world.students[who]}?week={week.isoformat()}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_student_sees_their_week_with_topics_homework_marks_and_the_term(app, world):
    client = signed_in(app, world.users["student_user"])
    assert client.get("/diary/").headers["Location"].endswith(
        f"/diary/students/{world.students[PETROV]}")
    page = diary(client, world, PETROV)
    assert "Тема 12: алгоритмы и структуры данных" in page
    assert "Задачи 1–5 на стр. 40" in page
    assert '>5</span>' in page  # today's mark
    assert "Оценки за семестр" in page and "Пропуски за семестр" in page
    assert "4.00" in page  # (5 + 3) / 2 with equal weights of lecture marks
    assert client.get(f"/diary/students/{world.students[KUZNETSOV]}").status_code == 404


def test_a_parent_switches_children_and_never_sees_another_family(app, world):
    parent = signed_in(app, world.users["parent"])
    page = diary(parent, world, PETROV)
    assert f"/diary/students/{world.students[FEDOROVA]}" in page  # the second child's tab
    assert "оп5" in diary(parent, world, PETROV, world.dates[10])
    other_family = diary(signed_in(app, world.users["other_parent"]), world, KUZNETSOV)
    assert ">н</span>" in other_family and ">2</span>" in other_family
    assert ">2</span>" not in page and "Кузнецов" not in page
    for url in (f"/diary/students/{world.students[KUZNETSOV]}",
                f"/diary/students/{world.students[SMIRNOVA]}", "/diary/students/999999"):
        assert parent.get(url).status_code == 404
    assert signed_in(app, world.users["other_parent"]).get(
        f"/diary/students/{world.students[PETROV]}").status_code == 404


def test_staff_open_a_diary_within_their_scope_and_the_read_is_audited(app, world):
    client = signed_in(app, world.users["teacher"])
    assert "Тема 12" in diary(client, world, PETROV)
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "family.diary.view")) == "family.diary.view"
    assert signed_in(app, world.users["other"]).get(
        f"/diary/students/{world.students[PETROV]}").status_code == 404


def test_the_diary_query_count_does_not_grow_with_marks_and_lessons(app, world):
    def queries() -> int:
        client = signed_in(app, world.users["student_user"])
        url = f"/diary/students/{world.students[PETROV]}?week={world.dates[TODAY].isoformat()}"
        client.get(url)
        with count_queries(app) as counter:
            assert client.get(url).status_code == 200
        return counter.count

    before = queries()
    with app.app_context():  # more lessons and marks in the same week
        for pair in (3, 4, 5):
            lesson = Lesson(load_id=world.ids["load"], date=world.dates[TODAY], pair_number=pair,
                            hours=2, topic=f"Ещё тема {pair}", work_type="practical")
            db.session.add(lesson)
        db.session.commit()
    assert queries() == before


def test_the_diary_fits_a_phone(app, world):
    page = diary(signed_in(app, world.users["parent"]), world, PETROV)
    assert 'name="viewport"' in page and "width=device-width" in page
    assert "<table" not in page.split("Оценки за семестр")[0]  # the week is cards, not a table


def test_hook_diary_lesson_notes(app, world):
    """Grading and attendance each give their notes of a student's lessons."""
    with app.test_request_context():
        load = journal.get_load(world.ids["load"])
        lessons = journal.lessons(load)
        answers = journal.hook().diary_lesson_notes(student_id=world.students[PETROV],
                                                    lessons=lessons, user=None)
    texts = sorted(note.text for answer in answers for notes in (answer or {}).values()
                   for note in notes)
    assert texts == ["3", "5", "оп5"]


def test_hook_diary_sections(app, world):
    """Grading gives the term's marks by discipline; attendance the hours missed."""
    with app.test_request_context():
        entries = journal.student_loads(world.students[KUZNETSOV], world.dates[0],
                                        world.dates[TODAY])
        term = entries[0].load.term  # the diary asks for the term around its week
        sections = [s for batch in journal.hook().diary_sections(
            student_id=world.students[KUZNETSOV], student_loads=entries, start=term.starts_on,
            end=term.ends_on, user=None) for s in batch]
    by_title = {section.title: section for section in sections}
    marks = by_title["Оценки за семестр"].rows
    assert marks[0][1] == "2" and marks[0][2] == "2.00"
    absences = by_title["Пропуски за семестр, академических часов"].rows
    assert absences[-1][:2] == ["Всего", "2"]


def test_the_diary_shows_the_tasks_done_of_a_lesson(app, world):
    with app.app_context():
        db.session.get(Lesson, world.lessons[TODAY]).tasks_done = "Практическая работа № 3"
        db.session.commit()
    page = diary(signed_in(app, world.users["student_user"]), world, PETROV)
    assert "Выполнено:" in page and "Практическая работа № 3" in page
