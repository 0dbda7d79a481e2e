"""Attendance: the grid's saves, «все присутствуют», corrections after the lesson's day, reasons
over date ranges (the curator's and the parents'), counts in academic hours, and lessons whose
attendance was not marked on the day. Every write keeps history and is audited; the caller
commits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import audit, events
from core.calendar.clock import college_day
from core.database import is_write_conflict
from core.errors import Conflict, DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people.models import Group, GroupMembership, short_names
from core.people.movement import group_on
from core.people.permissions import can
from core.people.roles import Role
from core.people.scope import curated_group_ids
from core.policy import check, policy_value
from plugins.attendance import rules
from plugins.attendance.events import AbsenceMarked, AbsenceReasonReported, AbsenceReasonSet
from plugins.attendance.models import Absence, AbsenceHistory, Excuse, Taken
from plugins.journal import api as journal
from plugins.journal import corrections
from plugins.journal.batch import CellBatch, save_batch, version_matches
from plugins.journal.lesson_rows import LessonRows

if TYPE_CHECKING:
    from collections.abc import Iterable

    from core.people.models import User, UserLike

NOT_FOUND = "Такой страницы нет или она вам недоступна."
REASON_SETTERS = (Role.ADMIN, Role.DEPUTY)


#: what "attendance.edit" judges: a cell of ``load``'s ``lesson``
AbsenceTarget = journal.CellTarget


class AbsenceRow(NamedTuple):
    lesson_id: int
    student_id: int
    kind: str
    hours: int
    minutes: int
    reason: str
    version: int


_PAGE_ABSENCES = LessonRows(Absence, AbsenceRow)


def page_absences(lesson_ids: list[int]) -> list[AbsenceRow]:
    """The absences of ``lesson_ids``, cleared ones included: ONE query."""
    return _PAGE_ABSENCES.read(lesson_ids)


# --- the grid -----------------------------------------------------------------------------------


def absence_of(lesson_id: int, student_id: int) -> Absence | None:
    """The cell's absence row as committed now (not as the session read it before)."""
    return db.session.scalars(select(Absence).where(
        Absence.lesson_id == lesson_id, Absence.student_id == student_id)
        .execution_options(populate_existing=True)).first()


def cell_state(lesson_id: int, student_id: int, lesson_hours: int) -> tuple[str, int]:
    """The shown text and version of one attendance cell ("", 0 when never marked)."""
    absence = absence_of(lesson_id, student_id)
    return (cell_text(absence, lesson_hours), absence.version) if absence else ("", 0)


def cell_text(row: AbsenceRow | Absence, lesson_hours: int) -> str:
    return rules.text_of(row.kind, row.hours, row.minutes, lesson_hours)


def save_cells(load, user, changes: list[dict], at: datetime | None = None) -> list[dict]:
    """Save attendance cells of the grid, all or nothing (``plugins.journal.batch``): a cell
    another user saved meanwhile is a 409, checked by the database as it writes. Past the
    lesson's day nobody writes a cell directly: the 409 links the correction form.
    """
    at = at or utcnow()
    if not isinstance(changes, list) or not changes:
        raise DomainError(_("Нет изменений для сохранения"))
    return save_batch(lambda batch: _plan_cells(load, user, changes, at, batch),
                      lambda planned: _write_cells(load, user, planned, at))


