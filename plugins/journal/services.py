"""Lessons: created from the timetable or by hand, edited within the window, with history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit, events
from core.calendar import mode as working_mode
from core.calendar.clock import college_day
from core.database import is_write_conflict, refused_on_conflict
from core.errors import Conflict, DomainError
from core.extensions import db
from core.models import utcnow
from core.people.permissions import can
from core.policy import check
from plugins.journal import api
from plugins.journal.events import CorrectionApplied
from plugins.journal.models import WORK_TYPES, Lesson, LessonHistory, TimetableChange, TimetableSlot

if TYPE_CHECKING:
    from core.people.models import User, UserLike

EDITABLE_FIELDS = ("topic", "work_type", "homework", "homework_due", "hours", "pair_number",
                   "tasks_done")
MAX_TEXT = 2000


def _check_fields(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Неизвестные поля занятия: %(names)s", names=", ".join(sorted(unknown))))
    clean = dict(values)
    for name in ("topic", "homework", "tasks_done"):
        if name in clean:
            text = (clean[name] or "").strip()
            if len(text) > MAX_TEXT:
                raise DomainError(_("Текст длиннее %(n)s символов", n=MAX_TEXT))
            clean[name] = text
    if "work_type" in clean and clean["work_type"] not in WORK_TYPES:
        raise DomainError(_("Неизвестный вид работы «%(value)s»", value=clean["work_type"]))
    if "hours" in clean and clean["hours"] not in (1, 2):
        raise DomainError(_("Занятие длится 1 или 2 академических часа"))
    if "pair_number" in clean and not (isinstance(clean["pair_number"], int)
                                       and 1 <= clean["pair_number"] <= 8):
        raise DomainError(_("Номер пары — от 1 до 8"))
    if clean.get("homework_due") is not None and not isinstance(clean["homework_due"], date):
        raise DomainError(_("Срок задания — дата"))
    return clean


def _require_edit(user, load: api.LoadInfo) -> None:
    if not api.can_edit(user, load):
        raise DomainError(_("Такой страницы нет или она вам недоступна."), status=404)


def create_lesson(user: User, load: api.LoadInfo, day: date, pair_number: int, *,
                  at: datetime | None = None, **values: Any) -> Lesson:
    """Record a lesson by hand on its day (the edit window applies); the caller commits."""
    _require_edit(user, load)
    clean = _check_fields({"pair_number": pair_number, **values})
    if not load.term.starts_on <= day <= load.term.ends_on:
        raise DomainError(_("Дата %(date)s вне семестра", date=day.strftime("%d.%m.%Y")))
    probe = api.LessonInfo(0, load.id, day, pair_number, 2, "", "", "", None, None, 0)
    decision = check("lesson.edit", user, probe, at or utcnow())
    if not decision:
        raise Conflict(decision.reason)
    exists = db.session.scalar(select(Lesson.id).where(
        Lesson.load_id == load.id, Lesson.date == day, Lesson.pair_number == pair_number))
    if exists:
        raise _pair_taken(day, pair_number)
    lesson = Lesson(load_id=load.id, date=day, taught_by_id=user.id, **clean)
    with refused_on_conflict(lambda: _pair_taken(day, pair_number)):  # recorded meanwhile
        db.session.add(lesson)
    api.forget_cached_reads()
    audit.record("journal.lesson.create", lesson, after={**clean, "date": day}, actor=user)
    return lesson


def correction_allowed(user: UserLike, info: api.LessonInfo, at: datetime) -> bool:
    """Whether ``user`` may correct ``info`` past its window: the administrator, for a lesson
    that has taken place (with a reason, asked by ``update_lesson``)."""
    return (can(user, "journal.lesson.correct")
            and college_day(at) >= info.date and not check("lesson.edit", user, info, at))


def _correction(user, info: api.LessonInfo, at: datetime, reason: str | None) -> str:
    """The reason of a change past the lesson's window, or a 409 saying who may make it how."""
    decision = check("lesson.edit", user, info, at)
    if not correction_allowed(user, info, at):
        if college_day(at) >= info.date and not can(user, "journal.lesson.correct"):
            raise Conflict(f"{decision.reason} " + _(
                "Запись прошедшего занятия исправляет администратор с указанием причины."))
        raise Conflict(decision.reason)
    reason = (reason or "").strip()
    if not reason:
        raise Conflict(f"{decision.reason} " + _("Исправление — только с указанием причины."))
    return reason[:1000]


