"""Making materials in the tests through the service, committed, and the files they carry."""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage

from core.extensions import db
from core.people.models import User
from plugins.journal import api as journal
from plugins.materials import services

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name: str = "rekomendacii.pdf", content: bytes = PDF) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name)


def add(app, world, who: str, load: str, *, lesson: bool = False, kind: str = "guidelines",
        title: str = "Рекомендации", url: str | None = None, files=None,
        description: str = "") -> int:
    """``who`` adds a material to the journal of ``load`` (a world key: the teacher's), to its
    lesson with ``lesson``; the new material's id."""
    with app.test_request_context():
        user = db.session.get(User, world.id(who))
        material = services.add(
            user, journal.get_load(world.ids[f"load:{load}"]), kind=kind, title=title,
            description=description, url=url,
            files=[upload()] if files is None and url is None else (files or []),
            lesson_id=world.ids[f"lesson:{load}"] if lesson else None)
        db.session.commit()
        return material.id


def file_id(app, material_id: int) -> int:
    from sqlalchemy import select

    from plugins.materials.models import MaterialFile

    with app.app_context():
        return db.session.scalar(select(MaterialFile.id).where(
            MaterialFile.material_id == material_id))
