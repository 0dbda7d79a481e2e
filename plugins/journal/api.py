"""The journal's public interface for other plugins (grading, attendance, substitutions).

Values are frozen dataclasses read with column queries; other plugins import only from here
(and ``plugins.journal.corrections`` for what their corrections share), never
``plugins.journal.models``: their queries ask the ones at the end of this module instead of
joining the journal's tables, and their foreign keys name the tables ("journal_lesson.id").
The values exchanged through the journal's hooks are declared in
``core.plugins.journal_contract`` and re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask import g, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select, update

from core.calendar.clock import college_day, college_zone
from core.calendar.models import Term
from core.extensions import db
from core.models import utcnow
from core.people.models import (
    GroupMembership,
    Student,
    Subgroup,
    SubgroupMembership,
    full_name,
    short_name,
)
from core.people.scope import EDIT, VIEW, can_access
from core.plugins import hook
from core.plugins.journal_contract import (  # noqa: F401  (the journal's contract, re-exported)
    Cell,
    CellChange,
    CellResult,
    CellSaver,
    CellSource,
    CellValue,
    Column,
    DisciplineInfo,
    LessonAction,
    LessonInfo,
    LessonSuggestion,
    LoadInfo,
    LoadNote,
    PageScript,
    RosterStudent,
    StudentLoad,
    TermInfo,
    ValueType,
)
from core.policy import Decision, check, check_many, policy_value
from plugins.journal.models import (
    WORK_KINDS,
    WORK_TYPES,
    CurriculumHours,
    Discipline,
    Lesson,
    LessonHistory,
    TeachingLoad,
    TimetableSlot,
    parse_work_kinds,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from core.people.models import User, UserLike

# --- the journal's objects ----------------------------------------------------------------------


def work_type_titles() -> dict[str, str]:
    """The Russian titles of the lessons' types of work, by key (``Lesson.work_type``)."""
    return {key: str(title) for key, title in WORK_TYPES.items()}


def work_kind_titles(kinds) -> list[str]:
    """The Russian titles of ``kinds`` (``WORK_KINDS`` keys), in their order."""
    return [str(WORK_KINDS[kind]) for kind in WORK_KINDS if kind in set(kinds)]


@dataclass(frozen=True)
class CellTarget:
    """What a policy check of one cell of the grid judges ("grade.edit", "attendance.edit"):
    the cell of ``student_id`` (0: any student) in ``lesson`` of ``load``."""

    load: LoadInfo
    lesson: LessonInfo
    student_id: int


_LOAD_COLUMNS = (
    TeachingLoad.id, TeachingLoad.teacher_id, TeachingLoad.group_id, TeachingLoad.subgroup_id,
    TeachingLoad.hours_per_week, TeachingLoad.hours_total, TeachingLoad.work_kinds,
    Discipline.id, Discipline.code, Discipline.name, Discipline.kind, Discipline.commission_id,
    Discipline.work_kinds,
    Term.id, Term.number, Term.title, Term.starts_on, Term.ends_on,
)


def _load_from_row(row) -> LoadInfo:
    (load_id, teacher_id, group_id, subgroup_id, per_week, total, own_kinds,
     d_id, d_code, d_name, d_kind, d_commission, d_kinds,
     t_id, t_number, t_title, t_start, t_end) = row
    discipline_kinds = parse_work_kinds(d_kinds)
    return LoadInfo(
        load_id, teacher_id, group_id, subgroup_id,
        DisciplineInfo(d_id, d_code, d_name, d_kind, d_commission, discipline_kinds),
        TermInfo(t_id, t_number, t_title, t_start, t_end), per_week, total,
        discipline_kinds if own_kinds is None else parse_work_kinds(own_kinds),
        own_kinds is not None,
    )


def _load_query():
    return (select(*_LOAD_COLUMNS)
            .join(Discipline, Discipline.id == TeachingLoad.discipline_id)
            .join(Term, Term.id == TeachingLoad.term_id))


def get_load(load_id: int) -> LoadInfo:
    """The load with its discipline and term; ``LookupError`` if there is none."""
    row = db.session.execute(_load_query().where(TeachingLoad.id == load_id)).first()
    if row is None:
        raise LookupError(load_id)
    return _load_from_row(row)


def loads(where=None, *, ids=None, teacher_id: int | None = None,
          commission_id: int | None = None) -> list[LoadInfo]:
    """Loads by group and code: all, or those of ``ids``, of a teacher, of a subject commission's
    disciplines (the filters combine); ``where`` is the journal's own SQL condition."""
    query = _load_query()
    if where is not None:
        query = query.where(where)
    query = _narrowed(query, ids=ids, teacher_id=teacher_id, commission_id=commission_id)
    rows = db.session.execute(query.order_by(TeachingLoad.group_id, Discipline.code)).all()
    return [_load_from_row(row) for row in rows]