def _plan_cells(load, user, changes: list[dict], at: datetime, batch: CellBatch) -> list:
    """Check every change of a batch (refusals go into ``batch``); what to write."""
    every = journal.lessons(load)
    writable = journal.writable_lesson_ids(user, load, every)
    lessons = {lesson.id: lesson for lesson in every if lesson.id in writable}
    students = {s.id: s for s in journal.roster(load)}
    planned = []
    wanted = []
    for change in changes:
        if not isinstance(change, dict):
            raise DomainError(_("Неверный формат запроса"))
        lesson = lessons.get(change.get("lesson_id"))
        student = students.get(change.get("student_id"))
        if lesson is None or student is None or not student.member_on(lesson.date):
            batch.refuse(change, 404, _(NOT_FOUND))
            continue
        wanted.append((change, lesson, student))
    existing = {(a.lesson_id, a.student_id): a for a in db.session.scalars(
        select(Absence).where(Absence.lesson_id.in_({lesson.id for _c, lesson, _s in wanted})))}
    for change, lesson, student in wanted:
        absence = existing.get((lesson.id, student.id))
        version = absence.version if absence else 0
        shown = cell_text(absence, lesson.hours) if absence else ""
        current = {"text": shown, "value": shown, "version": version}
        try:
            parsed = rules.parse(change.get("value"), lesson.hours)
        except rules.InvalidValue as exc:
            batch.refuse(change, 422, exc.message, current)
            continue
        if not version_matches(change.get("version"), version):
            batch.refuse(change, 409, _("Отметку уже изменил другой пользователь: сейчас «%(v)s»",
                                        v=shown or "—"), current)
            continue
        decision = check("attendance.edit", user, AbsenceTarget(load, lesson, student.id), at)
        if not decision:
            batch.refuse(change, decision.status, decision.reason, current,
                         correction_link(lesson, student.id, change.get("value"), at))
            continue
        batch.accept(change, current)
        planned.append((lesson, student, absence, parsed))
    return planned


def _write_cells(load, user, planned: list, at: datetime) -> list[dict]:
    results = []
    for lesson, student, absence, parsed in planned:
        absence = write_mark(load, lesson, student.id, absence, parsed, user, at)
        mark_taken(lesson.id, user, at)
        # a cell marked present has no row left: its ids are the change's
        results.append(result_of(absence, lesson.hours)
                       | {"lesson_id": lesson.id, "student_id": student.id})
    db.session.flush()
    return results


def correction_link(lesson: journal.LessonInfo, student_id: int, value,
                    at: datetime) -> dict | None:
    """``{"correction_url": ...}``: the correction form filled in for a refused cell of a lesson
    that has taken place (the refused user could write it on the day); ``None`` for a lesson
    still to come, which nobody fills in advance."""
    return corrections.correction_link("attendance.correction", lesson, student_id, at,
                                       value=value)


def cell_correction_link(user: User, load: journal.LoadInfo, lesson: journal.LessonInfo,
                         student_id: int, at: datetime | None = None) -> dict | None:
    """The correction link of a cell ``user`` could write on the day but no longer may (for the
    history panel of a past cell); ``None`` when the cell is still open or not theirs."""
    at = at or utcnow()
    if lesson.id not in journal.writable_lesson_ids(user, load, [lesson]):
        return None
    if check("attendance.edit", user, AbsenceTarget(load, lesson, student_id), at):
        return None
    return correction_link(lesson, student_id, None, at)


def result_of(absence: Absence | None, lesson_hours: int) -> dict:
    text = cell_text(absence, lesson_hours) if absence else ""
    return {"lesson_id": absence.lesson_id if absence else None,
            "student_id": absence.student_id if absence else None, "text": text, "value": text,
            "version": absence.version if absence else None,
            "title": str(rules.REASONS.get(absence.reason, "")) if absence else ""}


def write_mark(load: journal.LoadInfo, lesson: journal.LessonInfo, student_id: int,
               absence: Absence | None, parsed: rules.Parsed, user: User, at: datetime,
               reason: str = "", approved_by: User | None = None) -> Absence:
    """Write one cell's mark as ``user``; a correction's ``reason`` and ``approved_by`` go into
    the history and the audit log (whose actor is the approver)."""
    old = cell_text(absence, lesson.hours) if absence else ""
    new = rules.text_of(parsed.kind, parsed.hours, parsed.minutes, lesson.hours)
    if absence is None:
        absence = Absence(lesson_id=lesson.id, student_id=student_id, version=0)
        db.session.add(absence)
        absence.reason = _excused_reason(student_id, lesson.date)
    if old == new:
        return absence
    absence.kind, absence.hours, absence.minutes = parsed.kind, parsed.hours, parsed.minutes
    absence.version += 1
    absence.updated_at, absence.updated_by_id = at, user.id
    db.session.flush()
    db.session.add(AbsenceHistory(absence_id=absence.id, at=at, actor_id=user.id, field="mark",
                                  old_value=old, new_value=new, note=reason[:300],
                                  approved_by_id=getattr(approved_by, "id", None)))
    audit.record("attendance.mark" if approved_by is None else "attendance.correction.apply",
                 absence, before={"value": old}, after={"value": new}, note=reason or None,
                 actor=approved_by or user)
    if parsed.kind == "absent" and not old.startswith("н"):
        events.emit(AbsenceMarked(student_id=student_id, lesson_id=lesson.id,
                                  load_id=lesson.load_id, lesson_day=lesson.date,
                                  hours=parsed.hours, reason=absence.reason,
                                  discipline=load.discipline.title))
    return absence