def update_lesson(user: User, lesson_id: int, version: int, values: dict[str, Any], *,
                  at: datetime | None = None, reason: str | None = None) -> Lesson:
    """Change a lesson's record within the window; past it only the administrator corrects it,
    with ``reason`` (kept in every history row). A stale ``version`` is a 409 with the current
    values. Every changed field writes a history row; the caller commits."""
    at = at or utcnow()
    info = api.get_lesson(lesson_id)
    load = api.get_load(info.load_id)
    if not api.can_edit_lesson(user, info):
        raise DomainError(_("Такой страницы нет или она вам недоступна."), status=404)
    clean = _check_fields(values)
    correction = None if check("lesson.edit", user, info, at) else _correction(user, info, at, reason)
    lesson = db.session.get(Lesson, lesson_id)
    if lesson.version != version:
        raise _stale(lesson)
    pair = clean.get("pair_number", lesson.pair_number)
    if pair != lesson.pair_number and db.session.scalar(select(Lesson.id).where(
            Lesson.load_id == lesson.load_id, Lesson.date == lesson.date,
            Lesson.pair_number == pair)):
        raise _pair_taken(lesson.date, pair)
    # the database checks the version again as it writes (``Lesson`` is versioned): another
    # user's save in between, or another lesson taking the pair, is a 409 with what is current
    with refused_on_conflict(lambda: _changed_meanwhile(lesson_id, version, pair)):
        _write_changes(user, info, load, lesson, clean, at, correction)
    return lesson


def _stale(lesson: Lesson) -> Conflict:
    return Conflict(_("Занятие уже изменено другим пользователем: обновите страницу."),
                    current={name: _plain(getattr(lesson, name)) for name in EDITABLE_FIELDS}
                    | {"version": lesson.version})


def _pair_taken(day: date, pair: int) -> Conflict:
    return Conflict(_("Занятие %(date)s, %(pair)s пара уже есть в журнале",
                      date=day.strftime("%d.%m.%Y"), pair=pair))


def _changed_meanwhile(lesson_id: int, version: int, pair: int) -> Conflict:
    lesson = db.session.get(Lesson, lesson_id)
    return _stale(lesson) if lesson.version != version else _pair_taken(lesson.date, pair)


def _write_changes(user, info: api.LessonInfo, load: api.LoadInfo, lesson: Lesson,
                   clean: dict[str, Any], at: datetime, correction: str | None) -> None:
    changed = {}
    for name, new in clean.items():
        old = getattr(lesson, name)
        if old != new:
            changed[name] = (old, new)
            db.session.add(LessonHistory(lesson_id=lesson.id, changed_by_id=user.id, field=name,
                                         old_value=_plain(old), new_value=_plain(new),
                                         changed_at=at, reason=correction))
            setattr(lesson, name, new)
    if changed:
        if api.is_guest_of(user, info, load):
            lesson.taught_by_id = user.id  # a substitute taught it (REQUIREMENTS J7)
        else:
            lesson.taught_by_id = lesson.taught_by_id or user.id
        db.session.flush()
        api.forget_cached_reads()
        audit.record("journal.lesson.correct" if correction else "journal.lesson.update", lesson,
                     before={k: v[0] for k, v in changed.items()},
                     after={k: v[1] for k, v in changed.items()}, note=correction, actor=user)
        if correction:
            events.emit(CorrectionApplied(
                kind="lesson", lesson_id=lesson.id, lesson_day=info.date, student_id=None,
                old_value="\n".join(f"{k}: {_plain(v[0]) or ''}" for k, v in changed.items()),
                new_value="\n".join(f"{k}: {_plain(v[1]) or ''}" for k, v in changed.items()),
                reason=correction, requested_by_id=user.id, applied_by_id=user.id))