_LESSON_COLUMNS = (
    Lesson.id, Lesson.load_id, Lesson.date, Lesson.pair_number, Lesson.hours, Lesson.work_type,
    Lesson.topic, Lesson.homework, Lesson.homework_due, Lesson.taught_by_id, Lesson.version,
    Lesson.tasks_done,
)


def group_loads(group_id: int, start: date, end: date) -> list[LoadInfo]:
    """The group's journals (its own and its subgroups') whose term overlaps the period, by term
    and discipline."""
    found = loads((TeachingLoad.group_id == group_id) & (Term.starts_on <= end)
                  & (Term.ends_on >= start))
    return sorted(found, key=lambda load: (load.term.starts_on, load.discipline.title,
                                           load.subgroup_id or 0))


def visible_loads(user: User, start: date, end: date, *, teacher_id: int | None = None,
                  commission_id: int | None = None) -> list[LoadInfo]:
    """The journals whose term overlaps the period and that ``user`` may read (narrowed to one
    teacher's or one subject commission's when asked)."""
    found = loads((Term.starts_on <= end) & (Term.ends_on >= start), teacher_id=teacher_id,
                  commission_id=commission_id)
    return [load for load in found if can_view(user, load)]


def teachers_loads(teacher_ids, start: date, end: date) -> list[LoadInfo]:
    """The journals of the teachers ``teacher_ids`` (``None``: every teacher) whose term
    overlaps the period (one query): what a control check looks at."""
    condition = (Term.starts_on <= end) & (Term.ends_on >= start)
    if teacher_ids is not None:
        condition = condition & TeachingLoad.teacher_id.in_(set(teacher_ids))
    return loads(condition)


def load_labels(loads: Iterable[LoadInfo]) -> tuple[dict[int, str], dict[int, str]]:
    """Group names and teachers' short names of ``loads``, by id (two queries at most)."""
    from core.people.models import Group, short_names

    loads = list(loads)
    if not loads:
        return {}, {}
    groups = dict(db.session.execute(select(Group.id, Group.name).where(
        Group.id.in_({load.group_id for load in loads}))).all())
    teachers = short_names(load.teacher_id for load in loads)
    return groups, teachers


def _request_cache() -> dict:
    """Reads shared by the plugins serving one request (the grid asks several of them)."""
    if not has_request_context():
        return {}
    if "journal_api_cache" not in g:
        g.journal_api_cache = {}
    return g.journal_api_cache


def forget_cached_reads() -> None:
    """Drop this request's cached reads (after the journal itself changed lessons)."""
    if has_request_context():
        g.pop("journal_api_cache", None)


def lessons(load: LoadInfo) -> list[LessonInfo]:
    """The load's lessons in date and pair order (one query a request)."""
    cache = _request_cache()
    key = ("lessons", load.id)
    if key not in cache:
        cache[key] = _read_lessons(load)
    return list(cache[key])


def _read_lessons(load: LoadInfo) -> list[LessonInfo]:
    rows = db.session.execute(
        select(*_LESSON_COLUMNS).where(Lesson.load_id == load.id)
        .order_by(Lesson.date, Lesson.pair_number)
    ).all()
    return [LessonInfo(*row) for row in rows]


def student_loads(student_id: int, start: date, end: date) -> list[StudentLoad]:
    """The journals of a student between two dates: their groups' loads whose term overlaps,
    and subgroup loads only for the subgroups they were in (two queries)."""
    stays = db.session.execute(
        select(GroupMembership.group_id, GroupMembership.joined_on, GroupMembership.left_on)
        .where(GroupMembership.student_id == student_id, GroupMembership.joined_on <= end,
               or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= start))).all()
    if not stays:
        return []
    subgroups = {row[0]: (row[1], row[2]) for row in db.session.execute(
        select(SubgroupMembership.subgroup_id, SubgroupMembership.from_date,
               SubgroupMembership.to_date)
        .where(SubgroupMembership.student_id == student_id, SubgroupMembership.from_date <= end,
               or_(SubgroupMembership.to_date.is_(None), SubgroupMembership.to_date >= start)))}
    found = loads(TeachingLoad.group_id.in_({group_id for group_id, _j, _l in stays})
                  & (Term.starts_on <= end) & (Term.ends_on >= start))
    result = []
    for load in found:
        for group_id, joined, left in stays:
            if group_id != load.group_id:
                continue
            if load.subgroup_id is not None:
                if load.subgroup_id not in subgroups:
                    continue
                since, until = subgroups[load.subgroup_id]
                joined = max(joined, since)
                left = until if left is None else (left if until is None else min(left, until))
            result.append(StudentLoad(load, joined, left))
    return result


