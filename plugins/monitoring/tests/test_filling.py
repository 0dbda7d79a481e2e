"""Teachers' filling (KTIS 3.8): a lesson's topic entered on its day (college time) or later, as
the journal's lesson history tells, or not yet; lessons still to come are not counted."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.extensions import db
from plugins.journal.models import Discipline, Lesson, LessonHistory
from plugins.monitoring import filling
from tests import college

TODAY = date(2026, 11, 20)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _lesson(load_id: int, day: int, pair: int, topic: str, created: datetime,
            taught_by: int | None = None) -> Lesson:
    lesson = Lesson(load_id=load_id, date=date(2026, 11, day), pair_number=pair, hours=2,
                    topic=topic, work_type="lecture", created_at=created, taught_by_id=taught_by)
    db.session.add(lesson)
    db.session.flush()
    return lesson


def _topic(lesson: Lesson, old: str, new: str, at: datetime, by: int) -> None:
    db.session.add(LessonHistory(lesson_id=lesson.id, changed_by_id=by, field="topic",
                                 old_value=old, new_value=new, changed_at=at))
    lesson.topic = new


def test_lessons_filled_on_the_day_later_or_not_yet(app, world):
    teacher, substitute = world.id("teacher"), world.id("teacher2")
    with app.app_context():
        term = college.add_term("2026/2027-м", date(2026, 9, 1), date(2027, 6, 30),
                                date(2026, 12, 28))
        discipline = Discipline(code="ОП.01", name="Информатика", kind="discipline",
                                commission_id=world.ids["commission"])
        db.session.add(discipline)
        db.session.flush()
        load = college.add_load(teacher, world.ids["group"], discipline.id, term.id)
        _lesson(load.id, 9, 1, "Введение", _at(9, 6))  # created with its topic that day
        late = _lesson(load.id, 9, 2, "", _at(9, 5))
        _topic(late, "", "Алгоритмы", _at(11, 15), teacher)  # two days later
        _lesson(load.id, 10, 1, "", _at(10, 5))  # still empty
        changed = _lesson(load.id, 10, 2, "Циклы", _at(10, 5))
        _topic(changed, "Циклы", "Циклы и ветвления", _at(12, 15), teacher)  # filled on the day
        evening = _lesson(load.id, 10, 3, "", _at(10, 5))
        _topic(evening, "", "Массивы", _at(10, 20, 30), teacher)  # 23:30 in Moscow: that day
        after_midnight = _lesson(load.id, 11, 1, "", _at(11, 5))
        _topic(after_midnight, "", "Строки", _at(11, 21, 5), teacher)  # 00:05 on the 12th
        _lesson(load.id, 30, 1, "", _at(20, 5))  # still to come
        _lesson(load.id, 12, 1, "Замена", _at(12, 6), taught_by=substitute)
        db.session.commit()
        rows = {row.teacher_id: row for row in filling.teachers_filling(
            date(2026, 11, 1), date(2026, 11, 30), TODAY)}
    mine = rows[teacher]
    assert (mine.lessons, mine.on_day, mine.later, mine.empty) == (6, 3, 2, 1)
    assert mine.on_day_share == 50
    other = rows[substitute]
    assert (other.lessons, other.on_day, other.later, other.empty) == (1, 1, 0, 0)
    assert other.name == "Титов Олег"


def test_no_lessons_no_rows(app, world):
    with app.app_context():
        assert filling.teachers_filling(date(2030, 1, 1), date(2030, 1, 31), TODAY) == []
