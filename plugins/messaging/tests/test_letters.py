"""Letters to many: each recipient gets their own copy, once, and nobody outside the audience;
each answers privately; the sender sees who read it; the audience follows the sender's reach."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from core.extensions import db
from core.people.models import Guardian, StudentGuardian
from plugins.messaging.models import Letter, Participant, Thread
from plugins.messaging.tests.test_attachments import PDF
from tests.fixtures import signed_in


def send(app, world, who, audience, subject="Родительское собрание", files=None):
    data = {"audience": audience, "subject": subject,
            "body": "Собрание в четверг в 18:00, кабинет 204."}
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return signed_in(app, world.users[who]).post("/messages/letters/new", data=data,
                                                 content_type="multipart/form-data")


def reached(app, letter_id: int, sender_id: int) -> list[int]:
    """Every recipient account of the letter, once per copy."""
    with app.app_context():
        return sorted(db.session.scalars(
            select(Participant.user_id).join(Thread, Thread.id == Participant.thread_id)
            .where(Thread.letter_id == letter_id, Participant.user_id != sender_id)))


def letter_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_letter_to_a_group_reaches_every_family_once_and_none_outside(app, world):
    with app.app_context():  # Смирнов is also the parent of Кузнецов, of the same group
        guardian = db.session.scalar(select(Guardian.id).where(
            Guardian.user_id == world.id("parent2")))
        db.session.add(StudentGuardian(student_id=world.ids["kuznetsov"], guardian_id=guardian))
        db.session.commit()
    letter_id = letter_id_of(send(app, world, "curator", f"group:{world.ids['isp']}:parents"))
    assert reached(app, letter_id, world.id("curator")) == sorted(
        [world.id("parent"), world.id("parent2")])  # not the deactivated «gone», not ТМ-31's
    for who, sees in (("parent", True), ("parent2", True), ("parent3", False),
                      ("student", False), ("teacher", False)):
        page = signed_in(app, world.users[who]).get("/messages/").get_data(as_text=True)
        assert ("Родительское собрание" in page) is sees, who
    with app.app_context():
        assert db.session.get(Letter, letter_id).recipients == 2


def test_each_recipient_answers_privately_and_the_sender_sees_who_read_it(app, world, clock):
    from plugins.messaging.tests.conftest import NOON

    letter_id = letter_id_of(send(app, world, "curator", f"group:{world.ids['isp']}:parents"))
    curator = signed_in(app, world.users["curator"])
    assert "Родительское собрание" not in curator.get("/messages/").get_data(as_text=True)
    page = curator.get(f"/messages/letters/{letter_id}").get_data(as_text=True)
    assert "Прочитали 0 из 2" in page
    clock.set(NOON.replace(hour=15))  # 18:00 in Moscow
    curator = signed_in(app, world.users["curator"])  # the idle session has ended meanwhile
    parent = signed_in(app, world.users["parent"])
    with app.app_context():
        mine = db.session.scalar(select(Thread.id).join(Participant).where(
            Thread.letter_id == letter_id, Participant.user_id == world.id("parent")))
        other = db.session.scalar(select(Thread.id).join(Participant).where(
            Thread.letter_id == letter_id, Participant.user_id == world.id("parent2")))
    assert "Собрание в четверг" in parent.get(f"/messages/{mine}").get_data(as_text=True)
    parent.post(f"/messages/{mine}", data={"body": "Придём вдвоём."})
    page = curator.get(f"/messages/letters/{letter_id}").get_data(as_text=True)
    assert "Прочитали 1 из 2" in page and "05.10.2026 18:00" in page and "не прочитано" in page
    assert "ответов: 1" in page
    assert "Родительское собрание" in curator.get("/messages/").get_data(as_text=True)
    parent2 = signed_in(app, world.users["parent2"])
    assert parent2.get(f"/messages/{mine}").status_code == 404  # the answer is private
    assert "Придём вдвоём" not in parent2.get(f"/messages/{other}").get_data(as_text=True)
    for who in ("teacher", "parent"):  # only the sender sees the letter's page
        assert signed_in(app, world.users[who]).get(
            f"/messages/letters/{letter_id}").status_code == 404


@pytest.mark.parametrize(("who", "audience", "expected"), [
    ("curator", "group:{isp}:students", ["student", "student2"]),
    ("teacher", "group:{isp}:parents", ["parent", "parent2"]),
    ("english", "group:{isp}:students", ["student", "student2"]),
    ("teacher", "group:{tm}:parents", 404),  # a group he does not teach
    ("curator", "group:{tm}:parents", 404),
    ("curator", "course:2:parents", 404),  # a course or the college: the administration
    ("teacher", "college::students", 404),
    ("parent", "group:{isp}:parents", 404),
    ("supervisor", "group:{isp}:parents", 404),
    ("deputy", "course:3:parents", ["parent", "parent3"]),
    ("deputy", "course:2:students", ["student", "student2"]),
    ("director", "college::students", ["student", "student2", "student3"]),
    ("admin", "group:{tm}:students", ["student3"]),
    ("admin", "group:999999:students", 404),
    ("admin", "nowhere:1:parents", 404),
    ("admin", "college::teachers", 404),
])
def test_the_audience_follows_the_senders_reach(app, world, who, audience, expected):
    response = send(app, world, who, audience.format(isp=world.ids["isp"], tm=world.ids["tm"]))
    if expected == 404:
        assert response.status_code == 404
        return
    assert reached(app, letter_id_of(response), world.id(who)) == sorted(
        world.id(key) for key in expected)


def test_a_letters_files_reach_its_recipients_only(app, world):
    response = send(app, world, "curator", f"group:{world.ids['isp']}:parents",
                    files=[("приглашение.pdf", PDF)])
    letter_id = letter_id_of(response)
    from plugins.messaging.models import Attachment

    with app.app_context():
        file_id = db.session.scalar(select(Attachment.id).where(Attachment.letter_id == letter_id))
        thread_id = db.session.scalar(select(Thread.id).join(Participant).where(
            Thread.letter_id == letter_id, Participant.user_id == world.id("parent2")))
    parent2 = signed_in(app, world.users["parent2"])
    assert "приглашение.pdf" in parent2.get(f"/messages/{thread_id}").get_data(as_text=True)
    assert parent2.get(f"/messages/file/{file_id}").data == PDF
    assert signed_in(app, world.users["curator"]).get(f"/messages/file/{file_id}").data == PDF
    for who in ("parent3", "teacher2"):
        assert signed_in(app, world.users[who]).get(f"/messages/file/{file_id}").status_code \
            == 404


def test_the_letter_pages_are_closed_to_those_who_write_no_letters(app, world):
    for who in ("parent", "student", "supervisor"):
        client = signed_in(app, world.users[who])
        assert client.get("/messages/letters").status_code == 404
        assert client.get("/messages/letters/new").status_code == 404
