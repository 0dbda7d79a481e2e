"""Setting tasks in the tests through the service (committed), and the files handed in."""

from __future__ import annotations

import io
from datetime import date

from werkzeug.datastructures import FileStorage

from core.extensions import db
from core.people.models import User
from plugins.journal import api as journal
from plugins.selfstudy import services

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name: str = "otvet.pdf", content: bytes = PDF) -> tuple[io.BytesIO, str]:
    """A file for a test client's form (``data={"files": upload()}``)."""
    return io.BytesIO(content), name


def storage(name: str = "otvet.pdf", content: bytes = PDF) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name)


def set_task(app, world, *, title: str = "Решить задачи 1–5", due: date = date(2026, 10, 7),
             load: str = "teacher", lesson: str | None = "monday", individual: bool = False,
             students: tuple[str, ...] = (), **extra) -> int:
    """The teacher of ``load`` sets a task at its ``lesson``; the new task's id."""
    with app.test_request_context():
        user = db.session.get(User, world.id(load))
        task = services.create(
            user, journal.get_load(world.ids[f"load:{load}"]), title=title, due_on=due,
            lesson_id=world.ids[f"lesson:{load}:{lesson}"] if lesson else None,
            individual=individual, student_ids=[world.ids[key] for key in students], **extra)
        db.session.commit()
        return task.id
