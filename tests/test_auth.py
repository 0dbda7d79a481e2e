"""Sign-in: replayed cookies, rate limit, argon2id with rehash, forced change, the students'
password rule of each preset, deactivation."""

from __future__ import annotations

import re

import pytest
from argon2 import extract_parameters
from sqlalchemy import select

from core import migrate
from core.auth.passwords import hash_password
from core.extensions import db
from core.people.models import User
from core.people.roles import Role
from tests.people_world import PASSWORD, build_world


@pytest.fixture
def own_app(make_app, tmp_path):
    """Apps on their own SQLite file, so their commits never reach the shared database."""

    def build(**config):
        application = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'auth.sqlite3'}", **config)
        migrate.upgrade(application)
        return application

    return build


def _add_user(application, login, roles=(), password=PASSWORD, **fields):
    from core.people.models import RoleAssignment
    from core.people.roles import ROLE_SCOPE

    with application.app_context():
        user = User(login=login, last_name="Иванова", first_name="Мария",
                    password_hash=hash_password(password), **fields)
        user.roles = [RoleAssignment(role=r, scope_kind=ROLE_SCOPE[r]) for r in roles]
        db.session.add(user)
        db.session.commit()
        return user.id


def _stored_hash(application, login):
    with application.app_context():
        return db.session.scalar(select(User.password_hash).where(User.login == login))


def test_session_cookie_replayed_after_logout_is_refused(app, client, login, make_user):
    user = make_user("zaitseva", [Role.TEACHER])
    login(user)
    stolen = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    client.post("/auth/logout")
    client.set_cookie("session", stolen)
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_repeated_failed_sign_ins_get_429_with_a_russian_message(own_app):
    application = own_app(LOGIN_RATE_LIMIT="3 per minute")
    _add_user(application, "orlova")
    web = application.test_client()
    env = {"REMOTE_ADDR": "10.20.30.40"}  # apart from the other tests' address
    for _ in range(3):
        response = web.post("/auth/login", data={"login": "orlova", "password": "wrong-pass"},
                            environ_base=env)
        assert response.status_code == 200
        assert "Неверный логин или пароль" in response.get_data(as_text=True)
    response = web.post("/auth/login", data={"login": "orlova", "password": PASSWORD},
                        environ_base=env)
    assert response.status_code == 429
    assert "Слишком много попыток" in response.get_data(as_text=True)


def test_stored_password_hashes_are_argon2id(app, make_user):
    user = make_user("belova", [Role.TEACHER])
    with app.app_context():
        stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_hash_of_the_old_defaults_moves_to_owasps_parameters_at_sign_in(own_app):
    """Hashes made with argon2-cffi's defaults (64 MiB, 3 passes, 4 lanes: ~8x the CPU) are
    renewed with OWASP's argon2id parameters when their owner next signs in."""
    from core.auth.passwords import OWASP_ARGON2

    old = own_app(ARGON2_TIME_COST=3, ARGON2_MEMORY_COST=65536, ARGON2_PARALLELISM=4)
    _add_user(old, "frolova", [Role.TEACHER])
    assert extract_parameters(_stored_hash(old, "frolova")).memory_cost == 65536
    owasp = own_app()
    for key in OWASP_ARGON2:  # the tests' cheap parameters out: as a college configures nothing
        owasp.config.pop(key)
    assert owasp.test_client().post("/auth/login", data={"login": "frolova",
                                                         "password": PASSWORD}).status_code == 302
    renewed = extract_parameters(_stored_hash(owasp, "frolova"))
    assert (renewed.memory_cost, renewed.time_cost, renewed.parallelism) == (19456, 2, 1)


def test_hash_is_rehashed_at_sign_in_when_argon2_parameters_change(own_app):
    first = own_app(ARGON2_TIME_COST=1)
    _add_user(first, "frolov", [Role.TEACHER])
    assert extract_parameters(_stored_hash(first, "frolov")).time_cost == 1
    stronger = own_app(ARGON2_TIME_COST=2)
    response = stronger.test_client().post("/auth/login",
                                           data={"login": "frolov", "password": PASSWORD})
    assert response.status_code == 302
    rehashed = _stored_hash(stronger, "frolov")
    assert extract_parameters(rehashed).time_cost == 2
    assert rehashed.startswith("$argon2id$")
    again = stronger.test_client().post("/auth/login",
                                        data={"login": "frolov", "password": PASSWORD})
    assert again.status_code == 302  # the new hash verifies


def _slip_credentials(html: str) -> list[tuple[str, str]]:
    return re.findall(r'Логин: <code class="fs-5">([^<]+)</code></div>\s*'
                      r'<div>Пароль: <code class="fs-5">([^<]+)</code>', html)