def taught_group_ids(teacher_id: int, start: date, end: date) -> set[int]:
    """The groups ``teacher_id`` keeps a journal of in a term overlapping the period (one
    query): whom a teacher may write to (``core.people.scope.address_book``)."""
    return set(db.session.scalars(
        select(TeachingLoad.group_id).join(Term, Term.id == TeachingLoad.term_id)
        .where(TeachingLoad.teacher_id == teacher_id, Term.starts_on <= end,
               Term.ends_on >= start)))


def current_loads_of_students(student_ids: Iterable[int], on: date, start: date,
                              end: date) -> list[tuple[int, LoadInfo]]:
    """(student id, journal) of the journals of the period that each student belongs to on the
    day ``on`` (their group's, a subgroup's only while they are in it): who teaches them."""
    found = []
    for student_id in sorted(set(student_ids)):
        found.extend((student_id, stay.load) for stay in student_loads(student_id, start, end)
                     if stay.covers(on))
    return found


def lessons_of(load_ids: set[int], start: date, end: date) -> list[LessonInfo]:
    """Lessons of several loads between two dates, by date and pair (one query)."""
    if not load_ids:
        return []
    rows = db.session.execute(
        select(*_LESSON_COLUMNS).where(Lesson.load_id.in_(load_ids), Lesson.date >= start,
                                       Lesson.date <= end)
        .order_by(Lesson.date, Lesson.pair_number)).all()
    return [LessonInfo(*row) for row in rows]


def get_lesson(lesson_id: int) -> LessonInfo:
    """One lesson; ``LookupError`` if there is none."""
    row = db.session.execute(select(*_LESSON_COLUMNS).where(Lesson.id == lesson_id)).first()
    if row is None:
        raise LookupError(lesson_id)
    return LessonInfo(*row)


def lessons_by_id(lesson_ids) -> dict[int, LessonInfo]:
    """Lessons by id (one query; unknown ids are left out): for lists of many journals'
    lessons, such as corrections waiting for approval."""
    ids = set(lesson_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(*_LESSON_COLUMNS).where(Lesson.id.in_(ids))).all()
    return {row[0]: LessonInfo(*row) for row in rows}


def roster(load: LoadInfo, on: date | None = None) -> list[RosterStudent]:
    """Members of the load's group (and subgroup) during its term, by name (one or two queries).

    A student who left keeps a row with ``left_on``: records up to that day stay in this journal.
    """
    cache = _request_cache()
    key = ("roster", load.id, load.subgroup_id, on)
    if key not in cache:
        cache[key] = _read_roster(load, on)
    return list(cache[key])


def rosters(loads: Iterable[LoadInfo]) -> dict[int, list[RosterStudent]]:
    """``roster`` of each of ``loads`` over its term, by load id, in two queries whatever their
    number (the groups' stays, the subgroups' stays): for control checks over many journals."""
    loads = list(loads)
    if not loads:
        return {}
    start = min(load.term.starts_on for load in loads)
    end = max(load.term.ends_on for load in loads)
    stays: dict[int, list] = {}
    for row in db.session.execute(
            select(GroupMembership.group_id, Student.id, Student.last_name, Student.first_name,
                   Student.middle_name, GroupMembership.joined_on, GroupMembership.left_on)
            .join(GroupMembership, GroupMembership.student_id == Student.id)
            .where(GroupMembership.group_id.in_({load.group_id for load in loads}),
                   GroupMembership.joined_on <= end,
                   or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= start))
            .order_by(Student.last_name, Student.first_name, Student.middle_name, Student.id)):
        stays.setdefault(row[0], []).append(tuple(row[1:]))
    subgroup_ids = {load.subgroup_id for load in loads if load.subgroup_id is not None}
    sub_stays: dict[int, list] = {}
    if subgroup_ids:
        for subgroup_id, student_id, since, until in db.session.execute(
                select(SubgroupMembership.subgroup_id, SubgroupMembership.student_id,
                       SubgroupMembership.from_date, SubgroupMembership.to_date)
                .where(SubgroupMembership.subgroup_id.in_(subgroup_ids),
                       SubgroupMembership.from_date <= end,
                       or_(SubgroupMembership.to_date.is_(None),
                           SubgroupMembership.to_date >= start))):
            sub_stays.setdefault(subgroup_id, []).append((student_id, since, until))
    found = {}
    for load in loads:
        first, last = load.term.starts_on, load.term.ends_on
        rows = [row for row in stays.get(load.group_id, ())
                if row[4] <= last and (row[5] is None or row[5] >= first)]
        subs = [row for row in sub_stays.get(load.subgroup_id, ())
                if row[1] <= last and (row[2] is None or row[2] >= first)]
        found[load.id] = _roster_of(load, rows, subs)
    return found


