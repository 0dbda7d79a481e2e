"""Search across the topics' titles and the posts' texts a reader may see, in any letter case
(Cyrillic too, on SQLite as on PostgreSQL), a page at a time; a hidden post's text is searched
only for moderators."""

from __future__ import annotations

from core.extensions import db
from core.people.models import User
from plugins.forum import reading
from plugins.forum.tests.helpers import open_topic, reply


def _search(app, world, who: str, query: str, page: int = 1):
    with app.test_request_context():
        rows, total = reading.search(db.session.get(User, world.id(who)), query, page)
        return [(row.topic_title, row.preview) for row in rows], total


def test_search_finds_titles_and_texts_in_any_case(app, world, as_):
    first = open_topic(app, world, title="Практика на предприятии", body="Договоры с заводом.")
    other = open_topic(app, world, title="Библиотека", body="Новые учебники.")
    reply(app, world, "teacher", other, "Нужны учебники по ПРАКТИКЕ электромонтажа.")
    reply(app, world, "teacher2", first, "Заводу нужны списки.")
    rows, total = _search(app, world, "teacher2", "практик")
    assert total == 2
    assert sorted(title for title, _p in rows) == ["Библиотека", "Практика на предприятии"]
    page = as_("teacher2").get("/forum/search?q=ПРАКТИК").get_data(as_text=True)
    assert "Найдено сообщений: 2" in page and "электромонтажа" in page
    assert _search(app, world, "teacher2", "100%")[1] == 0  # a LIKE wildcard is a letter


def test_search_is_paginated(app, world, as_):
    topic_id = open_topic(app, world, title="Вопросы")
    for number in range(reading.RESULTS_PER_PAGE + 3):
        reply(app, world, "teacher", topic_id, f"Вопрос про график номер {number}")
    rows, total = _search(app, world, "deputy", "график")
    assert total == reading.RESULTS_PER_PAGE + 3 and len(rows) == reading.RESULTS_PER_PAGE
    assert len(_search(app, world, "deputy", "график", 2)[0]) == 3
    second = as_("deputy").get("/forum/search?q=график&page=2").get_data(as_text=True)
    assert second.count('class="list-group-item list-group-item-action"') == 3


def test_a_hidden_post_is_found_by_its_text_only_by_moderators(app, world, as_):
    topic_id = open_topic(app, world, title="Обсуждение")
    post_id = reply(app, world, "teacher", topic_id, "Неуместное высказывание.")
    as_("director").post(f"/forum/p/{post_id}/hide", data={"reason": "Этика"})
    assert _search(app, world, "teacher2", "неуместное") == ([], 0)
    assert _search(app, world, "admin", "неуместное")[1] == 1


def test_a_family_member_finds_nothing(app, world, as_):
    open_topic(app, world, title="Секретная тема")
    assert _search(app, world, "parent", "секретная") == ([], 0)
    assert as_("parent").get("/forum/search?q=секретная").status_code == 404
