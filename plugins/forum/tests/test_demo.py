"""The demo forum: three sections, topics opened by the director, answered by teachers, one
pinned and one closed; no mail queued."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core import outbox
from core.demo import load_demo
from core.extensions import db
from core.people.models import User
from core.people.roles import Role
from plugins.forum.models import Post, Section, Topic

TODAY = date(2026, 11, 25)


def test_demo_sections_with_the_directors_topics_and_teachers_replies(demo_day_app):
    with demo_day_app.test_request_context():
        load_demo(seed=2026, today=TODAY)
        assert list(db.session.scalars(select(Section.title).order_by(Section.position))) == [
            "Учебный процесс", "Методическая работа", "Воспитательная работа"]
        topics = list(db.session.scalars(select(Topic)))
        assert len(topics) >= 4
        authors = {db.session.get(User, t.author_id) for t in topics}
        assert all(a.has_role(Role.DIRECTOR) for a in authors)
        assert any(t.pinned for t in topics) and any(t.closed for t in topics)
        repliers = {db.session.get(User, author_id) for author_id in db.session.scalars(
            select(Post.author_id).where(Post.id.not_in(select(Topic.first_post_id))))}
        assert any(r.has_role(Role.TEACHER) and not r.has_role(Role.DIRECTOR) for r in repliers)
        assert all(t.post_count == db.session.scalar(select(func.count(Post.id))
                                                     .where(Post.topic_id == t.id))
                   for t in topics)
        assert db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage)) == 0
