"""What every plugin's corrections share (grading's marks, attendance's absences): a change of a
lesson's record past its edit window is a correction with a reason; where the policy asks for
approval a deputy director or an administrator decides it, never its own author; the grid shows
a cell whose correction waits, and a refused past cell links the correction form.

Part of the journal's contract with other plugins, beside ``plugins.journal.api``: grading and
attendance both use it, and neither needs the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeVar

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core import audit, events
from core.database import refused_on_conflict
from core.errors import Conflict, DomainError
from core.extensions import db
from core.people.permissions import can
from core.people.roles import Role
from core.policy import check
from plugins.journal.api import Cell, LessonInfo, college_day, get_lesson
from plugins.journal.events import CorrectionApplied
from plugins.journal.lesson_rows import LessonRows

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


class PendingRow(NamedTuple):
    """A pending correction of a cell, as the grid shows it."""

    lesson_id: int
    student_id: int
    old_value: str
    new_value: str


CorrectionT = TypeVar("CorrectionT")


class PendingCorrections(Generic[CorrectionT]):
    """A plugin's pending corrections, at most one a cell: its corrections table ``model``
    (columns ``lesson_id``, ``student_id``, ``old_value``, ``new_value``, ``status``) and the
    Russian refusal of a second one (``refusal``, lazy). Build it once, at import."""

    def __init__(self, model: type[CorrectionT], refusal: Any):
        self.model, self.refusal = model, refusal
        self._rows = LessonRows(model, PendingRow, where=(model.status == "pending",))

    def of(self, lesson_id: int, student_id: int) -> CorrectionT | None:
        """The cell's pending correction, if any."""
        model = self.model
        return db.session.scalars(select(model).where(
            model.lesson_id == lesson_id, model.student_id == student_id,
            model.status == "pending").limit(1)).first()

    def in_lessons(self, lesson_ids: Iterable[int]) -> list[PendingRow]:
        """The pending corrections of ``lesson_ids`` (ONE query), for the grid's cells."""
        return self._rows.read(lesson_ids)

    def refused(self) -> Conflict:
        """The refusal of a second pending correction of a cell (the check before filing, or
        the database's unique index when two are filed at once)."""
        return Conflict(str(self.refusal))

    def file(self, lesson_id: int, student_id: int, old_value: str, new_value: str,
             reason: str, user, at: datetime, audit_action: str,
             apply: Callable[[CorrectionT, Any, datetime], None] | None = None) -> CorrectionT:
        """File a pending correction of a cell (``old_value`` → ``new_value`` with ``reason``),
        audited as ``audit_action``: 422 when nothing would change, 409 while the cell has one
        pending, or when ``lesson.correct`` refuses it (an archived period: the administrator's
        only). Deciding it is the plugin's; ``apply`` (the plugin's, given when no approval is
        asked) applies it at once."""
        if new_value == old_value:
            raise DomainError(_("Новое значение совпадает с текущим"))
        allowed = check("lesson.correct", user, get_lesson(lesson_id), at)
        if not allowed:
            raise Conflict(allowed.reason)
        if self.of(lesson_id, student_id) is not None:
            raise self.refused()
        correction = self.model(lesson_id=lesson_id, student_id=student_id,
                                old_value=old_value, new_value=new_value, reason=reason,
                                requested_by_id=user.id, requested_at=at, status="pending")
        with refused_on_conflict(self.refused):  # filed by another at the same moment
            db.session.add(correction)
        audit.record(audit_action, correction, before={"value": old_value},
                     after={"value": new_value}, note=reason, actor=user)
        if apply is not None:
            apply(correction, user, at)
            _applied(audit_action, correction, user)
        return correction

    def decide(self, correction: CorrectionT, user, approve: bool, note: str, at: datetime,
               apply: Callable[[CorrectionT, Any, datetime], None], audit_prefix: str,
               kept_note: str | None) -> CorrectionT:
        """Approve a pending correction (the plugin's ``apply`` writes it and marks it approved)
        or reject it, keep ``kept_note`` as its decision note and audit it as ``audit_prefix`` +
        its status with ``note``. Who may decide, and the reason a rejection needs, the plugin
        has checked."""
        if approve:
            apply(correction, user, at)
            _applied(audit_prefix, correction, user)
        else:
            correction.status = "rejected"
            correction.decided_by_id, correction.decided_at = user.id, at
        correction.decision_note = kept_note
        audit.record(audit_prefix + correction.status, correction,
                     after={"status": correction.status}, note=note or None, actor=user)
        db.session.flush()
        return correction


def _applied(audit_action: str, correction, user) -> None:
    """Tell who keeps records of changes (the archive) that a correction took effect."""
    lesson = get_lesson(correction.lesson_id)
    events.emit(CorrectionApplied(
        kind=audit_action.split(".", 1)[0], lesson_id=lesson.id, lesson_day=lesson.date,
        student_id=correction.student_id, old_value=correction.old_value or "",
        new_value=correction.new_value or "", reason=correction.reason or "",
        requested_by_id=correction.requested_by_id, applied_by_id=user.id))


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


def lesson_labels(found: Iterable[Any]) -> dict[int, str]:
    """Each correction's lesson (``found``: rows with ``id`` and ``lesson_id``), as a corrections
    list names it: «12.03.2026, пара 2 — ИСП-21, Математика» (three queries)."""
    from plugins.journal import api

    found = list(found)
    if not found:
        return {}
    lessons = api.lessons_by_id({c.lesson_id for c in found})
    loads = api.loads_by_id({lesson.load_id for lesson in lessons.values()})
    groups, _teachers = api.load_labels(loads.values())
    places = {}
    for c in found:
        lesson = lessons.get(c.lesson_id)
        load = loads.get(lesson.load_id) if lesson else None
        if load is not None:
            places[c.id] = _("%(date)s, пара %(n)s — %(group)s, %(discipline)s",
                             date=lesson.date.strftime("%d.%m.%Y"), n=lesson.pair_number,
                             group=groups.get(load.group_id, ""), discipline=load.discipline.name)
    return places


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
