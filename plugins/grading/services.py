"""Grading services: saving marks and finals (all or nothing), locks, corrections, exceptions.

Views and the journal's plain-form endpoint call these; they flush but never commit (the caller
commits once, so a batch is one transaction). Refusals come from ``core.policy.check`` with
the actions "grade.edit" and "grade.final.set" (see ``plugin.policy_rules``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from core import audit, events
from core.calendar.clock import college_day
from core.database import refused_on_conflict
from core.errors import Conflict, DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people.models import User, short_names
from core.people.permissions import can
from core.policy import check, policy_value
from plugins.grading import rules
from plugins.grading.events import FinalPosted, GradePosted
from plugins.grading.models import (
    AssessmentKind,
    Correction,
    DisciplineScale,
    Final,
    History,
    Mark,
    MinimumException,
    Unlock,
)
from plugins.journal import api as journal
from plugins.journal import corrections
from plugins.journal.batch import CellBatch, save_batch, version_matches
from plugins.journal.corrections import is_decider
from plugins.journal.corrections import require_reason as _require_reason
from plugins.journal.lesson_rows import LessonRows

if TYPE_CHECKING:
    from collections.abc import Iterable

NOT_FOUND = "Такой страницы нет или она вам недоступна."


def _not_found() -> NotFound:
    return NotFound(_(NOT_FOUND))


# --- reading ------------------------------------------------------------------------------------


def scale_of(discipline_id: int) -> str:
    """The discipline's scale ("five" unless set)."""
    found = db.session.get(DisciplineScale, discipline_id)
    return found.scale if found else rules.FIVE


def assessment_kinds(load_id: int) -> list[str]:
    """The load's forms of certification besides the term's final, in ``FINAL_KINDS`` order."""
    chosen = set(db.session.scalars(select(AssessmentKind.kind).where(
        AssessmentKind.load_id == load_id)))
    return [kind for kind in rules.FINAL_KINDS if kind in chosen]


def set_assessment_kinds(load: journal.LoadInfo, kinds: list[str], actor: User | None) -> None:
    """Choose the load's forms of certification; a kind with finals already set stays."""
    unknown = set(kinds) - set(rules.FINAL_KINDS) - {"term"}
    if unknown:
        raise DomainError(_("Неизвестная форма аттестации «%(kind)s»", kind=sorted(unknown)[0]))
    before = assessment_kinds(load.id)
    kept = {kind for (_sid, kind), final in finals_of(load.id).items() if final.value}
    wanted = (set(kinds) | (kept & set(before))) - {"term"}
    for row in db.session.scalars(select(AssessmentKind).where(AssessmentKind.load_id == load.id)):
        if row.kind not in wanted:
            db.session.delete(row)
    for kind in wanted - set(before):
        db.session.add(AssessmentKind(load_id=load.id, kind=kind))
    db.session.flush()
    after = assessment_kinds(load.id)
    if after != before:
        audit.record("grading.assessment.set", ("TeachingLoad", load.id), before=before,
                     after=after, actor=actor)


def set_scale(discipline_id: int, scale: str, actor: User | None = None) -> None:
    if scale not in rules.SCALES:
        raise DomainError(_("Неизвестная шкала оценок «%(scale)s»", scale=scale))
    found = db.session.get(DisciplineScale, discipline_id)
    before = found.scale if found else rules.FIVE
    if before == scale:
        return
    if db.session.scalar(select(Mark.id).where(
            Mark.lesson_id.in_(journal.lesson_ids(discipline_id=discipline_id)),
            Mark.value != "").limit(1)):
        raise Conflict(_("По дисциплине уже выставлены оценки: шкалу изменить нельзя"))
    if found is None:
        found = DisciplineScale(discipline_id=discipline_id, scale=scale)
        db.session.add(found)
    found.scale = scale
    audit.record("grading.scale", ("Discipline", discipline_id), before=before, after=scale,
                 actor=actor)


def weights() -> dict[str, float]:
    return {k: float(v) for k, v in policy_value("grading.weights").items()}


def split_cell(raw: str) -> list[str]:
    """Split a cell's text into marks: "4/3" is two marks, "н/а" is one."""
    if raw == "":
        return []
    guarded = raw.replace("н/а", "\x00").replace("Н/А", "\x00").replace("Н/а", "\x00")
    return [part.replace("\x00", "н/а") for part in guarded.split("/")]


