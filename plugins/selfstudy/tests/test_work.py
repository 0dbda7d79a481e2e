"""A student hands in within the limits (a Russian refusal beyond them, nothing saved); the
teacher sees who handed in and marks the work: the mark enters the journal's cell of the lesson
chosen, with its type, audited, within the edit window; the grid, the lesson, the diary show it.
The state of a work follows the college's clock: assigned, handed in, marked, overdue."""

from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.grading.models import Mark
from plugins.selfstudy.models import Work, WorkFile
from plugins.selfstudy.tests.conftest import THURSDAY
from plugins.selfstudy.tests.helpers import PDF, set_task, upload
from tests.fixtures import count_queries, signed_in

WEEK = "2026-10-05"


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.get_data(as_text=True)


def hand_in(client, task: int, **data):
    return client.post(f"/selfstudy/tasks/{task}/hand-in", data=data,
                       content_type="multipart/form-data")


def mark(client, world, task: int, student: str, value: str = "5", lesson: str = "monday",
         mark_type: str = "written"):
    sid = world.ids[student]
    return client.post(f"/selfstudy/tasks/{task}/students/{sid}/mark", data={
        f"s{sid}-value": value, f"s{sid}-lesson": str(world.ids[f"lesson:teacher:{lesson}"]),
        f"s{sid}-mark_type": mark_type})


def test_a_student_hands_in_a_text_and_a_file_and_the_teacher_sees_it(app, world):
    task = set_task(app, world)
    student = signed_in(app, world.users["student"])
    response = hand_in(student, task, text="Ответы на задачи 1–5", files=upload())
    assert response.status_code == 302
    mine = page(student, f"/selfstudy/tasks/{task}")
    assert "сдано" in mine and "otvet.pdf" in mine
    teacher = page(signed_in(app, world.users["teacher"]), f"/selfstudy/tasks/{task}")
    assert "Сдали: 1 из 3" in teacher and "Ответы на задачи 1–5" in teacher
    grid = page(signed_in(app, world.users["teacher"]),
                f"/journal/load/{world.ids['load:teacher']}")
    assert "Самостоятельные работы (1), ждут оценки: 1" in grid
    lesson = page(signed_in(app, world.users["teacher"]),
                  f"/journal/lessons/{world.ids['lesson:teacher:monday']}")
    assert "«Решить задачи 1–5»: сдали 1 из 3" in lesson
    with app.app_context():
        work = db.session.scalar(select(Work).where(Work.task_id == task))
        assert db.session.scalar(select(WorkFile.filename).where(
            WorkFile.work_id == work.id)) == "otvet.pdf"
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "selfstudy.work.hand_in")) is not None
    # the file reaches the student, their parent and the teacher; not a classmate
    with app.app_context():
        file_id = db.session.scalar(select(WorkFile.id).where(WorkFile.work_id == work.id))
    for who in ("student", "parent", "teacher"):
        assert signed_in(app, world.users[who]).get(
            f"/selfstudy/files/{file_id}").status_code == 200, who
    for who in ("student2", "parent2", "teacher2"):
        assert signed_in(app, world.users[who]).get(
            f"/selfstudy/files/{file_id}").status_code == 404, who


def test_a_student_may_mark_a_task_done_without_text_or_files(app, world):
    task = set_task(app, world)
    student = signed_in(app, world.users["student"])
    assert hand_in(student, task).status_code == 302
    assert "сдано" in page(student, f"/selfstudy/tasks/{task}")


def test_handing_in_beyond_the_limits_is_refused_in_russian_and_saves_nothing(app, world):
    task = set_task(app, world)
    student = signed_in(app, world.users["student"])
    too_big = PDF + b"0" * (10 * 1024 * 1024)
    for data, words in (
            ({"files": upload("big.pdf", too_big)}, "больше 10 МБ"),
            ({"files": [upload("a.pdf"), upload("b.pdf"), upload("c.pdf"), upload("d.pdf")]},
             "не больше 3 файлов"),
            ({"files": upload("run.exe", b"MZ\x90\x00")}, "такого типа приложить нельзя"),
            ({"files": upload("fake.pdf", b"not a pdf at all")}, "не похоже на PDF"),
            ({"text": "я" * 5001}, "Текст работы — не длиннее 5000 знаков")):
        response = hand_in(student, task, **data)
        assert response.status_code == 422, words
        assert words in response.get_data(as_text=True), words
    with app.app_context():
        assert db.session.scalar(select(Work.handed_in_at).where(Work.task_id == task)) is None
        assert db.session.scalar(select(WorkFile.id)) is None


def test_only_the_student_hands_in_not_the_parent_nor_a_classmate(app, world):
    task = set_task(app, world, individual=True, students=("petrov",))
    assert hand_in(signed_in(app, world.users["parent"]), task).status_code == 404
    assert hand_in(signed_in(app, world.users["student2"]), task).status_code == 404


def test_the_teacher_marks_the_work_into_the_journal_with_its_type(app, world):
    task = set_task(app, world)
    assert hand_in(signed_in(app, world.users["student"]), task,
                   text="Готово").status_code == 302
    teacher = signed_in(app, world.users["teacher"])
    assert mark(teacher, world, task, "petrov", "5").status_code == 302
    with app.app_context():
        row = db.session.execute(select(Mark.value, Mark.mark_type).where(
            Mark.lesson_id == world.ids["lesson:teacher:monday"],
            Mark.student_id == world.ids["petrov"])).one()
        assert tuple(row) == ("5", "written")
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"grade.edit", "selfstudy.work.mark"} <= actions
    grid = page(teacher, f"/journal/load/{world.ids['load:teacher']}")
    assert 'title="письменная работа"' in grid or "письменная работа" in grid
    task_page = page(teacher, f"/selfstudy/tasks/{task}")
    assert "оценено" in task_page
    for who in ("student", "parent"):
        diary = page(signed_in(app, world.users[who]),
                     f"/diary/students/{world.ids['petrov']}?week={WEEK}")
        assert "оценено" in diary, who
        assert "<td>5</td>" in diary, who  # the section's mark column


