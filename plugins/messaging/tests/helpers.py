"""Writing and reading messages in the tests' world through the services, committed."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.people.models import User
from plugins.messaging import services
from plugins.messaging.models import Message, Thread


def write(app, world, who: str, to: str, subject: str = "Вопрос", body: str = "Здравствуйте!",
          at=None) -> int:
    """``who`` starts a conversation with ``to`` (a world key, or ``role:administration``);
    the new conversation's id."""
    target = to if to.startswith("role:") else f"user:{world.id(to)}"
    with app.test_request_context():
        author = db.session.get(User, world.id(who))
        thread = services.start(author, target, subject, body, at=at)
        db.session.commit()
        return thread.id


def answer(app, world, who: str, thread_id: int, body: str = "Ответ", at=None) -> None:
    with app.test_request_context():
        author = db.session.get(User, world.id(who))
        services.reply(author, db.session.get(Thread, thread_id), body, at=at)
        db.session.commit()


def bodies(app, thread_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Message.body).where(Message.thread_id == thread_id)
                                       .order_by(Message.id)))


def unread(app, world, who: str) -> int:
    with app.test_request_context():
        return services.unread_count(db.session.get(User, world.id(who)))
