"""Unread markers: per person and topic, the last post seen; the section's list marks topics
with new posts and counts them, the sections page counts topics with news, the menu shows a
badge; the topic list is a fixed number of queries, however many topics there are."""

from __future__ import annotations

import re

from core.extensions import db
from core.people.models import User
from plugins.forum import reading
from plugins.forum.models import Section
from plugins.forum.tests.helpers import open_topic, reply
from tests.fixtures import count_queries


def _badge(page: str) -> str | None:
    match = re.search(r'href="/forum/">Форум <span class="badge[^>]*>(\d+)</span>', page)
    return match.group(1) if match else None


def test_a_reply_is_unread_for_the_director_until_opened(app, world, as_):
    topic_id = open_topic(app, world, title="Дежурство на выходных")
    director = as_("director")
    assert _badge(director.get("/").get_data(as_text=True)) is None  # their own topic
    reply(app, world, "teacher", topic_id, "Могу в субботу.")
    reply(app, world, "teacher2", topic_id, "А я в воскресенье.")
    assert _badge(director.get("/").get_data(as_text=True)) == "1"
    sections = director.get("/forum/").get_data(as_text=True)
    assert "тем с новыми сообщениями: 1" in sections
    listing = director.get(f"/forum/s/{world.section_id}").get_data(as_text=True)
    assert "новых: 2" in listing and "fw-semibold" in listing
    topic = director.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert 'id="unread"' in topic and topic.count('badge text-bg-primary">новое') == 2
    assert _badge(director.get("/").get_data(as_text=True)) is None
    assert "новых:" not in director.get(f"/forum/s/{world.section_id}").get_data(as_text=True)
    again = director.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert 'id="unread"' not in again


def test_markers_are_per_person(app, world, as_):
    topic_id = open_topic(app, world)
    reply(app, world, "teacher", topic_id)
    as_("deputy").get(f"/forum/t/{topic_id}")
    with app.test_request_context():
        deputy, methodist, teacher = (db.session.get(User, world.id(k))
                                      for k in ("deputy", "methodist", "teacher"))
        assert reading.unread_topic_count(deputy) == 0
        assert reading.unread_topic_count(methodist) == 1  # never opened it
        assert reading.unread_topic_count(teacher) == 0  # wrote the last post


def _topic_list_queries(app, world, as_) -> int:
    client = as_("teacher2")
    client.get("/")  # the session's first request loads what every request does once
    with count_queries(app) as counter:
        response = client.get(f"/forum/s/{world.section_id}")
    assert response.status_code == 200
    return counter.count


def test_the_topic_list_makes_as_many_queries_for_twenty_topics_as_for_two(app, world, as_):
    for number in range(2):
        reply(app, world, "teacher", open_topic(app, world, title=f"Тема {number}"))
    few = _topic_list_queries(app, world, as_)
    for number in range(2, 20):
        reply(app, world, "teacher", open_topic(app, world, title=f"Тема {number}"))
    many = _topic_list_queries(app, world, as_)
    assert many == few, (few, many)


def test_the_sections_page_counts_in_one_query_whatever_the_sections(app, world):
    with app.test_request_context():
        director = db.session.get(User, world.id("director"))
        for title in ("Методическая работа", "Воспитательная работа"):
            db.session.add(Section(title=title))
        db.session.commit()
        reading.section_rows(director)  # the transaction begins (its savepoint is a statement)
        with count_queries(app) as counter:
            rows = reading.section_rows(director)
    assert len(rows) == 3 and counter.count == 1


def test_a_topic_page_makes_as_many_queries_for_fifteen_posts_as_for_three(app, world, as_):
    from plugins.forum.tests.files import PDF, Upload

    topic_id = open_topic(app, world)
    client = as_("director")

    def queries() -> int:
        client.get("/")
        with count_queries(app) as counter:
            assert client.get(f"/forum/t/{topic_id}").status_code == 200
        return counter.count

    for number in range(2):
        reply(app, world, "teacher", topic_id, f"Ответ {number}", files=[Upload("a.pdf", PDF)])
    few = queries()
    for number in range(12):
        reply(app, world, "teacher2", topic_id, f"Ответ {number}", files=[Upload("b.pdf", PDF)])
    assert queries() == few