@dataclass
class CellState:
    """The current marks of one cell (rows in position order, removed ones included)."""

    marks: list[Mark]

    @property
    def live(self) -> list[Mark]:
        return [m for m in self.marks if m.value]

    @property
    def version(self) -> int:
        """The optimistic-lock token: grows with every change of any mark of the cell."""
        return sum(m.version for m in self.marks)

    @property
    def value(self) -> str:
        return "/".join(rules.text_of(m.value) for m in self.live)


class MarkRow(NamedTuple):
    lesson_id: int
    student_id: int
    position: int
    value: str
    mark_type: str
    version: int
    corrected: bool


_PAGE_MARKS = LessonRows(Mark, MarkRow, order_by=(Mark.lesson_id, Mark.student_id,
                                                   Mark.position))


def load_marks(lesson_ids: list[int]) -> list[MarkRow]:
    """The current marks of ``lesson_ids``, removed ones included: ONE query."""
    return _PAGE_MARKS.read(lesson_ids)


class DatedMark(NamedTuple):
    load_id: int
    date: date
    value: str
    mark_type: str


def dated_marks(student_id: int, load_ids, start: date, end: date) -> list[DatedMark]:
    """The student's marks in lessons of ``load_ids`` between two dates, with each lesson's
    journal and day, in lesson and position order (two queries)."""
    if not load_ids:
        return []
    lessons = {lesson.id: lesson for lesson in journal.lessons_of(set(load_ids), start, end)}
    rows = db.session.execute(
        select(Mark.lesson_id, Mark.position, Mark.value, Mark.mark_type)
        .where(Mark.lesson_id.in_(journal.lesson_ids(start, end, load_ids=load_ids)),
               Mark.student_id == student_id, Mark.value != "")).all()
    rows = sorted(rows, key=lambda row: (lessons[row.lesson_id].date,
                                         lessons[row.lesson_id].pair_number, row.position))
    return [DatedMark(lessons[row.lesson_id].load_id, lessons[row.lesson_id].date, row.value,
                      row.mark_type) for row in rows]


def student_marks(load: journal.LoadInfo,
                  student_ids: Iterable[int] | None = None) -> dict[int, list[tuple[str, str]]]:
    """Each student's live ``(value, mark_type)`` marks in the load's lessons (one query)."""
    lesson_ids = [lesson.id for lesson in journal.lessons(load)]
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in load_marks(lesson_ids):
        if row.value and (student_ids is None or row.student_id in student_ids):
            found[row.student_id].append((row.value, row.mark_type))
    return found


def finals_of(load_id: int) -> dict[tuple[int, str], Final]:
    rows = db.session.scalars(select(Final).where(Final.load_id == load_id)).all()
    return {(f.student_id, f.kind): f for f in rows}


def unlock_in_force(load_id: int, at: datetime | None = None) -> Unlock | None:
    """The load's unlock open at ``at``: active and not past its last day (``until``, a college
    day) — an unlock ends by itself, nobody has to remember to lock the journal again."""
    today = college_day(at or utcnow())
    return db.session.scalars(
        select(Unlock).where(Unlock.load_id == load_id, Unlock.active.is_(True),
                             (Unlock.until.is_(None)) | (Unlock.until >= today))
        .order_by(Unlock.id.desc()).limit(1)
    ).first()


def is_unlocked(load_id: int, at: datetime | None = None) -> bool:
    return unlock_in_force(load_id, at) is not None


def finals_complete(load: journal.LoadInfo,
                    finals: dict[tuple[int, str], Final] | None = None) -> bool:
    """Whether every student of the load (at the term's end) has a term final."""
    finals = finals_of(load.id) if finals is None else finals
    students = [s.id for s in journal.roster(load)
                if s.left_on is None or s.left_on >= load.term.ends_on]
    set_ = {sid for (sid, kind), f in finals.items() if kind == "term" and f.value}
    return bool(students) and all(sid in set_ for sid in students)


