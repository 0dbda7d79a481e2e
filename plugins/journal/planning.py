"""Planning the journals: disciplines, curriculum hours, teaching load, the weekly timetable and
its dated changes. Every change is checked (a clear Russian reason) and audited; the caller
commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from core import audit, policy
from core.calendar import mode as working_mode
from core.calendar.models import Term
from core.errors import Conflict, DomainError
from core.extensions import db
from core.people.models import Group, Subgroup, SubjectCommission, User
from core.people.roles import Role
from plugins.journal import api
from plugins.journal.models import (
    DISCIPLINE_KINDS,
    WORK_KINDS,
    CurriculumHours,
    Discipline,
    Lesson,
    TeachingLoad,
    TimetableChange,
    TimetableSlot,
    store_work_kinds,
)

WEEKDAYS = {1: _l("Понедельник"), 2: _l("Вторник"), 3: _l("Среда"), 4: _l("Четверг"),
            5: _l("Пятница"), 6: _l("Суббота"), 7: _l("Воскресенье")}


def _fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _apply(obj: Any, values: dict[str, Any], names: tuple[str, ...]) -> tuple[dict, dict]:
    before, after = {}, {}
    for name in names:
        if name in values and getattr(obj, name) != values[name]:
            before[name], after[name] = getattr(obj, name), values[name]
            setattr(obj, name, values[name])
    return before, after


def stored_work_kinds(kinds: Any) -> str:
    """The column value for a chosen list of kinds of work; an unknown kind is refused."""
    if kinds is None:
        kinds = []
    if isinstance(kinds, str) or not all(isinstance(kind, str) for kind in kinds):
        raise DomainError(_("Неверный список видов работ"))
    unknown = sorted(set(kinds) - set(WORK_KINDS))
    if unknown:
        raise DomainError(_("Неизвестный вид работ «%(kind)s»", kind=unknown[0]))
    return store_work_kinds(kinds)


# --- disciplines --------------------------------------------------------------------------------

DISCIPLINE_FIELDS = ("code", "name", "short_name", "kind", "parent_id", "commission_id",
                     "work_kinds")


def save_discipline(actor: User, values: dict[str, Any],
                    discipline: Discipline | None = None) -> Discipline:
    """Create or change a discipline: a МДК belongs to a ПМ; code and name are unique together."""
    clean = {**values, "code": (values.get("code") or "").strip(),
             "name": (values.get("name") or "").strip(),
             "short_name": (values.get("short_name") or "").strip()}
    if not clean["code"] or not clean["name"]:
        raise DomainError(_("Укажите индекс и название дисциплины"))
    if clean.get("kind") not in DISCIPLINE_KINDS:
        raise DomainError(_("Неизвестный вид дисциплины"))
    parent_id = clean.get("parent_id")
    if parent_id:
        parent = db.session.get(Discipline, parent_id)
        if parent is None or parent.kind != "pm" or (discipline and parent.id == discipline.id):
            raise DomainError(_("МДК, УП и ПП входят только в профессиональный модуль (ПМ)"))
        if clean["kind"] not in ("mdk", "up", "pp"):
            raise DomainError(_("В профессиональный модуль входят только МДК, УП и ПП"))
    else:
        clean["parent_id"] = None
    if clean.get("commission_id") and db.session.get(SubjectCommission,
                                                     clean["commission_id"]) is None:
        raise DomainError(_("Нет такой предметно-цикловой комиссии"))
    clean["commission_id"] = clean.get("commission_id") or None
    if "work_kinds" in clean or discipline is None:
        clean["work_kinds"] = stored_work_kinds(clean.get("work_kinds"))
    taken = select(Discipline.id).where(Discipline.code == clean["code"],
                                        Discipline.name == clean["name"])
    if discipline is not None:
        taken = taken.where(Discipline.id != discipline.id)
    if db.session.scalar(taken):
        raise Conflict(_("Дисциплина «%(code)s %(name)s» уже есть", code=clean["code"],
                         name=clean["name"]))
    if discipline is None:
        discipline = Discipline(**{k: clean.get(k) for k in DISCIPLINE_FIELDS})
        db.session.add(discipline)
        db.session.flush()
        audit.record("journal.discipline.create", discipline,
                     after=_fields(discipline, DISCIPLINE_FIELDS), actor=actor)
        return discipline
    before, after = _apply(discipline, clean, DISCIPLINE_FIELDS)
    if after:
        db.session.flush()
        audit.record("journal.discipline.update", discipline, before=before, after=after,
                     actor=actor)
    return discipline


def set_curriculum_hours(actor: User, discipline: Discipline, group_id: int, term_id: int,
                         hours: int) -> CurriculumHours | None:
    """The curriculum's hours of a discipline for a group in a term; 0 removes the row."""
    if db.session.get(Group, group_id) is None or db.session.get(Term, term_id) is None:
        raise DomainError(_("Нет такой группы или семестра"), status=404)
    if not 0 <= hours <= 2000:
        raise DomainError(_("Часов по плану — от 0 до 2000"))
    row = db.session.scalar(select(CurriculumHours).where(
        CurriculumHours.discipline_id == discipline.id, CurriculumHours.group_id == group_id,
        CurriculumHours.term_id == term_id))
    before = row.hours if row else None
    if hours == 0:
        if row is not None:
            db.session.delete(row)
        row = None
    elif row is None:
        row = CurriculumHours(discipline_id=discipline.id, group_id=group_id, term_id=term_id,
                              hours=hours)
        db.session.add(row)
    else:
        row.hours = hours
    db.session.flush()
    audit.record("journal.curriculum.set", discipline, before={"hours": before},
                 after={"group_id": group_id, "term_id": term_id, "hours": hours}, actor=actor)
    return row