def _read_roster(load: LoadInfo, on: date | None) -> list[RosterStudent]:
    start, end = (on, on) if on is not None else (load.term.starts_on, load.term.ends_on)
    rows = db.session.execute(
        select(Student.id, Student.last_name, Student.first_name, Student.middle_name,
               GroupMembership.joined_on, GroupMembership.left_on)
        .join(GroupMembership, GroupMembership.student_id == Student.id)
        .where(GroupMembership.group_id == load.group_id, GroupMembership.joined_on <= end,
               or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= start))
        .order_by(Student.last_name, Student.first_name, Student.middle_name, Student.id)
    ).all()
    subs = []
    if load.subgroup_id is not None:
        subs = db.session.execute(
            select(SubgroupMembership.student_id, SubgroupMembership.from_date,
                   SubgroupMembership.to_date)
            .where(SubgroupMembership.subgroup_id == load.subgroup_id,
                   SubgroupMembership.from_date <= end,
                   or_(SubgroupMembership.to_date.is_(None), SubgroupMembership.to_date >= start))
        ).all()
    return _roster_of(load, rows, subs)


def _roster_of(load: LoadInfo, rows, subs) -> list[RosterStudent]:
    """The roster from a group's stays (student, names, joined, left; by name) and, for a
    subgroup's load, the subgroup's stays (student, from, to)."""
    spans: dict[int, list] = {}
    for student_id, last, first, middle, joined, left in rows:
        span = spans.get(student_id)
        if span is None:
            spans[student_id] = [last, first, middle, joined, left]
        else:  # left and came back within the term: one row covering both stays
            span[3] = min(span[3], joined)
            span[4] = None if span[4] is None or left is None else max(span[4], left)
    subgroup_of: dict[int, tuple[date, date | None]] = {}
    if load.subgroup_id is not None:
        for student_id, since, until in subs:
            subgroup_of[student_id] = (since, until)
    result = []
    for student_id, (last, first, middle, joined, left) in spans.items():
        if load.subgroup_id is not None:
            if student_id not in subgroup_of:
                continue
            since, until = subgroup_of[student_id]
            joined = max(joined, since)
            left = until if left is None else (left if until is None else min(left, until))
        result.append(RosterStudent(student_id, full_name(last, first, middle),
                                    short_name(last, first, middle), joined, left,
                                    load.subgroup_id))
    return result


def subgroups(load: LoadInfo) -> list[tuple[int, str]]:
    """(id, title) of the subgroups the grid of a whole-group load may be filtered by."""
    if load.subgroup_id is not None:
        return []
    found = db.session.scalars(select(Subgroup).where(Subgroup.group_id == load.group_id)
                               .order_by(Subgroup.label, Subgroup.number))
    return [(subgroup.id, subgroup.title) for subgroup in found]


def subgroup_student_ids(subgroup_id: int, start: date, end: date) -> set[int]:
    """Students who were in the subgroup at any time between two dates."""
    return set(db.session.scalars(
        select(SubgroupMembership.student_id)
        .where(SubgroupMembership.subgroup_id == subgroup_id,
               SubgroupMembership.from_date <= end,
               or_(SubgroupMembership.to_date.is_(None), SubgroupMembership.to_date >= start))))


# --- rules --------------------------------------------------------------------------------------


def edit_deadline(lesson_day: date) -> datetime:
    """The last instant a lesson's record may be changed directly: the end of its day plus grace."""
    last_day = lesson_day + timedelta(days=policy_value("journal.edit_grace_days"))
    end = datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=college_zone())
    return end.astimezone(UTC)


def window_days(at: datetime) -> tuple[date, date]:
    """The first and the last lesson day that may be filled at ``at`` (today and the policy's
    grace days before it): computed once for a whole page."""
    today = college_day(at)
    return today - timedelta(days=policy_value("journal.edit_grace_days")), today


def window_open(lesson_day: date, at: datetime) -> bool:
    """Whether a lesson of ``lesson_day`` may be filled at ``at``."""
    first, last = window_days(at)
    return first <= lesson_day <= last


def edit_window(user, lesson: LessonInfo, at: datetime) -> Decision:
    """Whether a record of ``lesson`` may be changed at ``at`` (REQUIREMENTS J6).

    The journal is filled on the day of the lesson (plus the policy's grace days); a lesson that has
    not happened yet cannot be filled in advance. Past the window a change is a correction.
    """
    refused = window_decisions([lesson], at)[0]
    return Decision.allow() if refused is None else refused