def test_forced_password_change_after_issued_credentials(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    page = client.post(f"/people/groups/{world.ids['g1']}/accounts", data={})
    assert page.status_code == 200  # nothing chosen: the form again, with a hint
    assert "Отметьте, кому выдать логины" in page.get_data(as_text=True)
    with app.app_context():
        from core.people.models import Guardian
        db.session.get(Guardian, world.ids["gu1"]).user_id = None  # the mother has no login yet
        db.session.commit()
    page = client.post(f"/people/groups/{world.ids['g1']}/accounts",
                       data={"guardians": [world.ids["gu1"]]})
    [(issued_login, issued_password)] = _slip_credentials(page.get_data(as_text=True))
    client.post("/auth/logout")

    response = client.post("/auth/login", data={"login": issued_login, "password": issued_password})
    assert response.headers["Location"].endswith("/auth/password")
    assert client.get("/").headers["Location"].endswith("/auth/password")
    changed = client.post("/auth/password", data={"current": issued_password,
                                                  "new": "Lipa-Oktyabr-2026!",
                                                  "confirm": "Lipa-Oktyabr-2026!"})
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == issued_login))
        assert user.must_change_password is False


def test_student_cannot_change_password_under_btt(app, client, login, make_user):
    student = make_user("kozlov.ai", [Role.STUDENT])
    login(student)
    response = client.get("/auth/password")
    assert response.status_code == 403
    assert "Обучающиеся не меняют пароль сами" in response.get_data(as_text=True)
    response = client.post("/auth/password", data={"current": PASSWORD, "new": "Kozlov-2026!",
                                                   "confirm": "Kozlov-2026!"})
    assert response.status_code == 403
    assert _stored_hash(app, "kozlov.ai") == student.password_hash


def test_a_btt_student_with_issued_credentials_lands_on_the_home_page(own_app):
    """Issued credentials ask for a new password, but a BTT student may not change one: the
    sign-in leads home, not to a refusal, and the menu offers no «Пароль»."""
    application = own_app(POLICY="btt")
    _add_user(application, "kozlov.ai", [Role.STUDENT], must_change_password=True)
    web = application.test_client()
    response = web.post("/auth/login", data={"login": "kozlov.ai", "password": PASSWORD})
    assert response.status_code == 302 and not response.headers["Location"].endswith("/password")
    home = web.get("/")
    assert home.status_code == 200 and "/auth/password" not in home.get_data(as_text=True)

    application = own_app(POLICY="ktis")  # who may change it is still asked to
    _add_user(application, "orlova.ms", [Role.STUDENT], must_change_password=True)
    web = application.test_client()
    response = web.post("/auth/login", data={"login": "orlova.ms", "password": PASSWORD})
    assert response.headers["Location"].endswith("/auth/password")


def test_student_can_change_password_under_ktis(own_app):
    application = own_app(POLICY="ktis")
    _add_user(application, "kozlov.ai", [Role.STUDENT])
    web = application.test_client()
    web.post("/auth/login", data={"login": "kozlov.ai", "password": PASSWORD})
    assert web.get("/auth/password").status_code == 200
    response = web.post("/auth/password", data={"current": PASSWORD, "new": "Kozlov-2026!",
                                                "confirm": "Kozlov-2026!"})
    assert response.status_code == 302
    web.post("/auth/logout")
    assert web.post("/auth/login", data={"login": "kozlov.ai",
                                         "password": "Kozlov-2026!"}).status_code == 302


def test_deactivation_ends_every_session_of_that_user(app, client, login, make_user):
    admin = make_user("sokolova", [Role.ADMIN])
    teacher = make_user("vasiliev", [Role.TEACHER])
    login(teacher)
    assert client.get("/").status_code == 200

    admin_client = app.test_client()
    admin_client.post("/auth/login", data={"login": admin.login, "password": PASSWORD})
    response = admin_client.post(f"/people/staff/{teacher.id}/active", data={"active": "0"})
    assert response.status_code == 302

    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    refused = client.post("/auth/login", data={"login": teacher.login, "password": PASSWORD})
    assert refused.status_code == 200  # a deactivated account cannot sign in

    admin_client.post(f"/people/staff/{teacher.id}/active", data={"active": "1"})
    assert client.post("/auth/login", data={"login": teacher.login,
                                            "password": PASSWORD}).status_code == 302


def test_password_change_ends_the_other_sessions_but_keeps_this_one(app, client, login, make_user):
    teacher = make_user("gromova", [Role.TEACHER])
    other = app.test_client()
    other.post("/auth/login", data={"login": teacher.login, "password": PASSWORD})
    login(teacher)
    response = client.post("/auth/password", data={"current": PASSWORD, "new": "Lipa-Oktyabr-2026!",
                                                   "confirm": "Lipa-Oktyabr-2026!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
