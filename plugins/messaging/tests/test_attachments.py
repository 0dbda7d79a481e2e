"""Attachments: at most three files of 5 MB, of the allowed kinds recognised by content; a
refusal is a Russian message and saves nothing; a file is served only to those who read its
conversation."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from core.extensions import db
from plugins.messaging.attachments import MAX_BYTES
from plugins.messaging.models import Attachment, Message
from tests.fixtures import signed_in

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def post(client, world, files, to="teacher"):
    return client.post("/messages/new", content_type="multipart/form-data", data={
        "to": f"user:{world.id(to)}", "subject": "Справка", "body": "Прикладываю справку.",
        "files": [(io.BytesIO(content), name) for name, content in files]})


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("files", "reason"), [
    ([("справка.pdf", PDF + b"0" * MAX_BYTES)], "Файл «справка.pdf» больше 5 МБ"),
    ([(f"скан{n}.png", PNG) for n in range(4)], "не больше 3 файлов"),
    ([("program.exe", b"MZ\x90\x00")], "Файл «program.exe» такого типа приложить нельзя"),
    ([("справка.pdf", b"MZ\x90\x00\x03\x00")], "не похоже на PDF"),
    ([("фото.jpg", PNG)], "не похоже на JPEG"),
    ([("отчёт.docx", b"PK\x03\x04not really a zip")], "не похоже на DOCX"),
    ([("пусто.txt", b"")], "пустой"),
])
def test_a_file_over_the_limits_is_refused_in_russian_and_nothing_is_saved(app, world, files,
                                                                           reason):
    before = count(app, Message), count(app, Attachment)
    response = post(signed_in(app, world.users["parent"]), world, files)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert (count(app, Message), count(app, Attachment)) == before


def test_allowed_files_are_kept_and_served_only_to_the_participants(app, world):
    response = post(signed_in(app, world.users["parent"]), world,
                    [("справка.pdf", PDF), ("скан.png", PNG), ("заявление.docx", docx())])
    assert response.status_code == 302
    thread = response.headers["Location"]
    teacher = signed_in(app, world.users["teacher"])
    page = teacher.get(thread).get_data(as_text=True)
    assert "справка.pdf" in page and "скан.png" in page and "заявление.docx" in page
    with app.app_context():
        ids = dict(db.session.execute(select(Attachment.filename, Attachment.id)).all())
        kinds = dict(db.session.execute(select(Attachment.filename,
                                               Attachment.content_type)).all())
    assert kinds["справка.pdf"] == "application/pdf"
    download = teacher.get(f"/messages/file/{ids['справка.pdf']}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    for who in ("parent2", "curator", "director"):
        client = signed_in(app, world.users[who])
        assert client.get(f"/messages/file/{ids['справка.pdf']}").status_code == 404, who
    assert teacher.get("/messages/file/999999").status_code == 404


def test_a_plain_text_file_in_either_cyrillic_encoding_is_allowed(app, world):
    response = post(signed_in(app, world.users["parent"]), world,
                    [("a.txt", "Привет".encode()), ("b.txt", "Привет".encode("cp1251"))])
    assert response.status_code == 302
