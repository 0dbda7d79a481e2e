"""KTIS 5.4: a signed check goes to the director (mail through the outbox, the home page, the
check and its PDF) and to the teachers and curators its remarks concern, who acknowledge them;
every teacher gets a weekly mail of their own open gaps (a real SMTP server)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.extensions import db
from plugins.control import jobs
from plugins.control.models import Acknowledgement, Remark
from plugins.control.tests.conftest import NOON
from plugins.control.tests.helpers import client_of, pdf_text, start
from plugins.control.tests.world import build
from tests.mail import app_mailing_to, deliver


@pytest.fixture
def ktis_mail(make_app, tmp_path, smtp, clock):
    clock.set(NOON, tick=True)
    _inbox, port = smtp
    app = app_mailing_to(make_app, tmp_path, port, POLICY="ktis", WORKER_WAKE=False)
    return app, build(app, NOON.date(), prefix="k")


def mails(inbox) -> dict[str, list]:
    found: dict[str, list] = {}
    for recipients, message in inbox.messages:
        for address in recipients:
            found.setdefault(address, []).append(message)
    return found


def test_a_signed_check_reaches_the_director_and_the_teacher_who_acknowledges(ktis_mail, smtp):
    app, world = ktis_mail
    inbox, _port = smtp
    deputy = client_of(app, world, "deputy")
    check_id = start(deputy, kind="term_end")
    deputy.post(f"/control/checks/{check_id}/remarks", data={
        f"row-{world.id('teacher')}-{world.ids['load']}": "Записать темы и посещаемость",
        "remark": "По итогам семестра: журналы заполнены не полностью"})
    deputy.post(f"/control/checks/{check_id}/tick", data={"item": "objectivity", "ticked": "1"})
    page = deputy.get(f"/control/checks/{check_id}").get_data(as_text=True)
    assert "Справка будет направлена директору" in page
    assert deputy.post(f"/control/checks/{check_id}/sign").status_code == 302
    deliver(app)
    by_address = mails(inbox)
    director_mail = by_address["director@college.example"][0]
    assert director_mail["Subject"].startswith("Справка по итогам проверки")
    body = director_mail.get_content()
    assert f"https://journal.example/control/checks/{check_id}" in body
    assert "Записать темы" not in body  # the mail links, the remarks stay in the journal
    assert "teacher@college.example" in by_address and "curator@college.example" in by_address
    assert "teacher2@college.example" not in by_address  # no remark on their journal
    director = client_of(app, world, "director")
    assert "Справки по итогам проверок" in director.get("/").get_data(as_text=True)
    assert "Записать темы и посещаемость" in director.get(
        f"/control/checks/{check_id}").get_data(as_text=True)
    text = pdf_text(director.get(f"/control/checks/{check_id}/report.pdf").data)
    assert "С результатами ознакомлен: директор" in text
    assert "Перечень проверки по итогам семестра" in text
    assert "Итоговые оценки выставлены объективно да" in text
    assert "Темы всех проведённых занятий записаны нет" in text  # a lesson has none
    teacher = client_of(app, world, "teacher")
    with app.app_context():
        remark = db.session.query(Remark).filter_by(teacher_id=world.id("teacher")).one()
    assert teacher.post(f"/control/remarks/{remark.id}/acknowledge").status_code == 302
    with app.app_context():
        assert db.session.query(Acknowledgement).filter_by(
            remark_id=remark.id, user_id=world.id("teacher")).count() == 1


def test_each_teacher_gets_a_weekly_mail_of_their_own_open_gaps(ktis_mail, smtp, clock):
    app, world = ktis_mail
    inbox, _port = smtp
    with app.test_request_context():
        assert jobs.weekly_gaps() == 2
        assert jobs.weekly_gaps() == 2  # run twice: the week's key keeps it one mail
    deliver(app)
    by_address = mails(inbox)
    assert len(by_address["teacher@college.example"]) == 1
    mine = by_address["teacher@college.example"][0].get_content()
    assert "ИСП-21k · ОП.04 Основы алгоритмизации k: Занятия без темы — 1" in mine
    assert "Обращения без ответа в срок" not in mine  # KTIS sets no term for answers
    assert "ТМ-31k" not in mine  # only their own journals
    theirs = by_address["teacher2@college.example"][0].get_content()
    assert "ТМ-31k" in theirs and "ИСП-21k" not in theirs
    clock.set(datetime(2026, 10, 14, 9, 0, tzinfo=UTC), tick=True)
    with app.test_request_context():
        jobs.weekly_gaps()
    deliver(app)
    assert len(mails(inbox)["teacher@college.example"]) == 2  # next week, the next mail
