"""Sign-ins by role per day, week and month: recorded from the sign-in itself on the college's
day, counted by the database, the same few queries whatever the data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.extensions import db
from core.people.roles import Role
from plugins.monitoring import usage
from plugins.monitoring.models import SignIn
from plugins.monitoring.tests.world import sign_in_at
from tests.fixtures import count_queries, signed_in

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _series(found: usage.Usage, role: Role) -> tuple[list[int], list[int]]:
    for series in found.roles:
        if series.role == role:
            return series.sign_ins, series.active
    return [0] * len(found.starts), [0] * len(found.starts)


def test_sign_in_through_the_form_is_recorded_on_the_college_day(app, world, clock):
    clock.set(datetime(2026, 11, 10, 21, 30, tzinfo=UTC))  # 00:30 on 11.11 in Moscow
    signed_in(app, world.users["teacher"])
    with app.app_context():
        rows = db.session.execute(select(SignIn.day, SignIn.week, SignIn.month)
                                  .where(SignIn.user_id == world.id("teacher"))).all()
    assert rows == [(date(2026, 11, 11), date(2026, 11, 9), date(2026, 11, 1))]


def test_a_refused_password_records_no_sign_in(app, world, client):
    response = client.post("/auth/login", data={"login": world.users["teacher"].login,
                                                "password": "wrong-password"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(SignIn.id).where(
            SignIn.user_id == world.id("teacher"))) is None


def _hand_built(app, world) -> None:
    for key, at in (
            ("teacher", datetime(2026, 11, 9, 5, 0, tzinfo=UTC)),
            ("teacher", datetime(2026, 11, 9, 10, 0, tzinfo=UTC)),  # twice that day
            ("teacher", datetime(2026, 11, 10, 5, 0, tzinfo=UTC)),
            ("teacher2", datetime(2026, 11, 10, 21, 30, tzinfo=UTC)),  # 11.11 in Moscow
            ("curator", datetime(2026, 11, 9, 6, 0, tzinfo=UTC)),
            ("pa_active", datetime(2026, 11, 15, 17, 0, tzinfo=UTC)),  # a Sunday
            ("st_active", datetime(2026, 11, 16, 11, 5, tzinfo=UTC)),
            ("director", datetime(2026, 10, 30, 7, 0, tzinfo=UTC)),  # the month before
    ):
        sign_in_at(app, world, key, at)


def test_counts_by_role_per_day(app, world):
    _hand_built(app, world)
    starts = [date(2026, 11, 9) + timedelta(days=n) for n in range(8)]
    with app.test_request_context():
        found = usage.usage("day", starts)
    assert _series(found, Role.TEACHER) == ([2, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0])
    assert _series(found, Role.CURATOR) == ([1, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0])
    assert _series(found, Role.PARENT) == ([0, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1, 0])
    assert _series(found, Role.STUDENT) == ([0] * 7 + [1], [0] * 7 + [1])
    assert _series(found, Role.DIRECTOR) == ([0] * 8, [0] * 8)
    assert found.sign_ins == [3, 1, 1, 0, 0, 0, 1, 1]
    assert found.active == [2, 1, 1, 0, 0, 0, 1, 1]


def test_counts_by_role_per_week_and_month(app, world):
    _hand_built(app, world)
    with app.test_request_context():
        weeks = usage.usage("week", usage.periods("week", date(2026, 11, 20), 3))
        months = usage.usage("month", usage.periods("month", date(2026, 11, 20), 2))
    assert weeks.starts == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    assert _series(weeks, Role.TEACHER) == ([0, 4, 0], [0, 2, 0])
    assert _series(weeks, Role.PARENT) == ([0, 1, 0], [0, 1, 0])
    assert _series(weeks, Role.STUDENT) == ([0, 0, 1], [0, 0, 1])
    assert months.starts == [date(2026, 10, 1), date(2026, 11, 1)]
    assert _series(months, Role.DIRECTOR) == ([1, 0], [1, 0])
    assert _series(months, Role.TEACHER) == ([0, 4], [0, 2])
    assert months.sign_ins == [1, 7] and months.active == [1, 5]


def test_a_user_with_two_roles_counts_in_each_and_once_in_all(app, world, make_user):
    both = make_user("m.both", roles=[Role.TEACHER, Role.CURATOR])
    with app.app_context():
        from plugins.monitoring.recording import record_sign_in

        record_sign_in(both.id, datetime(2026, 11, 9, 5, 0, tzinfo=UTC))
        db.session.commit()
    with app.test_request_context():
        found = usage.usage("day", [date(2026, 11, 9)])
    assert _series(found, Role.TEACHER) == ([1], [1])
    assert _series(found, Role.CURATOR) == ([1], [1])
    assert found.sign_ins == [1] and found.active == [1]


def _more_sign_ins(app, world, users, per_user: int) -> None:
    from plugins.monitoring.recording import record_sign_in

    with app.app_context():
        for user in users:
            for n in range(per_user):
                record_sign_in(user.id, NOW - timedelta(days=n % 28, hours=n % 5))
        db.session.commit()


def test_the_usage_page_makes_the_same_queries_whatever_the_data(app, world, make_user, clock):
    clock.set(NOW)
    client = signed_in(app, world.users["admin"])
    _more_sign_ins(app, world, [world.users["teacher"], world.users["pa_active"]], 3)
    for bucket in usage.BUCKETS:
        client.get(f"/monitoring/?bucket={bucket}")  # warm caches
    small = {}
    for bucket in usage.BUCKETS:
        with count_queries(app) as counted:
            assert client.get(f"/monitoring/?bucket={bucket}").status_code == 200
        small[bucket] = counted.count
    crowd = [make_user(f"m.crowd{n}", roles=[(Role.TEACHER, Role.STUDENT, Role.PARENT)[n % 3]])
             for n in range(12)]
    _more_sign_ins(app, world, crowd + [world.users["teacher"]], 40)
    for bucket in usage.BUCKETS:
        with count_queries(app) as counted:
            page = client.get(f"/monitoring/?bucket={bucket}")
        assert page.status_code == 200
        assert counted.count == small[bucket], bucket


def test_the_usage_page_shows_the_charts_and_the_counts(app, world, as_, clock):
    clock.set(NOW)
    _hand_built(app, world)
    page = as_("director").get("/monitoring/?bucket=week&end=2026-11-20")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("<svg viewBox") == 2
    assert "Входы по ролям" in html and "Активные пользователи по ролям" in html
    assert "4 / 2" in html  # the teachers' week of 09.11
    assert "style=" not in html.split("<main", 1)[-1]  # the CSP refuses inline styles


def test_the_usage_page_is_the_administrations(app, world, as_):
    for key in ("admin", "director", "deputy"):
        assert as_(key).get("/monitoring/").status_code == 200, key
    for key in ("teacher", "curator", "pa_active", "st_active", "methodist"):
        assert as_(key).get("/monitoring/").status_code == 404, key


def test_odd_parameters_fall_back_to_today(app, world, as_, clock):
    clock.set(NOW)
    client = as_("admin")
    for query in ("bucket=year", "end=2026-13-45", "end=9999-01-01", "end=2027-05-01"):
        assert client.get(f"/monitoring/?{query}").status_code == 200, query
    assert client.get("/monitoring/?end=%00").status_code == 400  # core.params refuses a NUL


def test_the_pages_are_linked_from_the_menu_and_the_administration(app, world, as_):
    admin = as_("admin")
    assert 'href="/monitoring/"' in admin.get("/admin/").get_data(as_text=True)
    assert 'href="/monitoring/groups"' in admin.get("/admin/").get_data(as_text=True)
    assert 'href="/monitoring/"' in as_("director").get("/").get_data(as_text=True)
    curator_home = as_("curator").get("/").get_data(as_text=True)
    assert 'href="/monitoring/groups"' in curator_home and 'href="/monitoring/"' not in curator_home
    assert "/monitoring/" not in as_("pa_active").get("/").get_data(as_text=True)
