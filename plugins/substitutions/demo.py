"""Demo substitutions: a teacher ill for two weeks, covered by two colleagues of the same
commission, and one cancelled lesson; last year, a teacher's week of illness in March."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core.extensions import db
from core.people.models import User
from plugins.journal import api as journal
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
        colleagues = [t for t in sorted(by_teacher)
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


def make_previous_substitution(college) -> None:
    """Last year's substitution: a teacher ill for a week in March, covered by a colleague of
    the same commission, who taught those lessons (the printed journal names them)."""
    loads = college.made.get("previous_loads")
    if not loads:
        return
    year = college.made["previous_year"]
    monday = date(year.ends_on.year, 3, 2)
    monday += timedelta(days=-monday.weekday() % 7)
    admin = db.session.scalar(select(User).where(User.login == "admin"))
    by_teacher: dict[int, list] = {}
    for load in loads:
        by_teacher.setdefault(load.teacher_id, []).append(load)
    for absent_id, own in sorted(by_teacher.items()):
        commission = own[0].discipline.commission_id
        colleagues = sorted({load.teacher_id for load in loads if load.teacher_id != absent_id
                             and load.discipline.commission_id == commission})
        for colleague in colleagues:
            try:
                with db.session.begin_nested():
                    sub = services.record(admin, "replacement", absent_id, colleague, monday,
                                          monday + timedelta(days=4), reason="Больничный лист")
            except services.DomainError:
                continue  # the colleague is busy then: ask the next one
            sub.created_at = datetime.combine(monday, time(8, 0), tzinfo=UTC)
            for covered in services.occurrences(sub):
                journal.set_taught_by(covered.load_id, covered.date, covered.pair, colleague)
            return
