"""Mark flags (BTT 4.3.2: the student tells the teacher of a mark entered in error).

A student or parent flags a mark of their own diary with a comment; whoever writes the journal
(scope ``EDIT``: its teacher, the administrator) answers by keeping the mark with a comment or by
correcting it through the correction flow (``services.file_correction``: its reason, and its
approval where the policy asks; inside the edit window the correction applies at once, since the
teacher could change the cell anyway). One flag a mark is open at a time (a unique index).

Who reads a flag: the student's family, whoever may answer it and the administration; reads by
staff are audited (``audit_read``). Every step is audited and shows in the mark's history
(``cell_history``). A new flag and an answer are events whose payload carries the words a
notification needs, so the notification plugins never read grading's tables.

Like ``services``, these functions flush but never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit, events
from core.database import refused_on_conflict
from core.errors import Conflict, DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people.models import Student, short_names
from core.people.permissions import can
from core.people.scope import is_staff, own_student_ids
from core.policy import check, policy_value
from plugins.grading import rules, services
from plugins.grading.events import MarkFlagAnswered, MarkFlagRaised
from plugins.grading.models import Correction, Mark, MarkFlag
from plugins.journal import api as journal

if TYPE_CHECKING:
    from core.people.models import User, UserLike

MAX_COMMENT = 1000
OPEN, KEPT, CORRECTED = "open", "kept", "corrected"


def _not_found() -> NotFound:
    return NotFound(_(services.NOT_FOUND))


# --- who may do what -----------------------------------------------------------------------------


def enabled() -> bool:
    """Whether families may flag marks (``grading.mark_flags``, BTT 4.3.2). Flags raised before
    it was switched off are still read and answered."""
    return bool(policy_value("grading.mark_flags"))


def may_flag(user: UserLike) -> bool:
    """A student or parent flags the marks of their own diary (``own_student_ids``)."""
    return enabled() and can(user, "grading.flag.raise")


def may_answer(user: UserLike, load: journal.LoadInfo) -> bool:
    """Whoever may write the whole journal (scope ``EDIT``: its teacher, the administrator)."""
    return bool(user.is_authenticated) and journal.can_edit(user, load)


def may_read(user: UserLike, load: journal.LoadInfo) -> bool:
    """Staff who read a journal's flags: those who answer them and the administration."""
    return may_answer(user, load) or can(user, "grading.flags.view_all")


def clean_comment(text: Any, missing: str) -> str:
    """The stripped comment, 1 to ``MAX_COMMENT`` characters; ``DomainError`` (422) otherwise."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise DomainError(missing)
    if len(text) > MAX_COMMENT:
        raise DomainError(_("Не больше %(n)s символов", n=MAX_COMMENT))
    return text


# --- reading one --------------------------------------------------------------------------------


def flaggable_mark(user: User, mark_id: int) -> Mark:
    """A live mark of the user's own diary, else 404 (a forged id never says whose it is)."""
    if not may_flag(user):
        raise _not_found()
    mark = db.session.get(Mark, mark_id)
    if mark is None or not mark.value or mark.student_id not in own_student_ids(user):
        raise _not_found()
    return mark


def flags_of_mark(mark_id: int) -> list[MarkFlag]:
    return list(db.session.scalars(select(MarkFlag).where(MarkFlag.mark_id == mark_id)
                                   .order_by(MarkFlag.created_at, MarkFlag.id)))


def open_flag_of(mark_id: int) -> MarkFlag | None:
    return db.session.scalars(select(MarkFlag).where(MarkFlag.mark_id == mark_id,
                                                     MarkFlag.status == OPEN).limit(1)).first()


def place_of(mark: Mark):
    """The mark's lesson and load (``journal`` API objects)."""
    lesson = journal.get_lesson(mark.lesson_id)
    return lesson, journal.load_of(lesson)


def _flag_in_scope(user, flag_id: int, allowed, lock: bool = False):
    flag = db.session.get(MarkFlag, flag_id, with_for_update=lock) if flag_id else None
    if flag is None:
        raise _not_found()
    mark = db.session.get(Mark, flag.mark_id)
    lesson, load = place_of(mark)
    if not allowed(user, load):
        raise _not_found()
    return flag, mark, lesson, load


