"""The database's own check of a lesson's version: an edit another transaction commits after
the lesson was read (here written behind the session's back, so the check in Python passes) is
found at write time and answered 409 with the lesson as it is now, never a 500."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from core.errors import Conflict
from core.extensions import db
from plugins.journal import services
from plugins.journal.models import Lesson, LessonHistory
from plugins.journal.tests.world import TERM_START, build

NOON = datetime(TERM_START.year, TERM_START.month, TERM_START.day, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(app):
    return build(app)


def test_a_lesson_edited_by_another_after_it_was_read_is_409_with_its_current_record(
        app, world):
    lesson_id = world.lessons[0]
    with app.test_request_context():
        assert db.session.get(Lesson, lesson_id).version == 1  # read, as the lesson page does
        lessons = Lesson.__table__
        db.session.connection().execute(update(lessons).where(lessons.c.id == lesson_id)
                                        .values(topic="Чужая тема", version=2))
        with pytest.raises(Conflict) as stale:
            services.update_lesson(world.users["teacher"], lesson_id, 1, {"topic": "Моя тема"},
                                   at=NOON)
        assert stale.value.details["current"]["topic"] == "Чужая тема"
        assert stale.value.details["current"]["version"] == 2
        assert db.session.query(LessonHistory).filter_by(lesson_id=lesson_id).count() == 0
        db.session.rollback()
