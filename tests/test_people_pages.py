"""The student card (every staff read audited, 152-ФЗ), contact editing with Russian
validation and the contact-editor policy, the curator's monthly data check, scope rules."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core import migrate
from core.audit import AuditEntry
from core.extensions import db
from core.people import scope
from core.people.contacts import contact_problems, normalize_email, normalize_phone
from core.people.models import Guardian, Student, User
from tests.people_world import build_world, close_teaching, open_teaching


@pytest.fixture
def teaching(app, make_user):
    """The people world with ИСП-21 open to its teacher and commission head (as the journal
    would), closed again after the test."""
    world = build_world(app, make_user)
    stub = open_teaching(app, world)
    yield world
    close_teaching(app, stub)


def _views_of(app, student_id, login):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "people.student.view", AuditEntry.target_id == str(student_id),
            AuditEntry.actor_login == login))


@pytest.mark.parametrize("role", ["admin", "director", "supervisor", "curator", "teacher"])
def test_every_staff_read_of_the_student_card_is_audited(app, client, login, teaching, role):
    world = teaching
    login(world.users[role])
    for _ in range(2):
        page = client.get(f"/people/students/{world.ids['st1']}")
        assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Петров Алексей Игоревич" in text and "ИСП-21" in text  # more: test_personal_data
    assert _views_of(app, world.ids["st1"], world.users[role].login) == 2


def test_students_and_parents_reading_their_own_card_are_not_staff_reads(
        app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["student"])
    assert client.get(f"/people/students/{world.ids['st1']}").status_code == 200
    assert _views_of(app, world.ids["st1"], "w.student") == 0


def test_a_parent_of_two_sees_both_children_and_no_other(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["parent"])
    assert client.get(f"/people/students/{world.ids['st1']}").status_code == 200
    assert client.get(f"/people/students/{world.ids['st3']}").status_code == 200
    assert client.get(f"/people/students/{world.ids['st2']}").status_code == 404
    with app.test_request_context():
        parent = db.session.get(User, world.users["parent"].id)
        assert set(db.session.scalars(scope.students_query(parent))) == {
            world.ids["st1"], world.ids["st3"]}


def test_an_absent_student_and_a_hidden_one_look_the_same(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    hidden = client.get(f"/people/students/{world.ids['st2']}")
    absent = client.get("/people/students/999999")
    assert hidden.status_code == absent.status_code == 404
    def page(response, student_id) -> str:
        # the CSRF token carries the second it was signed in: two requests may fall apart
        text = response.get_data(as_text=True).replace(f"/students/{student_id}?", "")
        return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', text)

    assert page(hidden, world.ids["st2"]) == page(absent, 999999)


@pytest.mark.parametrize(("raw", "expected"), [
    ("8 (912) 345-67-89", "+79123456789"),
    ("+7 912 345 67 89", "+79123456789"),
    ("9123456789", "+79123456789"),
    ("  ", None),
])
def test_russian_phones_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "+1 212 555 0100", "8-912-ABC-67-89", "+7 912 345 67 8"])
def test_bad_phones_are_refused_in_russian(raw):
    with pytest.raises(ValueError, match="[А-Яа-я]"):
        normalize_phone(raw)


def test_emails_are_checked(ctx):
    assert normalize_email(" ivanova@mail.ru ") == "ivanova@mail.ru"
    for bad in ("ivanova", "ivanova@mail", "iva nova@mail.ru", "a@@b.ru"):
        with pytest.raises(ValueError, match="Адрес электронной почты указан неверно"):
            normalize_email(bad)


def test_curator_edits_contacts_with_validation_and_audit(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    url = f"/people/students/{world.ids['st1']}/contacts"
    bad = client.post(url, data={"phone": "12-34", "email": "petrov@"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Введите российский номер" in text and "Адрес электронной почты указан неверно" in text
    with app.app_context():
        assert db.session.get(Student, world.ids["st1"]).phone == "+79123456789"

    good = client.post(url, data={"phone": "8 (922) 111-22-33", "email": "petrov.a@yandex.ru"})
    assert good.status_code == 302
    with app.app_context():
        student = db.session.get(Student, world.ids["st1"])
        assert (student.phone, student.email) == ("+79221112233", "petrov.a@yandex.ru")
        assert student.user.phone == "+79221112233"  # the account follows
        row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "people.contacts.edit"))
        assert row.before == {"phone": "+79123456789", "email": "petrov.a@mail.ru"}
        assert row.after == {"phone": "+79221112233", "email": "petrov.a@yandex.ru"}

    guardian = client.post(f"/people/guardians/{world.ids['gu1']}/contacts?back={world.ids['st1']}",
                           data={"phone": "+7 912 000 11 22", "email": "petrova.ms@mail.ru"})
    assert guardian.status_code == 302
    assert guardian.headers["Location"].endswith(f"/people/students/{world.ids['st1']}")
    with app.app_context():
        assert db.session.get(Guardian, world.ids["gu1"]).phone == "+79120001122"


def test_under_ktis_only_the_administrator_edits_contacts(make_app, tmp_path, make_user):
    ktis = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(ktis)

    def make_user_ktis(login, roles=(), **fields):
        from core.auth.passwords import hash_password
        from core.people.models import RoleAssignment
        from core.people.roles import ROLE_SCOPE

        fields.setdefault("last_name", "Тестов")
        fields.setdefault("first_name", "Тест")
        scope_id = fields.pop("scope_id", None)
        with ktis.app_context():
            user = User(login=login, password_hash=hash_password("secret-pass-1"), **fields)
            user.roles = [RoleAssignment(role=r, scope_kind=ROLE_SCOPE[r], scope_id=scope_id)
                          for r in roles]
            db.session.add(user)
            db.session.commit()
            _ = user.roles
        return user

    world = build_world(ktis, make_user_ktis)
    curator, admin = ktis.test_client(), ktis.test_client()
    curator.post("/auth/login", data={"login": "w.curator", "password": "secret-pass-1"})
    admin.post("/auth/login", data={"login": "w.admin", "password": "secret-pass-1"})
    url = f"/people/students/{world.ids['st1']}/contacts"
    refused = curator.post(url, data={"phone": "+79001112233", "email": ""})
    assert refused.status_code == 403
    assert "правит администратор ЭЖ" in refused.get_data(as_text=True)
    check = curator.get(f"/people/groups/{world.ids['g1']}/data-check").get_data(as_text=True)
    assert "Верные данные" in check and "исправить" not in check  # a printable report instead
    assert admin.post(url, data={"phone": "+79001112233", "email": ""}).status_code == 302


def test_teacher_may_not_edit_contacts_even_in_scope(client, login, teaching):
    world = teaching
    login(world.users["teacher"])
    assert client.get(f"/people/students/{world.ids['st1']}").status_code == 200
    assert client.get(f"/people/students/{world.ids['st1']}/contacts").status_code == 404


def test_monthly_data_check_lists_missing_and_doubtful_contacts_with_links(
        app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    page = client.get(f"/people/groups/{world.ids['g1']}/data-check")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    # Петров is complete; his mother has a phone not in +7 form and no e-mail
    assert "Петров Алексей Игоревич" not in text
    assert "Петрова Марина Сергеевна" in text
    assert "телефон не в формате +7XXXXXXXXXX" in text and "не указана электронная почта" in text
    assert f"/people/guardians/{world.ids['gu1']}/contacts?back={world.ids['st1']}" in text
    assert "Смирнов" not in text  # another group
    with app.app_context():  # the page shows personal data: the read is audited
        assert db.session.scalar(select(AuditEntry.actor_login).where(
            AuditEntry.action == "people.group.data_check",
            AuditEntry.target_id == str(world.ids["g1"]))) == "w.curator"


def test_contact_problems_name_what_is_wrong(ctx):
    person = Guardian(last_name="А", first_name="Б", phone="89120001122", email="x@y")
    assert [p.reason for p in contact_problems(person)] == [
        "телефон не в формате +7XXXXXXXXXX", "электронная почта указана неверно"]
    person = Guardian(last_name="А", first_name="Б", phone="+79120001122", email="x@y.ru")
    assert contact_problems(person) == []
    assert [p.field for p in contact_problems(Guardian(last_name="А", first_name="Б"))] == [
        "phone", "email"]


def test_scope_groups_by_role(app, teaching):
    world = teaching
    with app.test_request_context():
        def user(role):
            return db.session.get(User, world.users[role].id)

        g1 = world.ids["g1"]
        assert scope.group_ids(user("director")) is None
        assert scope.group_ids(user("director"), scope.EDIT) == set()  # read-only
        assert scope.group_ids(user("admin"), scope.EDIT) is None
        assert scope.group_ids(user("supervisor")) == {g1}
        assert scope.group_ids(user("curator"), scope.MANAGE) == {g1}
        assert scope.group_ids(user("teacher")) == {g1}
        assert scope.group_ids(user("teacher"), scope.MANAGE) == set()
        assert scope.group_ids(user("commission_head")) == {g1}
        assert scope.group_ids(user("student")) == set()
        assert not scope.can_access(user("curator"), db.session.get(Student, world.ids["st2"]))
        assert scope.can_access(user("curator"), db.session.get(Student, world.ids["st1"]),
                                scope.MANAGE)
        with pytest.raises(ValueError):
            scope.group_ids(user("admin"), "delete")


def test_scope_teachers_by_role(app, make_user):
    world = build_world(app, make_user)
    with app.test_request_context():
        def user(role):
            return db.session.get(User, world.users[role].id)

        teacher = user("teacher")
        for role in ("admin", "director", "deputy", "methodist", "supervisor", "commission_head"):
            assert scope.teacher_ids(user(role)) is None, role
            assert scope.can_access_teacher(user(role), teacher.id), role
        assert scope.teacher_ids(teacher) == {teacher.id}
        assert not scope.can_access_teacher(teacher, user("curator").id)
        for role in ("curator", "student", "parent"):
            assert not scope.can_access_teacher(user(role), teacher.id), role


def test_people_pages_speak_english_when_asked(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    client.post("/lang/en", data={"next": "/"})
    text = client.get(f"/people/groups/{world.ids['g1']}").get_data(as_text=True)
    assert "Issue logins to students and parents" in text and "Record book" in text
    assert "Выдать логины обучающимся и родителям" not in text


def test_group_pages_make_a_fixed_number_of_queries(app, client, login, make_user):
    from datetime import date

    from core.people.models import GroupMembership
    from tests.fixtures import count_queries

    world = build_world(app, make_user)
    login(world.users["curator"])

    def queries(path):
        client.get(path)  # warm-up
        with count_queries(app) as counter:
            assert client.get(path).status_code == 200
        return counter.count

    pages = [f"/people/groups/{world.ids['g1']}", f"/people/groups/{world.ids['g1']}/data-check",
             "/people/groups"]
    before = [queries(path) for path in pages]
    with app.app_context():
        for n in range(10):
            student = Student(record_book_no=f"24-09{n:02d}", last_name="Сидоров",
                              first_name=f"Иван{n}")
            student.guardians.append(Guardian(last_name="Сидорова", first_name="Анна"))
            db.session.add(student)
            db.session.flush()
            db.session.add(GroupMembership(student_id=student.id, group_id=world.ids["g1"],
                                           joined_on=date(2025, 9, 1)))
        db.session.commit()
    assert [queries(path) for path in pages] == before
