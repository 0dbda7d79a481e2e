"""Materials: who may add, change and remove them, the rules of a material (files or a link,
never both), and the reads the pages and the diary make (a fixed number of queries each)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import audit
from core.errors import DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people import scope
from core.people.access import role_allows
from core.uploads import store as store_files
from plugins.journal import api as journal
from plugins.materials import files as material_files
from plugins.materials.models import KINDS, Material, MaterialFile

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_URL = 2000
#: the action whose roles (the administration) manage every load's materials
MANAGE = "materials.manage"
LINK_SCHEMES = ("http", "https")


def _not_found() -> NotFound:
    return NotFound(_("Такой страницы нет или она вам недоступна."))


# --- who may --------------------------------------------------------------------------------


def may_see(user, load: journal.LoadInfo) -> bool:
    return scope.can_see_load_materials(user, load)


def may_add(user, load: journal.LoadInfo) -> bool:
    """The load's teacher, and the administration (``materials.manage``) for any load."""
    if not user.is_authenticated or not scope.is_staff(user):
        return False
    return load.teacher_id == user.id or bool(role_allows(user, MANAGE))


def may_change(user, material: Material, load: journal.LoadInfo) -> bool:
    """Its author while they may still see the load's materials, and the administration."""
    if not user.is_authenticated or not scope.is_staff(user):
        return False
    if role_allows(user, MANAGE):
        return True
    return material.author_id == user.id and may_see(user, load)


# --- reads ------------------------------------------------------------------------------------


def load_or_404(user, load_id: int) -> journal.LoadInfo:
    try:
        load = journal.get_load(load_id)
    except LookupError:
        raise _not_found() from None
    if not may_see(user, load):
        raise _not_found()
    return load


def _live():
    return select(Material).where(Material.deleted_at.is_(None)).options(
        selectinload(Material.files))


def material_or_404(user, material_id: int) -> tuple[Material, journal.LoadInfo]:
    """A material that is not removed, with its load, if ``user`` may see it; else 404."""
    found = db.session.scalar(_live().where(Material.id == material_id))
    if found is None:
        raise _not_found()
    return found, load_or_404(user, found.load_id)


def file_or_404(user, file_id: int) -> MaterialFile:
    """A file of a material ``user`` may see (its content loaded); else 404."""
    found = db.session.get(MaterialFile, file_id)
    if found is None:
        raise _not_found()
    material_or_404(user, found.material_id)
    return found


def of_load(load_id: int) -> list[Material]:
    """A load's materials, the discipline's and its lessons', by kind and then newest first."""
    found = db.session.scalars(_live().where(Material.load_id == load_id)
                               .order_by(Material.created_at.desc(), Material.id.desc())).all()
    order = list(KINDS)
    return sorted(found, key=lambda m: order.index(m.kind) if m.kind in order else len(order))


def of_lessons(lesson_ids: Iterable[int]) -> dict[int, list[Material]]:
    """The materials of several lessons by lesson id (two queries whatever their number)."""
    ids = set(lesson_ids)
    if not ids:
        return {}
    found: dict[int, list[Material]] = {}
    for material in db.session.scalars(_live().where(Material.lesson_id.in_(ids))
                                       .order_by(Material.id)):
        found.setdefault(material.lesson_id, []).append(material)
    return found


def of_loads(load_ids: Iterable[int]) -> dict[int, list[Material]]:
    """The discipline-wide materials (not a lesson's) of several loads by load id."""
    ids = set(load_ids)
    if not ids:
        return {}
    found: dict[int, list[Material]] = {}
    for material in db.session.scalars(
            _live().where(Material.load_id.in_(ids), Material.lesson_id.is_(None))
            .order_by(Material.id)):
        found.setdefault(material.load_id, []).append(material)
    return found


def counts(load_id: int) -> tuple[int, dict[int, int]]:
    """How many materials the load has in all, and by lesson (one query)."""
    rows = db.session.execute(select(Material.lesson_id).where(
        Material.load_id == load_id, Material.deleted_at.is_(None))).scalars().all()
    by_lesson: dict[int, int] = {}
    for lesson_id in rows:
        if lesson_id is not None:
            by_lesson[lesson_id] = by_lesson.get(lesson_id, 0) + 1
    return len(rows), by_lesson


# --- the rules of a material -------------------------------------------------------------------


