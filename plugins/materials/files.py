"""The files of a material: at most five, 10 MB each, of the kinds a discipline's materials come
in (documents, presentations, spreadsheets, images, plain text), each recognised by its content
(``core.uploads``). The materials' pages accept a request as large as five such files."""

from __future__ import annotations

from flask_babel import gettext as _

from core import uploads
from core.uploads import Upload

MAX_FILES = 5
MAX_BYTES = 10 * uploads.MB
KINDS = ("pdf", "docx", "pptx", "xlsx", "jpg", "jpeg", "png", "txt")
#: the largest request of a material's form: its files and the text fields around them
MAX_REQUEST = MAX_FILES * MAX_BYTES + uploads.MB


def check(files, already: int = 0) -> list[Upload]:
    """The uploads of a material's form, checked (a Russian ``DomainError`` otherwise);
    ``already``: how many files the material keeps."""
    return uploads.check(
        files, max_files=max(MAX_FILES - already, 0), max_bytes=MAX_BYTES, kinds=KINDS,
        too_many=_("У материала может быть не больше %(count)s файлов.", count=MAX_FILES))
