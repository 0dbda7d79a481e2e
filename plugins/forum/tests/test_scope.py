"""Who sees the forum and who opens topics: families and students get a 404 on every forum
route (as if there were none), staff see it; the director opens topics, a teacher does not
unless the policy names their role."""

from __future__ import annotations

import pytest

from core import policy
from core.extensions import db
from core.people.models import User
from plugins.forum import rights, services
from plugins.forum.models import Attachment, Topic
from plugins.forum.tests.files import PDF, Upload
from plugins.forum.tests.helpers import open_topic, reply
from plugins.forum.tests.world import FAMILY_KEYS, STAFF_KEYS


def _forum_urls(app, world) -> list[tuple[str, str]]:
    """(method, URL) of every forum route, its path filled with the world's real ids."""
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id, files=[Upload("план.pdf", PDF)])
    with app.app_context():
        attachment_id = db.session.query(Attachment.id).filter_by(post_id=post_id).scalar()
    values = {"section_id": world.section_id, "topic_id": topic_id, "post_id": post_id,
              "attachment_id": attachment_id, "filename": "forum.css"}
    found = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("forum."):
                continue
            url = url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})
            found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_the_forum_has_the_routes_this_test_walks(app, world):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("forum.")}
    assert len(endpoints) >= 15 and "forum.static" in endpoints


@pytest.mark.parametrize("who", FAMILY_KEYS)
def test_a_family_member_gets_404_on_every_forum_route(app, world, as_, who):
    urls = _forum_urls(app, world)
    client = as_(who)
    answers = {(method, url): client.open(url, method=method, data={
        "body": "x", "title": "x", "reason": "x", "value": "1"}).status_code
        for method, url in urls}
    assert answers and set(answers.values()) == {404}, answers


def test_a_family_member_sees_no_forum_in_the_menu(app, world, as_):
    assert "Форум" not in as_("parent").get("/").get_data(as_text=True)
    assert "/forum/" in as_("teacher").get("/").get_data(as_text=True)


def test_a_visitor_is_sent_to_sign_in(app, world, client):
    for method, url in _forum_urls(app, world):
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("who", STAFF_KEYS)
def test_every_staff_member_reads_the_forum(app, world, as_, who):
    topic_id = open_topic(app, world)
    client = as_(who)
    for url in ("/forum/", f"/forum/s/{world.section_id}", f"/forum/t/{topic_id}",
                "/forum/search?q=расписание"):
        assert client.get(url).status_code == 200, url


def test_the_director_opens_a_topic(app, world, as_):
    client = as_("director")
    assert client.get(f"/forum/s/{world.section_id}/new").status_code == 200
    response = client.post(f"/forum/s/{world.section_id}/new",
                           data={"title": "Промежуточная аттестация", "body": "Сроки?"})
    assert response.status_code == 302
    with app.app_context():
        topic = db.session.query(Topic).filter_by(title="Промежуточная аттестация").one()
        assert topic.author_id == world.id("director")


def test_a_teacher_cannot_open_a_topic_where_the_policy_does_not_allow(app, world, as_):
    client = as_("teacher")
    page = client.get(f"/forum/s/{world.section_id}")
    assert "Открыть тему" not in page.get_data(as_text=True)
    refused = client.post(f"/forum/s/{world.section_id}/new",
                          data={"title": "Моя тема", "body": "Текст"})
    assert refused.status_code == 403
    assert "Темы на форуме открывает директор" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Topic).filter_by(title="Моя тема").count() == 0


def test_a_role_the_policy_names_opens_topics_and_others_still_do_not(app, world):
    with app.test_request_context():
        deputy, teacher = (db.session.get(User, world.id(k)) for k in ("deputy", "teacher"))
        assert policy.policy_value("forum.topic_roles") == []  # BTT: the director alone
        assert not rights.may_open_topics(deputy)
        policy.set_override("forum.topic_roles", ["deputy", "methodist"])
        assert rights.may_open_topics(deputy) and not rights.may_open_topics(teacher)
        assert rights.may_manage_topics(deputy)


def test_the_ktis_preset_lets_deputies_and_methodists_open_topics(make_app, tmp_path):
    app = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'k.sqlite3'}")
    with app.app_context():
        values = policy.current_policy()
        assert values.preset_value("forum.topic_roles") == ["deputy", "methodist"]
        assert values.preset_value("forum.edit_minutes") == 30


def test_a_teacher_cannot_pin_or_close_but_the_director_can(app, world, as_):
    topic_id = open_topic(app, world)
    teacher = as_("teacher")
    assert teacher.post(f"/forum/t/{topic_id}/pin", data={"value": "1"}).status_code == 403
    assert teacher.post(f"/forum/t/{topic_id}/close", data={"value": "1"}).status_code == 403
    director = as_("director")
    assert director.post(f"/forum/t/{topic_id}/pin", data={"value": "1"}).status_code == 302
    assert director.post(f"/forum/t/{topic_id}/close", data={"value": "1"}).status_code == 302
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert topic.pinned and topic.closed
    refused = teacher.post(f"/forum/t/{topic_id}", data={"body": "Ещё вопрос"})
    assert refused.status_code == 409
    assert "Тема закрыта" in refused.get_data(as_text=True)


def test_the_services_refuse_a_family_member_too(app, world):
    topic_id = open_topic(app, world)
    with app.test_request_context():
        parent = db.session.get(User, world.id("parent"))
        with pytest.raises(services.DomainError):
            services.reply(parent, db.session.get(Topic, topic_id), "Можно спросить?")


def test_the_director_creates_a_section_and_a_teacher_cannot(app, world, as_):
    assert as_("teacher").post("/forum/sections", data={"title": "Разное"}).status_code == 403
    assert "Новый раздел" not in as_("teacher").get("/forum/").get_data(as_text=True)
    response = as_("director").post("/forum/sections", data={"title": "Методическая работа",
                                                              "description": "ПЦК, КТП"})
    assert response.status_code == 302
    page = as_("teacher").get("/forum/").get_data(as_text=True)
    assert "Методическая работа" in page and "Разное" not in page
