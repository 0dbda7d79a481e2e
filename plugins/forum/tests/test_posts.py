"""Posts: the author edits within ``forum.edit_minutes`` (the previous text kept, «изменено»
shown, the history for moderators), not after (409, in Russian); moderators hide a post with a
reason (kept in its history and in the audit) and restore it; formatting is safe Markdown; a
quote starts a reply."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.forum.models import Post, PostRevision
from plugins.forum.tests.helpers import open_topic, reply

NOON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def _post(app, post_id: int) -> Post:
    with app.app_context():
        return db.session.get(Post, post_id)


def test_the_author_edits_within_the_window_and_the_previous_text_is_kept(app, world, as_,
                                                                        clock):
    clock.set(NOON, tick=True)
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id, "Предлагаю перенести на среду.")
    clock.set(NOON + timedelta(minutes=29))
    teacher = as_("teacher")
    assert teacher.get(f"/forum/p/{post_id}/edit").status_code == 200
    response = teacher.post(f"/forum/p/{post_id}/edit", data={"body": "Предлагаю четверг."})
    assert response.status_code == 302
    post = _post(app, post_id)
    assert post.body == "Предлагаю четверг." and post.edited_at is not None
    with app.app_context():
        kept = db.session.scalars(select(PostRevision).where(PostRevision.post_id == post_id)).all()
    assert [(r.kind, r.body, r.actor_id) for r in kept] == [
        ("edit", "Предлагаю перенести на среду.", world.id("teacher"))]
    page = as_("teacher2").get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "изменено" in page and "Предлагаю четверг." in page
    assert "Предлагаю перенести на среду." not in page
    assert f"/forum/p/{post_id}/history" not in page  # the history is the moderators'
    assert as_("teacher2").get(f"/forum/p/{post_id}/history").status_code == 404
    history = as_("director").get(f"/forum/p/{post_id}/history")
    assert history.status_code == 200
    assert "Предлагаю перенести на среду." in history.get_data(as_text=True)


def test_after_the_window_an_edit_is_refused_in_russian(app, world, as_, clock):
    clock.set(NOON, tick=True)
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id, "Первый вариант.")
    clock.set(NOON + timedelta(minutes=31))
    teacher = as_("teacher")
    refused = teacher.post(f"/forum/p/{post_id}/edit", data={"body": "Второй вариант."})
    assert refused.status_code == 409
    assert "в течение 30 мин. после отправки: этот срок истёк" in refused.get_data(as_text=True)
    assert teacher.get(f"/forum/p/{post_id}/edit").status_code == 409
    assert _post(app, post_id).body == "Первый вариант."
    page = teacher.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert f"/forum/p/{post_id}/edit" not in page


def test_nobody_edits_someone_elses_post(app, world, as_):
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id, "Мой текст.")
    for who in ("teacher2", "director"):
        assert as_(who).post(f"/forum/p/{post_id}/edit",
                             data={"body": "Чужая правка"}).status_code == 403
    assert _post(app, post_id).body == "Мой текст."


def test_a_hidden_post_shows_its_reason_to_staff_and_its_text_to_moderators(app, world, as_):
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id, "Резкий ответ коллеге.")
    assert as_("teacher2").post(f"/forum/p/{post_id}/hide",
                                data={"reason": "Некорректно"}).status_code == 403
    director = as_("director")
    assert director.post(f"/forum/p/{post_id}/hide", data={"reason": ""}).status_code == 422
    assert director.post(f"/forum/p/{post_id}/hide",
                         data={"reason": "Нарушение этики общения"}).status_code == 302
    staff_page = as_("teacher2").get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "Сообщение скрыто модератором: Нарушение этики общения" in staff_page
    assert "Резкий ответ коллеге." not in staff_page
    for moderator in ("director", "admin"):
        page = as_(moderator).get(f"/forum/t/{topic_id}").get_data(as_text=True)
        assert "Резкий ответ коллеге." in page and "Нарушение этики общения" in page
    assert as_("admin").post(f"/forum/p/{post_id}/restore").status_code == 302
    assert "Резкий ответ коллеге." in as_("teacher2").get(f"/forum/t/{topic_id}").get_data(
        as_text=True)
    with app.app_context():
        kept = db.session.execute(select(PostRevision.kind, PostRevision.reason,
                                         PostRevision.actor_id)
                                  .where(PostRevision.post_id == post_id)
                                  .order_by(PostRevision.id)).all()
        audited = db.session.execute(select(AuditEntry.action, AuditEntry.note)
                                     .where(AuditEntry.target_type == "Post",
                                            AuditEntry.target_id == str(post_id),
                                            AuditEntry.action.like("forum.post.%"))
                                     .order_by(AuditEntry.id)).all()
    assert [tuple(r) for r in kept] == [("hide", "Нарушение этики общения", world.id("director")),
                                        ("restore", "", world.id("admin"))]
    assert [tuple(r) for r in audited] == [("forum.post.create", None),
                                           ("forum.post.hide", "Нарушение этики общения"),
                                           ("forum.post.restore", None)]
    history = as_("admin").get(f"/forum/p/{post_id}/history").get_data(as_text=True)
    assert "Скрыто модератором" in history and "Нарушение этики общения" in history


def test_a_script_and_a_javascript_link_are_rendered_harmless(app, world, as_):
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id,
          "<script>alert('x')</script> **важно** [ссылка](javascript:alert(1)) "
          "<img src=x onerror=alert(2)> [сайт](https://college.example)")
    page = as_("teacher2").get(f"/forum/t/{topic_id}").get_data(as_text=True)
    post = page[page.index(f'id="post-{post_id}"'):]
    post = post[:post.index("</article>")]
    assert "<script" not in post and "&lt;script&gt;" in post  # shown as text, never run
    assert "<img" not in post
    assert "href=\"javascript" not in post.lower()  # left as plain text, no link
    assert "<strong>важно</strong>" in post
    assert re.search(r'<a href="https://college\.example" [^>]*rel="noopener noreferrer '
                     r'nofollow"', post)


def test_a_quote_prefills_the_reply_with_the_quoted_post(app, world, as_):
    topic_id = open_topic(app, world, body="Сроки сдачи КТП — до 15 сентября.")
    with app.app_context():
        first = db.session.scalar(select(Post.id).where(Post.topic_id == topic_id))
    page = as_("teacher").get(f"/forum/t/{topic_id}?quote={first}").get_data(as_text=True)
    textarea = page[page.index('id="body"'):]
    assert "&gt; **Громов В.:**\n&gt; Сроки сдачи КТП — до 15 сентября." in textarea


def test_a_hidden_post_cannot_be_quoted_by_staff(app, world, as_):
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id, "Скрытый текст.")
    as_("director").post(f"/forum/p/{post_id}/hide", data={"reason": "Ошибка"})
    page = as_("teacher2").get(f"/forum/t/{topic_id}?quote={post_id}").get_data(as_text=True)
    assert "Скрытый текст." not in page
