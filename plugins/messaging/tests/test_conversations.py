"""Conversations: a parent writes, the teacher reads and answers; read receipts (who read when);
only participants read a conversation (a forged id is a 404); a message to the administration is
answered by whoever holds it; search over one's own messages; the unread count of the menu; staff
reads audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from core.people.models import User
from plugins.messaging import services
from plugins.messaging.models import Receipt, Thread
from plugins.messaging.tests.conftest import NOON
from plugins.messaging.tests.helpers import bodies, unread, write
from tests.fixtures import count_queries, signed_in


def test_a_parent_writes_to_a_teacher_who_reads_and_answers(app, world, clock):
    parent = signed_in(app, world.users["parent"])
    response = parent.post("/messages/new", data={
        "to": f"user:{world.id('teacher')}", "subject": "Контрольная работа",
        "body": "Здравствуйте! Когда можно пересдать контрольную?"})
    assert response.status_code == 302
    thread_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert unread(app, world, "teacher") == 1

    teacher = signed_in(app, world.users["teacher"])
    inbox = teacher.get("/messages/").get_data(as_text=True)
    assert "Контрольная работа" in inbox and "Петрова М." in inbox
    assert re.search(r'Сообщения <span class="badge[^>]*>1</span>', inbox)  # the menu's count
    clock.set(NOON.replace(hour=11, minute=30))  # 14:30 in Moscow
    # hours later: the idle sessions have ended, both sign in again
    teacher, parent = (signed_in(app, world.users[who]) for who in ("teacher", "parent"))
    page = teacher.get(f"/messages/{thread_id}").get_data(as_text=True)
    assert "Когда можно пересдать контрольную?" in page
    assert unread(app, world, "teacher") == 0

    view = parent.get(f"/messages/{thread_id}").get_data(as_text=True)
    assert "Прочитано: Васильев П. 05.10.2026 14:30" in view
    with app.app_context():
        receipt = db.session.scalar(select(Receipt).where(Receipt.user_id == world.id("teacher")))
        assert receipt.read_at == NOON.replace(hour=11, minute=30)

    response = teacher.post(f"/messages/{thread_id}", data={"body": "Во вторник после пар."})
    assert response.status_code == 302
    assert unread(app, world, "parent") == 1
    assert "Во вторник после пар." in parent.get(f"/messages/{thread_id}").get_data(as_text=True)
    assert unread(app, world, "parent") == 0
    assert bodies(app, thread_id)[-1] == "Во вторник после пар."


def test_only_the_participants_read_a_conversation(app, world):
    thread_id = write(app, world, "parent", "teacher")
    for who in ("parent2", "curator", "english", "director", "student"):
        client = signed_in(app, world.users[who])
        assert client.get(f"/messages/{thread_id}").status_code == 404, who
        assert client.post(f"/messages/{thread_id}", data={"body": "Я тоже!"}).status_code == 404
        assert client.post(f"/messages/{thread_id}/no-answer-needed").status_code == 404
        assert f"/messages/{thread_id}" not in client.get("/messages/").get_data(as_text=True)
    assert signed_in(app, world.users["parent"]).get("/messages/999999").status_code == 404
    assert bodies(app, thread_id) == ["Здравствуйте!"]


def test_a_reply_by_someone_outside_is_refused_by_the_service_too(app, world):
    import pytest

    from core.errors import NotFound

    thread_id = write(app, world, "parent", "teacher")
    with app.test_request_context():
        outsider = db.session.get(User, world.id("parent2"))
        with pytest.raises(NotFound):
            services.reply(outsider, db.session.get(Thread, thread_id), "Я тоже!")


def test_the_administration_answers_as_a_role(app, world):
    thread_id = write(app, world, "parent", "role:administration", "Справка",
                      "Нужна справка об обучении.")
    for who in ("admin", "director", "deputy", "methodist"):
        assert unread(app, world, who) == 1, who
    for who in ("curator", "teacher", "supervisor", "parent2"):
        assert signed_in(app, world.users[who]).get(f"/messages/{thread_id}").status_code == 404
    deputy = signed_in(app, world.users["deputy"])
    assert "Справка" in deputy.get("/messages/").get_data(as_text=True)
    deputy.post(f"/messages/{thread_id}", data={"body": "Справка готова, заберите в приёмной."})
    with app.app_context():
        assert db.session.get(Thread, thread_id).taken_by_id == world.id("deputy")
    assert unread(app, world, "director") == 0  # taken up by the deputy
    director = signed_in(app, world.users["director"])
    assert director.get(f"/messages/{thread_id}").status_code == 200  # still the role's
    parent_view = signed_in(app, world.users["parent"]).get(f"/messages/{thread_id}")
    text = parent_view.get_data(as_text=True)
    assert "Справка готова" in text and "Лебедева О." in text
    assert "Администрация колледжа" in text


def test_search_finds_only_ones_own_messages_whatever_the_case(app, world):
    write(app, world, "parent", "teacher", "Пересдача", "Вопрос о КОНТРОЛЬНОЙ работе")
    write(app, world, "parent2", "teacher", "Болезнь сына", "Сын болел, справка будет")
    parent = signed_in(app, world.users["parent"])
    assert "Пересдача" in parent.get("/messages/?q=контрольной").get_data(as_text=True)
    found = parent.get("/messages/?q=справка").get_data(as_text=True)
    assert "Болезнь сына" not in found and "Ничего не найдено" in found
    teacher = signed_in(app, world.users["teacher"]).get("/messages/?q=СПРАВКА")
    assert "Болезнь сына" in teacher.get_data(as_text=True)
    assert "Пересдача" not in teacher.get_data(as_text=True)
    assert parent.get("/messages/?q=100%25_").status_code == 200  # wildcards are plain text


def test_the_unread_count_of_the_menu_is_one_query(app, world):
    for _ in range(3):
        write(app, world, "parent", "teacher")
    write(app, world, "parent", "role:administration")
    with app.test_request_context():
        teacher = db.session.get(User, world.id("teacher"))
        deputy = db.session.get(User, world.id("deputy"))
        _ = teacher.roles, deputy.roles
        with count_queries(app) as counted:
            assert services.unread_count(teacher) == 3
        assert counted.count == 1
        with count_queries(app) as counted:
            assert services.unread_count(deputy) == 1
        assert counted.count == 1


def test_staff_reads_are_audited_and_families_reads_are_not(app, world):
    thread_id = write(app, world, "parent", "teacher")
    signed_in(app, world.users["teacher"]).get(f"/messages/{thread_id}")
    signed_in(app, world.users["parent"]).get(f"/messages/{thread_id}")
    with app.app_context():
        reads = db.session.execute(select(AuditEntry.actor_id, AuditEntry.target_id).where(
            AuditEntry.action == "messaging.thread.read")).all()
    assert reads == [(world.id("teacher"), str(thread_id))]


def test_a_message_needs_a_subject_and_a_text(app, world):
    client = signed_in(app, world.users["parent"])
    response = client.post("/messages/new", data={"to": f"user:{world.id('teacher')}",
                                                   "subject": " ", "body": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Укажите тему сообщения." in page and "Напишите текст сообщения." in page
