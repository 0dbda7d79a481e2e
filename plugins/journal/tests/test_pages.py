"""The journal's pages: the list, the grid (read and write), the plain-form save."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.entry import CASES, split_entry
from plugins.journal.models import Lesson, TeachingLoad
from plugins.journal.tests.world import build, college_today, include_day
from tests.fixtures import signed_in

today = college_today


def test_the_list_shows_a_teacher_their_journals_only(app):
    world = build(app, prefix="p1")
    page = signed_in(app, world.users["teacher"]).get("/journal/").get_data(as_text=True)
    assert "Основы алгоритмизации p1" in page and "ИСП-p11" in page
    assert "ИСП-p12" not in page  # the other teacher's group


def test_the_grid_shows_students_and_lessons_and_is_404_outside_scope(app):
    world = build(app, students=3, lessons=4, prefix="p2")
    load = world.ids["load"]
    page = signed_in(app, world.users["curator"]).get(f"/journal/load/{load}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Студентов000 Иван Петрович" in text and "01.09" in text
    assert "Только просмотр" in text and 'name="cell-' not in text
    assert signed_in(app, world.users["other"]).get(f"/journal/load/{load}").status_code == 404
    assert signed_in(app, world.users["parent"]).get(f"/journal/load/{load}").status_code == 404
    assert signed_in(app, world.users["curator"]).get("/journal/load/999999").status_code == 404


def test_the_teacher_saves_a_mark_through_the_plain_form(app):
    world = build(app, students=2, lessons=1, prefix="p3")
    day = today(app)
    include_day(app, world, day)
    with app.app_context():
        load = db.session.get(TeachingLoad, world.ids["load"])
        lesson = Lesson(load_id=load.id, date=day, pair_number=3, hours=2, topic="Сегодня",
                        work_type="practical", taught_by_id=world.users["teacher"].id)
        db.session.add(lesson)
        db.session.commit()
        lesson_id = lesson.id
    client = signed_in(app, world.users["teacher"])
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    name = f"cell-grading-{lesson_id}-{world.students[0]}--"
    assert f'name="{name}"' in page
    # each input is labelled by its row's and its column's headers, for screen readers
    student = world.students[0]
    assert f'aria-labelledby="s{student} l{lesson_id}"' in page
    assert f'id="s{student}"' in page and f'id="l{lesson_id}"' in page
    response = client.post(f"/journal/load/{world.ids['load']}",
                           data={name: "5"}, follow_redirects=True)
    assert "Сохранено ячеек: 1" in response.get_data(as_text=True)
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    saved = re.search(rf'name="(cell-grading-{lesson_id}-{world.students[0]}-\d+-5)"', page)[1]
    unchanged = client.post(f"/journal/load/{world.ids['load']}", data={saved: "5"},
                            follow_redirects=True)
    assert "Изменений нет" in unchanged.get_data(as_text=True)
    bad = client.post(f"/journal/load/{world.ids['load']}", data={saved: "7"},
                      follow_redirects=True)
    assert "Ничего не сохранено" in bad.get_data(as_text=True)
    stale = client.post(f"/journal/load/{world.ids['load']}", data={name: "4"},
                        follow_redirects=True)  # the page before the save: version and value old
    assert "Ничего не сохранено" in stale.get_data(as_text=True)
    assert "другой пользователь" in stale.get_data(as_text=True)
    from plugins.grading.models import Mark

    with app.app_context():
        assert db.session.scalars(select(Mark.value).where(Mark.lesson_id == lesson_id)).all() == ["5"]


def test_a_viewer_cannot_post_the_grid(app):
    world = build(app, prefix="p4")
    response = signed_in(app, world.users["curator"]).post(
        f"/journal/load/{world.ids['load']}", data={})
    assert response.status_code == 404


def test_the_teachers_home_lists_todays_timetable_and_opening_the_grid_creates_the_lesson(app):
    from plugins.journal.models import TimetableSlot

    world = build(app, students=2, lessons=0, prefix="p5")
    day = today(app)
    with app.app_context():
        load = db.session.get(TeachingLoad, world.ids["load"])
        from core.calendar.models import Term

        term = db.session.get(Term, load.term_id)
        term.starts_on, term.ends_on = min(term.starts_on, day), max(term.ends_on, day)
        db.session.add(TimetableSlot(load_id=load.id, weekday=day.isoweekday(), pair_number=2,
                                     hours=2, valid_from=term.starts_on))
        db.session.commit()
    client = signed_in(app, world.users["teacher"])
    home = client.get("/").get_data(as_text=True)
    assert "Занятия сегодня" in home and "2 пара · ИСП-p51" in home and "не заполнено" in home
    assert client.get(f"/journal/load/{world.ids['load']}").status_code == 200
    with app.app_context():
        created = db.session.scalars(select(Lesson).where(Lesson.load_id == world.ids["load"])).all()
    assert [(lesson.date, lesson.pair_number) for lesson in created] == [(day, 2)]


def test_a_lesson_added_by_hand_today_is_on_the_teachers_home_page(app):
    """No timetable slot today: the lesson the teacher added by hand is listed all the same."""
    world = build(app, students=2, lessons=0, prefix="p9")
    day = college_today(app)
    include_day(app, world, day)
    client = signed_in(app, world.users["teacher"])
    assert "Сегодня по расписанию занятий нет" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.add(Lesson(load_id=world.ids["load"], date=day, pair_number=5, hours=2,
                              topic="", work_type="lecture"))
        db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "5 пара · ИСП-p91" in home and "не заполнено" in home
    with app.app_context():
        lesson = db.session.scalars(select(Lesson).where(Lesson.load_id == world.ids["load"])).one()
        lesson.topic = "Введение"
        db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "5 пара · ИСП-p91" in home and "не заполнено" not in home


def test_the_grid_asks_whether_the_session_is_back_and_gets_its_form_token(app):
    """After an idle time-out the grid keeps what was typed; this answer tells it when to send."""
    world = build(app, students=1, lessons=0, prefix="pa")
    anonymous = app.test_client()
    gone = anonymous.get("/journal/session", headers={"Accept": "application/json"})
    assert gone.status_code == 401 and gone.is_json
    back = signed_in(app, world.users["teacher"]).get("/journal/session",
                                                      headers={"Accept": "application/json"})
    assert back.status_code == 200 and back.get_json()["csrf_token"]


@pytest.mark.parametrize("typed,expected", list(CASES.items()))
def test_a_mark_input_understands_an_absence_typed_with_the_mark(typed, expected):
    assert split_entry(typed) == expected


def test_the_plain_form_moves_an_absence_typed_in_the_marks_input_to_the_absence_input(app):
    """Without JavaScript too: «5н» in the mark's input is a 5 and an absence, «н» an absence."""
    from plugins.attendance.models import Absence
    from plugins.grading.models import Mark

    world = build(app, students=2, lessons=0, prefix="pb")
    day = college_today(app)
    include_day(app, world, day)
    with app.app_context():
        lesson = Lesson(load_id=world.ids["load"], date=day, pair_number=3, hours=2,
                        topic="Сегодня", work_type="lecture",
                        taught_by_id=world.users["teacher"].id)
        db.session.add(lesson)
        db.session.commit()
        lesson_id = lesson.id
    client = signed_in(app, world.users["teacher"])
    first, second = world.students
    form = {f"cell-grading-{lesson_id}-{first}--": "5н",
            f"cell-attendance-{lesson_id}-{first}--": "",
            f"cell-grading-{lesson_id}-{second}--": "н",
            f"cell-attendance-{lesson_id}-{second}--": ""}
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert all(f'name="{name}"' in page for name in form)
    answer = client.post(f"/journal/load/{world.ids['load']}", data=form, follow_redirects=True)
    assert "Сохранено ячеек: 3" in answer.get_data(as_text=True)
    with app.app_context():
        marks = {m.student_id: m.value for m in db.session.scalars(
            select(Mark).where(Mark.lesson_id == lesson_id, Mark.value != ""))}
        absent = {a.student_id: a.kind for a in db.session.scalars(
            select(Absence).where(Absence.lesson_id == lesson_id, Absence.kind != ""))}
    assert marks == {first: "5"} and absent == {first: "absent", second: "absent"}