# --- teaching load ------------------------------------------------------------------------------

LOAD_FIELDS = ("teacher_id", "group_id", "subgroup_id", "discipline_id", "term_id",
               "hours_per_week", "hours_total", "work_kinds")


def save_load(actor: User, values: dict[str, Any], load: TeachingLoad | None = None
              ) -> TeachingLoad:
    """Create or change a teaching load (one journal). Its group, discipline and term are fixed
    once lessons are recorded; the teacher may change (a new teacher takes over the journal).

    ``work_kinds``: the kinds of work the journal has (a list), ``None`` for its discipline's."""
    clean = dict(values)
    if clean.get("work_kinds") is not None:
        clean["work_kinds"] = stored_work_kinds(clean["work_kinds"])
    elif load is None:
        clean["work_kinds"] = None
    teacher = db.session.get(User, clean.get("teacher_id") or 0)
    if teacher is None or not teacher.has_role(Role.TEACHER):
        raise DomainError(_("Выберите преподавателя"))
    group = db.session.get(Group, clean.get("group_id") or 0)
    if group is None:
        raise DomainError(_("Выберите группу"))
    if clean.get("subgroup_id"):
        subgroup = db.session.get(Subgroup, clean["subgroup_id"])
        if subgroup is None or subgroup.group_id != group.id:
            raise DomainError(_("Подгруппа из другой группы"))
    else:
        clean["subgroup_id"] = None
    if db.session.get(Discipline, clean.get("discipline_id") or 0) is None:
        raise DomainError(_("Выберите дисциплину"))
    if db.session.get(Term, clean.get("term_id") or 0) is None:
        raise DomainError(_("Выберите семестр"))
    per_week, total = clean.get("hours_per_week") or 0, clean.get("hours_total") or 0
    if not (1 <= per_week <= 40 and 1 <= total <= 2000):
        raise DomainError(_("Часов в неделю — от 1 до 40, всего — от 1 до 2000"))
    same = select(TeachingLoad.id).where(*(getattr(TeachingLoad, name) == clean[name]
                                           for name in LOAD_FIELDS[:5]))
    if load is not None:
        same = same.where(TeachingLoad.id != load.id)
    if db.session.scalar(same):
        raise Conflict(_("Такая нагрузка уже есть"))
    if load is None:
        load = TeachingLoad(**{name: clean.get(name) for name in LOAD_FIELDS})
        db.session.add(load)
        db.session.flush()
        api.forget_cached_reads()
        audit.record("journal.load.create", load, after=_fields(load, LOAD_FIELDS), actor=actor)
        return load
    fixed = ("group_id", "subgroup_id", "discipline_id", "term_id")
    has_lessons = db.session.scalar(select(Lesson.id).where(Lesson.load_id == load.id).limit(1))
    if has_lessons and any(clean[name] != getattr(load, name) for name in fixed):
        raise Conflict(_("В журнале уже есть занятия: группу, подгруппу, дисциплину и семестр "
                         "изменить нельзя. Создайте новую нагрузку."))
    before, after = _apply(load, clean, LOAD_FIELDS)
    if after:
        db.session.flush()
        api.forget_cached_reads()
        audit.record("journal.load.update", load, before=before, after=after, actor=actor)
    return load