def readable_flag(user: User, flag_id: int):
    """``(flag, mark, lesson, load)`` for staff who may read it, else 404."""
    return _flag_in_scope(user, flag_id, may_read)


def audit_read(user: User, target, flag_ids=None) -> None:
    """Log a staff read of families' flags (152-ФЗ) and commit it (a page that only reads)."""
    if not is_staff(user):
        return
    if flag_ids is None:
        audit.record_read("grade.flag.read", target)
        return
    audit.record("grade.flag.read", target, after={"flags": sorted(flag_ids)}, actor=user)
    db.session.commit()


# --- raising and answering ---------------------------------------------------------------------


def _open_exists() -> Conflict:
    """The refusal of a second open flag of a mark (the check here, or the database's unique
    index when two are raised at once)."""
    return Conflict(_("Об этой оценке уже сообщено: дождитесь ответа преподавателя"))


def raise_flag(user: User, mark_id: int, comment: str, at: datetime | None = None) -> MarkFlag:
    """A student or parent flags a mark of their diary with a comment (1–1000 characters).

    404 for a mark outside their diary, 422 without a comment, 409 while the mark has an open
    flag. Audited; the journal's teacher is told (event ``grade.flag.raised``)."""
    at = at or utcnow()
    mark = flaggable_mark(user, mark_id)
    comment = clean_comment(comment, _("Напишите, что не так с оценкой"))
    if open_flag_of(mark.id) is not None:
        raise _open_exists()
    flag = MarkFlag(mark_id=mark.id, value=mark.value, flagged_by_id=user.id, comment=comment,
                    created_at=at, status=OPEN)
    with refused_on_conflict(_open_exists):  # raised by another at the same moment
        db.session.add(flag)
    audit.record("grade.flag.raise", flag, after={"mark_id": mark.id, "value": mark.value},
                 note=comment, actor=user)
    lesson, load = place_of(mark)
    events.emit(MarkFlagRaised(flag_id=flag.id, mark_id=mark.id, lesson_id=lesson.id,
                               student_id=mark.student_id, teacher_ids=(load.teacher_id,),
                               flagged_by_id=user.id, flagged_by=user.short_name,
                               comment=comment, **_words(mark, flag.value, lesson, load)))
    return flag


def _words(mark: Mark, value: str, lesson, load) -> dict[str, Any]:
    """What a notification says of the mark (its plugin does not read grading)."""
    student = db.session.get(Student, mark.student_id)
    return {"student_name": student.full_name, "discipline": load.discipline.title,
            "lesson_day": lesson.date, "mark": rules.text_of(value)}


def _answerable(user, flag_id: int):
    """The open flag, locked (of two answering at once, the second sees the first's answer)."""
    found = _flag_in_scope(user, flag_id, may_answer, lock=True)
    if found[0].status != OPEN:
        raise Conflict(_("На это обращение уже ответили"))
    return found


def keep(user: User, flag_id: int, comment: str, at: datetime | None = None) -> MarkFlag:
    """Answer a flag by keeping the mark, saying why (1–1000 characters). Audited; the family
    is told (event ``grade.flag.answered``)."""
    at = at or utcnow()
    flag, mark, lesson, load = _answerable(user, flag_id)
    comment = clean_comment(comment, _("Напишите, почему оценка оставлена"))
    _answer(flag, user, KEPT, comment, at)
    audit.record("grade.flag.keep", flag, before={"status": OPEN},
                 after={"status": KEPT, "value": mark.value}, note=comment, actor=user)
    _announce(flag, mark, lesson, load, user, new_mark="", pending=False)
    return flag


