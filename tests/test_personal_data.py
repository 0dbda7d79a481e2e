"""Least privilege on personal data (issue #14 item 9, 152-ФЗ): the student card shows the birth
date and the family's phones and e-mails only to the student and their parents, the curator of
the student's group, the administration and the roles the preset names
(``people.contacts_roles``); a subject teacher sees the name, the group and the subgroup. A group
roster read by staff leaves one audit row for the page, not one a student."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core import create_app, policy
from core.audit import AuditEntry
from core.errors import StartupError
from core.extensions import db
from core.people.models import Subgroup, SubgroupMembership
from tests.fixtures import signed_in
from tests.people_world import build_world, close_teaching, open_teaching
from tests.test_policy import preset_file

#: what only those who may see personal data see on Петров's card
PRIVATE = ("14.03.2008", "+79123456789", "petrov.a@mail.ru", "8 (912) 000-11-22",
           "Петрова Марина Сергеевна", "Дата рождения", "w.student")
#: what everyone who may view him sees: what teaching needs
TEACHING = ("Петров Алексей Игоревич", "ИСП-21", "Иностранный язык, 2 подгруппа")

# role -> sees the personal data on Петров's card (BTT: the preset names no other role)
SEES = {"admin": True, "director": True, "deputy": True, "methodist": True, "curator": True,
        "student": True, "parent": True, "supervisor": False, "commission_head": False,
        "teacher": False}


@pytest.fixture
def world(app, make_user):
    built = build_world(app, make_user)
    with app.app_context():
        first, second = (Subgroup(group_id=built.ids["g1"], label="Иностранный язык", number=n)
                         for n in (1, 2))
        db.session.add_all([first, second])
        db.session.flush()
        db.session.add(SubgroupMembership(student_id=built.ids["st1"], subgroup_id=second.id,
                                          from_date=date(2025, 9, 1)))
        db.session.commit()
    stub = open_teaching(app, built)
    yield built
    close_teaching(app, stub)


def _card(app, world, role: str) -> str:
    page = signed_in(app, world.users[role]).get(f"/people/students/{world.ids['st1']}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.mark.parametrize("role", sorted(SEES))
def test_the_card_shows_personal_data_only_to_those_whose_work_needs_it(app, world, role):
    text = _card(app, world, role)
    shown = [item for item in PRIVATE if item in text]
    assert shown == (list(PRIVATE) if SEES[role] else []), role
    assert [item for item in TEACHING if item not in text] == [], role


def test_a_role_the_policy_names_sees_the_personal_data_of_the_students_it_views(
        app, world):
    with app.app_context():
        policy.set_override("people.contacts_roles", ["supervisor"],
                            actor=db.session.get(type(world.users["admin"]),
                                                 world.users["admin"].id))
        db.session.commit()
    assert "14.03.2008" in _card(app, world, "supervisor")
    assert "14.03.2008" not in _card(app, world, "teacher")
    supervisor = signed_in(app, world.users["supervisor"])
    assert supervisor.get(f"/people/students/{world.ids['st2']}").status_code == 404


def test_a_curator_sees_the_personal_data_of_their_own_group_only(app, world):
    from core.people import scope
    from core.people.models import Student, User

    with app.test_request_context():
        curator = db.session.get(User, world.users["curator"].id)
        teacher = db.session.get(User, world.users["teacher"].id)
        petrov, smirnova = (db.session.get(Student, world.ids[key]) for key in ("st1", "st2"))
        assert scope.can_see_contacts(curator, petrov)
        assert not scope.can_see_contacts(curator, smirnova)
        assert not scope.can_see_contacts(teacher, petrov)


def test_a_preset_naming_an_unknown_role_stops_the_start_up(app_config, tmp_path):
    path = preset_file(tmp_path, lambda t: t.replace("contacts_roles = []",
                                                     'contacts_roles = ["teacher", "janitor"]'))
    with pytest.raises(StartupError, match="people.contacts_roles».*получено 'janitor'"):
        create_app({**app_config, "POLICY": path})


def _rosters(app, group_id: int) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "people.group.roster", AuditEntry.target_type == "Group",
            AuditEntry.target_id == str(group_id))))


@pytest.mark.parametrize("role", ["teacher", "curator", "director"])
def test_a_staff_read_of_a_group_roster_is_audited_once_a_page(app, client, login, world, role):
    login(world.users[role])
    for _ in range(2):
        assert client.get(f"/people/groups/{world.ids['g1']}").status_code == 200
    rows = _rosters(app, world.ids["g1"])
    assert [(row.actor_login, row.after) for row in rows] == [
        (world.users[role].login, {"count": 1})] * 2


@pytest.mark.parametrize("role", ["teacher", "commission_head", "supervisor", "curator", "deputy"])
def test_the_roster_shows_the_students_accounts_to_the_same_people_as_the_card(app, world, role):
    page = signed_in(app, world.users[role]).get(f"/people/groups/{world.ids['g1']}")
    text = page.get_data(as_text=True)
    assert "Петров Алексей Игоревич" in text and "24-0101" in text
    assert ("w.student" in text) is SEES[role], role


def test_the_administrator_names_the_roles_on_the_policy_page(app, world):
    admin = signed_in(app, world.users["admin"])
    page = admin.get("/admin/policy").get_data(as_text=True)
    assert "people.contacts_roles" in page and "Кто ещё видит дату рождения" in page
    url = "/admin/policy/people.contacts_roles"
    bad = admin.post(url, data={"value": "supervisor, janitor"})
    assert bad.status_code == 422 and "получено &#39;janitor&#39;" in bad.get_data(as_text=True)
    assert admin.post(url, data={"value": "supervisor, teacher"}).status_code == 302
    assert "Куратор курса, Преподаватель" in admin.get("/admin/policy").get_data(as_text=True)
    assert "14.03.2008" in _card(app, world, "teacher")
