"""Fixtures of the materials' tests: the messages' small college (``plugins.messaging.tests.
world``: ИСП-21 with Петров in subgroup 1 of English, Смирнова outside it, ТМ-31 with Фёдорова)
with a lesson in each of this term's journals on a Monday."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.models import Lesson, TeachingLoad
from plugins.messaging.tests.world import build

#: a Monday, 12:00 in Moscow
NOON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
#: the journals by the key of their teacher in the world
LOADS = ("teacher", "english", "teacher2")


@pytest.fixture
def world(app, clock):
    clock.set(NOON, tick=True)
    found = build(app, NOON.date(), prefix="mt")
    with app.app_context():
        for key in LOADS:
            load_id = db.session.scalar(select(TeachingLoad.id).where(
                TeachingLoad.teacher_id == found.id(key)).order_by(TeachingLoad.id.desc()))
            lesson = Lesson(load_id=load_id, date=NOON.date(), pair_number=LOADS.index(key) + 1,
                            topic=f"Тема занятия ({key})", homework="Прочитать §3")
            db.session.add(lesson)
            db.session.flush()
            found.ids[f"load:{key}"] = load_id
            found.ids[f"lesson:{key}"] = lesson.id
        db.session.commit()
    return found
