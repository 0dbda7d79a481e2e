"""The mail of a published announcement through the outbox, against a real SMTP server
(aiosmtpd): one mail per recipient account with an address (a parent of two children in the
group gets one), with a link and never the text; once, whatever happens after; a scheduled one
is mailed by the worker's job on its publication day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core import outbox
from core.extensions import db
from plugins.announcements import services
from plugins.announcements.tests.conftest import NOON
from plugins.announcements.tests.helpers import created_id, event_form, form
from plugins.messaging.tests.world import build
from tests.fixtures import signed_in
from tests.mail import deliver, text_and_link


@pytest.fixture
def mail_world(mail_app, clock):
    clock.set(NOON, tick=True)
    return build(mail_app, NOON.date())


def queued(app) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted(tuple(row) for row in db.session.execute(
            select(outbox.OutboxMessage.recipient, outbox.OutboxMessage.subject)
            .where(outbox.OutboxMessage.channel == "email")))


def test_a_group_announcement_is_mailed_once_to_each_account_it_concerns(
        mail_app, mail_world, smtp):
    inbox, _port = smtp
    admin = signed_in(mail_app, mail_world.users["admin"])
    announcement_id = created_id(admin.post("/announcements/new", data=event_form(
        f"group:{mail_world.ids['isp']}", "Родительское собрание", email="y",
        body="Секретная повестка, которой не место в почте.")))
    subject = "Мероприятие: Родительское собрание"
    # ИСП-21's families with an account (Кузнецов's parent is deactivated), curator, teachers;
    # the parent of Петров (ИСП-21) and Фёдорова (ТМ-31) once
    expected = sorted((address, subject) for address in (
        "parent@family.example", "parent2@family.example", "student@student.example",
        "student2@student.example", "curator@college.example", "teacher@college.example",
        "english@college.example"))
    assert queued(mail_app) == expected
    assert deliver(mail_app)["sent"] == 7
    assert deliver(mail_app)["sent"] == 0
    assert sorted(recipients[0] for recipients, _mail in inbox.messages) == \
        sorted(address for address, _s in expected)
    mail = inbox.messages[0][1]
    text, link = text_and_link(mail, "Секретная повестка")
    assert "Когда: 08.10.2026 18:00" in text and "Где: Кабинет 214" in text
    assert link == f"/announcements/{announcement_id}"

    # an edit, the job, a replayed event: nothing more
    response = admin.post(f"/announcements/{announcement_id}/edit", data=event_form(
        f"group:{mail_world.ids['isp']}", "Собрание переносится", email="y", version="1"))
    assert response.status_code == 302
    with mail_app.test_request_context():
        assert services.mail_due() == 0
    assert len(queued(mail_app)) == 7
    assert deliver(mail_app)["sent"] == 0


def test_without_the_checkbox_nobody_is_mailed(mail_app, mail_world):
    admin = signed_in(mail_app, mail_world.users["admin"])
    created_id(admin.post("/announcements/new", data=form("college:", "Без рассылки")))
    assert queued(mail_app) == []


def test_a_scheduled_announcement_is_mailed_on_its_day_by_the_job(mail_app, mail_world, clock):
    director = signed_in(mail_app, mail_world.users["director"])
    created_id(director.post("/announcements/new", data=form(
        "staff:", "Педсовет", email="y", publish_on="2026-10-07")))
    assert queued(mail_app) == []
    with mail_app.test_request_context():
        assert services.mail_due() == 0
    clock.set(datetime(2026, 10, 6, 21, 5, tzinfo=UTC))  # 7 October in Moscow
    with mail_app.test_request_context():
        assert services.mail_due() == 1
        assert services.mail_due() == 0
    staff = sorted(f"{key}@college.example" for key in (
        "admin", "deputy", "methodist", "supervisor", "head", "curator", "curator2",
        "teacher", "english", "teacher2", "former"))  # not the author
    assert [address for address, _s in queued(mail_app)] == staff