def test_a_lesson_whose_kind_of_work_fixes_the_type_gives_the_mark_that_type(app, world):
    from plugins.journal.models import Lesson

    with app.app_context():
        db.session.get(Lesson, world.ids["lesson:teacher:monday"]).work_type = "control"
        db.session.commit()
    task = set_task(app, world)
    assert mark(signed_in(app, world.users["teacher"]), world, task, "petrov", "4",
                mark_type="oral").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Mark.mark_type).where(
            Mark.student_id == world.ids["petrov"])) == "control"


def test_a_second_mark_replaces_the_first_in_its_cell(app, world):
    task = set_task(app, world)
    teacher = signed_in(app, world.users["teacher"])
    assert mark(teacher, world, task, "smirnova", "3").status_code == 302
    assert mark(teacher, world, task, "smirnova", "4").status_code == 302
    with app.app_context():
        values = db.session.scalars(select(Mark.value).where(
            Mark.lesson_id == world.ids["lesson:teacher:monday"],
            Mark.student_id == world.ids["smirnova"], Mark.value != "")).all()
        assert values == ["4"]


def test_a_mark_beside_the_cell_s_marks_keeps_them(app, world):
    from plugins.grading import services as grading

    with app.test_request_context():
        from core.people.models import User
        from plugins.journal import api as journal

        teacher = db.session.get(User, world.id("teacher"))
        grading.save_cells(journal.get_load(world.ids["load:teacher"]), teacher, [{
            "lesson_id": world.ids["lesson:teacher:monday"], "student_id": world.ids["petrov"],
            "value": "3", "version": None}])
        db.session.commit()
    task = set_task(app, world)
    assert mark(signed_in(app, world.users["teacher"]), world, task, "petrov", "5") \
        .status_code == 302
    with app.app_context():
        rows = db.session.execute(select(Mark.value, Mark.mark_type).where(
            Mark.lesson_id == world.ids["lesson:teacher:monday"],
            Mark.student_id == world.ids["petrov"]).order_by(Mark.position)).all()
        assert [tuple(r) for r in rows] == [("3", "oral"), ("5", "written")]


def test_a_mark_past_the_edit_window_is_refused_with_the_window_s_reason(app, world, clock):
    task = set_task(app, world)
    clock.set(THURSDAY, tick=True)
    teacher = signed_in(app, world.users["teacher"])
    response = mark(teacher, world, task, "petrov", "5", lesson="monday")
    assert response.status_code == 422
    assert "Срок заполнения занятия" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Mark.id).where(
            Mark.student_id == world.ids["petrov"])) is None
    assert mark(teacher, world, task, "petrov", "5", lesson="thursday").status_code == 302


def test_a_bad_mark_is_refused_in_russian(app, world):
    task = set_task(app, world)
    response = mark(signed_in(app, world.users["teacher"]), world, task, "petrov", "7")
    assert response.status_code == 422
    assert "Оценка" in response.get_data(as_text=True) or "оценк" in response.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Work.mark_id).where(Work.task_id == task)) is None


def test_the_state_follows_the_college_clock(app, world, clock):
    task = set_task(app, world, due=THURSDAY.date().replace(day=7))
    assert hand_in(signed_in(app, world.users["student"]), task).status_code == 302
    parent2 = signed_in(app, world.users["parent2"])
    assert "задано" in page(parent2, f"/selfstudy/tasks/{task}")
    clock.set(THURSDAY, tick=True)
    parent2 = signed_in(app, world.users["parent2"])
    assert "просрочено" in page(parent2, f"/selfstudy/tasks/{task}")
    diary = page(parent2, f"/diary/students/{world.ids['smirnova']}?week={WEEK}")
    assert "просрочено" in diary and "просрочено: 1" in diary
    assert "сдано" in page(signed_in(app, world.users["student"]), f"/selfstudy/tasks/{task}")


def test_the_diary_reads_a_fixed_number_of_queries_whatever_the_tasks(app, world):
    parent = signed_in(app, world.users["parent"])
    student = signed_in(app, world.users["student"])
    teacher = signed_in(app, world.users["teacher"])
    url = f"/diary/students/{world.ids['petrov']}?week={WEEK}"
    # one of each kind: collective, individual, handed in, marked
    set_task(app, world, title="Первое", individual=True, students=("petrov",))
    first = set_task(app, world, title="Сданное")
    hand_in(student, first, text="готово")
    assert mark(teacher, world, first, "petrov", "4").status_code == 302
    parent.get(url)
    with count_queries(app) as one:
        assert parent.get(url).status_code == 200
    for number in range(6):
        set_task(app, world, title=f"Задание {number}", individual=number % 2 == 0,
                 students=("petrov",) if number % 2 == 0 else (),
                 lesson="thursday" if number % 3 else "monday", due=THURSDAY.date())
    for number in range(2):
        task = set_task(app, world, title=f"Сданное {number}")
        hand_in(student, task, text="готово")
        assert mark(teacher, world, task, "smirnova", "3").status_code == 302
    with count_queries(app) as many:
        response = parent.get(url)
    assert "Задание 5" in response.get_data(as_text=True)
    assert many.count == one.count