def _excused_reason(student_id: int, day: date) -> str:
    """The reason of an accepted excuse covering ``day`` (a sick note entered in advance)."""
    return db.session.scalar(select(Excuse.reason).where(
        Excuse.student_id == student_id, Excuse.status == "accepted", Excuse.date_from <= day,
        Excuse.date_to >= day).order_by(Excuse.id.desc()).limit(1)) or ""


def mark_taken(lesson_id: int, user: User, at: datetime) -> None:
    """Record that the lesson's attendance was taken, once: the first of two at once wins."""
    if db.session.get(Taken, lesson_id) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(Taken(lesson_id=lesson_id, at=at, by_id=user.id))
    except IntegrityError as exc:
        if not is_write_conflict(exc):
            raise


def all_present(load: journal.LoadInfo, lesson_id: int, user: User,
                at: datetime | None = None) -> int:
    """«Все присутствуют»: the lesson's attendance is recorded; students marked absent or late
    stay so. Returns how many are marked absent or late."""
    at = at or utcnow()
    lesson = next((lesson for lesson in journal.lessons(load) if lesson.id == lesson_id), None)
    if lesson is None or not journal.can_edit_lesson(user, lesson):
        raise NotFound(_(NOT_FOUND))
    decision = check("attendance.edit", user, AbsenceTarget(load, lesson, 0), at)
    if not decision:
        raise Conflict(decision.reason)
    mark_taken(lesson.id, user, at)
    db.session.flush()
    audit.record("attendance.all_present", ("Lesson", lesson.id), actor=user)
    return db.session.scalar(select(func.count()).select_from(Absence).where(
        Absence.lesson_id == lesson.id, Absence.kind != ""))


def history(lesson_id: int, student_id: int) -> list[dict]:
    """The changes of a cell, oldest first: who, when, old, new, reason (a correction's, or the
    document of a reason), approved by (a correction's approver)."""
    rows = db.session.execute(
        select(AbsenceHistory).join(Absence, Absence.id == AbsenceHistory.absence_id)
        .where(Absence.lesson_id == lesson_id, Absence.student_id == student_id)
        .order_by(AbsenceHistory.at, AbsenceHistory.id)).scalars().all()
    names = short_names({r.actor_id for r in rows} | {r.approved_by_id for r in rows})
    return [{"at": r.at.isoformat(), "who": names.get(r.actor_id, ""),
             "old": _history_value(r.field, r.old_value), "new": _history_value(r.field, r.new_value),
             "reason": r.note, "approved_by": names.get(r.approved_by_id, "")}
            for r in rows]


def _history_value(field_name: str, value: str) -> str:
    if field_name == "reason":
        return str(rules.REASONS.get(value, "")) if value else ""
    return value


# --- reasons ------------------------------------------------------------------------------------


def may_set_reasons(user: UserLike, group_id: int) -> bool:
    """The group's curator (BTT 4.2.2) or the administration sets reasons of absences."""
    return can(user, "attendance.reasons.set") or group_id in curated_group_ids(user)


def _check_range(date_from: date, date_to: date, reason: str) -> None:
    if reason not in rules.REASONS:
        raise DomainError(_("Выберите причину пропуска"))
    if date_to < date_from:
        raise DomainError(_("Дата окончания раньше даты начала"))
    if (date_to - date_from).days > 180:
        raise DomainError(_("Период не длиннее 180 дней"))