def cell_window(user: UserLike, lesson: LessonInfo, at: datetime, hint: str) -> Decision | None:
    """``lesson.edit`` of the lesson of a cell, for a plugin's rule of that cell ("grade.edit",
    "attendance.edit"): ``None`` inside the window; outside it the refusal, with ``hint`` (how to
    file a correction instead) once the lesson has taken place."""
    window = check("lesson.edit", user, lesson, at)
    if window:
        return None
    if college_day(at) < lesson.date:
        return window  # still to come: nothing to correct
    return Decision.deny(f"{window.reason} {hint}")


def window_decisions(lessons: list[LessonInfo], at: datetime) -> list[Decision | None]:
    """``edit_window`` of each of ``lessons`` at ``at`` in one pass (``None`` inside the
    window): the window's days are found once, and a day's refusal is worded once."""
    first, last = window_days(at)
    locale = str(get_locale())
    return [None if first <= lesson.date <= last
            else _window_denial(locale, lesson.date > last, lesson.date)
            for lesson in lessons]


@lru_cache(maxsize=4096)
def _window_denial(locale: str, early: bool, day: date) -> Decision:
    """The refusal of a lesson of ``day`` outside the window, in ``locale`` (the cache's key:
    a page of a term's past lessons words the same refusals on every request)."""
    shown = f"{day.day:02d}.{day.month:02d}.{day.year}"
    if early:
        return Decision.deny(_("Занятие %(date)s ещё не проведено: заполнять его заранее нельзя.",
                               date=shown), status=409)
    return Decision.deny(_("Срок заполнения занятия %(date)s истёк: журнал заполняется в день "
                           "занятия.", date=shown), status=409)


def can_view(user: User, load: LoadInfo) -> bool:
    """Whether ``user`` may read the load's journal (``core.people.scope`` decides)."""
    return can_access(user, load, VIEW)


def can_edit(user: User, load: LoadInfo) -> bool:
    """Whether ``user`` may write the whole of the load's journal (its teacher)."""
    return can_access(user, load, EDIT)


def can_edit_lesson(user: User, lesson: LessonInfo) -> bool:
    """Whether ``user`` may write ``lesson`` (its teacher, the administrator or its substitute);
    the edit window is judged separately."""
    return can_access(user, lesson, EDIT)


def load_of(lesson: LessonInfo) -> LoadInfo:
    """The load of ``lesson``, read once per request (scope asks it for each lesson of a page)."""
    cache = _request_cache()
    key = ("load", lesson.load_id)
    if key not in cache:
        cache[key] = get_load(lesson.load_id)
    return cache[key]


def guest_lessons(load: LoadInfo, at: datetime | None = None) -> dict[int, set[tuple[date, int]]]:
    """``{user_id: {(date, pair)}}``: the lessons of ``load`` others may open and fill at ``at``
    (now by default), e.g. substitutes', from the ``lesson_editors`` hook; read once per load and
    request. Only ``object_scope`` judges by it; the rest ask ``core.people.scope``."""
    cache = _request_cache()
    key = ("guests", load.id, at)
    if key not in cache:
        merged: dict[int, set[tuple[date, int]]] = {}
        for answer in hook().lesson_editors(load=load, at=at or utcnow()):
            for user_id, slots in (answer or {}).items():
                merged.setdefault(user_id, set()).update(slots)
        cache[key] = merged
    return cache[key]


def is_guest(user: UserLike, load: LoadInfo) -> bool:
    """Whether ``user`` may open some lessons of a journal they do not read (a substitute now);
    a quick test before judging the lessons one by one."""
    return bool(user.is_authenticated) and user.id in guest_lessons(load)


def visible_lessons(user: User, load: LoadInfo, lessons: list[LessonInfo]) -> list[LessonInfo]:
    """The ones of ``lessons`` (of ``load``) ``user`` may open: all for whoever reads the journal;
    for a substitute, the lessons they take while the substitution is open (scope decides)."""
    if can_view(user, load):
        return list(lessons)
    if not is_guest(user, load):
        return []
    return [lesson for lesson in lessons if can_access(user, lesson, VIEW)]


def can_open(user: User, load: LoadInfo) -> bool:
    """Whether ``user`` may open the grid of ``load``: the whole journal, or a substitute's
    lessons in it (with the roster they need to fill them)."""
    return can_view(user, load) or bool(visible_lessons(user, load, lessons(load)))


def can_write(user, load: LoadInfo) -> bool:
    """Whether ``user`` may write some of the load's journal: all of it, or lessons scope opens
    to them (a substitute's)."""
    return bool(user.is_authenticated) and (
        can_edit(user, load) or bool(writable_lesson_ids(user, load, lessons(load))))


