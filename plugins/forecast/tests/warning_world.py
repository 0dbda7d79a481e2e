"""The early warning's small world at a frozen instant, on top of the grading tests' journal.

ИСП-21 (curator Орлова) studies ОП.04 this term (twelve weekly lessons, the last one today) and
had Инженерная графика in a term that ended ten days ago. On ОП.04:

- Петров has five good marks of every required kind; in the ended term he has no final;
- Кузнецов has six 2s of every kind (a failing forecast);
- Фёдорова has no marks and missed the last four lessons without a reason (8 hours; three of
  them, 6 hours, a week ago);
- Смирнова left for ИСП-22 seven weeks ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.calendar.models import Term
from core.extensions import db
from core.people.models import Group
from core.people.roles import Role
from plugins.attendance.models import Absence
from plugins.grading.models import Final, Mark
from plugins.grading.tests import world as grading_world
from plugins.journal.models import Discipline, TeachingLoad
from tests import college

#: the frozen instant: a Wednesday, 12:00 in Moscow
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 18)


@dataclass
class WarningWorld:
    base: grading_world.World
    curator: object
    other_curator: object
    ended_load: int

    @property
    def students(self):
        return self.base.students

    @property
    def ids(self):
        return self.base.ids


KINDS = ["oral", "control", "laboratory", "practical", "oral", "oral"]


def build(app, prefix: str = "w") -> WarningWorld:
    base = grading_world.build(app, prefix=prefix)
    with app.app_context():
        curator = college.add_user(f"{prefix}.curator", Role.CURATOR, "Орлова", "Вера",
                                   middle_name="Николаевна")
        other = college.add_user(f"{prefix}.curator2", Role.CURATOR, "Зайцева", "Нина",
                                 middle_name="Петровна")
        db.session.get(Group, base.ids["g1"]).curator_id = curator.id
        db.session.get(Group, base.ids["g2"]).curator_id = other.id
        # 32 hours: with 24 held, four lessons (a pair each) are left, as many as the policy's
        # «few lessons left» (``forecast.warning_lessons_left``, 4); a week ago five were
        db.session.get(TeachingLoad, base.ids["load"]).hours_total = 32
        petrov, _smirnova, kuznetsov, fedorova = base.students
        lessons = base.lessons
        for index, kind in zip((4, 5, 6, 7, 8), ("control", "laboratory", "practical", "oral",
                                                  "oral"), strict=True):
            db.session.add(Mark(lesson_id=lessons[index], student_id=petrov, position=0,
                                mark_type=kind, value="5" if index % 2 else "4"))
        for index, kind in zip((4, 5, 6, 7, 8, 9), KINDS, strict=True):
            db.session.add(Mark(lesson_id=lessons[index], student_id=kuznetsov, position=0,
                                mark_type=kind, value="2"))
        for index in (8, 9, 10, 11):
            db.session.add(Absence(lesson_id=lessons[index], student_id=fedorova,
                                   kind="absent", hours=2, reason="invalid"))
        year_id = db.session.get(Term, base.ids["term"]).year_id
        ended = Term(year_id=year_id, number=2, title="Осенний модуль",
                     starts_on=base.dates[0], ends_on=TODAY - timedelta(days=10))
        graphics = Discipline(code="ОП.01", name="Инженерная графика", kind="discipline")
        db.session.add_all([ended, graphics])
        db.session.flush()
        load = college.add_load(base.users["teacher"].id, base.ids["g1"], graphics.id,
                                ended.id)
        db.session.add_all([Final(load_id=load.id, student_id=kuznetsov, kind="term",
                                  value="3"),
                            Final(load_id=load.id, student_id=fedorova, kind="term",
                                  value="4")])
        db.session.commit()
        college.keep_roles([curator, other])
        return WarningWorld(base, curator, other, load.id)