def is_locked(load: journal.LoadInfo, finals: dict[tuple[int, str], Final] | None = None,
              at: datetime | None = None) -> bool:
    """A load is locked for everyone once its term finals are set (policy), except while an
    unlock is in force at ``at`` (now by default)."""
    if not policy_value("grades.lock_after_finals"):
        return False
    at = at or utcnow()
    cache = g.setdefault("grading_locks", {}) if has_app_context() else {}
    key = (load.id, college_day(at))
    if key not in cache:
        cache[key] = finals_complete(load, finals) and not is_unlocked(load.id, at)
    return cache[key]


def _forget_locks() -> None:
    if has_app_context():
        g.pop("grading_locks", None)


def required_kinds(load: journal.LoadInfo) -> list[str]:
    """The kinds of work whose marks a final of ``load`` needs: the preset's required kinds
    (BTT 4.5.2, KTIS 4.2) that the load declares (``LoadInfo.work_kinds``)."""
    declared = set(load.work_kinds)
    return [kind for kind in policy_value("grades.min_marks_required_kinds") if kind in declared]


def shortfall_of(load: journal.LoadInfo, student_id: int,
                 marks: list[tuple[str, str]] | None = None) -> rules.Shortfall:
    """How far a student is from the minimum of marks of ``load`` (``marks``: their live
    ``(value, mark_type)`` marks, read when not given)."""
    if marks is None:
        marks = student_marks(load, {student_id}).get(student_id, [])
    return rules.shortfall(marks, policy_value("grades.min_marks"),
                           policy_value("grades.min_marks_required_kinds"),
                           load.hours_per_week, load.work_kinds)


def proposed_final(load: journal.LoadInfo, marks: list[tuple[str, str]]) -> str:
    """The term's result the current marks point to: the rounded weighted average, or н/а when
    the student is short of the minimum (what a teacher would most likely enter)."""
    short = shortfall_of(load, 0, marks)
    average = rules.weighted_average(marks, weights())
    return "na" if not short.ok or average is None else str(max(2, min(5, round(average))))


def fixed_mark_type(work_type: str | None) -> str | None:
    """The mark type a lesson's type of work fixes (a laboratory work's marks are for laboratory
    work), or ``None`` where the teacher chooses it."""
    return rules.WORK_TYPE_MARK_TYPE.get(work_type or "")


def default_mark_type(work_type: str | None) -> str:
    return fixed_mark_type(work_type) or "oral"


def has_exception(load_id: int, student_id: int) -> bool:
    return db.session.scalar(
        select(MinimumException.id).where(MinimumException.load_id == load_id,
                                          MinimumException.student_id == student_id)
    ) is not None


# --- targets of policy checks ------------------------------------------------------------------


#: what "grade.edit" judges: a cell of ``load`` (``lesson`` from ``journal.lessons``)
MarkTarget = journal.CellTarget


@dataclass(frozen=True)
class FinalTarget:
    """What "grade.final.set" judges."""

    load: Any
    student_id: int
    kind: str
    value: str


# --- saving -------------------------------------------------------------------------------------


def _membership_covers(student, day: date) -> bool:
    return student.joined_on <= day and (student.left_on is None or day <= student.left_on)


def editable_load(load_id: int, user: User):
    """The load if ``user`` may write its journal, else 404 (scope decides)."""
    try:
        load = journal.get_load(load_id)
    except LookupError:
        raise _not_found() from None
    if load is None or not journal.can_write(user, load):
        raise _not_found()
    return load


def save_cells(load, user, changes: list[dict], at: datetime | None = None) -> list[dict]:
    """Save a batch of cells of the grid (marks and final columns): all or nothing.

    Raises ``BatchError`` (404 > 422 > 409) naming every refused cell; nothing is written then.
    A cell another user saved meanwhile is a 409 too, even when both read it at the same time:
    the database checks the versions as it writes (``plugins.journal.batch.save_batch``).
    """
    at = at or utcnow()
    if not isinstance(changes, list) or not changes:
        raise DomainError(_("Нет изменений для сохранения"))
    return save_batch(lambda batch: _plan_cells(load, user, changes, at, batch),
                      lambda planned: _write_cells(load, user, planned, at))


