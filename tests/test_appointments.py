"""The director appoints staff to roles by an order (BTT 4.7.2): audited, the role's rights from
the appointment's first day to its last (college time), revoking ends it and keeps the history,
the administrator may not appoint where the director does, and nobody else may."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from core import migrate
from core.audit import AuditEntry
from core.extensions import db
from core.people import scope
from core.people.models import Appointment, Group, RoleAssignment, User
from core.people.permissions import can
from core.people.roles import ROLE_SCOPE, Role
from tests.people_world import build_world

# 2026-03-02 is a Monday; the college is on Moscow time (UTC+3)
BEFORE = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # 23:00 on 1 March at the college
ON_THE_DAY = datetime(2026, 3, 1, 21, 30, tzinfo=UTC)  # 00:30 on 2 March at the college
AFTER_THE_END = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def _appoint(client, world, role, user, **extra):
    data = {"user": world.users[user].id, "role": role, "starts_on": "2026-03-02",
            "ends_on": "", "order_no": "45-к", "note": "", "department": 0, "commission": 0,
            "group": 0, **extra}
    return client.post("/people/appointments", data=data)


def _holds(app, user_id, role):
    with app.test_request_context():
        return db.session.get(User, user_id).has_role(role)


def test_the_directors_appointment_is_audited_and_gives_the_rights_from_its_date(
        app, client, login, make_user, clock):
    world = build_world(app, make_user)
    clock.set(datetime(2026, 2, 20, 9, 0, tzinfo=UTC))
    login(world.users["director"])
    response = _appoint(client, world, "deputy", "teacher")
    assert response.status_code == 302, response.get_data(as_text=True)
    teacher_id = world.users["teacher"].id
    with app.test_request_context():
        [appointment] = db.session.scalars(select(Appointment)).all()
        assert (appointment.role, appointment.order_no, appointment.starts_on) == (
            "deputy", "45-к", date(2026, 3, 2))
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "people.appointment.create"))
        assert entry.actor_login == "w.director" and entry.after["order_no"] == "45-к"
    for instant, held in ((BEFORE, False), (ON_THE_DAY, True)):
        clock.set(instant)
        with app.test_request_context():
            teacher = db.session.get(User, teacher_id)
            assert teacher.has_role(Role.DEPUTY) is held
            assert can(teacher, "people.appointments.view") is held
            assert (scope.group_ids(teacher) is None) is held  # the administration sees all
    # the page lists it; the deputy's page opens for the new deputy
    login(world.users["director"])
    page = client.get("/people/appointments").get_data(as_text=True)
    assert "45-к" in page and "Васильев П." in page
    teacher_client = app.test_client()
    teacher_client.post("/auth/login", data={"login": "w.teacher", "password": "secret-pass-1"})
    assert teacher_client.get("/people/appointments").status_code == 200  # a deputy reads them


def test_revoking_ends_the_appointment_and_keeps_it_in_the_history(
        app, client, login, make_user, clock):
    world = build_world(app, make_user)
    clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    login(world.users["director"])
    assert _appoint(client, world, "methodist", "teacher").status_code == 302
    with app.test_request_context():
        appointment_id = db.session.scalar(select(Appointment.id))
    refused = client.post(f"/people/appointments/{appointment_id}/revoke",
                          data={"last_day": "2026-03-20", "reason": ""})
    assert refused.status_code == 422 and "основание" in refused.get_data(as_text=True).lower()
    done = client.post(f"/people/appointments/{appointment_id}/revoke",
                       data={"last_day": "2026-03-20", "reason": "Приказ № 51-к"})
    assert done.status_code == 302
    clock.set(datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
    assert _holds(app, world.users["teacher"].id, Role.METHODIST)
    clock.set(datetime(2026, 3, 21, 12, 0, tzinfo=UTC))
    assert not _holds(app, world.users["teacher"].id, Role.METHODIST)
    login(world.users["director"])
    with app.test_request_context():
        kept = db.session.get(Appointment, appointment_id)
        assert kept.ends_on == date(2026, 3, 20) and kept.revoke_reason == "Приказ № 51-к"
        assert db.session.scalar(select(AuditEntry.note).where(
            AuditEntry.action == "people.appointment.revoke")) == "Приказ № 51-к"
    page = client.get("/people/appointments").get_data(as_text=True)
    assert "завершено" in page and "51-к" in page


def test_a_curator_appointed_from_a_date_gets_the_group_from_that_date(
        app, client, login, make_user, clock):
    world = build_world(app, make_user)
    clock.set(datetime(2026, 2, 20, 9, 0, tzinfo=UTC))
    login(world.users["director"])
    response = _appoint(client, world, "curator", "teacher", group=world.ids["g2"],
                        order_no="12-к")
    assert response.status_code == 302, response.get_data(as_text=True)
    teacher_id = world.users["teacher"].id
    clock.set(BEFORE)
    with app.test_request_context():
        assert scope.curated_group_ids(db.session.get(User, teacher_id)) == set()
    clock.set(ON_THE_DAY)
    with app.test_request_context():
        assert scope.curated_group_ids(db.session.get(User, teacher_id)) == {world.ids["g2"]}
        from core.people.appointments import apply_due

        assert apply_due() == 1
        db.session.commit()
        assert db.session.get(Group, world.ids["g2"]).curator_id == teacher_id
    # a group scope is required; a second appointment to the same role is refused
    login(world.users["director"])
    missing = _appoint(client, world, "curator", "teacher", group=0)
    assert missing.status_code == 422 and "Выберите группу" in missing.get_data(as_text=True)
    twice = _appoint(client, world, "curator", "teacher", group=world.ids["g2"])
    assert twice.status_code == 422 and "уже назначен" in twice.get_data(as_text=True)


def test_a_new_curator_ends_the_former_ones_scope(app, client, login, make_user, clock):
    world = build_world(app, make_user)
    with app.app_context():  # the world's curator holds ИСП-21 as the group form gives it
        db.session.add(RoleAssignment(user_id=world.users["curator"].id, role="curator",
                                      scope_kind=ROLE_SCOPE[Role.CURATOR],
                                      scope_id=world.ids["g1"]))
        db.session.commit()
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    login(world.users["director"])
    assert _appoint(client, world, "curator", "teacher", group=world.ids["g1"],
                    starts_on="2026-03-02").status_code == 302
    with app.test_request_context():
        assert db.session.get(Group, world.ids["g1"]).curator_id == world.users["teacher"].id
        former = db.session.get(User, world.users["curator"].id)
        assert scope.curated_group_ids(former) == set()
        assert scope.curated_group_ids(db.session.get(User, world.users["teacher"].id)) == {
            world.ids["g1"]}


def test_only_the_director_appoints_under_btt(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    assert client.get("/people/appointments").status_code == 200  # reads the history
    refused = _appoint(client, world, "deputy", "teacher")
    assert refused.status_code == 403
    assert "назначает директор" in refused.get_data(as_text=True)
    for role in ("deputy", "teacher", "curator"):
        other = app.test_client()
        other.post("/auth/login", data={"login": world.users[role].login,
                                        "password": "secret-pass-1"})
        answer = _appoint(other, world, "methodist", "teacher")
        assert answer.status_code == (403 if role == "deputy" else 404), role
    with app.app_context():
        assert db.session.scalar(select(Appointment.id)) is None


def test_under_ktis_the_administrator_appoints(make_app, tmp_path):
    ktis = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(ktis)
    world = build_world(ktis, _user_maker(ktis))
    director, admin = ktis.test_client(), ktis.test_client()
    director.post("/auth/login", data={"login": "w.director", "password": "secret-pass-1"})
    admin.post("/auth/login", data={"login": "w.admin", "password": "secret-pass-1"})
    refused = _appoint(director, world, "deputy", "teacher", starts_on="2020-01-01")
    assert refused.status_code == 403
    assert _appoint(admin, world, "deputy", "teacher",
                    starts_on="2020-01-01").status_code == 302
    assert _holds(ktis, world.users["teacher"].id, Role.DEPUTY)


def test_the_pages_make_as_many_queries_with_more_appointments(
        app, client, login, make_user, clock):
    from tests.fixtures import count_queries

    world = build_world(app, make_user)
    clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    login(world.users["director"])

    def queries(path):
        client.get(path)
        with count_queries(app) as counter:
            assert client.get(path).status_code == 200
        return counter.count

    assert _appoint(client, world, "deputy", "supervisor").status_code == 302
    pages = ["/people/appointments", f"/people/groups/{world.ids['g1']}", "/"]
    before = [queries(path) for path in pages]
    for role, extra in (("methodist", {}), ("deputy", {}),
                        ("supervisor", {"department": world.ids["d1"]}),
                        ("commission_head", {"commission": world.ids["commission"]})):
        for user in ("teacher", "curator"):
            assert _appoint(client, world, role, user, **extra).status_code == 302
    assert [queries(path) for path in pages] == before


def _user_maker(app):
    from core.auth.passwords import hash_password

    def make(login, roles=(), **fields):
        fields.setdefault("last_name", "Тестов")
        fields.setdefault("first_name", "Тест")
        scope_id = fields.pop("scope_id", None)
        with app.app_context():
            user = User(login=login, password_hash=hash_password("secret-pass-1"), **fields)
            user.roles = [RoleAssignment(role=r, scope_kind=ROLE_SCOPE[r], scope_id=scope_id)
                          for r in roles]
            db.session.add(user)
            db.session.commit()
            _ = user.roles
        return user

    return make


def test_under_btt_the_administrators_forms_do_not_appoint(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    teacher = world.users["teacher"]
    form = client.get(f"/people/staff/{teacher.id}").get_data(as_text=True)
    assert 'value="curator" id="role-curator" disabled' in form
    refused = client.post(f"/people/staff/{teacher.id}", data={
        "login": "w.teacher", "last_name": "Васильев", "first_name": "Павел",
        "roles": ["teacher", "curator"], "department": 0, "commission": 0,
        "group": world.ids["g2"]})
    assert refused.status_code == 422
    assert "назначает директор" in refused.get_data(as_text=True)
    # a teacher's account is still the administrator's to create
    created = client.post("/people/staff/new", data={
        "login": "new.teacher", "last_name": "Новикова", "first_name": "Анна",
        "roles": ["teacher"], "department": 0, "commission": 0, "group": 0})
    assert created.status_code == 200
    with app.test_request_context():
        assert not db.session.get(User, teacher.id).has_role(Role.CURATOR)
        assert db.session.get(Group, world.ids["g2"]).curator_id is None


def test_under_btt_the_group_form_does_not_change_the_curator(app, client, login, make_user):
    from core.people.groups import GroupData, save_group
    from core.people.models import Specialty

    world = build_world(app, make_user)
    login(world.users["admin"])
    with app.test_request_context():
        from flask_login import login_user

        login_user(db.session.get(User, world.users["admin"].id))
        group = db.session.get(Group, world.ids["g2"])
        data = GroupData(group.name, db.session.get(Specialty, group.specialty_id),
                         group.course, group.form_of_study, group.admission_year,
                         db.session.get(User, world.users["teacher"].id), None)
        from core.errors import DomainError

        try:
            save_group(data, group)
        except DomainError as exc:
            assert exc.status == 403 and "назначает директор" in exc.message
        else:
            raise AssertionError("the administrator set a curator under BTT")
        data.curator = None
        assert save_group(data, group).curator_id is None  # the rest is saved