def delete_load(actor: User, load: TeachingLoad) -> None:
    """Remove a load entered by mistake: only while its journal has no lessons."""
    if db.session.scalar(select(Lesson.id).where(Lesson.load_id == load.id).limit(1)):
        raise Conflict(_("В журнале уже есть занятия: нагрузку удалить нельзя."))
    for slot in db.session.scalars(select(TimetableSlot).where(TimetableSlot.load_id == load.id)):
        for change in db.session.scalars(select(TimetableChange).where(
                TimetableChange.slot_id == slot.id)):
            db.session.delete(change)
        db.session.delete(slot)
    audit.record("journal.load.delete", load, before=_fields(load, LOAD_FIELDS), actor=actor)
    db.session.delete(load)
    db.session.flush()
    api.forget_cached_reads()


# --- timetable ----------------------------------------------------------------------------------


def _overlapping_slots(weekday: int, pair: int, start: date, end: date | None,
                       week: str | None = None):
    """Slots on the same weekday and pair whose validity overlaps [start, end] (and whose
    alternating week meets ``week``: a числитель lesson never meets a знаменатель one)."""
    query = (select(TimetableSlot, TeachingLoad).join(TeachingLoad)
             .where(TimetableSlot.weekday == weekday, TimetableSlot.pair_number == pair,
                    or_(TimetableSlot.valid_to.is_(None), TimetableSlot.valid_to >= start)))
    if week is not None:
        query = query.where(or_(TimetableSlot.week.is_(None), TimetableSlot.week == week))
    if end is not None:
        query = query.where(TimetableSlot.valid_from <= end)
    return db.session.execute(query).all()


def _clash(load: TeachingLoad, other: TeachingLoad) -> str | None:
    if other.id == load.id:
        return _("у этой нагрузки уже есть занятие в это время")
    if other.teacher_id == load.teacher_id:
        return _("преподаватель в это время ведёт другое занятие")
    if other.group_id == load.group_id and not (
            load.subgroup_id and other.subgroup_id and load.subgroup_id != other.subgroup_id):
        return _("у группы в это время другое занятие")
    return None


def _may_edit_timetable(actor: User, load_id: int) -> None:
    """The timetable is entered by those the ``journal.timetable.edit`` permission names."""
    decision = policy.check("journal.timetable.edit", actor, load_id)
    if not decision:
        raise DomainError(decision.reason, status=decision.status)


def add_slot(actor: User, load: TeachingLoad, weekday: int, pair: int, hours: int,
             valid_from: date, valid_to: date | None, week: str | None = None) -> TimetableSlot:
    """A weekly lesson of ``load`` (every week, or числитель «A» / знаменатель «B» where the
    year alternates); refused if the teacher or the group is busy then, or if the day is off
    the year's working week."""
    _may_edit_timetable(actor, load.id)
    term = db.session.get(Term, load.term_id)
    if weekday not in WEEKDAYS or not 1 <= pair <= 8 or hours not in (1, 2):
        raise DomainError(_("День недели 1–7, пара 1–8, часов 1 или 2"))
    week = week or None
    mode = working_mode.mode_of(term.year_id)
    if mode is not None and mode.week_days and weekday > mode.week_days:
        raise DomainError(_("%(weekday)s — не учебный день: в %(year)s учебном году неделя "
                            "%(n)s-дневная", weekday=WEEKDAYS[weekday], year=mode.title,
                            n=mode.week_days))
    if week is not None and week not in working_mode.WEEKS:
        raise DomainError(_("Неделя — числитель или знаменатель"))
    if week is not None and not (mode and mode.alternating_weeks):
        raise DomainError(_("В этом учебном году нет чередования недель (числитель и "
                            "знаменатель): занятие идёт каждую неделю"))
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("Дата окончания раньше даты начала"))
    if valid_from > term.ends_on or (valid_to or term.ends_on) < term.starts_on:
        raise DomainError(_("Период действия вне семестра %(term)s", term=term.title))
    for _slot, other in _overlapping_slots(weekday, pair, valid_from, valid_to, week):
        clash = _clash(load, other)
        if clash:
            raise Conflict(_("%(weekday)s, %(pair)s пара: %(why)s",
                             weekday=WEEKDAYS[weekday], pair=pair, why=clash))
    slot = TimetableSlot(load_id=load.id, weekday=weekday, pair_number=pair, hours=hours,
                         valid_from=valid_from, valid_to=valid_to, week=week)
    db.session.add(slot)
    db.session.flush()
    audit.record("journal.timetable.add", slot, after={
        "load_id": load.id, "weekday": weekday, "pair": pair, "hours": hours,
        "valid_from": valid_from, "valid_to": valid_to, "week": week}, actor=actor)
    return slot


