"""What every plugin's corrections share (grading's marks, attendance's absences): a change of a
lesson's record past its edit window is a correction with a reason; where the policy asks for
approval a deputy director or an administrator decides it, never its own author; the grid shows
a cell whose correction waits, and a refused past cell links the correction form.

Part of the journal's contract with other plugins, beside ``plugins.journal.api``: grading and
attendance both use it, and neither needs the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from flask import has_request_context, url_for
from flask_babel import gettext as _

from core.errors import DomainError
from core.people.permissions import can
from core.people.roles import Role
from plugins.journal.api import Cell, LessonInfo, college_day

if TYPE_CHECKING:
    from core.people.models import User, UserLike

#: who decides corrections (BTT 4.6.1: the deputy director controls the journal)
DECIDERS = (Role.ADMIN, Role.DEPUTY)
#: the css class of a grid cell with a correction waiting for approval
PENDING_CSS = "cell-pending"


class PendingCorrection(Protocol):
    """A pending correction as the grid needs it (a plugin's column row)."""

    lesson_id: int
    student_id: int
    old_value: str
    new_value: str


def is_decider(user: UserLike) -> bool:
    """Whether ``user`` decides corrections at all (a deputy director or an administrator)."""
    return can(user, "journal.correction.decide")


def may_decide(user: User, author_id: int | None) -> bool:
    """Whether ``user`` may approve or reject a correction filed by ``author_id``: a decider who
    is not its author (the administrator's own correction waits for a second person)."""
    return is_decider(user) and author_id != user.id


def require_reason(reason, message: str | None = None) -> str:
    """The stripped reason; ``DomainError`` (422) with ``message`` when there is none."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise DomainError(message or _("Укажите причину"))
    return reason


def correction_link(endpoint: str, lesson: LessonInfo, student_id: int, at: datetime,
                    **prefill: str) -> dict | None:
    """``{"correction_url": ...}``: the plugin's correction form (``endpoint``) filled in for a
    refused cell of a lesson that has taken place; ``None`` for a lesson still to come (nobody
    fills it in advance) or outside a request. ``prefill`` adds the new value the user typed."""
    if not has_request_context() or college_day(at) < lesson.date:
        return None
    args = {"lesson_id": lesson.id, "student_id": student_id}
    args.update({key: value for key, value in prefill.items() if isinstance(value, str)})
    return {"correction_url": url_for(endpoint, **args)}


def pending_title(old: str, new: str) -> str:
    """The title of a cell whose correction waits for approval."""
    return _("Заявка на исправление «%(old)s» → «%(new)s» ожидает утверждения", old=old, new=new)


def show_pending(cells: dict[tuple[int, int], Cell], pending: Iterable[PendingCorrection],
                 editable_lessons: frozenset[int], empty: str = "") -> None:
    """Mark the grid's cells that have a correction waiting (title and ``PENDING_CSS``); a cell
    without a value gets an empty one. ``empty`` shows an empty old or new value."""
    for row in pending:
        key = (row.lesson_id, row.student_id)
        note = pending_title(row.old_value or empty, row.new_value or empty)
        found = cells.get(key)
        if found is None:
            cells[key] = Cell(text="", title=note, css=PENDING_CSS,
                              editable=key[0] in editable_lessons, version=None)
            continue
        found.title = f"{found.title}. {note}" if found.title else note
        found.css = f"{found.css} {PENDING_CSS}".strip()
