"""Attachments of posts: at most three files of 5 MB, documents and images recognised by their
content; handed out only to staff as downloads, a hidden post's files only to moderators."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from core import uploads
from core.errors import DomainError
from core.extensions import db
from plugins.forum.models import Attachment, Post
from plugins.forum.tests.files import PDF, PNG, Upload
from plugins.forum.tests.helpers import open_topic, reply


def _files_of(app, post_id: int) -> list[tuple[str, str, int]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Attachment.filename, Attachment.content_type, Attachment.size)
            .where(Attachment.post_id == post_id).order_by(Attachment.id))]


def test_a_reply_carries_up_to_three_files_through_the_form(app, world, as_):
    topic_id = open_topic(app, world)
    response = as_("teacher").post(f"/forum/t/{topic_id}", data={
        "body": "План и схема во вложении.",
        "files": [(io.BytesIO(PDF), "план.pdf"), (io.BytesIO(PNG), "схема.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.body == "План и схема во вложении."))
    assert _files_of(app, post_id) == [("план.pdf", "application/pdf", len(PDF)),
                                       ("схема.png", "image/png", len(PNG))]


@pytest.mark.parametrize(("files", "message"), [
    ([Upload(f"{n}.pdf", PDF) for n in range(4)], "не больше 3 файлов"),
    ([Upload("big.pdf", PDF + b"0" * (5 * uploads.MB))], "больше 5 МБ"),
    ([Upload("setup.exe", b"MZ" + b"\x00" * 10)], "такого типа приложить нельзя"),
    ([Upload("fake.pdf", b"MZ\x00\x00 not a pdf")], "не похоже на PDF"),
])
def test_files_beyond_the_limits_are_refused_and_nothing_is_saved(app, world, files, message):
    topic_id = open_topic(app, world)
    with pytest.raises(DomainError, match=message):
        reply(app, world, "teacher", topic_id, "С файлами", files=files)
    with app.app_context():
        assert db.session.scalar(select(Post.id).where(Post.body == "С файлами")) is None


def test_the_form_shows_the_refusal_with_422(app, world, as_):
    topic_id = open_topic(app, world)
    response = as_("teacher").post(f"/forum/t/{topic_id}", data={
        "body": "Пять файлов", "files": [(io.BytesIO(PDF), f"{n}.pdf") for n in range(5)]},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "К сообщению можно приложить не больше 3 файлов." in response.get_data(as_text=True)


def _attachment(app, world):
    topic_id = open_topic(app, world)
    post_id = reply(app, world, "teacher", topic_id, "Приказ", files=[Upload("приказ.pdf", PDF)])
    with app.app_context():
        return post_id, db.session.scalar(select(Attachment.id)
                                          .where(Attachment.post_id == post_id))


def test_a_file_is_a_download_for_staff_and_a_404_for_families(app, world, as_):
    _post_id, file_id = _attachment(app, world)
    response = as_("teacher2").get(f"/forum/file/{file_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    for who in ("student", "parent"):
        assert as_(who).get(f"/forum/file/{file_id}").status_code == 404


def test_a_hidden_posts_file_is_only_the_moderators(app, world, as_):
    post_id, file_id = _attachment(app, world)
    as_("director").post(f"/forum/p/{post_id}/hide", data={"reason": "Не тот документ"})
    assert as_("teacher2").get(f"/forum/file/{file_id}").status_code == 404
    assert as_("teacher").get(f"/forum/file/{file_id}").status_code == 404  # its author too
    assert as_("admin").get(f"/forum/file/{file_id}").status_code == 200
