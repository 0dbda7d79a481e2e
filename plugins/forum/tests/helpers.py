"""Acting in the forum of the tests' world through the services, committed."""

from __future__ import annotations

from core.extensions import db
from core.people.models import User
from plugins.forum import services
from plugins.forum.models import Section, Topic


def user(world, key: str) -> User:
    return db.session.get(User, world.id(key))


def open_topic(app, world, who: str = "director", title: str = "Расписание на неделю",
               body: str = "Обсудим расписание.", at=None) -> int:
    with app.test_request_context():
        topic = services.open_topic(user(world, who), db.session.get(Section, world.section_id),
                                    title, body, at=at)
        db.session.commit()
        return topic.id


def reply(app, world, who: str, topic_id: int, body: str = "Согласен.", at=None,
          files=()) -> int:
    with app.test_request_context():
        post = services.reply(user(world, who), db.session.get(Topic, topic_id), body,
                              files=files, at=at)
        db.session.commit()
        return post.id
