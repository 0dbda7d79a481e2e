"""Teachers' filling of the journal (KTIS 3.8): of the lessons that have taken place, how many
got their topic on the lesson's day, how many later, how many are still empty. The journal
tells when each topic was first entered (``journal.lesson_fills``, one query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core.calendar.clock import college_day
from core.extensions import db
from core.people.models import User
from plugins.journal import api as journal


@dataclass(frozen=True)
class TeacherFilling:
    teacher_id: int
    name: str
    lessons: int
    on_day: int
    later: int
    empty: int

    @property
    def on_day_share(self) -> int:
        """The percentage filled on the day (0 without lessons)."""
        return round(100 * self.on_day / self.lessons) if self.lessons else 0


def teachers_filling(start: date, end: date, today: date) -> list[TeacherFilling]:
    """Each teacher's lessons between ``start`` and ``end`` up to ``today``, worst first."""
    tally: dict[int, list[int]] = {}
    for fill in journal.lesson_fills(start, min(end, today)):
        counts = tally.setdefault(fill.teacher_id, [0, 0, 0])
        if fill.filled_at is None:
            counts[2] += 1
        elif college_day(fill.filled_at) <= fill.day:
            counts[0] += 1
        else:
            counts[1] += 1
    if not tally:
        return []
    names = {user.id: user.full_name for user in db.session.scalars(
        select(User).where(User.id.in_(tally)))}
    rows = [TeacherFilling(teacher_id, names.get(teacher_id, "—"), sum(c), *c)
            for teacher_id, c in tally.items()]
    return sorted(rows, key=lambda row: (row.on_day_share, row.name))
