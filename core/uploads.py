"""Files people upload (a message's attachments, a forum post's, a discipline's materials): each
recognised by its content, not by its name, within a count and a size a caller sets, and handed
back only as a download (never shown inline, so a file cannot run as a page of the site)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from flask import Response, request, send_file
from flask_babel import gettext as _
from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.errors import DomainError
from core.extensions import db
from core.models import UTCDateTime, utcnow

MB = 1024 * 1024

#: extension → (MIME type, Russian name)
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "jpg": ("image/jpeg", "JPEG"),
    "jpeg": ("image/jpeg", "JPEG"),
    "png": ("image/png", "PNG"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "PPTX"),
    "txt": ("text/plain; charset=utf-8", "TXT"),
}


@dataclass(frozen=True)
class Upload:
    """A checked file, ready to be stored."""

    filename: str
    content_type: str
    content: bytes


def _zip_holds(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "cp1251"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(data: bytes) -> str | None:
    """The kind (an extension of ``KINDS``) the content is, or ``None``."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        for member, kind in (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
                             ("ppt/presentation.xml", "pptx")):
            if _zip_holds(data, member):
                return kind
        return None
    return "txt" if _is_text(data) else None


def clean_name(filename: str) -> str:
    """The file's own name without any folder, no longer than the column."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext) if dot else name[:200]
    return name or "file"


def _megabytes(size: int) -> str:
    return str(size // MB) if size % MB == 0 else f"{size / MB:.1f}".replace(".", ",")


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def check(files: Iterable, *, max_files: int, max_bytes: int, too_many: str | None = None,
          kinds: Iterable[str] = tuple(KINDS)) -> list[Upload]:
    """The uploads of a form (``werkzeug.FileStorage``; empty inputs skipped), checked; a Russian
    ``DomainError`` for too many (``too_many`` says it in the caller's words), too large, an
    unknown kind or content that is not its kind. ``kinds`` narrows the extensions allowed."""
    allowed_kinds = {kind for kind in kinds if kind in KINDS}
    chosen = [f for f in files if f is not None and getattr(f, "filename", "")]
    if len(chosen) > max_files:
        raise DomainError(too_many or _("Можно приложить не больше %(count)s файлов.",
                                        count=max_files))
    allowed = ", ".join(sorted({KINDS[kind][1] for kind in allowed_kinds}))
    checked = []
    for storage in chosen:
        name = clean_name(storage.filename)
        data = storage.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise DomainError(_("Файл «%(name)s» больше %(size)s МБ: приложите файл поменьше.",
                                name=name, size=_megabytes(max_bytes)))
        if not data:
            raise DomainError(_("Файл «%(name)s» пустой.", name=name))
        extension = _extension(name)
        if extension not in allowed_kinds:
            raise DomainError(_("Файл «%(name)s» такого типа приложить нельзя. Можно: "
                                "%(kinds)s.", name=name, kinds=allowed))
        found = sniff(data)
        if found is None or KINDS[found][0] != KINDS[extension][0]:
            raise DomainError(_("Содержимое файла «%(name)s» не похоже на %(kind)s: файл "
                                "повреждён или переименован.", name=name,
                                kind=KINDS[extension][1]))
        checked.append(Upload(name, KINDS[extension][0], data))
    return checked


def files_of(name: str = "files") -> list:
    """The files chosen in the request's form input ``name`` (``werkzeug.FileStorage``), for
    :func:`check`."""
    return request.files.getlist(name)


class StoredFile:
    """The columns of a file kept in the database (so that any server behind the balancer hands
    it out): a model mixes it in and adds its own key and owner."""

    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def store(model: type[StoredFile], checked: Iterable[Upload], at: datetime | None = None,
          **owner: int) -> None:
    """Add a row of ``model`` (a :class:`StoredFile`) for each checked upload, with the owner's
    key (``post_id=...``) and ``at`` as its time (now when ``None``)."""
    for upload in checked:
        db.session.add(model(**owner, filename=upload.filename, content_type=upload.content_type,
                             size=len(upload.content), content=upload.content,
                             created_at=at or utcnow()))


def download(content: bytes, content_type: str, filename: str) -> Response:
    """A stored file as a download (``Content-Disposition: attachment``)."""
    return send_file(io.BytesIO(content), mimetype=content_type, as_attachment=True,
                     download_name=filename)