def writable_lesson_ids(user, load: LoadInfo, lessons: list[LessonInfo]) -> set[int]:
    """Which of ``lessons`` ``user`` may write (the edit window is judged separately): scope
    judges each lesson (``can_edit_lesson``); ``is_guest`` only spares asking it of someone no
    lesson of the journal is open to."""
    if not user.is_authenticated:
        return set()
    if can_edit(user, load):
        return {lesson.id for lesson in lessons}
    if not is_guest(user, load):
        return set()
    return {lesson.id for lesson in lessons if can_edit_lesson(user, lesson)}


def editable_lesson_ids(user, load: LoadInfo, lessons: list[LessonInfo], action: str,
                        target_of: Callable[[LessonInfo], Any],
                        at: datetime | None = None) -> frozenset[int]:
    """Which of ``lessons`` (of ``load``) ``user`` may fill now through ``action`` (a grid's
    cells: "grade.edit" of ``target_of(lesson)``): theirs to write (scope), within the edit
    window ("lesson.edit", one batch question for the page), and allowed ``action`` (asked only
    of the lessons left, as one batch too)."""
    writable = writable_lesson_ids(user, load, lessons)
    if not writable:
        return frozenset()
    mine = [lesson for lesson in lessons if lesson.id in writable]
    cache = _request_cache()  # every grid of the page asks it "now" of the same lessons
    key = ("lesson.edit", user.id, load.id, at, tuple(lesson.id for lesson in mine))
    at = at or utcnow()
    if key not in cache:
        cache[key] = [lesson for lesson, decision
                      in zip(mine, check_many("lesson.edit", user, mine, at), strict=True)
                      if decision]
    open_now = cache[key]
    decisions = check_many(action, user, [target_of(lesson) for lesson in open_now], at)
    return frozenset(lesson.id for lesson, decision in zip(open_now, decisions, strict=True)
                     if decision)


def is_guest_of(user, lesson: LessonInfo, load: LoadInfo) -> bool:
    """Whether ``user`` fills ``lesson`` in someone else's journal (a substitute): scope lets
    them write the lesson, not the journal."""
    return not can_edit(user, load) and can_edit_lesson(user, lesson)


# --- queries other plugins need: they never join the journal's tables themselves ------------


def _narrowed(query, *, ids=None, teacher_id: int | None = None,
              commission_id: int | None = None):
    """``query`` (over ``TeachingLoad`` joined to ``Discipline``) narrowed by the filters given."""
    if ids is not None:
        query = query.where(TeachingLoad.id.in_(set(ids)))
    if teacher_id is not None:
        query = query.where(TeachingLoad.teacher_id == teacher_id)
    if commission_id is not None:
        query = query.where(Discipline.commission_id == commission_id)
    return query


def loads_by_id(load_ids) -> dict[int, LoadInfo]:
    """Loads with their discipline and term by id (one query; none for no ids)."""
    ids = set(load_ids)
    return {load.id: load for load in loads(ids=ids)} if ids else {}


def lesson_ids(start: date | None = None, end: date | None = None, *, load_id=None,
               load_ids=None, group_ids=None, discipline_id: int | None = None):
    """A SELECT of the ids of the lessons matching the filters, to narrow another plugin's own
    query (``Mark.lesson_id.in_(journal.lesson_ids(start, end, load_ids=...))``): the database
    filters by the journal's tables in the same query, and the caller joins none of them.
    ``load_id`` may be a ``bindparam`` for a statement built once."""
    query = select(Lesson.id)
    if load_id is not None:
        query = query.where(Lesson.load_id == load_id)
    if start is not None:
        query = query.where(Lesson.date >= start)
    if end is not None:
        query = query.where(Lesson.date <= end)
    if load_ids is not None:
        query = query.where(Lesson.load_id.in_(set(load_ids)))
    if group_ids is not None or discipline_id is not None:
        query = query.join(TeachingLoad, TeachingLoad.id == Lesson.load_id)
    if group_ids is not None:
        query = query.where(TeachingLoad.group_id.in_(set(group_ids)))
    if discipline_id is not None:
        query = query.where(TeachingLoad.discipline_id == discipline_id)
    return query


def lessons_between(start: date, end: date, *, group_ids=None) -> list[LessonInfo]:
    """The lessons of every journal (or of ``group_ids``' journals) between two dates, by date
    and pair (one query)."""
    query = select(*_LESSON_COLUMNS).where(Lesson.date >= start, Lesson.date <= end)
    if group_ids is not None:
        query = query.join(TeachingLoad, TeachingLoad.id == Lesson.load_id).where(
            TeachingLoad.group_id.in_(set(group_ids)))
    rows = db.session.execute(query.order_by(Lesson.date, Lesson.pair_number)).all()
    return [LessonInfo(*row) for row in rows]


