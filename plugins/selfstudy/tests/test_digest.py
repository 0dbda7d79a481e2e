"""The weekly digest (built from the diary) lists a child's self-study: the tasks due, the ones
missed, with their due dates; an individual task only in its student's family's digest."""

from __future__ import annotations

from datetime import date

from core.extensions import db
from core.people.models import Student, User
from plugins.selfstudy.tests.conftest import THURSDAY
from plugins.selfstudy.tests.helpers import set_task


def digest(app, world, parent: str, child: str) -> tuple[str, str]:
    from plugins.family import diary
    from plugins.notify_email.services import render_digest

    with app.test_request_context():
        user = db.session.get(User, world.id(parent))
        student = db.session.get(Student, world.ids[child])
        today = THURSDAY.date()
        return render_digest(user, [(student, diary.build(
            student.id, diary.week_start(today), user))], today)


def test_the_digest_shows_the_tasks_due_and_missed(app, world, clock):
    set_task(app, world, title="Пропущенное задание", due=date(2026, 10, 7))
    set_task(app, world, title="Задание к пятнице", due=date(2026, 10, 9), lesson="thursday")
    set_task(app, world, title="Только Петрову", due=date(2026, 10, 9), individual=True,
             students=("petrov",))
    clock.set(THURSDAY, tick=True)
    html, text = digest(app, world, "parent2", "smirnova")
    for body in (html, text):
        assert "Самостоятельные работы" in body
        assert "Пропущенное задание" in body and "просрочено" in body
        assert "Задание к пятнице" in body and "09.10.2026" in body
        assert "Только Петрову" not in body
    html, text = digest(app, world, "parent", "petrov")
    assert "Только Петрову" in text
