"""The address book by role (``core.people.scope``), as a table: whom each account may start a
conversation with, every other account of the world checked; and that the pages follow it (a
recipient outside the book, by a forged id, is a 404)."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.people import scope
from core.people.models import User
from plugins.messaging.tests.world import STAFF
from tests.fixtures import signed_in

FAMILY = {"student", "student2", "student3", "parent", "parent2", "parent3"}
EVERYONE = set(STAFF) | FAMILY  # the active accounts ("gone" is deactivated)

#: writer → the accounts they may write to (the issue's rules: BTT 2.11, 3.8, 4.3, 4.4)
REACHES = {
    # a parent: the teachers of their children's disciplines (a subgroup's only for its
    # members), their curators; the administration as a role (below)
    "parent": {"teacher", "english", "curator", "teacher2", "curator2"},
    "parent2": {"teacher", "curator"},
    "parent3": {"teacher2", "curator2"},
    # a student: their curator and their teachers
    "student": {"teacher", "english", "curator"},
    "student2": {"teacher", "curator"},
    "student3": {"teacher2", "curator2"},
    # a teacher: the students and parents of the groups they teach this year
    "teacher": {"student", "student2", "parent", "parent2"},
    "english": {"student", "student2", "parent", "parent2"},
    "teacher2": {"student3", "parent", "parent3"},
    "former": set(),
    # a curator: their group's families
    "curator": {"student", "student2", "parent", "parent2"},
    "curator2": {"student3", "parent", "parent3"},
    # staff outside these rules write to nobody
    "supervisor": set(),
    "head": set(),
    # the administration: everyone
    "admin": EVERYONE - {"admin"},
    "director": EVERYONE - {"director"},
    "deputy": EVERYONE - {"deputy"},
    "methodist": EVERYONE - {"methodist"},
}
#: who may write to the administration as a role
ROLE_WRITERS = {"parent", "parent2", "parent3"}


@pytest.mark.parametrize("writer", sorted(REACHES))
def test_the_address_book_of_each_role(app, world, writer):
    targets = set(world.users) - {writer}
    with app.test_request_context():
        user = db.session.get(User, world.id(writer))
        allowed = {key for key in targets if scope.may_write(user, world.id(key))}
        assert allowed == REACHES[writer]
        book = scope.address_book(user)
        if not book.everyone:
            assert book.user_ids == {world.id(key) for key in REACHES[writer]}
        assert scope.may_write_role(user, "administration") is (writer in ROLE_WRITERS)
        assert not scope.may_write(user, world.id("gone"))  # a deactivated account


def test_the_administration_book_lists_staff_and_one_group_at_a_time(app, world):
    with app.test_request_context():
        deputy = db.session.get(User, world.id("deputy"))
        staff = scope.address_book(deputy)
        assert staff.everyone
        assert {world.id(k) for k in STAFF} - {world.id("deputy")} == staff.user_ids
        group = scope.address_book(deputy, group_id=world.ids["tm"])
        assert group.user_ids == {world.id(k) for k in ("student3", "parent", "parent3")}


@pytest.mark.parametrize(("writer", "target", "status"), [
    ("parent2", "english", 404),  # Смирнова is not in the English subgroup
    ("parent2", "parent", 404),  # families never write to each other
    ("student", "director", 404),
    ("teacher", "student3", 404),  # Фёдорова is in a group he does not teach
    ("former", "student", 404),  # last year's teacher
    ("teacher", "gone", 404),
    ("teacher", "student", 302),
    ("parent2", "teacher", 302),
])
def test_a_recipient_outside_the_book_is_a_404(app, world, writer, target, status):
    client = signed_in(app, world.users[writer])
    response = client.post("/messages/new", data={
        "to": f"user:{world.id(target)}", "subject": "Вопрос", "body": "Здравствуйте!"})
    assert response.status_code == status


@pytest.mark.parametrize("to", ["user:999999", "role:director", "role:", "user:abc", "x"])
def test_a_forged_recipient_is_a_404(app, world, to):
    client = signed_in(app, world.users["parent"])
    response = client.post("/messages/new", data={"to": to, "subject": "Вопрос",
                                                   "body": "Здравствуйте!"})
    assert response.status_code == 404


def test_a_student_may_not_write_to_the_administration_as_a_role(app, world):
    client = signed_in(app, world.users["student"])
    response = client.post("/messages/new", data={"to": "role:administration",
                                                   "subject": "Вопрос", "body": "Текст"})
    assert response.status_code == 404


def test_the_form_offers_exactly_the_book(app, world):
    client = signed_in(app, world.users["parent"])
    page = client.get("/messages/new").get_data(as_text=True)
    for key in REACHES["parent"]:
        assert f'value="user:{world.id(key)}"' in page
    assert 'value="role:administration"' in page
    assert f'value="user:{world.id("parent2")}"' not in page
    assert "Основы алгоритмизации" in page  # why a teacher is there: the discipline


def test_hook_taught_group_ids(app, world):
    from core.plugins import hook

    with app.test_request_context():
        teacher = db.session.get(User, world.id("english"))
        found = set().union(*hook().taught_group_ids(user=teacher, on=world.today))
    assert found == {world.ids["isp"]}


def test_hook_student_teachers(app, world):
    from core.plugins import hook

    with app.test_request_context():
        ties = [t for batch in hook().student_teachers(
            student_ids=[world.ids["petrov"], world.ids["smirnova"]], on=world.today)
            for t in batch]
    by_student = {}
    for tie in ties:
        by_student.setdefault(tie.student_id, set()).add(tie.teacher_id)
    assert by_student == {world.ids["petrov"]: {world.id("teacher"), world.id("english")},
                          world.ids["smirnova"]: {world.id("teacher")}}
