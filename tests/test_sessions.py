"""Sessions (ASVS 7.3): they end after an idle time (30 minutes for staff, longer for families)
and after an absolute lifetime shorter than Flask's 31 days; every page is ``no-store``; the
cookies are Secure whenever ``PUBLIC_URL`` is https."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import create_app, migrate
from core.errors import StartupError
from core.people.roles import Role

PASSWORD = "secret-pass-1"
START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def _signed_in_at(clock, client, user, at=START):
    clock.set(at)
    response = client.post("/auth/login", data={"login": user.login, "password": PASSWORD})
    assert response.status_code == 302


def _ended(response) -> bool:
    return response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_staff_session_ends_after_30_idle_minutes_and_activity_keeps_it(
        app, client, make_user, clock):
    teacher = make_user("idle.teacher", [Role.TEACHER])
    _signed_in_at(clock, client, teacher)
    clock.set(START + timedelta(minutes=29))
    assert client.get("/").status_code == 200
    clock.set(START + timedelta(minutes=58))  # 29 minutes after the last request
    assert client.get("/").status_code == 200
    clock.set(START + timedelta(minutes=58 + 31))
    response = client.get("/people/groups")
    assert _ended(response)
    assert "next=/people/groups" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Сеанс завершён: 30 мин. без действий" in page
    assert _ended(client.get("/"))  # signed out, not just redirected once


def test_a_family_session_idles_longer_than_a_staff_one(app, make_user, clock):
    parent = make_user("idle.parent", [Role.PARENT])
    teacher = make_user("idle.curator", [Role.TEACHER, Role.CURATOR])
    family, staff = app.test_client(), app.test_client()
    _signed_in_at(clock, family, parent)
    _signed_in_at(clock, staff, teacher)
    clock.set(START + timedelta(minutes=60))
    assert family.get("/").status_code == 200
    assert _ended(staff.get("/"))
    clock.set(START + timedelta(minutes=60 + 121))
    assert _ended(family.get("/"))


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, client, make_user, clock):
    assert app.permanent_session_lifetime < timedelta(days=31)
    teacher = make_user("busy.teacher", [Role.TEACHER])
    _signed_in_at(clock, client, teacher)
    at = START
    while at + timedelta(minutes=25) <= START + app.permanent_session_lifetime:
        at += timedelta(minutes=25)
        clock.set(at)
        assert client.get("/").status_code == 200, at
    clock.set(START + app.permanent_session_lifetime + timedelta(minutes=1))
    response = client.get("/")
    assert _ended(response)
    assert "с момента входа прошло больше 12 ч." in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_an_ended_session_answers_json_with_401_and_the_reason(app, client, make_user, clock):
    teacher = make_user("json.teacher", [Role.TEACHER])
    _signed_in_at(clock, client, teacher)
    clock.set(START + timedelta(minutes=31))
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["message"].startswith("Сеанс завершён")


def _own_app(make_app, tmp_path, **config):
    """An app on its own SQLite file, so that its commits never reach the shared database."""
    application = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'sessions.sqlite3'}", **config)
    migrate.upgrade(application)
    return application


def test_idle_time_and_lifetime_are_settings(make_app, make_user_in, tmp_path, clock):
    application = _own_app(make_app, tmp_path, SESSION_IDLE_MINUTES_STAFF=5,
                           PERMANENT_SESSION_LIFETIME=3600)
    teacher = make_user_in(application, "short.teacher", [Role.TEACHER])
    idle, busy = application.test_client(), application.test_client()
    _signed_in_at(clock, idle, teacher)
    _signed_in_at(clock, busy, teacher)
    for minutes in range(4, 60, 4):
        clock.set(START + timedelta(minutes=minutes))
        assert busy.get("/").status_code == 200
    assert _ended(idle.get("/"))
    clock.set(START + timedelta(minutes=61))
    assert _ended(busy.get("/"))


@pytest.mark.parametrize("key, value", [("SESSION_IDLE_MINUTES_STAFF", 0),
                                        ("SESSION_IDLE_MINUTES_FAMILY", "long"),
                                        ("PERMANENT_SESSION_LIFETIME", 0)])
def test_a_wrong_session_setting_stops_the_app_with_its_name(app_config, tmp_path, key, value):
    with pytest.raises(StartupError, match=key):
        create_app({**app_config, "INSTANCE_PATH": str(tmp_path), key: value})


def test_every_page_of_a_signed_in_user_is_no_store_static_files_are_not(
        app, client, login, make_user):
    login(make_user("cache.admin", [Role.ADMIN]))
    for url in ("/", "/people/staff", "/people/groups", "/auth/password", "/healthz",
                "/no-such-page"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url
    static = client.get("/static/ejournal.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")


@pytest.mark.parametrize("public_url, explicit, secure", [
    ("https://journal.college.ru", None, True),
    ("http://127.0.0.1:5000", None, False),
    ("https://journal.college.ru", False, False),  # an explicit setting wins
])
def test_cookies_are_secure_whenever_public_url_is_https(make_app, public_url, explicit, secure):
    overrides = {"PUBLIC_URL": public_url}
    if explicit is not None:
        overrides["SESSION_COOKIE_SECURE"] = overrides["REMEMBER_COOKIE_SECURE"] = explicit
    application = make_app(**overrides)
    assert application.config["SESSION_COOKIE_SECURE"] is secure
    assert application.config["REMEMBER_COOKIE_SECURE"] is secure


def test_the_session_cookie_of_an_https_college_carries_secure(make_app, make_user_in, tmp_path):
    application = _own_app(make_app, tmp_path, PUBLIC_URL="https://journal.college.ru")
    teacher = make_user_in(application, "secure.teacher", [Role.TEACHER])
    response = application.test_client().post(
        "/auth/login", data={"login": teacher.login, "password": PASSWORD})
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
