"""Uploaded files are recognised by their content within the caller's limits."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from core import uploads
from core.errors import DomainError

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"


def _file(name: str, data: bytes) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


def test_checked_files(app):
    with app.test_request_context():
        found = uploads.check([_file("../../план.pdf", PDF), None, _file("", b"")],
                              max_files=2, max_bytes=uploads.MB)
    assert [(u.filename, u.content_type) for u in found] == [("план.pdf", "application/pdf")]


@pytest.mark.parametrize(("files", "kinds", "message"), [
    ([("a.pdf", PDF)] * 3, None, "Можно приложить не больше 2 файлов"),
    ([("a.pdf", PDF + b"0" * uploads.MB)], None, "больше 1 МБ"),
    ([("a.pdf", b"")], None, "пустой"),
    ([("a.exe", b"MZ")], None, "такого типа приложить нельзя"),
    ([("a.pdf", b"MZ\x00\x00")], None, "не похоже на PDF"),
    ([("a.txt", b"text")], ("pdf",), "Можно: PDF."),
])
def test_refused_files(app, files, kinds, message):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        uploads.check([_file(n, d) for n, d in files], max_files=2, max_bytes=uploads.MB,
                      **({"kinds": kinds} if kinds else {}))
    assert message in refused.value.message


def test_sniffs_office_files():
    import zipfile

    for member, kind in (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                         ("ppt/presentation.xml", "pptx")):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(member, "<x/>")
        assert uploads.sniff(buffer.getvalue()) == kind


def test_files_of_reads_the_form_input(app):
    data = {"files": [(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(PDF), "b.pdf")],
            "other": (io.BytesIO(PDF), "c.pdf")}
    with app.test_request_context(method="POST", data=data,
                                  content_type="multipart/form-data"):
        assert [f.filename for f in uploads.files_of()] == ["a.pdf", "b.pdf"]
        assert [f.filename for f in uploads.files_of("other")] == ["c.pdf"]
