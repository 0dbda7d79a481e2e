"""The archive's tests' world: grading's small journal (``plugins/grading/tests/world.py``)
built at a fixed instant, every final of both loads set, and the clock moved past the term."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.extensions import db
from core.people.models import User
from core.worker import TASKS
from plugins.archive import closing
from plugins.archive.models import ArchivedPeriod
from plugins.archive.periods import calendar_periods
from plugins.grading import services as grading
from plugins.grading.tests.world import World, build, noon
from plugins.journal import api as journal

#: the world's «today» while it is built: its twelve lessons end on this day
BUILT_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)


def make(app, clock, prefix: str = "ar") -> World:
    clock.set(BUILT_AT)
    return build(app, prefix=prefix)


def term_end(world: World):
    return world.dates[-1] + timedelta(days=30)


def set_final(app, world: World, load_key: str, student: int, value: str = "5") -> None:
    """The administrator sets a term final of ``load_key``'s journal (commits)."""
    with app.test_request_context():
        admin = db.session.get(User, world.users["admin"].id)
        grading.save_cells(journal.get_load(world.ids[load_key]), admin,
                           [{"key": "term_final", "student_id": world.students[student],
                             "value": value, "version": None}])
        db.session.commit()


def finals_everywhere(app, world: World, but_smirnova: bool = False) -> None:
    """Every term final: Петров, Кузнецов, Фёдорова in ИСП-21, Смирнова (moved) in ИСП-22."""
    for student in (PETROV, KUZNETSOV, FEDOROVA):
        set_final(app, world, "load", student)
    if not but_smirnova:
        set_final(app, world, "other_load", SMIRNOVA, "4")


def after_term(clock, world: World, days: int = 5) -> None:
    clock.set(noon(term_end(world) + timedelta(days=days)))


def the_term(app, world: World):
    with app.test_request_context():
        return next(choice for choice in calendar_periods()
                    if choice.term_id == world.ids["term"])


def run_worker(app, period_id: int) -> None:
    app.extensions[TASKS][closing.TASK].call_local(period_id)


def archive_term(app, world: World) -> int:
    """Close the world's term as the administrator and let the worker write it; its id."""
    choice = the_term(app, world)
    with app.test_request_context():
        admin = db.session.get(User, world.users["admin"].id)
        period_id = closing.start(admin, choice, choice.ends_on + timedelta(days=1)).id
    run_worker(app, period_id)
    with app.app_context():
        assert db.session.get(ArchivedPeriod, period_id).state == "archived"
    return period_id