def _plan_cells(load, user, changes: list[dict], at: datetime, batch: CellBatch):
    """Check every change of a batch (refusals go into ``batch``); what to write."""
    every = journal.lessons(load)
    writable = journal.writable_lesson_ids(user, load, every)
    lessons = {lesson.id: lesson for lesson in every if lesson.id in writable}
    whole = journal.can_edit(user, load)  # finals are the journal's own teacher's
    students = {s.id: s for s in journal.roster(load)}
    scale = scale_of(load.discipline.id)
    mark_changes, final_changes = [], []
    refuse = batch.refuse
    kinds = set(assessment_kinds(load.id))

    for change in changes:
        if not isinstance(change, dict):
            raise DomainError(_("Неверный формат запроса"))
        student = students.get(change.get("student_id"))
        if "key" in change and change.get("lesson_id") is None:
            kind = str(change.get("key") or "").removesuffix("_final")
            if kind not in rules.FINAL_KINDS or student is None or not whole:
                refuse(change, 404, _(NOT_FOUND))
                continue
            if kind != "term" and kind not in kinds:
                refuse(change, 422, _("Форма аттестации «%(kind)s» не назначена этому журналу",
                                      kind=rules.FINAL_KINDS[kind]))
                continue
            final_changes.append((change, student, kind))
            continue
        lesson = lessons.get(change.get("lesson_id"))
        if lesson is None or student is None or not _membership_covers(student, lesson.date):
            refuse(change, 404, _(NOT_FOUND))
            continue
        mark_changes.append((change, student, lesson))

    cells = _cells_for([(c["lesson_id"], c["student_id"]) for c, _s, _l in mark_changes])
    finals = finals_of(load.id)
    planned_marks, planned_finals = [], []
    for change, student, lesson in mark_changes:
        state = cells.get((lesson.id, student.id), CellState([]))
        current = {"text": state.value, "value": state.value, "version": state.version}
        try:
            parsed = _parse_cell(change.get("value"), scale, state)
        except rules.InvalidValue as exc:
            refuse(change, 422, exc.message, current)
            continue
        if not version_matches(change.get("version"), state.version):
            refuse(change, 409, _("Оценку уже изменил другой пользователь: сейчас «%(value)s»",
                                  value=state.value or "—"), current)
            continue
        mark_type, type_refused = _mark_type_of(change.get("mark_type"), lesson, state)
        if type_refused:
            refuse(change, 422, type_refused, current)
            continue
        decision = check("grade.edit", user, MarkTarget(load, lesson, student.id), at)
        if not decision:
            refuse(change, decision.status, decision.reason, current,
                   correction_link(lesson, student.id, change.get("value"), at))
            continue
        batch.accept(change, current)
        planned_marks.append((mark_type, student, lesson, state, parsed,
                              bool(change.get("mark_type"))))
    for change, student, kind in final_changes:
        final = finals.get((student.id, kind))
        version = final.version if final else 0
        value = final.value if final else ""
        current = {"text": rules.text_of(value), "value": rules.text_of(value), "version": version}
        raw = change.get("value")
        try:
            parsed = None if (raw == "" and value) else rules.parse_value(
                raw, rules.scale_of_final(kind, scale), final=True)
        except rules.InvalidValue as exc:
            refuse(change, 422, exc.message, current)
            continue
        if not version_matches(change.get("version"), version):
            refuse(change, 409, _("Оценку уже изменил другой пользователь: сейчас «%(value)s»",
                                  value=rules.text_of(value) or "—"), current)
            continue
        target = FinalTarget(load, student.id, kind, parsed.value if parsed else "")
        decision = check("grade.final.set", user, target, at)
        if not decision:
            refuse(change, decision.status, decision.reason, current)
            continue
        batch.accept(change, current)
        planned_finals.append((change, student, kind, final, parsed))
    return planned_marks, planned_finals


def _write_cells(load, user, planned, at: datetime) -> list[dict]:
    planned_marks, planned_finals = planned
    results = []
    for mark_type, student, lesson, state, parsed, chosen in planned_marks:
        _write_cell(state, lesson, load, student.id, parsed, mark_type, user, at, retype=chosen)
        results.append(mark_result(lesson.id, student.id, state))
    opened = _unlock_behind(load, finals_of(load.id), at) if planned_finals else None
    for _change, student, kind, final, parsed in planned_finals:
        final = _write_final(load, student.id, kind, final, parsed, user, at,
                             reason=opened and _("Разблокировка: %(reason)s", reason=opened.reason),
                             approved_by_id=opened and opened.by_id)
        results.append(final_result(final))
    db.session.flush()
    _forget_locks()
    return results