def lesson_history(lesson_id: int) -> list[LessonHistory]:
    """The changes of a lesson's record, oldest first."""
    return list(db.session.scalars(select(LessonHistory).where(
        LessonHistory.lesson_id == lesson_id).order_by(LessonHistory.changed_at, LessonHistory.id)))


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def timetable_dates(slot: TimetableSlot, changes: dict[date, TimetableChange], start: date,
                    end: date) -> list[tuple[date, int]]:
    """(date, pair) of a weekly slot between ``start`` and ``end``, its dated changes applied:
    only on the days of the working week, and in the slot's week where the year alternates
    (``core.calendar.mode``)."""
    first = max(start, slot.valid_from)
    last = min(end, slot.valid_to) if slot.valid_to else end
    day = first + timedelta(days=(slot.weekday - first.isoweekday()) % 7)
    found = []
    while day <= last:
        if not working_mode.runs_on(day, slot.week):
            day += timedelta(days=7)
            continue
        change = changes.get(day)
        if change is None:
            found.append((day, slot.pair_number))
        elif not change.cancelled and change.moved_to_date is not None:
            found.append((change.moved_to_date, change.moved_to_pair or slot.pair_number))
        day += timedelta(days=7)
    return found


def timetable_of(loads: list[api.LoadInfo], start: date, end: date
                 ) -> dict[int, list[tuple[date, int, int]]]:
    """(date, pair, hours) of each load's timetable between two dates (within its term), its
    dated changes applied: two queries whatever the number of loads."""
    result: dict[int, list[tuple[date, int, int]]] = {load.id: [] for load in loads}
    by_id = {load.id: load for load in loads}
    slots = db.session.scalars(select(TimetableSlot).where(
        TimetableSlot.load_id.in_(list(by_id)))).all() if loads else []
    if not slots:
        return result
    changes: dict[int, dict[date, TimetableChange]] = {}
    for change in db.session.scalars(select(TimetableChange).where(
            TimetableChange.slot_id.in_([s.id for s in slots]))):
        changes.setdefault(change.slot_id, {})[change.on_date] = change
    found: dict[int, set] = {load_id: set() for load_id in by_id}
    for slot in slots:
        term = by_id[slot.load_id].term
        first, last = max(start, term.starts_on), min(end, term.ends_on)
        for day, pair in timetable_dates(slot, changes.get(slot.id, {}), first, last):
            if first <= day <= last:
                found[slot.load_id].add((day, pair, slot.hours))
    return {load_id: sorted(items) for load_id, items in found.items()}


def timetable_lessons(load: api.LoadInfo, start: date, end: date) -> list[tuple[date, int, int]]:
    """(date, pair, hours) of the load's timetable between two dates, its dated changes applied."""
    return timetable_of([load], start, end)[load.id]


def lessons_from_timetable(load: api.LoadInfo, start: date, end: date,
                           taught_by_id: int | None = None) -> int:
    """Create the load's lessons of its timetable between two dates; existing ones are kept, so
    running it again creates nothing twice. Returns how many were created; the caller commits."""
    planned = timetable_lessons(load, start, end)
    if not planned:
        return 0
    try:
        with db.session.begin_nested():
            created = _create_missing(load, planned, taught_by_id)
    except Exception as exc:
        # the teacher opened the journal in two tabs at once: the other request created
        # (some of) these lessons and has committed; create what is still missing
        if not is_write_conflict(exc):
            raise
        with db.session.begin_nested():
            created = _create_missing(load, planned, taught_by_id)
    api.forget_cached_reads()
    return created


def _create_missing(load: api.LoadInfo, planned: list[tuple[date, int, int]],
                    taught_by_id: int | None) -> int:
    existing = {(day, pair) for day, pair in db.session.execute(
        select(Lesson.date, Lesson.pair_number).where(Lesson.load_id == load.id))}
    created = 0
    for day, pair, hours in planned:
        if (day, pair) in existing:
            continue
        db.session.add(Lesson(load_id=load.id, date=day, pair_number=pair, hours=hours,
                              taught_by_id=taught_by_id or load.teacher_id))
        existing.add((day, pair))
        created += 1
    return created
