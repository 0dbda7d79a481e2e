"""Mark flags by e-mail, against a real SMTP server (aiosmtpd): the journal's teacher is told of
a family's flag with its comment and a link to answer it, the family member who flagged is told
of the answer (kept; corrected, waiting for approval); once each, and nothing of a rolled-back
flag."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.people.models import User
from plugins.grading import flags
from plugins.grading import services as grading
from plugins.grading.models import Mark
from plugins.grading.tests.world import build, noon
from plugins.notify_email.tests.test_email import (  # noqa: F401  (mail_app: a fixture)
    deliver,
    families,
    mail_app,
    mark,
    rows,
)

PETROV, PAST, TODAY = 0, 2, 11
COMMENT = "Оценка за контрольную выставлена не мне, а однофамильцу."


def _as(app, user_id: int, action) -> None:
    with app.test_request_context():
        action(db.session.get(User, user_id))
        db.session.commit()


def test_the_teacher_is_told_of_a_flag_and_the_parent_of_each_answer(
        mail_app, smtp):  # noqa: F811
    inbox, _port = smtp
    world = build(mail_app, prefix="mfm")
    people = families(mail_app, world)
    with mail_app.app_context():
        teacher = db.session.get(User, world.users["teacher"].id)
        teacher.email = "teacher@college.example"
        db.session.commit()
    mark(mail_app, world, "teacher", PAST, PETROV, "3")
    mark(mail_app, world, "teacher", TODAY, PETROV, "4")
    with mail_app.app_context():
        past, today = (db.session.scalar(select(Mark.id).where(
            Mark.lesson_id == world.lessons[lesson], Mark.student_id == world.students[PETROV]))
            for lesson in (PAST, TODAY))
    parent = people["parent"].id

    with mail_app.test_request_context():  # a flag rolled back tells nobody
        flags.raise_flag(db.session.get(User, parent), past, COMMENT)
        db.session.rollback()
    assert rows(mail_app) == []
    _as(mail_app, parent, lambda user: flags.raise_flag(user, past, COMMENT))
    assert [(m.recipient, m.kind) for m in rows(mail_app)] == [
        ("teacher@college.example", "mark_flag")]
    assert deliver(mail_app)["sent"] == 1
    (recipients, message), = inbox.messages
    assert recipients == ["teacher@college.example"]
    assert message["Subject"] == ("Сообщение об ошибке в оценке: "
                                  "ОП.04 Основы алгоритмизации и программирования, "
                                  f"{world.dates[PAST]:%d.%m.%Y}")
    body = message.get_content()
    assert COMMENT in body and "«3»" in body and "Петров Алексей Игоревич" in body
    assert "https://journal.example/grading/flags" in body

    with mail_app.app_context():
        flag_id = flags.open_flag_of(past).id
    _as(mail_app, world.users["teacher"].id, lambda user: flags.correct(
        user, flag_id, "4", "Проверено по тетради с работами", at=noon(world.dates[TODAY])))
    _as(mail_app, parent, lambda user: flags.raise_flag(user, today, "А эта?"))
    with mail_app.app_context():
        second = flags.open_flag_of(today).id
    _as(mail_app, world.users["teacher"].id, lambda user: flags.keep(
        user, second, "Оценка верна: ответ неполный."))
    assert [(m.recipient, m.kind) for m in rows(mail_app)][1:] == [
        ("parent@family.example", "mark_flag_answer"),
        ("teacher@college.example", "mark_flag"),
        ("parent@family.example", "mark_flag_answer")]
    assert deliver(mail_app)["sent"] == 3 and deliver(mail_app)["sent"] == 0
    answers = [message for recipients, message in inbox.messages
               if recipients == ["parent@family.example"]]
    corrected, kept = (message.get_content() for message in answers)
    assert "оценка исправлена на «4», исправление ждёт утверждения" in corrected
    assert "Проверено по тетради с работами" in corrected
    assert f"https://journal.example/diary/students/{world.students[PETROV]}" in corrected
    assert "оценка оставлена. Комментарий: Оценка верна: ответ неполный." in kept
    assert answers[0]["Subject"].startswith("Ответ на сообщение об ошибке в оценке")
    with mail_app.app_context():
        assert grading.pending_for(world.lessons[PAST], world.students[PETROV]) is not None