def _absences_in(student_id: int, date_from: date, date_to: date
                 ) -> list[tuple[Absence, journal.LessonInfo]]:
    """The student's absences in the range by lesson, locked until the transaction ends (on
    PostgreSQL): a grid save of one of them waits, then finds its version moved (409), and none
    moves under the reason being set."""
    absences = db.session.scalars(
        select(Absence)
        .where(Absence.student_id == student_id, Absence.kind == "absent",
               Absence.lesson_id.in_(journal.lesson_ids(date_from, date_to)))
        .with_for_update(of=Absence).execution_options(populate_existing=True)).all()
    lessons = journal.lessons_by_id({absence.lesson_id for absence in absences})
    return sorted(((absence, lessons[absence.lesson_id]) for absence in absences),
                  key=lambda pair: (pair[1].date, pair[1].pair_number))


def _apply(excuse: Excuse, user, at: datetime) -> int:
    """Set the excuse's reason on every absence of the student in its range; returns how many."""
    changed = 0
    for absence, lesson in _absences_in(excuse.student_id, excuse.date_from, excuse.date_to):
        if absence.reason == excuse.reason:
            continue
        db.session.add(AbsenceHistory(absence_id=absence.id, at=at, actor_id=user.id,
                                      field="reason", old_value=absence.reason,
                                      new_value=excuse.reason, note=excuse.document[:300]))
        absence.reason, absence.excuse_id = excuse.reason, excuse.id
        absence.version += 1
        absence.updated_at, absence.updated_by_id = at, user.id
        events.emit(AbsenceReasonSet(student_id=excuse.student_id, lesson_id=lesson.id,
                                     lesson_day=lesson.date, reason=excuse.reason,
                                     excuse_id=excuse.id))
        changed += 1
    db.session.flush()
    return changed


@dataclass(frozen=True)
class ReasonRange:
    """What "attendance.reason.set" judges: the reason of a student's absences over a range
    (refused where the range reaches an archived period)."""

    student_id: int
    date_from: date
    date_to: date


def _check_reason_allowed(user: User, student_id: int, date_from: date, date_to: date,
                          at: datetime) -> None:
    decision = check("attendance.reason.set", user, ReasonRange(student_id, date_from, date_to),
                     at)
    if not decision:
        raise Conflict(decision.reason)


def set_reason(user: User, student_id: int, date_from: date, date_to: date, reason: str, *,
               document: str = "", comment: str = "", at: datetime | None = None) -> tuple[Excuse, int]:
    """The curator's reason for a student's absences over a range (a sick note for five days
    covers every lesson in it, and lessons marked later in the range too). Reasons are the
    curator's job and may be set after the edit window."""
    at = at or utcnow()
    _check_range(date_from, date_to, reason)
    group_id = group_on(student_id, date_to) or group_on(student_id, date_from)
    if group_id is None or not may_set_reasons(user, group_id):
        raise NotFound(_(NOT_FOUND))
    _check_reason_allowed(user, student_id, date_from, date_to, at)
    excuse = Excuse(student_id=student_id, date_from=date_from, date_to=date_to, reason=reason,
                    document=document.strip()[:200], comment=comment.strip()[:1000],
                    source="curator", status="accepted", created_by_id=user.id, created_at=at,
                    decided_by_id=user.id, decided_at=at)
    db.session.add(excuse)
    db.session.flush()
    covered = _apply(excuse, user, at)
    audit.record("attendance.reason", excuse, after={
        "student_id": student_id, "from": date_from, "to": date_to, "reason": reason,
        "document": excuse.document, "lessons": covered}, actor=user)
    return excuse, covered


def report_reason(user: User, student_id: int, date_from: date, date_to: date, reason: str,
                  comment: str, at: datetime | None = None) -> Excuse:
    """A parent reports the reason of their child's absence (BTT 4.4.2); the curator decides."""
    from core.people.scope import own_student_ids

    if not can(user, "attendance.reason.report") or student_id not in own_student_ids(user):
        raise NotFound(_(NOT_FOUND))
    _check_range(date_from, date_to, reason)
    if not comment.strip():
        raise DomainError(_("Опишите причину пропуска"))
    excuse = Excuse(student_id=student_id, date_from=date_from, date_to=date_to, reason=reason,
                    comment=comment.strip()[:1000], source="parent", status="pending",
                    created_by_id=user.id, created_at=at or utcnow())
    db.session.add(excuse)
    db.session.flush()
    audit.record("attendance.reason.report", excuse, after={
        "student_id": student_id, "from": date_from, "to": date_to, "reason": reason}, actor=user)
    events.emit(AbsenceReasonReported(student_id=student_id, excuse_id=excuse.id))
    return excuse


