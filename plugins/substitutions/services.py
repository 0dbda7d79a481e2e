"""Recording substitutions, who may fill which lessons, the register with hours for payroll,
the term-end check (KTIS 5.3) and help in finding a free colleague. The caller commits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import audit
from core.calendar.clock import college_day, college_today
from core.errors import DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people.models import RoleAssignment, User
from core.people.roles import Role
from plugins.journal import api as journal
from plugins.journal import services as lessons_service
from plugins.substitutions.models import Substitution

KINDS: dict[str, object] = {
    "replacement": _l("замена по той же дисциплине"),
    "other_discipline": _l("другая дисциплина в это время"),
    "merged": _l("объединение групп"),
    "cancelled": _l("занятие отменено (перенесено)"),
}
NOT_FOUND = "Такой страницы нет или она вам недоступна."
MAX_DAYS = 120


class Occurrence(NamedTuple):
    """A timetabled lesson a substitution covers."""

    load_id: int
    date: date
    pair: int
    hours: int


def _teacher(user_id: int | None) -> User | None:
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.has_role(Role.TEACHER) else None


def _loads_of(sub: Substitution) -> list[journal.LoadInfo]:
    return journal.loads(teacher_id=sub.absent_id, ids={sub.load_id} if sub.load_id else None)


def occurrences(sub: Substitution, start: date | None = None,
                end: date | None = None) -> list[Occurrence]:
    """The absent teacher's timetabled lessons the substitution covers (between two dates)."""
    start = max(sub.date_from, start or sub.date_from)
    end = min(sub.date_to, end or sub.date_to)
    pairs = sub.pair_numbers
    found = []
    for load in _loads_of(sub):
        for day, pair, hours in lessons_service.timetable_lessons(load, start, end):
            if not pairs or pair in pairs:
                found.append(Occurrence(load.id, day, pair, hours))
    return sorted(found, key=lambda o: (o.date, o.pair))


def _active():
    return select(Substitution).where(Substitution.withdrawn_at.is_(None))


def record(actor: User, kind: str, absent_id: int, substitute_id: int | None, date_from: date,
           date_to: date, load_id: int | None = None, pairs: set[int] | None = None,
           reason: str = "") -> Substitution:
    """Record a substitution; refused (422, a Russian reason) when it overlaps or contradicts
    another, when the substitute is busy then, or when it covers no timetabled lesson."""
    if kind not in KINDS:
        raise DomainError(_("Неизвестный вид замещения"))
    if date_to < date_from:
        raise DomainError(_("Дата окончания раньше даты начала"))
    if (date_to - date_from).days > MAX_DAYS:
        raise DomainError(_("Замещение записывается не больше чем на %(n)s дней", n=MAX_DAYS))
    absent = _teacher(absent_id)
    if absent is None:
        raise DomainError(_("Выберите отсутствующего преподавателя"))
    substitute = _teacher(substitute_id)
    if kind == "cancelled":
        substitute = None
    elif substitute is None:
        raise DomainError(_("Выберите, кто замещает"))
    elif substitute.id == absent.id:
        raise DomainError(_("Преподаватель не может замещать сам себя"))
    if load_id:
        load = journal.loads_by_id({load_id}).get(load_id)
        if load is None or load.teacher_id != absent.id:
            raise DomainError(_("Это не нагрузка отсутствующего преподавателя"))
    if pairs and not all(1 <= p <= 8 for p in pairs):
        raise DomainError(_("Номер пары — от 1 до 8"))
    sub = Substitution(kind=kind, absent_id=absent.id,
                       substitute_id=substitute.id if substitute else None,
                       load_id=load_id or None, pairs=",".join(str(p) for p in sorted(pairs or ())),
                       date_from=date_from, date_to=date_to, reason=reason.strip()[:300],
                       created_by_id=actor.id, created_at=utcnow())
    covered = occurrences(sub)
    if not covered:
        raise DomainError(_("В эти дни у преподавателя нет занятий по расписанию"))
    _refuse_overlaps(sub, covered, substitute)
    db.session.add(sub)
    db.session.flush()
    if kind == "replacement":  # the lessons up to today appear for the substitute to fill
        today = college_today()
        for load in _loads_of(sub):
            lessons_service.lessons_from_timetable(load, date_from, min(date_to, today),
                                                   taught_by_id=substitute.id)
    _forget()
    audit.record("substitutions.record", sub, after={
        "kind": kind, "absent_id": absent.id, "substitute_id": sub.substitute_id,
        "load_id": sub.load_id, "pairs": sub.pairs, "from": date_from, "to": date_to,
        "lessons": len(covered)}, actor=actor)
    return sub


