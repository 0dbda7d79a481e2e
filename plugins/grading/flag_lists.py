"""Mark flags as the pages show them: the teacher's list and home widget, the grid's markers, the
mark's history, the family's diary. Each read is a fixed few queries, whatever the number of
flags or marks; who may read what is decided in ``flags``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from core.extensions import db
from core.people.models import Student
from core.people.permissions import can
from core.people.scope import EDIT, VIEW, group_ids, own_student_ids
from core.plugins.types import DiaryNote
from plugins.grading import flags, rules, services
from plugins.grading.models import Mark, MarkFlag
from plugins.journal import api as journal
from plugins.journal.api import Cell

if TYPE_CHECKING:
    from core.people.models import User, UserLike

#: the css class of a grid cell whose mark has an open flag
FLAGGED_CSS = "cell-flagged"
#: answered flags shown on the list (the newest); open ones are all shown
ANSWERED_SHOWN = 100


@dataclass
class FlagLine:
    """One flag on the teacher's list."""

    id: int
    status: str
    created_at: datetime
    answered_at: datetime | None
    load_id: int
    lesson_id: int
    lesson_date: date
    group: str
    discipline: str
    student: str
    value: str
    current: str
    flagged_by: str
    flagged_by_role: str
    comment: str
    answer: str
    answered_by: str
    may_answer: bool


def lines(user: User, open_only: bool, answerable_only: bool = False) -> list[FlagLine]:
    """The flags ``user`` reads (``flags.may_read``): open ones, oldest first, or the newest
    answered ones. Filtered in SQL by the groups of the user's scope, then judged by journal."""
    query = (select(MarkFlag, Mark.lesson_id, Mark.student_id)
             .join(Mark, Mark.id == MarkFlag.mark_id))
    administration = can(user, "grading.flags.view_all") and not answerable_only
    groups = group_ids(user, VIEW if administration else EDIT)
    if groups is not None:
        query = query.where(Mark.lesson_id.in_(journal.lesson_ids(group_ids=groups)))
    if open_only:
        query = query.where(MarkFlag.status == flags.OPEN).order_by(MarkFlag.created_at)
    else:
        query = query.where(MarkFlag.status != flags.OPEN).order_by(
            MarkFlag.answered_at.desc()).limit(ANSWERED_SHOWN)
    found_rows = db.session.execute(query).all()
    if not found_rows:
        return []
    places = journal.lesson_places({row.lesson_id for row in found_rows})
    rows = [_FlagRow(row.MarkFlag, row.lesson_id, row.student_id, *places[row.lesson_id])
            for row in found_rows]
    loads = {row.load_id: row.load for row in rows}
    answerable = {load_id for load_id, load in loads.items() if flags.may_answer(user, load)}
    readable = answerable if answerable_only else {
        load_id for load_id, load in loads.items()
        if load_id in answerable or flags.may_read(user, load)}
    rows = [row for row in rows if row.load_id in readable]
    found = [row.flag for row in rows]
    people, roles = flags.people_of(found), flags.flagged_by_role(found)
    corrections = flags.corrections_of(found)
    groups_by_id, _teachers = journal.load_labels(loads[row.load_id] for row in rows)
    students = {s.id: s.short_name for s in db.session.scalars(
        select(Student).where(Student.id.in_({row.student_id for row in rows})))}
    current = _cell_texts({(row.lesson_id, row.student_id) for row in rows})
    out = []
    for row in rows:
        flag, load = row.flag, loads[row.load_id]
        out.append(FlagLine(
            flag.id, flag.status, flag.created_at, flag.answered_at, load.id, row.lesson_id,
            row.date, groups_by_id.get(load.group_id, ""), load.discipline.title,
            students.get(row.student_id, ""), rules.text_of(flag.value),
            current.get((row.lesson_id, row.student_id), ""),
            people.get(flag.flagged_by_id, ""), roles.get(flag.flagged_by_id, ""), flag.comment,
            "" if flag.status == flags.OPEN else flags.answer_text(
                flag.status, flag.value, flag.answer_comment, corrections.get(flag.correction_id)),
            people.get(flag.answered_by_id, ""), row.load_id in answerable))
    return out


class _FlagRow(NamedTuple):
    flag: MarkFlag
    lesson_id: int
    student_id: int
    lesson: journal.LessonInfo
    load: journal.LoadInfo

    @property
    def date(self) -> date:
        return self.lesson.date

    @property
    def load_id(self) -> int:
        return self.load.id


def _cell_texts(keys: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The cells' current texts ("4/3"), one query."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(Mark.lesson_id, Mark.student_id, Mark.value)
        .where(Mark.lesson_id.in_({k[0] for k in keys}), Mark.student_id.in_({k[1] for k in keys}),
               Mark.value != "").order_by(Mark.position)).all()
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    for lesson_id, student_id, value in rows:
        texts[(lesson_id, student_id)].append(rules.text_of(value))
    return {key: "/".join(values) for key, values in texts.items() if key in keys}


# --- the grid ------------------------------------------------------------------------------------


class OpenFlag(NamedTuple):
    lesson_id: int
    student_id: int
    value: str


