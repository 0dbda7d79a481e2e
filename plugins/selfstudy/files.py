"""The limits of work handed in: at most three files of 10 MB, of the kinds written work comes
in (documents, presentations, spreadsheets, photos of a notebook, plain text), each recognised by
its content (``core.uploads``), and a text of at most 5,000 characters."""

from __future__ import annotations

from flask_babel import gettext as _

from core import uploads
from core.errors import DomainError
from core.uploads import Upload

MAX_FILES = 3
MAX_BYTES = 10 * uploads.MB
MAX_TEXT = 5000
KINDS = ("pdf", "docx", "pptx", "xlsx", "jpg", "jpeg", "png", "txt")
#: the largest request of the hand-in form: its files and the text around them
MAX_REQUEST = MAX_FILES * MAX_BYTES + uploads.MB


def check(files, already: int = 0) -> list[Upload]:
    """The uploads of a hand-in, checked (a Russian ``DomainError`` otherwise); ``already``:
    how many files the work keeps from an earlier hand-in."""
    return uploads.check(
        files, max_files=max(MAX_FILES - already, 0), max_bytes=MAX_BYTES, kinds=KINDS,
        too_many=_("К работе можно приложить не больше %(count)s файлов.", count=MAX_FILES))


def check_text(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("Текст работы — не длиннее %(max)s знаков (сейчас %(count)s).",
                            max=MAX_TEXT, count=len(text)), status=422)
    return text