def decide(user: User, excuse_id: int, accept: bool, comment: str,
           at: datetime | None = None) -> tuple[Excuse, int]:
    """The curator accepts (the reason is set on the absences in range) or rejects a parent's
    report, with a comment the parent sees."""
    at = at or utcnow()
    # locked: of two curators deciding at once, the second sees the first's decision
    excuse = db.session.get(Excuse, excuse_id, with_for_update=True)
    if excuse is None:
        raise NotFound(_(NOT_FOUND))
    group_id = group_on(excuse.student_id, excuse.date_to) or group_on(excuse.student_id,
                                                                       excuse.date_from)
    if group_id is None or not may_set_reasons(user, group_id):
        raise NotFound(_(NOT_FOUND))
    if excuse.status != "pending":
        raise Conflict(_("Сообщение уже рассмотрено"))
    if not accept and not comment.strip():
        raise DomainError(_("Объясните родителю, почему причина не принята"))
    if accept:
        _check_reason_allowed(user, excuse.student_id, excuse.date_from, excuse.date_to, at)
    excuse.status = "accepted" if accept else "rejected"
    excuse.decided_by_id, excuse.decided_at = user.id, at
    excuse.decision_comment = comment.strip()[:1000]
    covered = _apply(excuse, user, at) if accept else 0
    audit.record("attendance.reason.decide", excuse, after={
        "status": excuse.status, "comment": excuse.decision_comment, "lessons": covered},
        actor=user)
    return excuse, covered


def pending_reports(group_id: int) -> list[Excuse]:
    members = select(GroupMembership.student_id).where(GroupMembership.group_id == group_id)
    return list(db.session.scalars(select(Excuse).where(
        Excuse.status == "pending", Excuse.student_id.in_(members)).order_by(Excuse.created_at)))


class PendingReport(NamedTuple):
    """A parent's report waiting for the curator, with what the home page names."""

    excuse: Excuse
    student_name: str
    group_id: int
    group_name: str


def curated_pending_reports(user: UserLike) -> list[PendingReport]:
    """The parents' reports waiting for ``user`` as the curator of their groups (one query; read
    once a request, for the menu's count and the home page)."""
    from flask import g, has_request_context

    key = f"attendance_pending_reports_{getattr(user, 'id', None)}"
    if has_request_context() and key in g:
        return g.get(key)
    from core.people.models import Student

    today = college_day(utcnow())
    rows = db.session.execute(
        select(Excuse, Student, Group.id, Group.name)
        .join(Student, Student.id == Excuse.student_id)
        .join(GroupMembership, GroupMembership.student_id == Excuse.student_id)
        .join(Group, Group.id == GroupMembership.group_id)
        .where(Excuse.status == "pending", Group.curator_id == user.id,
               GroupMembership.joined_on <= today,
               (GroupMembership.left_on.is_(None)) | (GroupMembership.left_on >= today))
        .order_by(Excuse.created_at, Excuse.id)).all()
    found = [PendingReport(excuse, student.full_name, group_id, group_name)
             for excuse, student, group_id, group_name in rows]
    if has_request_context():
        setattr(g, key, found)
    return found


def excuses_of(student_id: int) -> list[Excuse]:
    return list(db.session.scalars(select(Excuse).where(Excuse.student_id == student_id)
                                   .order_by(Excuse.date_from.desc(), Excuse.id.desc())))


# --- counting -----------------------------------------------------------------------------------


#: reasons that leave an absence unexcused: none given yet, or not valid
UNEXCUSED = ("", "invalid")


@dataclass
class Tally:
    """A student's absences in academic hours: in total, by reason, by discipline, by month;
    lateness as a count (it is not hours missed)."""

    total: int = 0
    by_reason: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_discipline: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_month: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_day: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    #: hours without a valid reason (none given, or not valid) by month
    unexcused_by_month: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    late: int = 0

    @property
    def unexcused(self) -> int:
        return sum(self.by_reason.get(reason, 0) for reason in UNEXCUSED)


