"""Student movement (KTIS 3.4, BTT 4.2.2): each order has a date and a number, writes a
Movement, and keeps the records up to the date in the old group."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people import models as people
from core.people import scope
from core.people.movement import move_student
from tests.people_world import build_world


def _memberships(student_id):
    return [(m.group_id, m.joined_on, m.left_on) for m in db.session.scalars(
        select(people.GroupMembership).where(people.GroupMembership.student_id == student_id)
        .order_by(people.GroupMembership.joined_on))]


def test_transfer_closes_the_old_group_the_day_before_and_opens_the_new(
        app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    response = client.post(f"/people/students/{world.ids['st1']}/movement", data={
        "kind": "transferred", "on_date": "2026-02-02", "order_no": "15-к",
        "to_group": world.ids["g2"], "note": "по заявлению"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert _memberships(world.ids["st1"]) == [
            (world.ids["g1"], date(2025, 9, 1), date(2026, 2, 1)),
            (world.ids["g2"], date(2026, 2, 2), None),
        ]
        movement = db.session.scalar(select(people.Movement).where(
            people.Movement.student_id == world.ids["st1"]))
        assert (movement.kind, movement.order_no, movement.from_group_id, movement.to_group_id) \
            == ("transferred", "15-к", world.ids["g1"], world.ids["g2"])
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target_id == str(world.ids["st1"]),
            AuditEntry.action == "people.student.transferred"))
    with app.test_request_context():
        curator = db.session.get(people.User, world.users["curator"].id)
        # the old group's journal still holds the student for the days before the transfer
        before = db.session.scalars(scope.students_query(curator, on=date(2026, 1, 20))).all()
        after = db.session.scalars(scope.students_query(curator, on=date(2026, 2, 3))).all()
        assert world.ids["st1"] in before and world.ids["st1"] not in after
        assert not scope.can_access_student(curator, world.ids["st1"], scope.MANAGE)


def test_leave_then_return_then_expulsion_and_status(app, make_user):
    world = build_world(app, make_user)
    with app.test_request_context():
        student = db.session.get(people.Student, world.ids["st2"])
        admin = db.session.get(people.User, world.users["admin"].id)
        move_student(student, "leave", date(2025, 11, 10), "101-о", admin)
        assert student.status == "leave"
        assert _memberships(student.id) == [(world.ids["g2"], date(2025, 9, 1),
                                             date(2025, 11, 9))]
        with pytest.raises(DomainError, match="Выберите группу"):
            move_student(student, "returned", date(2026, 9, 1), "55-о", admin)
        move_student(student, "returned", date(2026, 9, 1), "55-о", admin,
                     to_group=db.session.get(people.Group, world.ids["g1"]))
        assert student.status == "studying"
        move_student(student, "expelled", date(2026, 10, 5), "77-о", admin)
        assert student.status == "expelled"
        assert [m.kind for m in db.session.scalars(select(people.Movement).where(
            people.Movement.student_id == student.id).order_by(people.Movement.on_date))] == [
            "leave", "returned", "expelled"]


def test_graduation_ends_the_membership(app, make_user):
    world = build_world(app, make_user)
    with app.test_request_context():
        student = db.session.get(people.Student, world.ids["st3"])
        move_student(student, "graduated", date(2026, 6, 30), "200-в", None)
        assert student.status == "graduated"
        assert _memberships(student.id)[-1][2] == date(2026, 6, 29)
        with pytest.raises(DomainError, match="Выпущен"):
            move_student(student, "expelled", date(2026, 7, 1), "1", None)


def test_movement_form_refuses_bad_orders_in_russian_and_saves_nothing(
        app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    url = f"/people/students/{world.ids['st1']}/movement"
    no_number = client.post(url, data={"kind": "leave", "on_date": "2026-02-02", "order_no": "",
                                       "to_group": 0})
    assert no_number.status_code == 422
    assert "Укажите номер приказа" in no_number.get_data(as_text=True)
    too_early = client.post(url, data={"kind": "expelled", "on_date": "2025-08-01",
                                       "order_no": "3-о", "to_group": 0})
    assert too_early.status_code == 422
    assert "Дата приказа должна быть позже 01.09.2025" in too_early.get_data(as_text=True)
    same_group = client.post(url, data={"kind": "transferred", "on_date": "2026-02-02",
                                        "order_no": "3-о", "to_group": world.ids["g1"]})
    assert "Обучающийся уже в этой группе" in same_group.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(people.Movement.id)) is None
        assert db.session.get(people.Student, world.ids["st1"]).status == "studying"


def test_transfer_ends_the_places_in_the_old_groups_subgroups(app, make_user):
    world = build_world(app, make_user)
    with app.test_request_context():
        subgroup = people.Subgroup(group_id=world.ids["g1"], label="Англ. язык", number=1)
        db.session.add(subgroup)
        db.session.flush()
        db.session.add(people.SubgroupMembership(student_id=world.ids["st1"],
                                                 subgroup_id=subgroup.id,
                                                 from_date=date(2025, 9, 1)))
        student = db.session.get(people.Student, world.ids["st1"])
        move_student(student, "transferred", date(2026, 2, 2), "15-к", None,
                     to_group=db.session.get(people.Group, world.ids["g2"]))
        place = db.session.scalar(select(people.SubgroupMembership).where(
            people.SubgroupMembership.student_id == student.id))
        assert place.to_date == date(2026, 2, 1)