def correction_link(lesson: journal.LessonInfo, student_id: int, value,
                    at: datetime) -> dict | None:
    """``{"correction_url": ...}``: the correction form filled in for a refused cell of a lesson
    that has taken place (past its window or in a locked period); ``None`` for a lesson still to
    come, which nobody may fill in advance."""
    return corrections.correction_link("grading.correction_new", lesson, student_id, at,
                                       new_value=value)


def cell_correction_link(user: User, load: journal.LoadInfo, lesson: journal.LessonInfo,
                         student_id: int, at: datetime | None = None) -> dict | None:
    """The correction link of a cell ``user`` may no longer change directly (for the history
    panel of a past cell); ``None`` when the cell is still open or not theirs to write."""
    at = at or utcnow()
    if lesson.id not in journal.writable_lesson_ids(user, load, [lesson]):
        return None
    if check("grade.edit", user, MarkTarget(load, lesson, student_id), at):
        return None
    return correction_link(lesson, student_id, None, at)


def _unlock_behind(load, finals: dict[tuple[int, str], Final], at: datetime) -> Unlock | None:
    """The unlock that lets a locked load's finals change now (its reason goes into history)."""
    opened = unlock_in_force(load.id, at)
    return opened if opened is not None and finals_complete(load, finals) else None


def _mark_type_of(asked, lesson, state: CellState) -> tuple[str, str | None]:
    """The type of the marks a change writes, and the reason it is refused (or ``None``).

    A lesson's type of work may fix it (a laboratory work's marks are for laboratory work);
    elsewhere the teacher's choice, else the type the cell's marks already have, else oral."""
    fixed = fixed_mark_type(lesson.work_type)
    if asked in (None, ""):
        return fixed or (state.live[0].mark_type if state.live else "oral"), None
    if not isinstance(asked, str) or asked not in rules.MARK_TYPES:
        return "", _("Неизвестный вид оценки «%(kind)s»", kind=str(asked))
    if fixed and asked != fixed:
        return "", _("Вид оценки задан видом работы занятия: «%(kind)s»",
                     kind=rules.MARK_TYPES[fixed])
    return asked, None


def _parse_cell(raw, scale: str, state: CellState) -> list[rules.Parsed]:
    """The marks a cell's new text stands for; "" removes the cell's marks (if any)."""
    if raw == "" and state.live:
        return []
    if not isinstance(raw, str) or raw == "":
        return [rules.parse_value(raw, scale)]  # raises the Russian message
    parts = split_cell(raw)
    if len(parts) > 3:
        raise rules.InvalidValue(_("Не больше трёх оценок за урок"))
    return [rules.parse_value(part, scale) for part in parts]


def _cells_for(keys: list[tuple[int, int]]) -> dict[tuple[int, int], CellState]:
    if not keys:
        return {}
    lesson_ids = {k[0] for k in keys}
    student_ids = {k[1] for k in keys}
    rows = db.session.scalars(
        select(Mark).where(Mark.lesson_id.in_(lesson_ids), Mark.student_id.in_(student_ids))
        .order_by(Mark.position)
    ).all()
    found: dict[tuple[int, int], CellState] = {}
    for mark in rows:
        found.setdefault((mark.lesson_id, mark.student_id), CellState([])).marks.append(mark)
    return found


def cell_states(lesson_id: int, student_ids: Iterable[int]) -> dict[int, CellState]:
    """The cells of one lesson for ``student_ids``, by student (one query)."""
    return {student_id: state for (_lesson, student_id), state
            in _cells_for([(lesson_id, sid) for sid in student_ids]).items()}


