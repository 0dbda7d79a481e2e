"""The answer rule at a frozen time, in both presets. BTT (3.8: «в течение 3-х дней»): a
family's message is due three calendar days after the day it came (holidays and Sundays count),
shows on the addressee's home page with the days left, a reminder goes out the day before (once),
and a late one is in the control report «Обращения без ответа в срок». KTIS sets no term: no
deadline, no reminder, no report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from core import migrate, outbox
from core.calendar.models import Holiday
from core.extensions import db
from core.people.models import User
from plugins.messaging import answers
from plugins.messaging.models import Message, Thread
from plugins.messaging.tests.helpers import answer, write
from plugins.messaging.tests.world import build
from tests.fixtures import signed_in


def moscow(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    """An instant of October 2026 given in Moscow time (UTC+3)."""
    return datetime(2026, month, day, hour - 3, minute, tzinfo=UTC) if hour >= 3 else \
        datetime(2026, month, day - 1, hour + 21, minute, tzinfo=UTC)


def waiting(app, thread_id: int) -> Message:
    with app.app_context():
        return db.session.scalar(select(Message).where(Message.thread_id == thread_id,
                                                       Message.awaits_answer.is_(True)))


def remind(app, at: datetime) -> int:
    with app.test_request_context():
        return answers.send_reminders(at)


def reminders(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(outbox.OutboxMessage.recipient).where(
            outbox.OutboxMessage.kind == "reminder").order_by(outbox.OutboxMessage.id)))


def late(app, start: date, end: date, today: date) -> list[answers.Late]:
    with app.app_context():
        return answers.late(start, end, today)


@pytest.fixture
def btt(app, clock):
    clock.set(moscow(5, 12), tick=True)  # Monday 5 October 2026, noon in Moscow
    return app, build(app, date(2026, 10, 5))


@pytest.fixture
def ktis(make_app, tmp_path, clock):
    app = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}",
                   WORKER_WAKE=False)
    migrate.upgrade(app)
    clock.set(moscow(5, 12), tick=True)
    return app, build(app, date(2026, 10, 5))


def test_btt_a_familys_message_is_due_three_calendar_days_after_the_day_it_came(btt):
    app, world = btt
    thread_id = write(app, world, "parent", "teacher", "Пересдача")
    assert waiting(app, thread_id).due_on == date(2026, 10, 8)  # Thursday
    late_evening = write(app, world, "parent", "curator", at=moscow(5, 23, 30))
    assert waiting(app, late_evening).due_on == date(2026, 10, 8)
    after_midnight = write(app, world, "parent2", "curator", at=moscow(6, 0, 30))
    assert waiting(app, after_midnight).due_on == date(2026, 10, 9)  # a Tuesday's message
    thursday = write(app, world, "student", "teacher", at=moscow(8, 10))
    assert waiting(app, thursday).due_on == date(2026, 10, 11)  # a Sunday counts


def test_btt_holidays_of_the_college_calendar_do_not_move_the_deadline(btt):
    app, world = btt
    with app.app_context():
        db.session.add(Holiday(year_id=world.ids["year"], title="Осенние каникулы",
                               starts_on=date(2026, 10, 6), ends_on=date(2026, 10, 12)))
        db.session.commit()
    thread_id = write(app, world, "parent", "teacher")
    assert waiting(app, thread_id).due_on == date(2026, 10, 8)


def test_btt_the_waiting_message_shows_on_the_addressees_home_with_the_days_left(btt, clock):
    app, world = btt
    thread_id = write(app, world, "parent", "teacher", "Пересдача")
    teacher = signed_in(app, world.users["teacher"])
    home = teacher.get("/").get_data(as_text=True)
    assert "Ждут вашего ответа" in home and "Пересдача" in home and "осталось дней: 3" in home
    page = teacher.get(f"/messages/{thread_id}").get_data(as_text=True)
    assert "Ждёт вашего ответа до 08.10.2026 (осталось дней: 3)." in page
    assert "Ждут вашего ответа" not in signed_in(app, world.users["parent"]).get("/") \
        .get_data(as_text=True)
    clock.set(moscow(8, 9), tick=True)
    teacher = signed_in(app, world.users["teacher"])  # days later: a new session
    assert "сегодня последний день" in teacher.get("/").get_data(as_text=True)
    clock.set(moscow(10, 9), tick=True)
    teacher = signed_in(app, world.users["teacher"])
    assert "просрочено на 2 дн." in teacher.get("/").get_data(as_text=True)
    answer(app, world, "teacher", thread_id)
    assert "Ждут вашего ответа" not in teacher.get("/").get_data(as_text=True)


def test_btt_a_reminder_goes_out_the_day_before_the_deadline_once(btt):
    app, world = btt
    write(app, world, "parent", "teacher", "Пересдача")
    write(app, world, "parent", "role:administration", "Справка")
    answered = write(app, world, "parent2", "curator")
    answer(app, world, "curator", answered)
    assert remind(app, moscow(6, 12)) == 0  # Tuesday: two days left
    assert remind(app, moscow(7, 0, 20)) == 2  # Wednesday, the day before Thursday
    assert reminders(app) == ["teacher@college.example", "admin@college.example",
                              "director@college.example", "deputy@college.example",
                              "methodist@college.example"]
    assert remind(app, moscow(7, 1, 20)) == 0
    assert remind(app, moscow(8, 10)) == 0  # never twice
    assert len(reminders(app)) == 5
    assert remind(app, moscow(9, 10)) == 0  # a late one is the report's


def test_btt_the_control_report_lists_the_late_ones(btt, clock):
    app, world = btt
    unanswered = write(app, world, "parent", "teacher", "Без ответа")
    late_answer = write(app, world, "parent2", "curator", "Поздний ответ")
    in_time = write(app, world, "student", "teacher", "Вовремя")
    closed = write(app, world, "parent3", "curator2", "Спасибо")
    staff_first = write(app, world, "teacher", "parent2", "От преподавателя")
    answer(app, world, "teacher", in_time, at=moscow(8, 20))  # the last day, evening
    answer(app, world, "curator", late_answer, at=moscow(9, 1))  # Friday, past midnight
    with app.test_request_context():
        user = db.session.get(User, world.id("curator2"))
        answers.close_without_answer(user, db.session.get(Thread, closed), at=moscow(7, 10))
        db.session.commit()
    answer(app, world, "parent2", staff_first, "Понятно", at=moscow(9, 10))  # waits in turn
    assert waiting(app, staff_first).due_on == date(2026, 10, 12)
    found = late(app, date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 10))
    assert [(row.subject, row.days_late) for row in found] == [
        ("Без ответа", 2), ("Поздний ответ", 1)]
    assert found[1].answered_by_id == world.id("curator")

    clock.set(moscow(10, 12), tick=True)
    deputy = signed_in(app, world.users["deputy"])
    assert "Обращения без ответа в срок" in deputy.get("/reports/").get_data(as_text=True)
    page = deputy.get("/reports/messaging.late_answers", query_string={
        "run": 1, "start": "2026-10-01", "end": "2026-10-31"}).get_data(as_text=True)
    assert "Без ответа" in page and "Поздний ответ" in page and "Вовремя" not in page
    assert "нет ответа" in page and "Петрова М." in page and "Васильев П." in page
    assert "08.10.2026" in page and "Спасибо" not in page
    assert "Срок ответа — 3 календарных дн." in page
    xlsx = deputy.get("/reports/messaging.late_answers/file.xlsx", query_string={
        "start": "2026-10-01", "end": "2026-10-31"})
    assert xlsx.status_code == 200
    for who in ("teacher", "curator", "parent"):
        client = signed_in(app, world.users[who])
        assert client.get("/reports/messaging.late_answers").status_code == 404, who
    assert unanswered


def test_btt_a_follow_up_while_waiting_starts_no_new_term(btt):
    app, world = btt
    thread_id = write(app, world, "parent", "teacher")
    with app.test_request_context():
        from plugins.messaging import services

        services.reply(db.session.get(User, world.id("parent")),
                       db.session.get(Thread, thread_id), "И ещё вопрос", at=moscow(7, 10))
        db.session.commit()
    with app.app_context():
        flags = db.session.execute(select(Message.awaits_answer, Message.due_on).where(
            Message.thread_id == thread_id).order_by(Message.id)).all()
    assert [tuple(f) for f in flags] == [(True, date(2026, 10, 8)), (False, None)]


def test_ktis_sets_no_term_so_nothing_is_reminded_or_reported(ktis, clock):
    app, world = ktis
    thread_id = write(app, world, "parent", "teacher", "Пересдача")
    message = waiting(app, thread_id)
    assert message.awaits_answer and message.due_on is None
    assert remind(app, moscow(7, 0, 20)) == 0 and remind(app, moscow(20, 12)) == 0
    assert reminders(app) == []
    assert late(app, date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 31)) == []
    clock.set(moscow(20, 12), tick=True)
    deputy = signed_in(app, world.users["deputy"])
    assert "Обращения без ответа в срок" not in deputy.get("/reports/").get_data(as_text=True)
    assert deputy.get("/reports/messaging.late_answers").status_code == 404
    home = signed_in(app, world.users["teacher"]).get("/").get_data(as_text=True)
    assert "Пересдача" in home and "осталось" not in home and "просрочено" not in home
