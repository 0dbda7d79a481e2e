"""The printed journal's record of lessons names the tasks done beside the topic (KTIS 3.13)."""

from __future__ import annotations

from core.extensions import db
from core.people.models import User, short_names
from plugins.grading.tests.world import build
from plugins.journal import api as journal
from plugins.journal.models import Lesson
from plugins.reports.builtin import load_pages


def test_the_printed_record_of_lessons_has_the_tasks_done_after_the_topic(app):
    world = build(app, prefix="rt")
    with app.test_request_context():
        db.session.get(Lesson, world.lessons[0]).tasks_done = "Задачи 1–3 у доски"
        db.session.flush()
        load = journal.get_load(world.ids["load"])
        admin = db.session.get(User, world.users["admin"].id)
        record = load_pages(load, admin, short_names({load.teacher_id}))[-1]
        topic = record.columns.index("Тема занятия")
        assert record.columns[topic + 1] == "Выполненные задания"
        assert "Задачи 1–3 у доски" in [row[topic + 1] for row in record.rows]
        assert len(record.footer[0]) == len(record.columns)