def _write_cell(state: CellState, lesson: journal.LessonInfo, load: journal.LoadInfo,
                student_id: int, parsed: list[rules.Parsed], mark_type: str, user, at: datetime,
                *, reason: str | None = None, approved_by=None, retype: bool = False) -> None:
    """Put ``parsed`` into the cell's positions; write history, audit and events per change.

    New marks get ``mark_type``; with ``retype`` (the teacher chose the type) a cell whose
    values stay as they are changes the type of its marks instead.

    The cell's first row is its lock: any change of the cell moves that row's version too, so
    two writers of one cell always meet on it in the database (a conditional UPDATE, or for an
    empty cell the unique key of position 0), even when they change different positions.
    """
    lesson_id = lesson.id
    by_position = {m.position: m for m in state.marks}
    first = state.marks[0] if state.marks else None
    first_version = first.version if first else None
    changed = False
    for position in range(max(len(parsed), len(state.marks))):
        new = parsed[position].value if position < len(parsed) else ""
        mark = by_position.get(position)
        old = mark.value if mark else ""
        if old == new:
            continue
        changed = True
        if mark is None:
            mark = Mark(lesson_id=lesson_id, student_id=student_id, position=position,
                        mark_type=mark_type, value=new, version=1, updated_at=at,
                        updated_by_id=user.id)
            db.session.add(mark)
            state.marks.append(mark)
            db.session.flush()
        else:
            mark.value, mark.version = new, mark.version + 1
            mark.updated_at, mark.updated_by_id = at, user.id
            if approved_by is not None:
                mark.corrected = True
            if new and not old:
                mark.mark_type = mark_type
        db.session.add(History(mark_id=mark.id, at=at, actor_id=user.id, old_value=old,
                               new_value=new, reason=reason,
                               approved_by_id=getattr(approved_by, "id", None)))
        audit.record("grade.edit" if approved_by is None else "grade.correction.apply", mark,
                     before={"value": old}, after={"value": new, "type": mark.mark_type},
                     note=reason, actor=approved_by or user)
        events.emit(GradePosted(mark_id=mark.id, lesson_id=lesson_id, student_id=student_id,
                                value=new, old_value=old, text=rules.text_of(new),
                                words=rules.words_of(new), failing=rules.is_failing(new),
                                discipline=load.discipline.title, lesson_day=lesson.date))
    if retype and not changed:
        changed = _retype(state, mark_type, user, at)
    if changed and first is not None and first.version == first_version:
        first.version += 1
    state.marks.sort(key=lambda m: m.position)


def _retype(state: CellState, mark_type: str, user, at: datetime) -> bool:
    """Change the type of the cell's live marks (their values stay): audited, and the version
    grows so that a stale edit of the cell gets 409. Whether any mark changed."""
    changed = False
    for mark in state.live:
        if mark.mark_type == mark_type:
            continue
        before = mark.mark_type
        mark.mark_type, mark.version = mark_type, mark.version + 1
        mark.updated_at, mark.updated_by_id = at, user.id
        audit.record("grade.type", mark, before={"value": mark.value, "type": before},
                     after={"value": mark.value, "type": mark_type}, actor=user)
        changed = True
    return changed


def _write_final(load, student_id, kind, final, parsed, user, at, reason=None,
                 approved_by_id=None) -> Final:
    new = parsed.value if parsed else ""
    old = final.value if final else ""
    if final is None:
        final = Final(load_id=load.id, student_id=student_id, kind=kind, value=new, version=1,
                      updated_at=at, updated_by_id=user.id)
        db.session.add(final)
        db.session.flush()
    elif old != new:
        final.value, final.version = new, final.version + 1
        final.updated_at, final.updated_by_id = at, user.id
    if old != new:
        db.session.add(History(final_id=final.id, at=at, actor_id=user.id, old_value=old,
                               new_value=new, reason=reason, approved_by_id=approved_by_id))
        audit.record("grade.final", final, before={"value": old},
                     after={"value": new, "kind": kind}, note=reason, actor=user)
        events.emit(FinalPosted(final_id=final.id, load_id=load.id, student_id=student_id,
                                kind=kind, value=new, old_value=old, text=rules.text_of(new),
                                discipline=load.discipline.title))
    return final


def mark_types_title(mark_types) -> str:
    """A cell's title: the types of its marks ("устный ответ, лабораторная работа")."""
    return ", ".join(str(rules.MARK_TYPES.get(kind, kind)) for kind in mark_types)


def mark_result(lesson_id: int, student_id: int, state: CellState) -> dict:
    return {"lesson_id": lesson_id, "student_id": student_id, "text": state.value,
            "value": state.value, "version": state.version,
            "title": mark_types_title(m.mark_type for m in state.live), "css": "",
            "mark_types": [m.mark_type for m in state.live]}


