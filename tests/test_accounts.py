"""Accounts (BTT 3.3): staff by the administrator, students and parents by their curator in one
batch, one-time passwords on printable slips shown once, resets, deactivation, create-admin."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from core.auth.passwords import hash_password, verify_password
from core.extensions import db
from core.people import accounts
from core.people.models import Group, GroupMembership, Guardian, RoleAssignment, Student, User
from core.people.roles import Role
from tests.people_world import build_world

SLIP = re.compile(r'<div class="credential-slip">.*?<div>(.+?) — (.+?)</div>\s*'
                  r'<div>Логин: <code class="fs-5">([^<]+)</code></div>\s*'
                  r'<div>Пароль: <code class="fs-5">([^<]+)</code>', re.S)


@pytest.fixture
def admin_appoints(app):
    """The administrator appoints (``people.appointed_by``, as in KTIS): these tests are of
    the administrator's forms giving roles; BTT's director appoints (tests/test_appointments)."""
    from core import policy

    with app.app_context():
        policy.set_override("people.appointed_by", "administrator")
        db.session.commit()


def _slips(response):
    return [(name, role.split(" (")[0], login, password)
            for name, role, login, password in SLIP.findall(response.get_data(as_text=True))]


def test_login_is_the_transliterated_surname_with_initials_and_unique(ctx):
    assert accounts.login_base("Щербакова", "Юлия", "Эдуардовна") == "shcherbakova.iue"
    assert accounts.login_base("Ёлкин", "Жан", None) == "elkin.zh"
    db.session.add(User(login="ivanov.ii", last_name="Иванов", first_name="Иван"))
    db.session.flush()
    taken: set[str] = set()
    assert accounts.unique_login("ivanov.ii", taken) == "ivanov.ii2"
    assert accounts.unique_login("ivanov.ii", taken) == "ivanov.ii3"


def test_curator_issues_logins_to_students_and_parents_of_the_group_in_one_batch(
        app, client, login, make_user):
    world = build_world(app, make_user)
    with app.app_context():
        extra = Student(record_book_no="24-0102", last_name="Егорова", first_name="Анна",
                        middle_name="Павловна")
        mother = Guardian(last_name="Егорова", first_name="Светлана", middle_name="Юрьевна",
                          email="egorova.su@mail.ru")
        extra.guardians.append(mother)
        db.session.add(extra)
        db.session.flush()
        db.session.add(GroupMembership(student_id=extra.id, group_id=world.ids["g1"],
                                       joined_on=date(2025, 9, 1)))
        db.session.commit()
        extra_id, mother_id = extra.id, mother.id
    login(world.users["curator"])
    form = client.get(f"/people/groups/{world.ids['g1']}/accounts").get_data(as_text=True)
    assert "Егорова Анна Павловна" in form and "Егорова Светлана Юрьевна" in form

    response = client.post(f"/people/groups/{world.ids['g1']}/accounts",
                           data={"students": [extra_id], "guardians": [mother_id]})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    slips = _slips(response)
    assert [(s[0], s[1], s[2]) for s in slips] == [
        ("Егорова Анна Павловна", "Обучающийся", "egorova.ap"),
        ("Егорова Светлана Юрьевна", "Родитель", "egorova.siu"),
    ]
    with app.app_context():
        for _name, _role, issued_login, password in slips:
            user = db.session.scalar(select(User).where(User.login == issued_login))
            assert user.must_change_password is True
            assert user.password_hash.startswith("$argon2id$") and password not in user.password_hash
            rows = db.session.scalars(select(AuditEntry).where(
                AuditEntry.action == "people.account.create",
                AuditEntry.target_id == str(user.id))).all()
            assert len(rows) == 1 and password not in str(rows[0].after)
        student = db.session.get(Student, extra_id)
        assert student.user.has_role(Role.STUDENT)
        assert db.session.get(Guardian, mother_id).user.has_role(Role.PARENT)

    again = client.post(f"/people/groups/{world.ids['g1']}/accounts",
                        data={"students": [extra_id], "guardians": [mother_id]})
    assert again.status_code == 302  # already issued: nothing new, no second slip


def test_curator_cannot_issue_logins_to_students_of_another_group(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    response = client.post(f"/people/groups/{world.ids['g1']}/accounts",
                           data={"students": [world.ids["st2"]]})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Student, world.ids["st2"]).user_id is None


def test_curator_resets_a_family_password_on_a_new_slip_and_old_sessions_end(
        app, client, login, make_user):
    world = build_world(app, make_user)
    parent_client = app.test_client()
    parent_client.post("/auth/login", data={"login": "w.parent", "password": "secret-pass-1"})
    assert parent_client.get("/").status_code == 200

    login(world.users["curator"])
    response = client.post(f"/people/accounts/{world.users['parent'].id}/reset-password")
    [(name, _role, issued_login, password)] = _slips(response)
    assert issued_login == "w.parent"
    assert parent_client.get("/").status_code == 302  # the old session ended
    assert parent_client.post("/auth/login", data={"login": "w.parent",
                                                   "password": password}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_id == str(world.users["parent"].id),
            AuditEntry.action == "people.account.password_reset")) is not None


def test_curator_cannot_reset_a_staff_password(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    assert client.post(f"/people/accounts/{world.users['teacher'].id}/reset-password"
                       ).status_code == 404


def test_admin_creates_staff_with_roles_and_scopes(admin_appoints, app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    response = client.post("/people/staff/new", data={
        "login": "Nikitina.ov", "last_name": "Никитина", "first_name": "Ольга",
        "middle_name": "Васильевна", "email": "nikitina@college.ru", "phone": "8 912 111 22 33",
        "roles": ["supervisor", "curator", "commission_head"],
        "department": world.ids["d2"], "commission": world.ids["commission"],
        "group": world.ids["g2"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    [(name, _role, issued_login, password)] = _slips(response)
    assert (name, issued_login) == ("Никитина Ольга Васильевна", "nikitina.ov")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "nikitina.ov"))
        assert user.phone == "+79121112233" and user.must_change_password
        assert {(a.role, a.scope_kind, a.scope_id) for a in user.roles} == {
            ("supervisor", "department", world.ids["d2"]),
            ("curator", "group", world.ids["g2"]),
            ("commission_head", "commission", world.ids["commission"]),
        }
        assert db.session.get(Group, world.ids["g2"]).curator_id == user.id
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "people.staff.create", AuditEntry.target_id == str(user.id)))


def test_staff_form_refuses_a_taken_login_and_a_supervisor_without_department(admin_appoints, app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    taken = client.post("/people/staff/new", data={
        "login": "w.teacher", "last_name": "Новиков", "first_name": "Игорь", "roles": ["teacher"],
        "department": 0, "commission": 0, "group": 0})
    assert taken.status_code == 422
    assert "Логин «w.teacher» уже занят." in taken.get_data(as_text=True)
    unscoped = client.post("/people/staff/new", data={
        "login": "novikov.i", "last_name": "Новиков", "first_name": "Игорь",
        "roles": ["supervisor"], "department": 0, "commission": 0, "group": 0})
    assert unscoped.status_code == 422
    assert "выберите, к чему она относится" in unscoped.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "novikov.i")) is None


def test_admin_edits_staff_roles_and_the_change_is_audited(admin_appoints, app, client, login, make_user):
    world = build_world(app, make_user)
    teacher = world.users["teacher"]
    login(world.users["admin"])
    page = client.get(f"/people/staff/{teacher.id}")
    assert page.status_code == 200 and 'value="w.teacher"' in page.get_data(as_text=True)
    response = client.post(f"/people/staff/{teacher.id}", data={
        "login": "w.teacher", "last_name": "Васильев", "first_name": "Павел",
        "roles": ["teacher", "curator"], "department": 0, "commission": 0,
        "group": world.ids["g2"]})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, teacher.id)
        assert user.has_role(Role.CURATOR) and user.session_version == teacher.session_version + 1
        assert db.session.get(Group, world.ids["g2"]).curator_id == teacher.id
        row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "people.staff.edit"))
        assert "curator:" + str(world.ids["g2"]) in row.after["roles"]
        assert "curator:" + str(world.ids["g2"]) not in row.before["roles"]


def test_admin_cannot_deactivate_themself(app, client, login, make_user):
    admin = make_user("lonely.admin", [Role.ADMIN])
    login(admin)
    response = client.post(f"/people/staff/{admin.id}/active", data={"active": "0"})
    assert response.status_code == 422
    assert "Нельзя отключить собственную учётную запись" in response.get_data(as_text=True)


def test_create_admin_command_prints_a_one_time_password(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "sokolova.ip", "Соколова",
                                                "Ирина", "Петровна"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Одноразовый пароль: (\S+)", result.output).group(1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "sokolova.ip"))
        assert user.has_role(Role.ADMIN) and user.must_change_password
        assert verify_password(user, password) and password not in user.password_hash
    again = app.test_cli_runner().invoke(args=["create-admin", "sokolova.ip", "Соколова", "Ирина"])
    assert again.exit_code == 1 and "уже занят" in again.output


def test_accounts_service_keeps_student_and_parent_roles_when_staff_roles_change(ctx):
    user = User(login="dual", last_name="Павлова", first_name="Анна",
                password_hash=hash_password("x" * 10))
    user.roles = [RoleAssignment(role="parent", scope_kind="child")]
    accounts.set_staff_roles(user, [accounts.StaffRole(Role.TEACHER)])
    assert {a.role for a in user.roles} == {"parent", "teacher"}
    accounts.set_staff_roles(user, [])
    assert {a.role for a in user.roles} == {"parent"}


def test_garbled_forms_get_russian_messages_not_errors(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    garbled = client.post(f"/people/groups/{world.ids['g1']}/accounts", data={"students": ["abc"]})
    assert garbled.status_code == 422
    assert "Отметки в форме не распознаны" in garbled.get_data(as_text=True)
    bogus = client.post("/people/staff/new", data={
        "login": "novikov.i", "last_name": "Новиков", "first_name": "Игорь", "roles": ["root"],
        "department": 0, "commission": 0, "group": 0})
    assert bogus.status_code == 422
    assert "Выберите роли из списка." in bogus.get_data(as_text=True)
