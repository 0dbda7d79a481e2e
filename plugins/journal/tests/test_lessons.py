"""The lesson page: recorded by hand, edited within the window with history, links of plugins;
the grid's subgroup filter."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.extensions import db
from core.people.models import Subgroup, SubgroupMembership
from plugins.journal.models import Lesson, LessonHistory
from plugins.journal.tests.world import TERM_START, build, college_today, include_day
from tests.fixtures import signed_in


def _form(day: date, **values) -> dict:
    return {"date": day.isoformat(), "pair_number": "5", "hours": "2", "work_type": "practical",
            "topic": "Ветвления", "homework": "§4, задачи 1–3", "homework_due": "", **values}


def _today_world(app, prefix):
    world = build(app, students=2, lessons=1, prefix=prefix)
    include_day(app, world, college_today(app))
    return world


def test_a_teacher_records_a_lesson_by_hand_and_edits_it_with_history(app):
    world = _today_world(app, "l1")
    day = college_today(app)
    client = signed_in(app, world.users["teacher"])
    load = world.ids["load"]
    assert "Добавить занятие" in client.get(f"/journal/load/{load}").get_data(as_text=True)
    created = client.post(f"/journal/load/{load}/lessons/new", data=_form(day))
    assert created.status_code == 302
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.load_id == load,
                                                        Lesson.date == day))
        assert (lesson.topic, lesson.pair_number, lesson.homework) == ("Ветвления", 5, "§4, задачи 1–3")
        lesson_id, version = lesson.id, lesson.version
    page = client.get(f"/journal/lessons/{lesson_id}").get_data(as_text=True)
    assert "Ветвления" in page and "Запись занятия не менялась" in page
    edited = client.post(f"/journal/lessons/{lesson_id}",
                         data=_form(day, topic="Ветвления и циклы", version=str(version)),
                         follow_redirects=True).get_data(as_text=True)
    assert "Изменения занятия сохранены" in edited and "Ветвления и циклы" in edited
    with app.app_context():
        rows = db.session.scalars(select(LessonHistory).where(
            LessonHistory.lesson_id == lesson_id)).all()
        assert [(r.field, r.old_value, r.new_value) for r in rows] == [
            ("topic", "Ветвления", "Ветвления и циклы")]
    stale = client.post(f"/journal/lessons/{lesson_id}",
                        data=_form(day, topic="Старая вкладка", version=str(version)))
    assert stale.status_code == 422
    assert "изменено другим пользователем" in stale.get_data(as_text=True)


def test_bad_lesson_input_is_a_russian_form_error_and_nothing_is_saved(app):
    world = _today_world(app, "l2")
    day = college_today(app)
    client = signed_in(app, world.users["teacher"])
    load = world.ids["load"]
    for values, message in (({"topic": ""}, "Запишите тему"),
                            ({"pair_number": "9"}, "от 1 до 8"),
                            ({"date": "завтра"}, ""),
                            ({"date": (day + timedelta(days=1)).isoformat()}, "заранее"),
                            ({"date": "2031-01-01"}, "вне семестра")):
        response = client.post(f"/journal/load/{load}/lessons/new", data=_form(day, **values))
        assert response.status_code == 422, values
        assert "is-invalid" in response.get_data(as_text=True) and message in response.get_data(
            as_text=True), values
    assert client.post(f"/journal/load/{load}/lessons/new", data=_form(day)).status_code == 302
    twice = client.post(f"/journal/load/{load}/lessons/new", data=_form(day))
    assert "уже есть в журнале" in twice.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Lesson.id)).where(
            Lesson.load_id == load, Lesson.date == day)) == 1


def test_moving_a_lesson_onto_a_taken_pair_is_refused_not_a_500(app):
    world = _today_world(app, "l3")
    day = college_today(app)
    client = signed_in(app, world.users["teacher"])
    load = world.ids["load"]
    client.post(f"/journal/load/{load}/lessons/new", data=_form(day, pair_number="1"))
    client.post(f"/journal/load/{load}/lessons/new", data=_form(day, pair_number="2"))
    with app.app_context():
        second = db.session.scalar(select(Lesson).where(Lesson.load_id == load, Lesson.date == day,
                                                        Lesson.pair_number == 2))
        lesson_id, version = second.id, second.version
    response = client.post(f"/journal/lessons/{lesson_id}",
                           data=_form(day, pair_number="1", version=str(version)))
    assert response.status_code == 422 and "уже есть в журнале" in response.get_data(as_text=True)


def test_past_lessons_are_read_only_and_others_cannot_reach_them(app):
    world = build(app, students=2, lessons=1, prefix="l4")
    lesson_id = world.lessons[0]
    teacher = signed_in(app, world.users["teacher"])
    page = teacher.get(f"/journal/lessons/{lesson_id}").get_data(as_text=True)
    assert "Срок заполнения занятия истёк" in page and 'name="topic"' not in page
    assert teacher.post(f"/journal/lessons/{lesson_id}",
                        data=_form(TERM_START, version="1")).status_code == 404
    assert signed_in(app, world.users["other"]).get(
        f"/journal/lessons/{lesson_id}").status_code == 404
    assert signed_in(app, world.users["parent"]).get(
        f"/journal/lessons/{lesson_id}").status_code == 404
    assert teacher.get("/journal/lessons/999999").status_code == 404
    assert signed_in(app, world.users["curator"]).get(
        f"/journal/load/{world.ids['load']}/lessons/new").status_code == 404


def test_hook_journal_links(app):
    """Grading links the lesson page to the history of its marks, for staff."""
    world = build(app, students=2, lessons=1, prefix="l5")
    page = signed_in(app, world.users["curator"]).get(
        f"/journal/lessons/{world.lessons[0]}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)">История оценок за это занятие', page)
    assert link
    history = signed_in(app, world.users["curator"]).get(
        link[1].replace("&amp;", "&"), headers={"Accept": "text/html"})
    assert history.status_code == 200
    assert "История оценок за занятие 01.09.2026" in history.get_data(as_text=True)


def test_the_grid_of_a_whole_group_filters_by_subgroup(app):
    world = build(app, students=3, lessons=2, prefix="l6")
    with app.app_context():
        first, second = (Subgroup(group_id=world.ids["group"], label="Информатика", number=n)
                         for n in (1, 2))
        db.session.add_all([first, second])
        db.session.flush()
        db.session.add_all([
            SubgroupMembership(student_id=world.students[0], subgroup_id=first.id,
                               from_date=TERM_START),
            SubgroupMembership(student_id=world.students[1], subgroup_id=second.id,
                               from_date=TERM_START),
        ])
        db.session.commit()
        first_id = first.id
    client = signed_in(app, world.users["teacher"])
    whole = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert "Информатика, 1 подгруппа" in whole
    assert all(f"Студентов00{n}" in whole for n in range(3))
    part = client.get(f"/journal/load/{world.ids['load']}?subgroup={first_id}").get_data(
        as_text=True)
    assert "Студентов000" in part and "Студентов001" not in part and "Студентов002" not in part
    other = client.get(f"/journal/load/{world.ids['load']}?subgroup=999999").get_data(
        as_text=True)
    assert "Студентов002" in other  # an unknown subgroup shows the whole group
