"""Corrections of attendance after the lesson's day (issue #13; BTT 4.5.2, 4.6.1; KTIS 3.13).

Past the edit window nobody writes a cell directly: whoever could write it on the day (the
journal's teacher, the lesson's substitute within their window, the administrator) files a
correction: old value, new value, reason. Where the policy asks for approval
(``attendance.correction_approval``) it waits for a deputy director or an administrator who is
not its author (``plugins.journal.corrections.may_decide``); approved, the absence is written
with history naming the reason and the approver. Without approval it applies at once and names
its author as the approver. The curator's reasons of absences («Пропуски», BTT 4.2.2) are not
corrections of the mark and stay outside this. The caller commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.calendar.clock import college_day
from core.database import refused_on_conflict
from core.errors import Conflict, DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people.models import User
from core.policy import check, policy_value
from plugins.attendance import rules, services
from plugins.attendance.models import Correction
from plugins.journal import api as journal
from plugins.journal import corrections
from plugins.journal.corrections import is_decider, may_decide, require_reason


def _not_found() -> NotFound:
    return NotFound(_(services.NOT_FOUND))


def approval_required() -> bool:
    """Whether a correction waits for a second person (``attendance.correction_approval``)."""
    return bool(policy_value("attendance.correction_approval"))


class CorrectableCell(NamedTuple):
    lesson: journal.LessonInfo
    student: journal.RosterStudent


def correctable_cell(user: User, load: journal.LoadInfo, lesson_id: int,
                     student_id: int) -> CorrectableCell:
    """The cell ``user`` could write on the lesson's day (its lesson writable by them, the
    student in the group on that day); ``NotFound`` otherwise."""
    every = journal.lessons(load)
    writable = journal.writable_lesson_ids(user, load, every)
    lesson = next((found for found in every if found.id == lesson_id and found.id in writable),
                  None)
    student = next((found for found in journal.roster(load) if found.id == student_id), None)
    if lesson is None or student is None or not student.member_on(lesson.date):
        raise _not_found()
    return CorrectableCell(lesson, student)


def check_correctable(user: User, lesson: journal.LessonInfo, at: datetime) -> None:
    """Refuse a correction of a lesson still to come (422) or still open to a direct mark (409)."""
    if college_day(at) < lesson.date:
        raise DomainError(_("Занятие %(date)s ещё не проведено: исправлять нечего.",
                            date=lesson.date.strftime("%d.%m.%Y")))
    if check("lesson.edit", user, lesson, at):
        raise Conflict(_("Срок отметки занятия %(date)s не истёк: отметьте посещаемость в "
                         "журнале.", date=lesson.date.strftime("%d.%m.%Y")))


def file_correction(user: User, load: journal.LoadInfo, lesson_id: int, student_id: int, new_value,
                    reason, at: datetime | None = None) -> Correction:
    """File a correction of a past lesson's attendance cell (old → new, reason); applied at once
    when the policy asks for no approval. ``NotFound`` for a cell ``user`` could not write,
    ``DomainError`` (422) for no reason, a bad value or a lesson still to come, ``Conflict``
    for a cell still open to a direct mark or with a correction already waiting."""
    at = at or utcnow()
    reason = require_reason(reason)[:300]
    lesson, student = correctable_cell(user, load, lesson_id, student_id)
    check_correctable(user, lesson, at)
    current, _version = services.cell_state(lesson.id, student.id, lesson.hours)
    try:
        parsed = rules.parse(new_value, lesson.hours)
    except rules.InvalidValue as exc:
        raise DomainError(exc.message) from None
    new_text = rules.text_of(parsed.kind, parsed.hours, parsed.minutes, lesson.hours)
    return PENDING.file(lesson.id, student.id, current, new_text, reason, user, at,
                        "attendance.correction.file",
                        apply=None if approval_required() else _apply)


PENDING = corrections.PendingCorrections(
    Correction, _l("По этой отметке уже подана заявка на исправление: дождитесь решения"))
pending_for = PENDING.of
pending_in = PENDING.in_lessons




def decide_correction(user: User, correction_id: int, approve: bool, note: str = "",
                      at: datetime | None = None) -> Correction:
    """A deputy director or an administrator approves (the absence changes) or rejects (with a
    note) a correction; its author never decides it. Of two deciders at once, the second waits
    for the first (the row is locked) and gets a 409."""
    if not is_decider(user):
        raise _not_found()
    correction = db.session.scalars(
        select(Correction).where(Correction.id == correction_id).with_for_update()
        .execution_options(populate_existing=True)).first()
    if correction is None:
        raise _not_found()
    if correction.status != "pending":
        raise Conflict(_("Заявка уже рассмотрена"))
    if not may_decide(user, correction.requested_by_id):
        raise Conflict(_("Свою заявку на исправление утверждает другой сотрудник"))
    note = (note or "").strip()
    if not approve:
        note = require_reason(note, _("Укажите, почему заявка отклонена"))
    return PENDING.decide(correction, user, approve, note, at or utcnow(), _apply,
                          "attendance.correction.", kept_note=note[:1000])


def _changed_meanwhile(lesson, student_id: int) -> Conflict:
    """The refusal of a correction whose cell changed since it was filed."""
    current, _version = services.cell_state(lesson.id, student_id, lesson.hours)
    return Conflict(_("Отметка изменилась после подачи заявки: сейчас «%(value)s»",
                      value=current or "—"))


def _apply(correction: Correction, approver, at: datetime) -> None:
    """Write an approved correction into its cell as its author's change approved by
    ``approver``: the database checks the absence's version as it writes (a cell changed
    meanwhile is a 409, and the correction stays pending)."""
    lesson = journal.get_lesson(correction.lesson_id)
    absence = services.absence_of(lesson.id, correction.student_id)
    current = services.cell_text(absence, lesson.hours) if absence else ""
    if current != correction.old_value:
        raise _changed_meanwhile(lesson, correction.student_id)
    parsed = rules.parse(correction.new_value, lesson.hours)
    author = db.session.get(User, correction.requested_by_id)
    load = journal.get_load(lesson.load_id)
    with refused_on_conflict(lambda: _changed_meanwhile(lesson, correction.student_id)):
        services.write_mark(load, lesson, correction.student_id, absence, parsed, author, at,
                            reason=correction.reason, approved_by=approver)
    services.mark_taken(lesson.id, author, at)  # recorded late, if not on the day
    correction.status = "approved"
    correction.decided_by_id, correction.decided_at = approver.id, at


def listed(user: User) -> tuple[list[Correction], list[Correction]]:
    """The corrections page of ``user``: the pending ones a decider sees (their own among them,
    without buttons) and ``user``'s own latest."""
    query = select(Correction).order_by(Correction.requested_at.desc(), Correction.id.desc())
    pending = list(db.session.scalars(query.where(Correction.status == "pending"))) \
        if is_decider(user) else []
    own = list(db.session.scalars(query.where(Correction.requested_by_id == user.id).limit(200)))
    return pending, own
