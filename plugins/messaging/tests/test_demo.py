"""The demo college's conversations: answered in time and late, one unanswered past its term,
two waiting, a message to the administration, a curator's letter read by some."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from core import outbox
from core.demo import load_demo
from core.extensions import db
from core.people.models import User
from plugins.messaging import answers
from plugins.messaging.models import Letter, Message, Receipt, Thread

TODAY = date(2026, 11, 25)


def test_demo_conversations_answered_in_time_and_late_and_waiting(demo_day_app):
    with demo_day_app.test_request_context():
        load_demo(seed=2026, today=TODAY)
        subjects = set(db.session.scalars(select(Thread.subject)))
        assert {"Оценка за контрольную работу", "Пропуски по болезни", "Родительское собрание",
                "Задолженность по лабораторной", "Справка об обучении",
                "Вопрос по курсовой работе", "Пропуски занятий",
                "Родительское собрание в четверг"} <= subjects
        late = {row.subject: row for row in answers.late(date(2026, 9, 1), TODAY, TODAY)}
        assert set(late) == {"Пропуски по болезни", "Задолженность по лабораторной"}
        assert late["Пропуски по болезни"].answered_at is not None
        assert late["Задолженность по лабораторной"].answered_at is None
        letter = db.session.scalar(select(Letter))
        read = db.session.scalar(select(func.count()).select_from(Receipt).join(
            Message, Message.id == Receipt.message_id).where(Message.letter_id == letter.id))
        assert letter.recipients >= 3 and 0 < read < letter.recipients
        student_question = db.session.scalar(select(Message).join(Thread).where(
            Thread.subject == "Вопрос по курсовой работе"))
        teacher = db.session.get(User, db.session.scalar(select(Message.author_id).where(
            Message.id == student_question.id)))
        waiting = {w.subject: w.days_left for w in answers.waiting_for(
            db.session.get(User, _other(student_question.thread_id, teacher.id)), TODAY)}
        assert waiting["Вопрос по курсовой работе"] == 1
        assert db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage)) == 0
        assert answers.send_reminders(datetime(2026, 11, 25, 9, 0, tzinfo=UTC)) == 1


def _other(thread_id: int, user_id: int) -> int:
    from plugins.messaging.models import Participant

    return db.session.scalar(select(Participant.user_id).where(
        Participant.thread_id == thread_id, Participant.user_id != user_id))
