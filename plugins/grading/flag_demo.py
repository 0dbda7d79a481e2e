"""Demo mark flags (BTT 4.3.2): a few of the families' flags, open, kept and corrected, on the
marks of the demo's student and parent logins and in the journals of a printed teacher login
(the teacher's, or the curator's where the teacher's groups have no family accounts). Written
as rows, as the demo's marks are (no audit, no mail); a correction is a correction row and, once
approved, the mark's new value with its history row naming the reason and the approver."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import select

from core.extensions import db
from core.people.models import Guardian, Student, StudentGuardian
from core.people.roles import Role
from core.policy import policy_value
from plugins.grading.models import Correction, History, Mark, MarkFlag
from plugins.journal import api as journal

BETTER = {"2": "3", "3": "4", "4": "5", "5": "4"}


def _printed_teachers(college) -> list:
    """The demo's printed logins who teach, as ``core.people.demo`` chooses them: the teacher
    (neither a curator nor a commission head), the curator of the first group, the commission
    head."""
    curators = college.made.get("curators", {})
    plain = next((t for t in college.made.get("teachers", []) if t not in curators.values()
                  and not t.has_role(Role.COMMISSION_HEAD)), None)
    groups = college.made.get("groups") or []
    heads = college.made.get("staff", {}).get(Role.COMMISSION_HEAD) or []
    return [t for t in (plain, curators.get(groups[0].id) if groups else None,
                        heads[0] if heads else None) if t is not None]


def _families(college) -> dict[int, tuple[int | None, list[int]]]:
    """Student id -> (their account, their parents' accounts), for students with accounts."""
    accounts = {user.id for user in college.made.get("student_users", [])}
    found = {sid: (uid, []) for sid, uid in db.session.execute(
        select(Student.id, Student.user_id).where(Student.user_id.in_(accounts)))}
    for sid, uid in db.session.execute(
            select(StudentGuardian.student_id, Guardian.user_id)
            .join(Guardian, Guardian.id == StudentGuardian.guardian_id)
            .where(StudentGuardian.student_id.in_(list(found)), Guardian.user_id.is_not(None))):
        found[sid][1].append(uid)
    return found


class _Marked(NamedTuple):
    mark: Mark
    date: date
    teacher_id: int


def make_flags(college) -> None:
    if not policy_value("grading.mark_flags") or not college.made.get("student_users"):
        return
    families = _families(college)
    latest = college.today - timedelta(days=3)
    marks = db.session.scalars(
        select(Mark).where(Mark.student_id.in_(list(families)), Mark.value.in_(list(BETTER)),
                           Mark.position == 0, Mark.lesson_id.in_(journal.lesson_ids(
                               college.today - timedelta(days=40), latest)))).all()
    if not marks:
        return
    places = journal.lesson_places({mark.lesson_id for mark in marks})
    rows = sorted((_Marked(mark, places[mark.lesson_id][0].date,
                           places[mark.lesson_id][1].teacher_id) for mark in marks),
                  key=lambda row: (-row.date.toordinal(), row.mark.id))
    student = college.made["student_users"][0]
    parent = (college.made.get("parent_users") or [None])[0]
    # the first printed teacher login whose journals have marks of families with accounts
    teacher = next((t for t in _printed_teachers(college)
                    if any(row.teacher_id == t.id for row in rows)), None)
    deputy = college.made["staff"][Role.DEPUTY][0]
    used: set[int] = set()

    def pick(condition):
        row = next((r for r in rows if r.mark.id not in used and condition(r)), None)
        if row is not None:
            used.add(row.mark.id)
        return row

    own = {sid for sid, (uid, _parents) in families.items() if uid == student.id}
    children = {sid for sid, (_uid, parents) in families.items()
                if parent is not None and parent.id in parents}

    def theirs(row) -> bool:
        return teacher is not None and row.teacher_id == teacher.id

    plan = [
        (pick(lambda r: r.mark.student_id in own), "student", "open",
         "На контрольной я решил все задания, а в журнале стоит другая оценка."),
        (pick(lambda r: r.mark.student_id in children), "parent", "kept",
         "Сын говорит, что отвечал у доски на «отлично». Проверьте, пожалуйста."),
        (pick(lambda r: r.mark.student_id in children), "parent", "approved",
         "Оценка выставлена за работу, которую ребёнок сдавал в другой день."),
        (pick(theirs), "parent", "open", "Дочь была на занятии, но оценку не получала."),
        (pick(theirs), "student", "open", "Работу я переделал и сдал, оценка не обновилась."),
        (pick(theirs), "student", "pending", "Перепутали с однофамильцем из подгруппы."),
    ]
    for row, who, outcome, comment in plan:
        if row is not None:
            _flag(row, families[row.mark.student_id], who, outcome, comment, deputy.id)


def _flag(row, family, who: str, outcome: str, comment: str, deputy_id: int) -> None:
    mark, teacher_id = row.mark, row.teacher_id
    student_account, parents = family
    by = parents[0] if who == "parent" and parents else student_account
    asked = datetime.combine(row.date + timedelta(days=1), time(14, 0), tzinfo=UTC)
    answered = asked + timedelta(hours=20)
    flag = MarkFlag(mark_id=mark.id, value=mark.value, flagged_by_id=by, comment=comment,
                    created_at=asked, status="open")
    db.session.add(flag)
    if outcome == "kept":
        flag.status, flag.answered_by_id, flag.answered_at = "kept", teacher_id, answered
        flag.answer_comment = ("Оценка верна: ответ был неполным, разбор ошибок — на "
                               "консультации в четверг.")
    elif outcome in ("approved", "pending"):
        new = BETTER[mark.value]
        reason = "Ошибка при вводе оценки: проверено по тетради с работами"
        correction = Correction(lesson_id=mark.lesson_id, student_id=mark.student_id,
                                old_value=mark.value, new_value=new, reason=reason,
                                requested_by_id=teacher_id, requested_at=answered,
                                status="pending")
        db.session.add(correction)
        if outcome == "approved":
            decided = answered + timedelta(hours=2)
            correction.status, correction.decided_by_id = "approved", deputy_id
            correction.decided_at = decided
            db.session.add(History(mark_id=mark.id, at=decided, actor_id=teacher_id,
                                   old_value=mark.value, new_value=new, reason=reason,
                                   approved_by_id=deputy_id))
            mark.value, mark.version, mark.corrected = new, mark.version + 1, True
            mark.updated_at, mark.updated_by_id = decided, teacher_id
        db.session.flush()
        flag.status, flag.answered_by_id, flag.answered_at = "corrected", teacher_id, answered
        flag.answer_comment, flag.correction_id = reason, correction.id
    db.session.flush()