def lesson_places(lesson_ids) -> dict[int, tuple[LessonInfo, LoadInfo]]:
    """Lessons by id with their loads (discipline, group, teacher): two queries, whatever the
    number of lessons; unknown ids are left out."""
    found = lessons_by_id(lesson_ids)
    by_load = loads_by_id({lesson.load_id for lesson in found.values()})
    return {lesson_id: (lesson, by_load[lesson.load_id]) for lesson_id, lesson in found.items()}


def taught_by_others(start: date, end: date) -> list[LessonInfo]:
    """The lessons between two dates taught by someone other than their journal's teacher
    (substitutions recorded in the journal), by date and pair (one query)."""
    rows = db.session.execute(
        select(*_LESSON_COLUMNS).join(TeachingLoad, TeachingLoad.id == Lesson.load_id)
        .where(Lesson.date >= start, Lesson.date <= end, Lesson.taught_by_id.is_not(None),
               Lesson.taught_by_id != TeachingLoad.teacher_id)
        .order_by(Lesson.date, Lesson.pair_number)).all()
    return [LessonInfo(*row) for row in rows]


def teachers_of(discipline_ids=(), commission_ids=()) -> set[int]:
    """The teachers of journals of ``discipline_ids`` or of disciplines of ``commission_ids``
    (one query)."""
    return set(db.session.scalars(
        select(TeachingLoad.teacher_id).join(Discipline, Discipline.id == TeachingLoad.discipline_id)
        .where(or_(Discipline.id.in_(set(discipline_ids)),
                   Discipline.commission_id.in_(set(commission_ids))))))


def teachers_timetabled_at(day: date, pair: int) -> set[int]:
    """The teachers with a lesson of their own in the timetable at ``day``/``pair`` (one
    query, and the working mode once per request): none on a day off the working week, and only
    the slots of ``day``'s week where the year alternates (BTT 4.1.1)."""
    from core.calendar import mode as working_mode

    mode = working_mode.mode_on(day)
    if mode is not None and not mode.works_on(day):
        return set()
    week = mode.week_of(day) if mode is not None else None
    query = (select(TeachingLoad.teacher_id).join(TimetableSlot)
             .where(TimetableSlot.weekday == day.isoweekday(), TimetableSlot.pair_number == pair,
                    TimetableSlot.valid_from <= day,
                    or_(TimetableSlot.valid_to.is_(None), TimetableSlot.valid_to >= day)))
    if week is not None:
        query = query.where(or_(TimetableSlot.week.is_(None), TimetableSlot.week == week))
    return set(db.session.scalars(query))


def set_taught_by(load_id: int, day: date, pair: int, teacher_id: int) -> None:
    """Record that ``teacher_id`` taught the load's lesson at ``day``/``pair`` (a substitute, in
    the demonstration data)."""
    db.session.execute(update(Lesson).where(
        Lesson.load_id == load_id, Lesson.date == day, Lesson.pair_number == pair)
        .values(taught_by_id=teacher_id))



@dataclass(frozen=True)
class LessonFill:
    """When a lesson's record was first filled in: ``filled_at`` is the instant (UTC) its topic
    was first entered, ``None`` while it is empty. ``teacher_id`` is who taught it (the
    substitute, if one did) or the journal's teacher."""

    lesson_id: int
    day: date
    teacher_id: int
    filled_at: datetime | None


def lesson_fills(start: date, end: date) -> list[LessonFill]:
    """When each lesson between two dates got its topic (one query, from the lesson history):
    the first change of the topic from empty, or the lesson's creation if it was created with
    one (its first change, if any, then starts from a filled topic)."""
    empty_before = func.coalesce(LessonHistory.old_value, "") == ""
    filled_after = func.coalesce(LessonHistory.new_value, "") != ""
    topic = (select(LessonHistory.lesson_id.label("lesson_id"),
                    func.min(LessonHistory.changed_at).label("first_change"),
                    func.min(case((and_(empty_before, filled_after), LessonHistory.changed_at)))
                    .label("first_fill"))
             .where(LessonHistory.field == "topic").group_by(LessonHistory.lesson_id).subquery())
    rows = db.session.execute(
        select(Lesson.id, Lesson.date, func.coalesce(Lesson.taught_by_id, TeachingLoad.teacher_id),
               Lesson.created_at, Lesson.topic, topic.c.first_change, topic.c.first_fill)
        .join(TeachingLoad, TeachingLoad.id == Lesson.load_id)
        .outerjoin(topic, topic.c.lesson_id == Lesson.id)
        .where(Lesson.date >= start, Lesson.date <= end)
        .order_by(Lesson.date, Lesson.id)).all()
    fills = []
    for lesson_id, day, teacher_id, created_at, text, first_change, first_fill in rows:
        if first_change is None:
            filled_at = created_at if text else None
        elif first_fill is not None and _utc(first_fill) == _utc(first_change):
            filled_at = first_fill
        else:
            filled_at = created_at
        fills.append(LessonFill(lesson_id, day, teacher_id, _utc(filled_at)))
    return fills