class AbsenceDetail(NamedTuple):
    student_id: int
    date: date
    pair: int
    discipline: str
    kind: str
    hours: int
    minutes: int
    lesson_hours: int
    reason: str
    lesson_id: int

    @property
    def text(self) -> str:
        return rules.text_of(self.kind, self.hours, self.minutes, self.lesson_hours)


def details(student_ids: Iterable[int], start: date, end: date,
            group_id: int | None = None) -> list[AbsenceDetail]:
    """Every absence and lateness of ``student_ids`` between two dates, by lesson date and
    pair (three queries); with ``group_id``, only lessons of that group's journals (a
    transferred student's old absences stay in the old group)."""
    ids = list(student_ids)
    if not ids:
        return []
    lesson_ids = journal.lesson_ids(start, end,
                                    group_ids=None if group_id is None else {group_id})
    rows = db.session.execute(
        select(Absence.student_id, Absence.lesson_id, Absence.kind, Absence.hours,
               Absence.minutes, Absence.reason)
        .where(Absence.student_id.in_(ids), Absence.kind != "",
               Absence.lesson_id.in_(lesson_ids))).all()
    places = journal.lesson_places({row.lesson_id for row in rows})
    found = []
    for student_id, lesson_id, kind, hours, minutes, reason in rows:
        lesson, load = places[lesson_id]
        found.append(AbsenceDetail(student_id, lesson.date, lesson.pair_number,
                                   load.discipline.name, kind, hours, minutes, lesson.hours,
                                   reason, lesson_id))
    return sorted(found, key=lambda row: (row.date, row.pair))


def tallies(found: list[AbsenceDetail]) -> dict[int, Tally]:
    result: dict[int, Tally] = defaultdict(Tally)
    for row in found:
        tally = result[row.student_id]
        if row.kind == "late":
            tally.late += 1
            continue
        hours = rules.hours_missed(row.kind, row.hours)
        tally.total += hours
        tally.by_reason[row.reason] += hours
        tally.by_discipline[row.discipline] += hours
        month = row.date.strftime("%Y-%m")
        tally.by_month[month] += hours
        tally.by_day[row.date] += hours
        if row.reason in UNEXCUSED:
            tally.unexcused_by_month[month] += hours
    return result


def chronic(found: list[AbsenceDetail]) -> set[int]:
    """Students whose hours missed without a valid reason reach the policy's monthly threshold
    in some month («систематически пропускающие»)."""
    threshold = policy_value("attendance.chronic_hours_per_month")
    return {student for student, tally in tallies(found).items()
            if any(hours >= threshold for hours in tally.unexcused_by_month.values())}


# --- control ------------------------------------------------------------------------------------


class Unmarked(NamedTuple):
    lesson_id: int
    date: date
    pair: int
    load_id: int
    group: str
    discipline: str
    teacher_id: int
    taken_at: datetime | None


def not_marked_on_the_day(start: date, end: date, group_ids: set[int] | None = None
                          ) -> list[Unmarked]:
    """Lessons between two dates whose attendance was not recorded on the lesson's own day (in
    the college's time zone): never, or later; by date, group and pair (four queries)."""
    lessons = journal.lessons_between(start, end, group_ids=group_ids)
    loads = journal.loads_by_id({lesson.load_id for lesson in lessons})
    groups = dict(db.session.execute(select(Group.id, Group.name).where(
        Group.id.in_({load.group_id for load in loads.values()}))).all()) if loads else {}
    taken = dict(db.session.execute(select(Taken.lesson_id, Taken.at).where(
        Taken.lesson_id.in_(journal.lesson_ids(start, end, group_ids=group_ids)))).all())
    found = []
    for lesson in lessons:
        load = loads[lesson.load_id]
        taken_at = taken.get(lesson.id)
        if taken_at is None or college_day(_aware(taken_at)) != lesson.date:
            found.append(Unmarked(lesson.id, lesson.date, lesson.pair_number, load.id,
                                  groups[load.group_id], load.discipline.name, load.teacher_id,
                                  taken_at))
    return sorted(found, key=lambda item: (item.date, item.group, item.pair))


def _aware(at: datetime) -> datetime:
    from datetime import UTC

    return at if at.tzinfo else at.replace(tzinfo=UTC)
