"""Guessing passwords: a lock per login shared by every app instance, the per-address limit in
Redis when configured, the proxy trusted only when configured, unknown logins as costly as
known ones, and nothing typed as an unknown login kept."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import redis
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select, text

from core import migrate
from core.audit import AuditEntry
from core.auth.passwords import hash_password
from core.errors import StartupError
from core.extensions import db
from core.people.models import User
from tests.concurrency import race
from tests.people_world import PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/3"
START = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)  # 12:15 in Moscow
WRONG = "not-the-password"
LOCK_TEXT = "Слишком много неудачных попыток входа под этим логином"
#: a roomy per-address limit, so that only the lock under test refuses
ROOMY = "1000 per minute"


@pytest.fixture
def own_app(make_app, tmp_path):
    """Apps on one SQLite file of their own: like two workers or two servers of one college."""

    def build(**config):
        config.setdefault("LOGIN_RATE_LIMIT", ROOMY)
        application = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'lockout.sqlite3'}", **config)
        migrate.upgrade(application)
        return application

    return build


def _add_user(application, login: str, **fields) -> int:
    with application.app_context():
        fields.setdefault("password_hash", hash_password(PASSWORD))
        user = User(login=login, last_name="Орлова", first_name="Анна", **fields)
        db.session.add(user)
        db.session.commit()
        return user.id


def _post(application, login: str, password: str, **environ):
    return application.test_client().post("/auth/login", data={"login": login, "password": password},
                                          environ_base=environ)


def _errors(response) -> list[str]:
    return re.findall(r'<div class="invalid-feedback d-block">([^<]+)</div>',
                      response.get_data(as_text=True))


def test_a_login_locks_after_failures_counted_by_every_app_instance(own_app, clock):
    clock.set(START)
    first, second = own_app(LOGIN_LOCK_AFTER=3), own_app(LOGIN_LOCK_AFTER=3)
    _add_user(first, "orlova")
    assert _errors(_post(first, "orlova", WRONG)) == ["Неверный логин или пароль."]
    assert _post(second, "Orlova", WRONG).status_code == 200  # logins match case-insensitively
    third = _post(first, "orlova", WRONG)
    assert _errors(third) == ["Неверный логин или пароль.",
                              f"{LOCK_TEXT}. Повторите через 1 мин."]

    for application in (second, first):  # the right password waits too, in either instance
        refused = _post(application, "orlova", PASSWORD)
        assert refused.status_code == 200
        assert _errors(refused) == [f"{LOCK_TEXT}. Повторите через 1 мин."]

    clock.set(START + timedelta(seconds=61))
    web = second.test_client()
    response = web.post("/auth/login", data={"login": "orlova", "password": PASSWORD})
    assert response.status_code == 302
    home = web.get(response.headers["Location"]).get_data(as_text=True)
    # three failures: the tries refused during the lock were not checked and are not counted
    assert ("С прошлого входа под вашим логином было неудачных попыток войти: 3, "
            "последняя — 02.03.2026 12:15.") in home
    web.post("/auth/logout")
    again = web.post("/auth/login", data={"login": "orlova", "password": PASSWORD})
    assert "неудачных попыток" not in web.get(again.headers["Location"]).get_data(as_text=True)


def test_each_failure_after_a_lock_doubles_it_up_to_the_cap(own_app, clock):
    application = own_app(LOGIN_LOCK_AFTER=2, LOGIN_LOCK_SECONDS=60, LOGIN_LOCK_MAX_SECONDS=200)
    _add_user(application, "belova")
    at = START
    for lock in (60, 120, 200, 200):  # 60 s, doubled, then held at the cap
        clock.set(at)
        tries = 2 if lock == 60 else 1
        for _ in range(tries):
            response = _post(application, "belova", WRONG)
        assert f"Повторите через {-(-lock // 60)} мин." in _errors(response)[-1]
        clock.set(at + timedelta(seconds=lock - 1))
        assert _errors(_post(application, "belova", PASSWORD))[0].startswith(LOCK_TEXT)
        at += timedelta(seconds=lock + 1)
    clock.set(at)
    assert _post(application, "belova", PASSWORD).status_code == 302


def test_an_unknown_login_locks_exactly_like_a_known_one(own_app, clock):
    clock.set(START)
    application = own_app(LOGIN_LOCK_AFTER=2)
    _add_user(application, "sokolova")
    for login in ("sokolova", "nobody.here"):
        answers = [_errors(_post(application, login, WRONG)) for _ in range(3)]
        assert answers == [
            ["Неверный логин или пароль."],
            ["Неверный логин или пароль.", f"{LOCK_TEXT}. Повторите через 1 мин."],
            [f"{LOCK_TEXT}. Повторите через 1 мин."],
        ], login


@pytest.fixture
def verifications(monkeypatch):
    """The argon2 parameters of every password verification made (argon2-cffi's own method)."""
    seen: list[tuple[int, int, int]] = []
    original = PasswordHasher.verify

    def verify(self, hash, password):
        params = extract_parameters(hash)
        seen.append((params.time_cost, params.memory_cost, params.parallelism))
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    return seen


def test_every_refusal_costs_one_verification_like_a_wrong_password(own_app, clock,
                                                                    verifications):
    clock.set(START)
    application = own_app(LOGIN_LOCK_AFTER=1)
    _add_user(application, "known")
    _add_user(application, "gone", active=False)
    _add_user(application, "locked")
    _add_user(application, "unset", password_hash=None)
    _post(application, "locked", WRONG)  # locks it
    own = (application.config["ARGON2_TIME_COST"], application.config["ARGON2_MEMORY_COST"],
           application.config["ARGON2_PARALLELISM"])

    for login, password in [("known", WRONG), ("nobody", WRONG), ("gone", PASSWORD),
                            ("unset", PASSWORD), ("locked", PASSWORD), ("known", PASSWORD)]:
        verifications.clear()
        _post(application, login, password)
        assert verifications == [own], login


def test_an_unknown_login_is_audited_without_what_was_typed(own_app):
    application = own_app()
    known_id = _add_user(application, "frolov")
    typed = "Frolov-Secret-2026"  # a password typed into the login field
    _post(application, typed, WRONG)
    _post(application, "frolov", WRONG)
    with application.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login_failed")
                                  .order_by(AuditEntry.id)).all()
    unknown, known = rows
    assert (unknown.target_type, unknown.target_id, unknown.note) == (None, None, "неизвестный логин")
    stored = json.dumps(unknown.content(), ensure_ascii=False, default=str)
    assert typed.lower() not in stored.lower()
    assert (known.target_type, known.target_id, known.note) == ("User", str(known_id),
                                                                "неверный пароль")
    with application.app_context():
        keys = db.session.scalars(text("SELECT key FROM core_login_throttle")).all()
    assert len(keys) == 2 and all(typed.lower() not in key for key in keys)  # HMACs only