def _utc(value) -> datetime | None:
    """An aggregate's instant as an aware UTC datetime (SQLite hands ``min()`` back as text)."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def curriculum_hours(loads: Iterable[LoadInfo]) -> dict[int, int | None]:
    """The curriculum's hours of each load's discipline for its group and term, by load id
    (``None``: the curriculum has no row for it); one query."""
    loads = list(loads)
    if not loads:
        return {}
    rows = db.session.execute(select(
        CurriculumHours.discipline_id, CurriculumHours.group_id, CurriculumHours.term_id,
        CurriculumHours.hours).where(
        CurriculumHours.discipline_id.in_({load.discipline.id for load in loads}),
        CurriculumHours.group_id.in_({load.group_id for load in loads}))).all()
    hours = {(d, g, t): h for d, g, t, h in rows}
    return {load.id: hours.get((load.discipline.id, load.group_id, load.term.id))
            for load in loads}


def discipline_loads(discipline_ids: Iterable[int]) -> list[LoadInfo]:
    """Every load (of any year) of the disciplines ``discipline_ids``, oldest term first."""
    ids = set(discipline_ids)
    if not ids:
        return []
    rows = db.session.execute(_load_query().where(TeachingLoad.discipline_id.in_(ids))
                              .order_by(Term.starts_on, TeachingLoad.id)).all()
    return [_load_from_row(row) for row in rows]


def lesson_suggestions(load: LoadInfo, lesson_date: date, user) -> list[LessonSuggestion]:
    """What the plugins propose for a lesson of ``load`` on ``lesson_date`` (the КТП's next
    topic), through ``lesson_suggestions``."""
    return [item for batch in hook().lesson_suggestions(load=load, lesson_date=lesson_date,
                                                        user=user) for item in batch or ()]


def list_notes(loads: list[LoadInfo], user) -> dict[int, list[LoadNote]]:
    """The plugins' notes beside each journal of the list (``journal_list_notes``)."""
    notes: dict[int, list[LoadNote]] = {}
    if not loads:
        return notes
    for batch in hook().journal_list_notes(loads=loads, user=user):
        for load_id, items in (batch or {}).items():
            notes.setdefault(load_id, []).extend(items)
    return notes


def lesson_ids_between(start: date, end: date):
    """A subquery of the ids of the lessons held on the days ``start``–``end``: what the plugins'
    ``purge_records`` remove with the lessons (their marks, absences, corrections)."""
    return select(Lesson.id).where(Lesson.date >= start, Lesson.date <= end).scalar_subquery()


# --- batched reads for plugins that judge many journals at once (forecast) ---------------------


def loads_of_groups(group_ids, start: date, end: date) -> list[LoadInfo]:
    """The journals of ``group_ids`` whose term overlaps the period (one query)."""
    ids = set(group_ids)
    if not ids:
        return []
    return loads(TeachingLoad.group_id.in_(ids) & (Term.starts_on <= end) & (Term.ends_on >= start))


def timetable_of(loads: list[LoadInfo], start: date, end: date
                 ) -> dict[int, list[tuple[date, int, int]]]:
    """(date, pair, hours) of each load's timetable between two dates (within its term), its
    dated changes applied: two queries whatever the number of loads (the lessons still to come
    of a term, for a forecast)."""
    from plugins.journal.services import timetable_of as read

    return read(loads, start, end)


def discipline_kind_titles() -> dict[str, str]:
    """The СПО kinds of discipline and how the pages call them («МДК», «ПМ», «УП»)."""
    from plugins.journal.models import DISCIPLINE_KINDS

    return {key: str(title) for key, title in DISCIPLINE_KINDS.items()}


@dataclass(frozen=True)
class DisciplineNode:
    """A discipline with the ПМ it belongs to (a МДК's, a practice's): for the plugins that
    group results by professional module (the readiness for the demonstration exam)."""

    info: DisciplineInfo
    parent_id: int | None


def disciplines(ids: Iterable[int] | None = None) -> list[DisciplineNode]:
    """Every discipline (or those of ``ids``) with its parent ПМ, by code (one query)."""
    query = select(Discipline).order_by(Discipline.code, Discipline.name)
    if ids is not None:
        query = query.where(Discipline.id.in_(set(ids)))
    return [DisciplineNode(DisciplineInfo(d.id, d.code, d.name, d.kind, d.commission_id,
                                          parse_work_kinds(d.work_kinds)), d.parent_id)
            for d in db.session.scalars(query)]
