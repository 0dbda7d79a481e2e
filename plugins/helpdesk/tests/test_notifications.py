"""Each change the administration makes to a request mails its author once through the outbox
and a real SMTP server (aiosmtpd): the number, the new status and a link, never the answer's
text. The author's own steps (closing, reopening) mail nobody; the menu counts what the author
has not opened yet."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core import outbox
from core.extensions import db
from plugins.helpdesk.tests.helpers import change, file, load
from plugins.helpdesk.tests.world import build
from tests.fixtures import signed_in, user_maker
from tests.mail import deliver, text_and_link


@pytest.fixture
def mail_world(mail_app):
    return build(mail_app, user_maker(mail_app), prefix="hm")


def queued(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(outbox.OutboxMessage.recipient).where(
            outbox.OutboxMessage.kind == "helpdesk").order_by(outbox.OutboxMessage.id)))


def test_each_status_change_mails_the_author_once_with_a_link_not_the_answer(
        mail_app, mail_world, smtp):
    inbox, _port = smtp
    request_id = file(mail_app, mail_world, "teacher", kind="help",
                      subject="Не открывается журнал группы", body="Пишет «нет доступа».")
    assert queued(mail_app) == []  # filing mails nobody
    change(mail_app, mail_world, request_id, "in_work")
    change(mail_app, mail_world, request_id, "answered", "Секретный текст ответа: доступ открыт.")
    assert queued(mail_app) == ["hm.teacher@college.example"] * 2
    assert deliver(mail_app)["sent"] == 2
    assert deliver(mail_app)["sent"] == 0
    subjects = [mail["Subject"] for _to, mail in inbox.messages]
    assert subjects == [f"Обращение №{request_id}: В работе",
                        f"Обращение №{request_id}: Дан ответ"]
    text, link = text_and_link(inbox.messages[1][1], "Секретный текст")
    assert "«Не открывается журнал группы»: Дан ответ" in text
    assert link == f"/helpdesk/{request_id}"
    teacher = signed_in(mail_app, mail_world.users["teacher"])
    assert "Секретный текст ответа" in teacher.get(link).get_data(as_text=True)


def test_the_authors_own_steps_mail_nobody_and_reopening_restarts_the_term(mail_app,
                                                                           mail_world):
    request_id = file(mail_app, mail_world, "parent", kind="help", body="Как сменить пароль?")
    change(mail_app, mail_world, request_id, "answered", "В профиле, «Сменить пароль».")
    answered = load(mail_app, request_id)
    parent = signed_in(mail_app, mail_world.users["parent"])
    refused = parent.post(f"/helpdesk/{request_id}/reopen", data={"text": ""})
    assert refused.status_code == 422
    assert "Напишите, что осталось нерешённым" in refused.get_data(as_text=True)
    assert parent.post(f"/helpdesk/{request_id}/reopen",
                       data={"text": "Такой кнопки нет."}).status_code == 302
    reopened = load(mail_app, request_id)
    assert reopened.status == "new" and reopened.waiting_since > answered.waiting_since
    assert parent.post(f"/helpdesk/{request_id}/close").status_code == 302
    assert load(mail_app, request_id).status == "closed"
    assert queued(mail_app) == ["hm.parent@college.example"]  # the answer only


def test_the_menu_counts_the_authors_requests_changed_since_they_opened_them(app, world, as_):
    first = file(app, world, "parent", kind="help", body="Вопрос 1")
    second = file(app, world, "parent", kind="help", body="Вопрос 2")
    parent = as_("parent")

    def badge() -> str | None:
        found = re.search(r'href="/helpdesk/">Обращения <span class="badge[^"]*"[^>]*>(\d+)<',
                          parent.get("/helpdesk/").get_data(as_text=True))
        return found and found.group(1)

    assert badge() is None
    change(app, world, first, "in_work")
    change(app, world, second, "answered", "Ответ")
    assert badge() == "2"
    parent.get(f"/helpdesk/{second}")
    assert badge() == "1"


def test_status_moves_follow_the_order_with_russian_refusals(app, world, as_):
    request_id = file(app, world, "teacher", kind="help", body="Вопрос")
    admin = as_("admin")
    refused = admin.post(f"/helpdesk/{request_id}/status", data={"status": "answered"})
    assert refused.status_code == 422 and "Напишите ответ." in refused.get_data(as_text=True)
    refused = admin.post(f"/helpdesk/{request_id}/status", data={"status": "nonsense"})
    assert refused.status_code == 422
    assert "Выберите статус из списка." in refused.get_data(as_text=True)
    assert admin.post(f"/helpdesk/{request_id}/status",
                      data={"status": "closed"}).status_code == 302
    refused = admin.post(f"/helpdesk/{request_id}/status",
                         data={"status": "in_work", "text": "x"})
    assert refused.status_code == 422
    assert "Из статуса «Закрыто» в «В работе» перевести нельзя." in refused.get_data(
        as_text=True)
    assert load(app, request_id).status == "closed"