def _refuse_overlaps(sub: Substitution, covered: list[Occurrence], substitute: User | None):
    mine = {(o.load_id, o.date, o.pair) for o in covered}
    others = db.session.scalars(_active().where(
        Substitution.absent_id == sub.absent_id, Substitution.date_from <= sub.date_to,
        Substitution.date_to >= sub.date_from)).all()
    for other in others:
        clash = sorted(mine & {(o.load_id, o.date, o.pair) for o in occurrences(other)})
        if clash:
            _load_id, day, pair = clash[0]
            raise DomainError(_("Занятие %(date)s, %(pair)s пара уже замещено (запись от "
                                "%(made)s): сначала отмените её", date=day.strftime("%d.%m.%Y"),
                                pair=pair, made=other.created_at.strftime("%d.%m.%Y")))
    if substitute is None:
        return
    slots = {(o.date, o.pair) for o in covered}
    own = journal.loads(teacher_id=substitute.id)
    for load in own:
        for day, pair, _hours in lessons_service.timetable_lessons(load, sub.date_from,
                                                                     sub.date_to):
            if (day, pair) in slots:
                raise DomainError(_("%(date)s, %(pair)s пара: у замещающего своё занятие",
                                    date=day.strftime("%d.%m.%Y"), pair=pair))
    taken = db.session.scalars(_active().where(
        Substitution.substitute_id == substitute.id, Substitution.date_from <= sub.date_to,
        Substitution.date_to >= sub.date_from)).all()
    for other in taken:
        busy = slots & {(o.date, o.pair) for o in occurrences(other)}
        if busy:
            day, pair = sorted(busy)[0]
            raise DomainError(_("%(date)s, %(pair)s пара: замещающий уже замещает другое занятие",
                                date=day.strftime("%d.%m.%Y"), pair=pair))


def withdraw(actor: User, sub_id: int) -> Substitution:
    """Withdraw a record made by mistake (it stays in the register, struck out)."""
    sub = db.session.get(Substitution, sub_id)
    if sub is None or sub.withdrawn_at is not None:
        raise NotFound(_(NOT_FOUND))
    sub.withdrawn_at = utcnow()
    _forget()
    audit.record("substitutions.withdraw", sub, actor=actor)
    return sub


# --- who may fill which lessons -----------------------------------------------------------------


def _forget() -> None:
    if has_request_context():
        g.pop("substitutions_active", None)
    journal.forget_cached_reads()


def _replacements() -> list[Substitution]:
    """Active replacements, read once per request (the journal asks for every load)."""
    if has_request_context() and "substitutions_active" in g:
        return g.substitutions_active
    found = list(db.session.scalars(_active().where(Substitution.kind == "replacement")))
    if has_request_context():
        g.substitutions_active = found
    return found


def is_open(sub: Substitution, at: datetime) -> bool:
    """Whether the substitute may open the substitution's lessons at ``at``: from its first day
    (in the college's time zone) until the edit window of its last day closes."""
    return sub.date_from <= college_day(at) and at < journal.edit_deadline(sub.date_to)


def editors(load: journal.LoadInfo, at: datetime) -> dict[int, set[tuple[date, int]]]:
    """``{substitute_id: {(date, pair)}}`` for the load at ``at``: every pair of the days
    substituted (a lesson recorded by hand in those days is the substitute's too), or the chosen
    pairs, of the substitutions open at ``at`` (``is_open``)."""
    result: dict[int, set[tuple[date, int]]] = defaultdict(set)
    for sub in _replacements():
        if sub.absent_id != load.teacher_id or (sub.load_id and sub.load_id != load.id):
            continue
        if not is_open(sub, at):
            continue
        pairs = sub.pair_numbers or set(range(1, 9))
        day = sub.date_from
        while day <= sub.date_to:
            result[sub.substitute_id].update((day, pair) for pair in pairs)
            day += timedelta(days=1)
    return dict(result)


def guest_load_ids(user: User, at: datetime) -> set[int]:
    """The loads of which ``user`` takes lessons at ``at``: of each substitution open then with
    them as the substitute, its chosen load or every load of the absent teacher in its days."""
    ids: set[int] = set()
    for sub in db.session.scalars(_active().where(
            Substitution.kind == "replacement", Substitution.substitute_id == user.id,
            Substitution.date_from <= college_day(at))):
        if not is_open(sub, at):
            continue
        if sub.load_id:
            ids.add(sub.load_id)
        else:
            ids.update(load.id for load in journal.teachers_loads({sub.absent_id}, sub.date_from,
                                                                  sub.date_to))
    return ids


def todays_lessons(user: User, day: date) -> list[tuple[journal.LoadInfo, Occurrence]]:
    """The substitute's lessons of ``day``: created in the journal if not there yet."""
    found = []
    for sub in _replacements():
        if sub.substitute_id != user.id or not sub.date_from <= day <= sub.date_to:
            continue
        for occurrence in occurrences(sub, day, day):
            load = journal.get_load(occurrence.load_id)
            found.append((load, occurrence))
    for load in {load.id: load for load, _o in found}.values():
        lessons_service.lessons_from_timetable(load, day, day, taught_by_id=user.id)
    return sorted(found, key=lambda item: item[1].pair)