def final_result(final: Final) -> dict:
    text = rules.text_of(final.value)
    return {"key": f"{final.kind}_final", "student_id": final.student_id, "text": text,
            "value": text, "version": final.version, "title": "", "css": ""}


# --- corrections, exceptions, unlocks -------------------------------------------------------------


def approval_required() -> bool:
    """Whether a correction waits for a second person (``grading.correction_approval``)."""
    return bool(policy_value("grading.correction_approval"))


def file_correction(user: User, load: journal.LoadInfo, lesson_id: int, student_id: int,
                    new_value: str, reason: str, at: datetime | None = None, *,
                    approve_now: bool = False) -> Correction:
    """Change a cell past the edit window or the lock: a correction (old → new, reason).

    Where the policy asks for approval it waits for a deputy director or an administrator other
    than its author; otherwise it is applied at once, recorded as its author's own correction.
    ``approve_now``: the author may still change the cell directly (inside the edit window), so
    the correction is applied at once whatever the policy (an answer to a mark flag).
    Raises ``DomainError`` (422) for a bad value, ``Conflict`` for a cell with a pending one.
    """
    at = at or utcnow()
    reason = _require_reason(reason)
    every = journal.lessons(load)
    writable = journal.writable_lesson_ids(user, load, every)
    lessons = {lesson.id: lesson for lesson in every if lesson.id in writable}
    students = {s.id: s for s in journal.roster(load)}
    lesson, student = lessons.get(lesson_id), students.get(student_id)
    if lesson is None or student is None or not _membership_covers(student, lesson.date):
        raise _not_found()
    if college_day(at) < lesson.date:
        raise DomainError(_("Занятие %(date)s ещё не проведено: исправлять нечего.",
                            date=lesson.date.strftime("%d.%m.%Y")))
    state = _cells_for([(lesson_id, student_id)]).get((lesson_id, student_id), CellState([]))
    try:
        parsed = _parse_cell(new_value, scale_of(load.discipline.id), state)
    except rules.InvalidValue as exc:
        raise DomainError(exc.message) from None
    new_text = "/".join(p.text for p in parsed)
    return PENDING.file(lesson_id, student_id, state.value, new_text, reason, user, at,
                        "grade.correction.file",
                        apply=_apply_correction if approve_now or not approval_required() else None)


PENDING = corrections.PendingCorrections(
    Correction, _l("По этой оценке уже подана заявка на исправление: дождитесь решения"))
pending_for = PENDING.of
pending_in = PENDING.in_lessons


def pending_corrections() -> list[Correction]:
    return list(db.session.scalars(
        select(Correction).where(Correction.status == "pending").order_by(Correction.requested_at)
    ))




def may_decide(user: User, correction: Correction) -> bool:
    """A deputy director or an administrator decides a correction, never its own author."""
    return corrections.may_decide(user, correction.requested_by_id)


def decide_correction(user: User, correction_id: int, approve: bool, note: str = "",
                      at: datetime | None = None) -> Correction:
    """A deputy director or administrator approves (the mark changes) or rejects a correction;
    the author of a correction never decides it."""
    if not is_decider(user):
        raise _not_found()
    # locked: of two deciders at once, the second sees the first's decision
    correction = db.session.get(Correction, correction_id, with_for_update=True)
    if correction is None:
        raise _not_found()
    if correction.status != "pending":
        raise Conflict(_("Заявка уже рассмотрена"))
    if not may_decide(user, correction):
        raise Conflict(_("Свою заявку на исправление утверждает другой сотрудник"))
    if not approve:
        note = _require_reason(note)
    return PENDING.decide(correction, user, approve, note, at or utcnow(), _apply_correction,
                          "grade.correction.", kept_note=note or None)


def _changed_meanwhile(lesson_id: int, student_id: int) -> Conflict:
    """The refusal of a correction whose cell another user saved while it was being applied."""
    state = _cells_for([(lesson_id, student_id)]).get((lesson_id, student_id), CellState([]))
    return Conflict(_("Оценка изменилась после подачи заявки: сейчас «%(value)s»",
                      value=state.value or "—"))


