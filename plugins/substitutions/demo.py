"""Demo substitutions: a teacher ill for two weeks, covered by two colleagues of the same
commission, and one cancelled lesson."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.people.models import User
from plugins.journal import api as journal
from plugins.journal.models import TeachingLoad
from plugins.substitutions import services


def make_substitutions(college) -> None:
    loads = journal.loads()
    by_teacher: dict[int, list] = {}
    for load in loads:
        by_teacher.setdefault(load.teacher_id, []).append(load)
    admin = db.session.scalar(select(User).where(User.login == "admin")) or db.session.get(
        User, next(iter(by_teacher), None))
    start = college.today - timedelta(days=16)
    for absent_id, own in sorted(by_teacher.items()):
        commission = own[0].discipline.commission_id
        colleagues = [t for t in db.session.scalars(select(TeachingLoad.teacher_id).distinct())
                      if t != absent_id and any(load.discipline.commission_id == commission
                                                for load in by_teacher.get(t, []))]
        if len(colleagues) < 2:
            continue
        made = 0
        for number, colleague in enumerate(colleagues):
            first = start + timedelta(days=7 * made)
            try:
                with db.session.begin_nested():
                    services.record(admin, "replacement", absent_id, colleague, first,
                                    first + timedelta(days=6), reason="Больничный лист")
                made += 1
            except services.DomainError:
                continue  # the colleague is busy then: ask the next one
            if made == 2 or number > 6:
                break
        if made:
            return
