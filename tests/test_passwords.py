"""The one check of a chosen password (ASVS 6.2): not among the 10,000 most common, not
containing the login or the person's name, not the current nor the previous password; the form
answers 422 with the reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.auth import passwords
from core.extensions import db
from core.people import accounts
from core.people.models import User
from core.people.roles import Role

PASSWORD = "secret-pass-1"
GOOD = "Lipa-Oktyabr-2026!"


def _change(client, current, new):
    return client.post("/auth/password", data={"current": current, "new": new, "confirm": new})


def _person(**fields) -> User:
    fields.setdefault("login", "k.teacher77")
    fields.setdefault("last_name", "Тестов")
    fields.setdefault("first_name", "Тест")
    return User(**fields)


def test_the_common_list_ships_in_the_package_and_has_ten_thousand_passwords():
    common = passwords.common_passwords()
    assert len(common) == 10_000
    assert {"password", "qwerty", "iloveyou", "superman"} <= common
    assert not any(p.startswith("#") for p in common)  # the header is not a password


def test_a_common_password_is_refused_whatever_its_case_with_422_and_the_reason(
        app, client, login, make_user):
    teacher = make_user("belousova", [Role.TEACHER])
    login(teacher)
    response = _change(client, PASSWORD, "SuperMan")
    assert response.status_code == 422
    assert "самых распространённых паролей" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, teacher.id).password_hash == teacher.password_hash
    assert _change(client, PASSWORD, GOOD).status_code == 302


@pytest.mark.parametrize("password", ["K.Teacher77-lipa", "lipa-k.teacher77"])
def test_a_password_containing_the_login_is_refused(ctx, password):
    assert passwords.password_problem(password, _person()) == "Пароль не должен содержать логин."


@pytest.mark.parametrize("password", [
    "СОКОЛОВА-1987!",        # as written, another case
    "sokolova-1987!",        # in Latin letters, as logins are made
    "cjrjkjdf-1987!",        # «соколова» typed with the Latin layout
    "Lipa-Irina-2026",       # the first name
    "2026-Petrovna-lipa",    # the patronymic
    "Lipa-Orlova-2026",      # a part of a double surname
])
def test_a_password_containing_the_persons_name_is_refused(ctx, password):
    person = _person(last_name="Соколова-Орлова", first_name="Ирина", middle_name="Петровна")
    assert passwords.password_problem(password, person) == \
        "Пароль не должен содержать вашу фамилию, имя или отчество."


def test_the_form_refuses_a_password_with_the_login_or_the_name_with_422(
        app, client, login, make_user):
    login(make_user("k.teacher77", [Role.TEACHER], last_name="Соколова", first_name="Ирина"))
    for password, reason in (("lipa-K.Teacher77", "не должен содержать логин"),
                             ("Sokolova-1987!", "не должен содержать вашу фамилию, имя")):
        response = _change(client, PASSWORD, password)
        assert response.status_code == 422, password
        assert reason in response.get_data(as_text=True)


def test_name_parts_shorter_than_three_letters_are_ignored(ctx):
    person = _person(last_name="Ли", first_name="Ян")
    assert passwords.password_problem("Lipa-Oktyabr-Li-Ian", person) is None


def test_the_previous_password_cannot_be_chosen_again(app, client, login, make_user):
    teacher = make_user("nesterova", [Role.TEACHER])
    login(teacher)
    assert _change(client, PASSWORD, GOOD).status_code == 302
    again = _change(client, GOOD, GOOD)
    assert again.status_code == 422
    assert "Новый пароль должен отличаться от текущего" in again.get_data(as_text=True)
    back = _change(client, GOOD, PASSWORD)
    assert back.status_code == 422
    assert "Этот пароль вы уже использовали" in back.get_data(as_text=True)
    assert _change(client, GOOD, "Vesna-Mart-2027?").status_code == 302


def test_a_reset_to_a_one_time_password_keeps_the_users_own_as_the_previous(
        app, client, login, make_user):
    teacher = make_user("kalinina", [Role.TEACHER])
    login(teacher)
    assert _change(client, PASSWORD, GOOD).status_code == 302
    with app.app_context():
        user = db.session.get(User, teacher.id)
        accounts.reset_password(user, None)
        slip = accounts.reset_password(user, None)  # again: a one-time password never counts
        db.session.commit()
    assert client.post("/auth/login", data={"login": teacher.login,
                                            "password": slip.password}).status_code == 302
    refused = _change(client, slip.password, GOOD)
    assert refused.status_code == 422
    assert "Этот пароль вы уже использовали" in refused.get_data(as_text=True)
    assert _change(client, slip.password, "Vesna-Mart-2027?").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.must_change_password)
                                 .where(User.id == teacher.id)) is False


def test_an_invalid_form_answers_422_and_a_short_or_numeric_password_says_why(
        app, client, login, make_user):
    login(make_user("shchukina", [Role.TEACHER]))
    assert client.get("/auth/password").status_code == 200
    short = _change(client, PASSWORD, "Ab1!")
    assert short.status_code == 422 and "не короче 8 символов" in short.get_data(as_text=True)
    digits = _change(client, PASSWORD, "4815162342")
    assert digits.status_code == 422 and "только из цифр" in digits.get_data(as_text=True)
    mismatch = client.post("/auth/password", data={"current": PASSWORD, "new": GOOD,
                                                   "confirm": GOOD + "x"})
    assert mismatch.status_code == 422 and "Пароли не совпадают" in mismatch.get_data(as_text=True)
    wrong = _change(client, "not-my-password", GOOD)
    assert wrong.status_code == 422
    assert "Текущий пароль введён неверно" in wrong.get_data(as_text=True)


def test_the_check_verifies_against_both_stored_hashes(ctx):
    person = _person(password_hash=passwords.hash_password("Current-Pass-1"),
                     previous_password_hash=passwords.hash_password("Previous-Pass-1"))
    assert "отличаться от текущего" in passwords.password_problem("Current-Pass-1", person)
    assert "уже использовали" in passwords.password_problem("Previous-Pass-1", person)
    assert passwords.password_problem(GOOD, person) is None