def check_link(url: str | None) -> str | None:
    """A material's address, trimmed: http or https with a host, else a Russian
    ``DomainError`` (a ``javascript:`` or ``data:`` address never reaches a page)."""
    url = (url or "").strip()
    if not url:
        return None
    if len(url) > MAX_URL:
        raise DomainError(_("Ссылка длиннее %(max)s знаков.", max=MAX_URL))
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise DomainError(_("В ссылке не должно быть пробелов."))
    try:
        parts = urlsplit(url)
    except ValueError:
        raise DomainError(_("Это не похоже на адрес сайта.")) from None
    if parts.scheme.lower() not in LINK_SCHEMES:
        raise DomainError(_("Ссылка должна начинаться с http:// или https://."))
    if not parts.hostname:
        raise DomainError(_("В ссылке нет адреса сайта."))
    return url


def _clean(kind: str, title: str, description: str) -> tuple[str, str, str]:
    if kind not in KINDS:
        raise DomainError(_("Выберите вид материала."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Укажите название материала."))
    if len(title) > MAX_TITLE:
        raise DomainError(_("Название — не длиннее %(max)s знаков.", max=MAX_TITLE))
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(_("Описание — не длиннее %(max)s знаков.", max=MAX_DESCRIPTION))
    return kind, title, description


def _lesson_of(load: journal.LoadInfo, lesson_id: int | None) -> int | None:
    if lesson_id is None:
        return None
    try:
        lesson = journal.get_lesson(lesson_id)
    except LookupError:
        raise _not_found() from None
    if lesson.load_id != load.id:
        raise _not_found()
    return lesson.id


def _store(material: Material, uploads) -> None:
    store_files(MaterialFile, uploads, material_id=material.id)


def _snapshot(material: Material, file_names: list[str]) -> dict:
    return {"load_id": material.load_id, "lesson_id": material.lesson_id, "kind": material.kind,
            "title": material.title, "url": material.url, "files": file_names}


def add(user, load: journal.LoadInfo, *, kind: str, title: str, description: str = "",
        url: str | None = None, files=(), lesson_id: int | None = None) -> Material:
    """A new material of ``load`` (of one of its lessons with ``lesson_id``): files or a link."""
    if not may_add(user, load):
        raise _not_found()
    lesson_id = _lesson_of(load, lesson_id)
    kind, title, description = _clean(kind, title, description)
    url = check_link(url)
    uploads = material_files.check(files)
    if url and uploads:
        raise DomainError(_("Приложите файлы или укажите ссылку — что-то одно."))
    if not url and not uploads:
        raise DomainError(_("Приложите файл или укажите ссылку."))
    material = Material(load_id=load.id, lesson_id=lesson_id, kind=kind, title=title,
                        description=description, url=url, author_id=user.id,
                        created_at=utcnow())
    db.session.add(material)
    db.session.flush()
    _store(material, uploads)
    db.session.flush()
    audit.record("materials.material.add", material,
                 after=_snapshot(material, [u.filename for u in uploads]), actor=user)
    return material


def update(user, material: Material, load: journal.LoadInfo, *, kind: str, title: str,
           description: str = "", url: str | None = None, files=(),
           remove_file_ids: Iterable[int] = (), lesson_id: int | None = None) -> Material:
    """Change a material: its words, its lesson, its link (a link's) or its files (added and
    removed); it keeps at least one file or its link."""
    if not may_change(user, material, load):
        raise _not_found()
    lesson_id = _lesson_of(load, lesson_id)
    kind, title, description = _clean(kind, title, description)
    url = check_link(url)
    removing = [f for f in material.files if f.id in set(remove_file_ids)]
    kept = len(material.files) - len(removing)
    uploads = material_files.check(files, already=kept)
    if url and (kept or uploads):
        raise DomainError(_("Приложите файлы или укажите ссылку — что-то одно."))
    if not url and not kept and not uploads:
        raise DomainError(_("Приложите файл или укажите ссылку."))
    before = _snapshot(material, [f.filename for f in material.files])
    names = [f.filename for f in material.files if f not in removing] + \
        [u.filename for u in uploads]
    for old in removing:
        db.session.delete(old)
    material.kind, material.title, material.description, material.url = (
        kind, title, description, url)
    material.lesson_id = lesson_id
    material.updated_at = utcnow()
    _store(material, uploads)
    db.session.flush()
    audit.record("materials.material.update", material, before=before,
                 after=_snapshot(material, names), actor=user)
    return material


def remove(user, material: Material, load: journal.LoadInfo) -> None:
    """Take a material off the pages and the diary; its row and files stay, with who removed it
    and when (and an audit entry)."""
    if not may_change(user, material, load):
        raise _not_found()
    material.deleted_at = utcnow()
    material.deleted_by_id = user.id
    audit.record("materials.material.remove", material,
                 before=_snapshot(material, [f.filename for f in material.files]), actor=user)
