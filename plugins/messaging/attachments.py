"""Attachments: at most three files a message, 5 MB each, of the kinds people send a college
(PDF, JPEG, PNG, DOCX, XLSX, plain text), each recognised by its content (``core.uploads``)."""

from __future__ import annotations

from flask_babel import gettext as _

from core import uploads
from core.uploads import Upload

MAX_FILES = 3
MAX_BYTES = 5 * uploads.MB
KINDS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx", "txt")

__all__ = ["MAX_BYTES", "MAX_FILES", "Upload", "check"]


def check(files) -> list[Upload]:
    """The uploads of a message's form, checked (a Russian ``DomainError`` otherwise)."""
    return uploads.check(
        files, max_files=MAX_FILES, max_bytes=MAX_BYTES, kinds=KINDS,
        too_many=_("К сообщению можно приложить не больше %(count)s файлов.", count=MAX_FILES))
