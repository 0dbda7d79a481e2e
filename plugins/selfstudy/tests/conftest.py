"""Fixtures of the self-study tests: the messages' small college (``plugins.messaging.tests.
world``: ИСП-21 with Петров (account ``student``, parent ``parent``) and Смирнова (``student2``,
``parent2``) and Кузнецов (no account), ТМ-31 with Фёдорова (``student3``, also ``parent``'s
child)) with a lesson of ОП.04 in ИСП-21 (``teacher``) on Monday 5 October and another on
Thursday 8 October, the clock at noon of that Monday in Moscow."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.journal.models import Lesson, TeachingLoad
from plugins.messaging.tests.world import build

#: a Monday, 12:00 in Moscow
NOON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
#: the Thursday after it, 12:00 in Moscow
THURSDAY = datetime(2026, 10, 8, 9, 0, tzinfo=UTC)


def make_world(app, prefix: str = "ss"):
    found = build(app, NOON.date(), prefix=prefix)
    with app.app_context():
        for key in ("teacher", "teacher2"):
            load_id = db.session.scalar(select(TeachingLoad.id).where(
                TeachingLoad.teacher_id == found.id(key)).order_by(TeachingLoad.id.desc()))
            found.ids[f"load:{key}"] = load_id
            for name, day in (("monday", NOON.date()), ("thursday", date(2026, 10, 8))):
                lesson = Lesson(load_id=load_id, date=day, pair_number=1,
                                topic=f"Тема ({key}, {name})")
                db.session.add(lesson)
                db.session.flush()
                found.ids[f"lesson:{key}:{name}"] = lesson.id
        db.session.commit()
    return found


@pytest.fixture
def world(app, clock):
    clock.set(NOON, tick=True)
    return make_world(app)