def end_slot(actor: User, slot: TimetableSlot, last_day: date) -> None:
    """Stop a weekly lesson after ``last_day`` (lessons already recorded stay)."""
    _may_edit_timetable(actor, slot.load_id)
    if last_day < slot.valid_from:
        db.session.delete(slot)  # it never took effect
        for change in db.session.scalars(select(TimetableChange).where(
                TimetableChange.slot_id == slot.id)):
            db.session.delete(change)
        audit.record("journal.timetable.delete", slot, actor=actor)
    else:
        audit.record("journal.timetable.end", slot, before={"valid_to": slot.valid_to},
                     after={"valid_to": last_day}, actor=actor)
        slot.valid_to = last_day
    db.session.flush()


def add_change(actor: User, slot: TimetableSlot, on_date: date, *, cancelled: bool,
               moved_to_date: date | None, moved_to_pair: int | None, reason: str
               ) -> TimetableChange:
    """A dated change of a weekly lesson: cancelled, or moved to another date and pair."""
    from plugins.journal.services import timetable_dates

    _may_edit_timetable(actor, slot.load_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Укажите причину изменения расписания"))
    if len(reason) > 300:
        raise DomainError(_("Причина длиннее 300 символов"))
    if on_date not in {day for day, _pair in timetable_dates(slot, {}, on_date, on_date)}:
        raise DomainError(_("%(date)s этого занятия нет в расписании",
                            date=on_date.strftime("%d.%m.%Y")))
    if cancelled:
        moved_to_date = moved_to_pair = None
    elif moved_to_date is None:
        raise DomainError(_("Укажите, на какую дату переносится занятие, или отмените его"))
    elif moved_to_pair is not None and not 1 <= moved_to_pair <= 8:
        raise DomainError(_("Номер пары — от 1 до 8"))
    load = db.session.get(TeachingLoad, slot.load_id)
    term = db.session.get(Term, load.term_id)
    if moved_to_date is not None and not term.starts_on <= moved_to_date <= term.ends_on:
        raise DomainError(_("Дата переноса вне семестра %(term)s", term=term.title))
    if db.session.scalar(select(TimetableChange.id).where(
            TimetableChange.slot_id == slot.id, TimetableChange.on_date == on_date)):
        raise Conflict(_("Изменение на %(date)s уже записано", date=on_date.strftime("%d.%m.%Y")))
    if moved_to_date is not None:
        pair = moved_to_pair or slot.pair_number
        group_busy = TeachingLoad.group_id == load.group_id
        if load.subgroup_id is not None:  # another subgroup may have its lesson then
            group_busy = and_(group_busy, or_(TeachingLoad.subgroup_id.is_(None),
                                              TeachingLoad.subgroup_id == load.subgroup_id))
        busy = db.session.scalar(select(Lesson.id).join(TeachingLoad).where(
            Lesson.date == moved_to_date, Lesson.pair_number == pair,
            or_(TeachingLoad.teacher_id == load.teacher_id, group_busy)).limit(1))
        if busy:
            raise Conflict(_("%(date)s, %(pair)s пара уже занята у преподавателя или группы",
                             date=moved_to_date.strftime("%d.%m.%Y"), pair=pair))
    change = TimetableChange(slot_id=slot.id, on_date=on_date, cancelled=cancelled,
                             moved_to_date=moved_to_date, moved_to_pair=moved_to_pair,
                             reason=reason)
    db.session.add(change)
    db.session.flush()
    audit.record("journal.timetable.change", change, after={
        "slot_id": slot.id, "on_date": on_date, "cancelled": cancelled,
        "moved_to_date": moved_to_date, "moved_to_pair": moved_to_pair, "reason": reason},
        actor=actor)
    return change