def correct(user: User, flag_id: int, new_value: str, reason: str,
            at: datetime | None = None) -> MarkFlag:
    """Answer a flag by correcting the mark's cell to ``new_value`` with ``reason``: a
    correction like any other (``services.file_correction``), pending where the policy asks
    for approval, applied at once inside the edit window. Audited; the family is told."""
    at = at or utcnow()
    flag, mark, lesson, load = _answerable(user, flag_id)
    if len(reason.strip() if isinstance(reason, str) else "") > MAX_COMMENT:
        raise DomainError(_("Не больше %(n)s символов", n=MAX_COMMENT))
    direct = bool(check("grade.edit", user, services.MarkTarget(load, lesson, mark.student_id),
                        at))
    correction = services.file_correction(user, load, lesson.id, mark.student_id,
                                          new_value if isinstance(new_value, str) else "",
                                          reason, at=at, approve_now=direct)
    flag.correction_id = correction.id
    _answer(flag, user, CORRECTED, correction.reason, at)
    audit.record("grade.flag.correct", flag, before={"status": OPEN},
                 after={"status": CORRECTED, "correction_id": correction.id,
                        "correction_status": correction.status, "old": correction.old_value,
                        "new": correction.new_value}, note=correction.reason, actor=user)
    _announce(flag, mark, lesson, load, user, new_mark=correction.new_value,
              pending=correction.status == "pending")
    return flag


def _answer(flag: MarkFlag, user, status: str, comment: str, at: datetime) -> None:
    flag.status, flag.answer_comment = status, comment
    flag.answered_by_id, flag.answered_at = user.id, at
    db.session.flush()


def _announce(flag: MarkFlag, mark: Mark, lesson, load, user, new_mark: str,
              pending: bool) -> None:
    events.emit(MarkFlagAnswered(flag_id=flag.id, mark_id=mark.id, lesson_id=lesson.id,
                                 student_id=mark.student_id, flagged_by_id=flag.flagged_by_id,
                                 answer=flag.status, pending=pending, new_mark=new_mark,
                                 comment=flag.answer_comment, answered_by=user.short_name,
                                 **_words(mark, flag.value, lesson, load)))


# --- what an answer says -----------------------------------------------------------------------


def answer_text(status: str, value: str, comment: str | None,
                correction: tuple[str, str, str, str | None] | None) -> str:
    """The answer as the family reads it; ``correction``: (status, old, new, decision note)."""
    mark = rules.text_of(value)
    if status == OPEN:
        return _("Сообщение об ошибке в оценке «%(mark)s» ждёт ответа преподавателя.", mark=mark)
    if status == KEPT:
        return _("Преподаватель оставил оценку «%(mark)s»: %(comment)s", mark=mark,
                 comment=comment or "")
    state, old, new, note = correction or ("approved", mark, "", None)
    words = {"old": old or "—", "new": new or "—", "reason": comment or ""}
    if state == "pending":
        return _("Преподаватель исправил оценку «%(old)s» на «%(new)s» (%(reason)s); "
                 "исправление ждёт утверждения.", **words)
    if state == "rejected":
        return _("Исправление оценки «%(old)s» на «%(new)s» не утверждено: %(note)s",
                 note=note or "—", **words)
    return _("Оценка исправлена: «%(old)s» → «%(new)s». Причина: %(reason)s", **words)


def corrections_of(flags) -> dict[int, tuple[str, str, str, str | None]]:
    """(status, old, new, note) of the corrections behind ``flags`` (one query)."""
    ids = {flag.correction_id for flag in flags if flag.correction_id}
    if not ids:
        return {}
    return {row.id: (row.status, row.old_value, row.new_value, row.decision_note)
            for row in db.session.execute(
                select(Correction.id, Correction.status, Correction.old_value,
                       Correction.new_value, Correction.decision_note)
                .where(Correction.id.in_(ids)))}


def people_of(flags) -> dict[int, str]:
    return short_names({flag.flagged_by_id for flag in flags}
                       | {flag.answered_by_id for flag in flags if flag.answered_by_id})


def flagged_by_role(flags) -> dict[int, str]:
    """Who flagged, as the teacher reads it: «обучающийся» or «родитель» (one query)."""
    ids = {flag.flagged_by_id for flag in flags}
    if not ids:
        return {}
    students = set(db.session.scalars(select(Student.user_id).where(Student.user_id.in_(ids))))
    return {user_id: _("обучающийся") if user_id in students else _("родитель")
            for user_id in ids}