def _apply_correction(correction: Correction, approver, at: datetime) -> None:
    """Write an approved correction into its cell: history names its reason and approver."""
    cell = (correction.lesson_id, correction.student_id)
    state = _cells_for([cell]).get(cell, CellState([]))
    if state.value != correction.old_value:
        raise _changed_meanwhile(*cell)
    lesson = journal.get_lesson(correction.lesson_id)
    load = journal.get_load(lesson.load_id)
    scale = scale_of(load.discipline.id)
    parsed = [rules.parse_value(part, scale) for part in split_cell(correction.new_value)]
    requester = db.session.get(User, correction.requested_by_id)
    with refused_on_conflict(lambda: _changed_meanwhile(*cell)):
        _write_cell(state, lesson, load, correction.student_id, parsed,
                    default_mark_type(lesson.work_type), requester, at,
                    reason=correction.reason, approved_by=approver)
    correction.status = "approved"
    correction.decided_by_id, correction.decided_at = approver.id, at
    _forget_locks()


def grant_exception(user: User, load: journal.LoadInfo, student_id: int,
                    reason: str) -> MinimumException:
    """An administrator lets a final be set without the minimum of marks (audited)."""
    if not can(user, "grading.minimum.waive"):
        raise _not_found()
    reason = _require_reason(reason)
    if student_id not in {s.id for s in journal.roster(load)}:
        raise _not_found()
    if has_exception(load.id, student_id):
        raise Conflict(_("Исключение уже предоставлено"))
    granted = MinimumException(load_id=load.id, student_id=student_id, reason=reason,
                               granted_by_id=user.id, granted_at=utcnow())
    db.session.add(granted)
    db.session.flush()
    audit.record("grade.minimum.exception", granted, after={"student_id": student_id},
                 note=reason, actor=user)
    return granted


def unlock(user: User, load: journal.LoadInfo, reason: str, until: date | None,
           at: datetime | None = None) -> Unlock:
    """An administrator opens a locked load again, with a reason, up to ``until`` (a college day,
    inclusive); after it the load locks again by itself. Audited."""
    if not can(user, "grading.unlock"):
        raise _not_found()
    reason = _require_reason(reason)
    at = at or utcnow()
    today = college_day(at)
    if not isinstance(until, date):
        raise DomainError(_("Укажите, до какого дня журнал открыт"))
    if until < today:
        raise DomainError(_("Дата окончания разблокировки уже прошла"))
    if is_unlocked(load.id, at):
        raise Conflict(_("Журнал уже разблокирован"))
    opened = Unlock(load_id=load.id, reason=reason, by_id=user.id, at=at, active=True,
                    until=until)
    db.session.add(opened)
    db.session.flush()
    audit.record("grade.unlock", ("TeachingLoad", load.id),
                 after={"unlocked": True, "until": until.isoformat()}, note=reason, actor=user)
    _forget_locks()
    return opened


def relock(user: User, load: journal.LoadInfo) -> None:
    """An administrator locks an unlocked load again before its unlock's end (audited)."""
    if not can(user, "grading.unlock"):
        raise _not_found()
    db.session.execute(update(Unlock).where(Unlock.load_id == load.id, Unlock.active.is_(True))
                       .values(active=False))
    audit.record("grade.relock", ("TeachingLoad", load.id), after={"unlocked": False}, actor=user)
    _forget_locks()


def history(lesson_id: int, student_id: int | None = None) -> list[dict]:
    """The changes of a cell (or of every cell of a lesson), oldest first: who, when, old, new,
    reason, approved by."""

    query = (select(History, Mark.position, Mark.student_id).join(Mark, History.mark_id == Mark.id)
             .where(Mark.lesson_id == lesson_id).order_by(History.at, History.id))
    if student_id is not None:
        query = query.where(Mark.student_id == student_id)
    rows = db.session.execute(query).all()
    ids = {r.History.actor_id for r in rows} | {r.History.approved_by_id for r in rows}
    names = short_names(ids)
    return [{"at": r.History.at.isoformat(), "position": r.position, "student_id": r.student_id,
             "who": names.get(r.History.actor_id, ""),
             "old": rules.text_of(r.History.old_value), "new": rules.text_of(r.History.new_value),
             "reason": r.History.reason or "",
             "approved_by": names.get(r.History.approved_by_id, "")} for r in rows]



def exception_ids(load_id: int) -> set[int]:
    """Students of the load with a minimum-marks exception (one query)."""
    return set(db.session.scalars(
        select(MinimumException.student_id).where(MinimumException.load_id == load_id)))
