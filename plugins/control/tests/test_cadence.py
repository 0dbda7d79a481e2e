"""The cadences of each preset at frozen time (BTT: course supervisors every 14 days, the deputy
every 7; KTIS: the deputy every 7, the methodological service daily, the term-end check, results
to the director), on the checker's and the deputy's home page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import migrate
from core.extensions import db
from core.people.models import User
from plugins.control import rules, services
from plugins.control.tests.conftest import NOON
from plugins.control.tests.world import build
from tests.fixtures import signed_in


def signed_check(app, world, who: str, role: str, day) -> None:
    with app.test_request_context():
        user = db.session.get(User, world.id(who))
        check = services.start_check(user, role, "regular", day - timedelta(days=6), day)
        services.sign(user, check)
        db.session.commit()


def due_days(app) -> dict[tuple[str, str], tuple[int, object]]:
    with app.test_request_context():
        return {(due.name, due.role): (due.days, due.due_on) for due in rules.dues()}


def at(clock, day) -> None:
    clock.set(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9), tick=True)


def test_btt_supervisors_every_14_days_the_deputy_every_7(app, world, clock):
    today = NOON.date()
    dues = due_days(app)
    assert dues[("Кузнецов А.", "supervisor")] == (14, today)  # never checked: due today
    assert dues[("Лебедева О.", "deputy")] == (7, today)
    assert not [key for key in dues if key[1] == "methodist"]  # no cadence in BTT
    signed_check(app, world, "supervisor", "supervisor", today)
    signed_check(app, world, "deputy", "deputy", today)
    dues = due_days(app)
    assert dues[("Кузнецов А.", "supervisor")][1] == today + timedelta(days=14)
    assert dues[("Лебедева О.", "deputy")][1] == today + timedelta(days=7)
    at(clock, today + timedelta(days=13))
    home = signed_in(app, world.users["supervisor"]).get("/").get_data(as_text=True)
    assert "Проверка журналов (Куратор курса)" not in home
    at(clock, today + timedelta(days=15))
    home = signed_in(app, world.users["supervisor"]).get("/").get_data(as_text=True)
    assert "Проверка журналов (Куратор курса): срок — 21.10.2026" in home
    assert "просрочена на 1 дн." in home
    deputy_home = signed_in(app, world.users["deputy"]).get("/").get_data(as_text=True)
    assert "Кузнецов А. (Куратор курса): срок — 21.10.2026" in deputy_home  # to the deputy
    assert "Проверка журналов (Заместитель директора): срок — 14.10.2026" in deputy_home
    assert "Жукова А. (Куратор курса)" in deputy_home  # never checked
    director_home = signed_in(app, world.users["director"]).get("/").get_data(as_text=True)
    assert "Справки по итогам проверок" not in director_home  # BTT: not reported to them


@pytest.fixture
def ktis(make_app, tmp_path, clock):
    clock.set(NOON, tick=True)
    app = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(app)
    return app, build(app, NOON.date(), prefix="k")


def test_ktis_deputy_weekly_methodist_daily_term_end_check_results_to_director(ktis, clock):
    app, world = ktis
    today = NOON.date()
    dues = due_days(app)
    assert dues[("Лебедева О.", "deputy")] == (7, today)
    assert dues[("Зайцева Г.", "methodist")] == (1, today)
    assert not [key for key in dues if key[1] == "supervisor"]  # no cadence in KTIS
    signed_check(app, world, "methodist", "methodist", today)
    at(clock, today + timedelta(days=1))
    assert due_days(app)[("Зайцева Г.", "methodist")][1] == today + timedelta(days=1)
    home = signed_in(app, world.users["methodist"]).get("/").get_data(as_text=True)
    assert "Проверка журналов (Учебно-методическая служба): срок — 08.10.2026" in home
    with app.test_request_context():
        assert rules.kinds() == ["regular", "term_end"]
    director_home = signed_in(app, world.users["director"]).get("/").get_data(as_text=True)
    assert "Справки по итогам проверок" in director_home  # KTIS 5.4: results to the director