@pytest.fixture
def redis_limits(make_app):
    """Redis database 3, emptied before and after; afterwards the process's one Limiter (shared
    by every app in it) is put back on memory storage by building an app without Redis."""
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    server.flushdb()
    yield server
    server.flushdb()
    make_app()


def test_the_per_address_limit_is_counted_in_redis_by_every_app_instance(own_app, redis_limits):
    env = {"REMOTE_ADDR": "10.40.50.60"}
    first = own_app(REDIS_URL=REDIS_URL, LOGIN_RATE_LIMIT="3 per minute")
    for login in ("a.one", "a.two"):
        assert _post(first, login, WRONG, **env).status_code == 200
    # a new instance, like another worker or server: the count it sees is in Redis
    second = own_app(REDIS_URL=REDIS_URL, LOGIN_RATE_LIMIT="3 per minute")
    assert _post(second, "a.three", WRONG, **env).status_code == 200
    refused = _post(second, "a.four", WRONG, **env)
    assert refused.status_code == 429
    assert "Слишком много попыток" in refused.get_data(as_text=True)
    assert redis_limits.keys("LIMITS:*")
    assert _post(second, "a.five", WRONG, REMOTE_ADDR="10.40.50.61").status_code == 200


def test_behind_a_trusted_proxy_each_client_has_its_own_limit_and_address(own_app):
    proxy = "10.0.0.2"
    application = own_app(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="2 per minute")
    for _ in range(2):
        _post(application, "x.one", WRONG, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert _post(application, "x.one", WRONG, REMOTE_ADDR=proxy,
                 HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # a classmate behind the same proxy is not refused for it
    assert _post(application, "x.two", WRONG, REMOTE_ADDR=proxy,
                 HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200
    with application.app_context():
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.ip == "203.0.113.6"


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(own_app):
    application = own_app(LOGIN_RATE_LIMIT="2 per minute")
    for client in ("198.51.100.1", "198.51.100.2"):
        _post(application, "y.one", WRONG, REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=client)
    assert _post(application, "y.one", WRONG, REMOTE_ADDR="10.1.1.1",
                 HTTP_X_FORWARDED_FOR="198.51.100.3").status_code == 429


@pytest.mark.parametrize("setting, value", [("TRUSTED_PROXIES", -1), ("TRUSTED_PROXIES", "1"),
                                            ("LOGIN_LOCK_AFTER", 0), ("LOGIN_LOCK_SECONDS", "60")])
def test_a_wrong_proxy_or_lock_setting_stops_the_start_naming_it(make_app, setting, value):
    with pytest.raises(StartupError, match=setting):
        make_app(**{setting: value})


@pytest.mark.committing
def test_failures_in_two_workers_at_the_same_instant_are_all_counted(committed_app):
    committed_app.config.update(LOGIN_LOCK_AFTER=1000, LOGIN_RATE_LIMIT=ROOMY)
    _add_user(committed_app, "race.target")

    def worker():
        web = committed_app.test_client()
        return lambda number: web.post("/auth/login", data={"login": "race.target",
                                                            "password": WRONG}).status_code

    assert race(6, [worker(), worker()]) == [[200] * 6, [200] * 6]
    with committed_app.app_context():
        assert db.session.scalar(text("SELECT failures FROM core_login_throttle")) == 12