# --- the register -------------------------------------------------------------------------------


@dataclass
class RegisterRow:
    sub: Substitution
    occurrences: list[Occurrence]
    planned_hours: int
    taught_hours: int
    unfilled: int


def register(start: date, end: date) -> list[RegisterRow]:
    """Substitutions with lessons between two dates, with their academic hours: planned (the
    timetable) and taught (lessons the substitute recorded, for a replacement)."""
    subs = db.session.scalars(select(Substitution).where(
        Substitution.date_from <= end, Substitution.date_to >= start)
        .order_by(Substitution.date_from, Substitution.id)).all()
    rows = []
    for sub in subs:
        covered = occurrences(sub, start, end)
        taught = unfilled = 0
        if sub.kind == "replacement" and covered:
            recorded = {(ls.load_id, ls.date, ls.pair_number): ls for ls in journal.lessons_of(
                {o.load_id for o in covered}, max(start, sub.date_from), min(end, sub.date_to))}
            today = college_today()
            for occurrence in covered:
                lesson = recorded.get((occurrence.load_id, occurrence.date, occurrence.pair))
                if lesson is not None and lesson.taught_by_id == sub.substitute_id \
                        and lesson.topic:
                    taught += lesson.hours
                elif occurrence.date <= today:
                    unfilled += 1
        rows.append(RegisterRow(sub, covered, sum(o.hours for o in covered), taught, unfilled))
    return rows


def totals(rows: list[RegisterRow]) -> tuple[dict[int, int], dict[int, int]]:
    """Hours per substitute (what payroll pays: taught for a replacement, planned otherwise)
    and per absent teacher, of active substitutions."""
    by_substitute: dict[int, int] = defaultdict(int)
    by_absent: dict[int, int] = defaultdict(int)
    for row in rows:
        if row.sub.withdrawn_at is not None:
            continue
        hours = row.taught_hours if row.sub.kind == "replacement" else row.planned_hours
        if row.sub.substitute_id:
            by_substitute[row.sub.substitute_id] += hours
        by_absent[row.sub.absent_id] += row.planned_hours
    return dict(by_substitute), dict(by_absent)


# --- the term-end check -------------------------------------------------------------------------


class Unrecorded(NamedTuple):
    lesson_id: int
    load_id: int
    date: date
    pair: int
    teacher_id: int
    taught_by_id: int


def unrecorded(start: date, end: date) -> list[Unrecorded]:
    """Lessons taught by someone other than the load's teacher with no substitution recorded."""
    lessons = journal.taught_by_others(start, end)
    if not lessons:
        return []
    loads = journal.loads_by_id({lesson.load_id for lesson in lessons})
    subs = db.session.scalars(_active().where(Substitution.date_from <= end,
                                              Substitution.date_to >= start)).all()
    found = []
    for lesson in lessons:
        item = Unrecorded(lesson.id, lesson.load_id, lesson.date, lesson.pair_number,
                          loads[lesson.load_id].teacher_id, lesson.taught_by_id)
        covered = any(
            sub.absent_id == item.teacher_id and sub.substitute_id == item.taught_by_id
            and sub.date_from <= item.date <= sub.date_to
            and (not sub.load_id or sub.load_id == item.load_id)
            and (not sub.pair_numbers or item.pair in sub.pair_numbers) for sub in subs)
        if not covered:
            found.append(item)
    return found


# --- help when recording ------------------------------------------------------------------------


def free_colleagues(absent_id: int, day: date, pair: int,
                    discipline_id: int | None = None) -> list[User]:
    """Teachers of the same discipline or subject commission as the absent teacher's who have no
    lesson of their own and substitute nothing at ``day``/``pair``."""
    absent_loads = journal.loads(teacher_id=absent_id)
    disciplines = {discipline_id} if discipline_id else {
        load.discipline.id for load in absent_loads}
    commissions = {load.discipline.commission_id for load in absent_loads
                   if load.discipline.commission_id and (not discipline_id
                                                         or load.discipline.id == discipline_id)}
    candidates = journal.teachers_of(disciplines, commissions)
    candidates.discard(absent_id)
    busy = journal.teachers_timetabled_at(day, pair)
    for sub in db.session.scalars(_active().where(Substitution.date_from <= day,
                                                  Substitution.date_to >= day)):
        if sub.substitute_id and (not sub.pair_numbers or pair in sub.pair_numbers):
            busy.add(sub.substitute_id)
    free = candidates - busy
    if not free:
        return []
    return list(db.session.scalars(
        select(User).join(RoleAssignment).where(User.id.in_(free), User.active.is_(True),
                                                RoleAssignment.role == Role.TEACHER)
        .order_by(User.last_name, User.first_name).distinct()))
