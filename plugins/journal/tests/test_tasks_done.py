"""A lesson's record names the tasks done beside its topic and homework (KTIS 3.13: «вводить
дату, тему, изученную на занятии, выполненные задания и тип этих заданий, задание по
внеаудиторной самостоятельной работе»), kept with history like the topic."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from plugins.journal import api, services
from plugins.journal.models import Lesson, LessonHistory
from plugins.journal.tests.world import TERM_START, build
from tests.fixtures import signed_in

DAY = TERM_START.replace(day=7)  # a Monday of the term
DURING_THE_DAY = datetime.combine(DAY, time(9, 0), tzinfo=UTC)


def test_tasks_done_are_saved_with_history_like_the_topic(app):
    world = build(app, students=1, lessons=0, prefix="td1")
    with app.test_request_context():
        teacher = db.session.get(User, world.users["teacher"].id)
        load = api.get_load(world.ids["load"])
        lesson = services.create_lesson(teacher, load, DAY, 3, at=DURING_THE_DAY,
                                        topic="Циклы", tasks_done="Упражнения 1–4")
        db.session.commit()
        assert lesson.tasks_done == "Упражнения 1–4"
        services.update_lesson(teacher, lesson.id, lesson.version,
                               {"tasks_done": "  Упражнения 1–6, тест по теме  ",
                                "topic": "Циклы"}, at=DURING_THE_DAY)
        db.session.commit()
        rows = db.session.scalars(select(LessonHistory).where(
            LessonHistory.lesson_id == lesson.id)).all()
        assert [(r.field, r.old_value, r.new_value, r.changed_by_id) for r in rows] == [
            ("tasks_done", "Упражнения 1–4", "Упражнения 1–6, тест по теме", teacher.id)]
        assert api.get_lesson(lesson.id).tasks_done == "Упражнения 1–6, тест по теме"


def test_tasks_done_longer_than_the_limit_are_refused_and_nothing_changes(app):
    world = build(app, students=1, lessons=1, prefix="td2")
    with app.test_request_context():
        admin = db.session.get(User, world.users["admin"].id)
        lesson = db.session.get(Lesson, world.lessons[0])
        at = datetime.combine(lesson.date, time(9, 0), tzinfo=UTC)
        with pytest.raises(DomainError, match="Текст длиннее"):
            services.update_lesson(admin, lesson.id, lesson.version,
                                   {"tasks_done": "я" * (services.MAX_TEXT + 1)}, at=at)
        db.session.rollback()
        assert db.session.get(Lesson, world.lessons[0]).tasks_done == ""


def test_the_lesson_page_shows_the_tasks_done_beside_topic_and_homework(app):
    world = build(app, students=1, lessons=1, prefix="td3")
    with app.app_context():
        lesson = db.session.get(Lesson, world.lessons[0])
        lesson.tasks_done = "Лабораторная работа № 2"
        db.session.commit()
    page = signed_in(app, world.users["teacher"]).get(
        f"/journal/lessons/{world.lessons[0]}").get_data(as_text=True)
    assert "Выполненные задания" in page and "Лабораторная работа № 2" in page
    topic, tasks, homework = (page.index(text) for text in (
        "Тема", "Выполненные задания", "Домашнее задание / самостоятельная работа"))
    assert topic < tasks < homework