_OPEN_OF_LOAD = (
    select(Mark.lesson_id, Mark.student_id, MarkFlag.value)
    .join(Mark, Mark.id == MarkFlag.mark_id)
    .where(MarkFlag.status == flags.OPEN,
           Mark.lesson_id.in_(journal.lesson_ids(load_id=bindparam("load_id"))))
)  # built once and run on the connection, as the page's marks are (services.load_marks)


def open_in(load_id: int) -> list[OpenFlag]:
    """The open flags of marks of the load's lessons (ONE query), for the grid's cells."""
    db.session.flush()  # the core connection below does not autoflush
    rows = db.session.connection().execute(_OPEN_OF_LOAD, {"load_id": load_id}).all()
    return [OpenFlag._make(row) for row in rows]


def show_flags(cells: dict[tuple[int, int], Cell], found: list[OpenFlag],
               editable_lessons: frozenset[int]) -> None:
    """Mark the grid's cells with an open flag: ``FLAGGED_CSS`` and a title (the comment itself
    is read on the flags' page, where staff reads are audited)."""
    for row in found:
        key = (row.lesson_id, row.student_id)
        note = _("Сообщение об ошибке в оценке «%(mark)s» ждёт ответа",
                 mark=rules.text_of(row.value))
        cell = cells.get(key)
        if cell is None:  # the mark was removed meanwhile: the flag still waits for its answer
            cells[key] = Cell(text="", title=note, css=FLAGGED_CSS,
                              editable=key[0] in editable_lessons, version=None)
            continue
        if FLAGGED_CSS in cell.css:
            continue
        cell.title = f"{cell.title}. {note}" if cell.title else note
        cell.css = f"{cell.css} {FLAGGED_CSS}".strip()


# --- the mark's history -------------------------------------------------------------------------


def cell_history(user: User, load: journal.LoadInfo, lesson_id: int,
                 student_id: int | None = None) -> tuple[list[dict], list[int]]:
    """The cell's (or lesson's) history, with its flags and their answers for those who read
    flags (``flags.may_read``), oldest first; and the ids of the flags shown (for the audit)."""
    rows = services.history(lesson_id, student_id)
    if not flags.may_read(user, load):
        return rows, []
    query = (select(MarkFlag, Mark.position, Mark.student_id)
             .join(Mark, Mark.id == MarkFlag.mark_id).where(Mark.lesson_id == lesson_id)
             .order_by(MarkFlag.created_at, MarkFlag.id))
    if student_id is not None:
        query = query.where(Mark.student_id == student_id)
    found = db.session.execute(query).all()
    if not found:
        return rows, []
    every = [row.MarkFlag for row in found]
    people, corrections = flags.people_of(every), flags.corrections_of(every)
    for row in found:
        flag = row.MarkFlag
        mark = rules.text_of(flag.value)
        base = {"position": row.position, "student_id": row.student_id, "old": mark,
                "new": mark, "approved_by": ""}
        rows.append({**base, "at": flag.created_at.isoformat(), "kind": "flag",
                     "who": people.get(flag.flagged_by_id, ""),
                     "reason": _("Сообщение об ошибке: %(comment)s", comment=flag.comment)})
        if flag.status != flags.OPEN:
            rows.append({**base, "at": flag.answered_at.isoformat(), "kind": "flag_answer",
                         "who": people.get(flag.answered_by_id, ""),
                         "reason": _("Ответ на сообщение об ошибке: %(answer)s",
                                     answer=flags.answer_text(
                                         flag.status, flag.value, flag.answer_comment,
                                         corrections.get(flag.correction_id)))})
    rows.sort(key=lambda row: row["at"])
    return rows, [flag.id for flag in every]


# --- the diary -----------------------------------------------------------------------------------


def diary_notes(student_id: int, marks, user: UserLike) -> dict[int, tuple[str, str]]:
    """For the family (``own_student_ids``): each mark's ``(its latest flag's state or answer,
    the link to flag it)`` by mark id; one query. Empty for anyone else."""
    if not (user.is_authenticated and student_id in own_student_ids(user)):
        return {}
    ids = [mark_id for mark_id, _lesson in marks]
    latest: dict[int, MarkFlag] = {}
    if ids:
        for flag in db.session.scalars(select(MarkFlag).where(MarkFlag.mark_id.in_(ids))
                                       .order_by(MarkFlag.created_at, MarkFlag.id)):
            latest[flag.mark_id] = flag
    corrections = flags.corrections_of(latest.values())
    may_flag = flags.may_flag(user) and has_request_context()  # a digest has no links to pages
    out = {}
    for mark_id, _lesson in marks:
        flag = latest.get(mark_id)
        detail = "" if flag is None else flags.answer_text(
            flag.status, flag.value, flag.answer_comment, corrections.get(flag.correction_id))
        link = url_for("grading.flag_new", mark_id=mark_id) \
            if may_flag and (flag is None or flag.status != flags.OPEN) else ""
        if detail or link:
            out[mark_id] = (detail, link)
    return out


def diary_note(note: DiaryNote, detail: str, link: str, several: bool) -> DiaryNote:
    """The mark's diary note with its flag's state and the action to flag it (``several``: the
    lesson has more than one mark, so the action names the mark)."""
    title = ""
    if link:
        title = _("Сообщить об ошибке в оценке «%(mark)s»", mark=note.text) if several \
            else _("Сообщить об ошибке")
    return replace(note, detail=detail, link=link, link_title=title)
