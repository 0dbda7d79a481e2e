"""Self-study tasks: who sets, sees, hands in and marks them, the state of a student's work, and
the reads the pages, the journal's links and the diary make (a fixed number of queries each).

Scope comes from ``core.people.scope`` (through the journal's ``can_view``/``can_edit`` for
staff, ``own_student_ids`` for families); an individual task exists only for its students, their
parents and the journal's readers (404 for everyone else). A student's hand-in goes through
``policy.check("selfstudy.hand_in")`` (``selfstudy.students_hand_in``); a mark through the
grading plugin's ``api.post_mark`` (its edit window and locks). Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit
from core.calendar.clock import college_day, college_today, college_zone
from core.errors import Conflict, DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people import scope
from core.policy import check
from core.uploads import store as store_files
from plugins.grading import api as grading
from plugins.journal import api as journal
from plugins.selfstudy import files as work_files
from plugins.selfstudy.models import CONSULTATIONS, Assignee, Task, Work, WorkFile

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_PLACE = 500
HAND_IN = "selfstudy.hand_in"

#: the states of a student's work, in the words the pages and the diary use
STATES = {
    "assigned": _l("задано"),
    "handed_in": _l("сдано"),
    "marked": _l("оценено"),
    "overdue": _l("просрочено"),
}
STATE_CSS = {"assigned": "text-bg-secondary", "handed_in": "text-bg-info",
             "marked": "text-bg-success", "overdue": "text-bg-danger"}


def _not_found() -> NotFound:
    return NotFound(_("Такой страницы нет или она вам недоступна."))


@dataclass(frozen=True)
class HandInTarget:
    """What ``selfstudy.hand_in`` judges: a student's work on a task."""

    task: Task
    student_id: int


def state_of(task: Task, work: Work | None, today: date | None = None,
             marks: dict | None = None) -> str:
    """«marked» once a mark is in the journal (among ``marks``, ``grading.marks_by_id``, when
    given: a mark removed in the grid no longer counts), «handed_in» once handed in (or marked
    done), «overdue» past the due date without either, «assigned» before it."""
    if work is not None and work.mark_id and (marks is None or work.mark_id in marks):
        return "marked"
    if work is not None and work.handed_in_at is not None:
        return "handed_in"
    return "overdue" if task.due_on < (today or college_today()) else "assigned"


def late(task: Task, work: Work | None) -> bool:
    return bool(work and work.handed_in_at and college_day(work.handed_in_at) > task.due_on)


# --- who may ------------------------------------------------------------------------------------


def may_set(user, load: journal.LoadInfo) -> bool:
    """The journal's own teacher (and whoever scope lets write the whole journal)."""
    return bool(user.is_authenticated) and scope.is_staff(user) and journal.can_edit(user, load)


def may_read(user, load: journal.LoadInfo) -> bool:
    """Staff who read the journal see every task of it and every student's work."""
    return bool(user.is_authenticated) and scope.is_staff(user) and journal.can_view(user, load)


def targets(task: Task, load: journal.LoadInfo, roster=None,
            assignees: set[int] | None = None) -> list[journal.RosterStudent]:
    """The students a task is for: the journal's students who belonged to it between the day it
    was set and its due date; of them, an individual task's chosen ones."""
    roster = journal.roster(load) if roster is None else roster
    found = [student for student in roster if student.joined_on <= task.due_on
             and (student.left_on is None or student.left_on >= task.set_on)]
    if task.individual:
        chosen = assignees_of([task.id]).get(task.id, set()) if assignees is None else assignees
        found = [student for student in found if student.id in chosen]
    return found


def family_students(user, task: Task, load: journal.LoadInfo) -> list[journal.RosterStudent]:
    """The students of a family account (themself, their children) the task is for."""
    if not user.is_authenticated or not scope.is_family(user):
        return []
    own = scope.own_student_ids(user)
    return [student for student in targets(task, load) if student.id in own] if own else []


# --- reads --------------------------------------------------------------------------------------


def _live():
    return select(Task).where(Task.deleted_at.is_(None))


def load_or_404(user, load_id: int) -> journal.LoadInfo:
    try:
        load = journal.get_load(load_id)
    except LookupError:
        raise _not_found() from None
    if not may_read(user, load):
        raise _not_found()
    return load


def task_or_404(user, task_id: int) -> tuple[Task, journal.LoadInfo]:
    """A task that is not removed, with its journal, if ``user`` reads the journal or is (a
    parent of) one of its students; else 404."""
    task = db.session.scalar(_live().where(Task.id == task_id))
    if task is None:
        raise _not_found()
    load = journal.get_load(task.load_id)
    if may_read(user, load) or family_students(user, task, load):
        return task, load
    raise _not_found()


def of_load(load_id: int) -> list[Task]:
    return list(db.session.scalars(_live().where(Task.load_id == load_id)
                                   .order_by(Task.due_on.desc(), Task.id.desc())))


def of_loads(load_ids: Iterable[int]) -> list[Task]:
    ids = set(load_ids)
    if not ids:
        return []
    return list(db.session.scalars(_live().where(Task.load_id.in_(ids))
                                   .order_by(Task.due_on, Task.id)))


def assignees_of(task_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = set(task_ids)
    if not ids:
        return {}
    found: dict[int, set[int]] = {}
    for task_id, student_id in db.session.execute(
            select(Assignee.task_id, Assignee.student_id).where(Assignee.task_id.in_(ids))):
        found.setdefault(task_id, set()).add(student_id)
    return found


def works_of(task_ids: Iterable[int], student_ids: Iterable[int] | None = None
             ) -> dict[tuple[int, int], Work]:
    """The works on ``task_ids`` (of ``student_ids`` only, when given) by (task, student)."""
    ids = set(task_ids)
    if not ids:
        return {}
    query = select(Work).where(Work.task_id.in_(ids))
    if student_ids is not None:
        query = query.where(Work.student_id.in_(set(student_ids)))
    return {(work.task_id, work.student_id): work for work in db.session.scalars(query)}


def files_of(work_ids: Iterable[int]) -> dict[int, list[WorkFile]]:
    ids = set(work_ids)
    if not ids:
        return {}
    found: dict[int, list[WorkFile]] = {}
    for row in db.session.scalars(select(WorkFile).where(WorkFile.work_id.in_(ids))
                                  .order_by(WorkFile.id)):
        found.setdefault(row.work_id, []).append(row)
    return found


def file_or_404(user, file_id: int) -> WorkFile:
    """A file handed in, for the journal's readers and for the student (and parents) whose
    work it is; else 404."""
    found = db.session.get(WorkFile, file_id)
    if found is None:
        raise _not_found()
    work = db.session.get(Work, found.work_id)
    task, load = task_or_404(user, work.task_id)
    if not may_read(user, load) and work.student_id not in scope.own_student_ids(user):
        raise _not_found()
    return found


@dataclass(frozen=True)
class Tally:
    """How many students a task is for and how many handed in (marked ones included)."""

    total: int
    handed_in: int
    marked: int


def tallies(load: journal.LoadInfo, tasks: list[Task]) -> dict[int, Tally]:
    """Each task's tally (three queries whatever the number of tasks)."""
    if not tasks:
        return {}
    roster = journal.roster(load)
    chosen = assignees_of(task.id for task in tasks if task.individual)
    works = works_of(task.id for task in tasks)
    found = {}
    for task in tasks:
        students = {s.id for s in targets(task, load, roster, chosen.get(task.id, set()))}
        mine = [works.get((task.id, sid)) for sid in students]
        found[task.id] = Tally(len(students),
                               sum(1 for w in mine if w and (w.handed_in_at or w.mark_id)),
                               sum(1 for w in mine if w and w.mark_id))
    return found


def marking_lessons(user, load: journal.LoadInfo, task: Task,
                    today: date | None = None) -> list[journal.LessonInfo]:
    """The lessons whose cells a task's mark may go to: the journal's lessons from the day the
    task was set up to ``today`` (the college's) that ``user`` writes, newest first (the edit
    window is judged when the mark is saved)."""
    today = today or college_today()
    every = [lesson for lesson in journal.lessons(load) if task.set_on <= lesson.date <= today]
    writable = journal.writable_lesson_ids(user, load, every)
    return sorted((lesson for lesson in every if lesson.id in writable),
                  key=lambda lesson: (lesson.date, lesson.pair_number), reverse=True)


# --- setting a task -----------------------------------------------------------------------------


def _clean_text(title: str, description: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Укажите, что задано."), status=422)
    if len(title) > MAX_TITLE:
        raise DomainError(_("Задание — не длиннее %(max)s знаков.", max=MAX_TITLE), status=422)
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(_("Описание — не длиннее %(max)s знаков.", max=MAX_DESCRIPTION),
                          status=422)
    return title, description


def _consultation(kind: str | None, day: date | None, at: time | None,
                  place: str | None) -> tuple[str | None, datetime | None, str]:
    """A consultation offered on a task: none, or its kind, its time (college time → UTC) and
    its link (distance: http or https) or room (in person)."""
    kind = (kind or "").strip() or None
    place = (place or "").strip()
    if kind is None:
        return None, None, ""
    if kind not in CONSULTATIONS:
        raise DomainError(_("Выберите, как проходит консультация."), status=422)
    if day is None or at is None:
        raise DomainError(_("Укажите день и время консультации."), status=422)
    if len(place) > MAX_PLACE:
        raise DomainError(_("Место или ссылка — не длиннее %(max)s знаков.", max=MAX_PLACE),
                          status=422)
    if kind == "distance":
        parts = urlsplit(place) if place and not any(ch.isspace() for ch in place) else None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise DomainError(_("Для дистанционной консультации укажите ссылку, начинающуюся с "
                                "http:// или https://."), status=422)
    when = datetime.combine(day, at, tzinfo=college_zone())
    return kind, when, place


def _snapshot(task: Task, chosen: Iterable[int]) -> dict:
    return {"load_id": task.load_id, "lesson_id": task.lesson_id, "title": task.title,
            "due_on": task.due_on.isoformat(), "individual": task.individual,
            "students": sorted(chosen), "consultation": task.consultation,
            "consultation_at": task.consultation_at.isoformat() if task.consultation_at else None,
            "consultation_place": task.consultation_place}


def create(user, load: journal.LoadInfo, *, title: str, due_on: date | None,
           description: str = "", lesson_id: int | None = None, individual: bool = False,
           student_ids: Iterable[int] = (), consultation: str | None = None,
           consultation_day: date | None = None, consultation_time: time | None = None,
           consultation_place: str | None = None) -> Task:
    """A new task of ``load`` (set at its lesson ``lesson_id``), for the whole group or, when
    ``individual``, for ``student_ids`` among the journal's students."""
    if not may_set(user, load):
        raise _not_found()
    title, description = _clean_text(title, description)
    set_on = college_today()
    if lesson_id is not None:
        try:
            lesson = journal.get_lesson(lesson_id)
        except LookupError:
            raise _not_found() from None
        if lesson.load_id != load.id:
            raise _not_found()
        set_on = lesson.date
    if due_on is None:
        raise DomainError(_("Укажите срок сдачи."), status=422)
    if due_on < set_on:
        raise DomainError(_("Срок сдачи не может быть раньше дня, когда задание задано "
                            "(%(day)s).", day=set_on.strftime("%d.%m.%Y")), status=422)
    if due_on > load.term.ends_on:
        raise DomainError(_("Срок сдачи — не позже конца семестра (%(day)s).",
                            day=load.term.ends_on.strftime("%d.%m.%Y")), status=422)
    chosen = set(student_ids) if individual else set()
    if individual:
        roster = {student.id for student in journal.roster(load)}
        if not chosen:
            raise DomainError(_("Выберите обучающихся, которым задано индивидуальное задание."),
                              status=422)
        if not chosen <= roster:
            raise _not_found()
    kind, when, place = _consultation(consultation, consultation_day, consultation_time,
                                      consultation_place)
    task = Task(load_id=load.id, lesson_id=lesson_id, title=title, description=description,
                set_on=set_on, due_on=due_on, individual=bool(individual), consultation=kind,
                consultation_at=when, consultation_place=place, author_id=user.id,
                created_at=utcnow())
    db.session.add(task)
    db.session.flush()
    db.session.add_all(Assignee(task_id=task.id, student_id=sid) for sid in sorted(chosen))
    db.session.flush()
    audit.record("selfstudy.task.add", task, after=_snapshot(task, chosen), actor=user)
    return task


def remove(user, task: Task, load: journal.LoadInfo) -> None:
    """Take a task off the pages and the diary; its row, the works and their marks stay."""
    if not may_set(user, load):
        raise _not_found()
    task.deleted_at = utcnow()
    task.deleted_by_id = user.id
    audit.record("selfstudy.task.remove", task,
                 before=_snapshot(task, assignees_of([task.id]).get(task.id, set())), actor=user)


# --- handing in and marking -------------------------------------------------------------------


def _work(task: Task, student_id: int) -> Work:
    found = db.session.scalar(select(Work).where(Work.task_id == task.id,
                                                 Work.student_id == student_id))
    if found is not None:
        return found
    work = Work(task_id=task.id, student_id=student_id, text="")
    try:
        with db.session.begin_nested():
            db.session.add(work)
    except IntegrityError:  # the other of two hand-ins at once made it: theirs stands
        raise Conflict(_("Работу уже сдали с другого устройства: обновите страницу.")) from None
    return work


def hand_in(user, task: Task, load: journal.LoadInfo, student_id: int, *, text: str = "",
            files=(), at: datetime | None = None) -> Work:
    """The student ``student_id`` (signed in as themself) marks the task done or hands in a
    text and/or files within the limits (``files.py``); again, until it is marked, to add to it.
    Refused by ``selfstudy.hand_in`` where the preset keeps families to reading."""
    at = at or utcnow()
    mine = {student.id for student in family_students(user, task, load)}
    if student_id not in mine or student_id not in scope.own_student_ids(user) \
            or not is_the_student(user, student_id):
        raise _not_found()
    decision = check(HAND_IN, user, HandInTarget(task, student_id), at)
    if not decision:
        raise DomainError(decision.reason, status=decision.status)
    text = work_files.check_text(text)
    work = _work(task, student_id)
    if work.mark_id:
        raise Conflict(_("Работа уже оценена: сдать её снова нельзя."))
    kept = len(files_of([work.id]).get(work.id, [])) if work.id else 0
    uploads = work_files.check(files, already=kept)
    before = {"text": work.text, "handed_in_at": work.handed_in_at.isoformat()
              if work.handed_in_at else None}
    if text:
        work.text = text
    work.handed_in_at, work.handed_in_by_id = at, user.id
    db.session.flush()
    store_files(WorkFile, uploads, at=at, work_id=work.id)
    db.session.flush()
    audit.record("selfstudy.work.hand_in", work, before=before,
                 after={"text": work.text, "files": [u.filename for u in uploads],
                        "handed_in_at": at.isoformat()}, actor=user)
    return work


def is_the_student(user, student_id: int) -> bool:
    from core.people.models import Student

    return db.session.scalar(select(Student.user_id).where(Student.id == student_id)) == user.id


def record_hand_in(user, task: Task, load: journal.LoadInfo, student_id: int,
                   at: datetime | None = None) -> Work:
    """The teacher records work handed in on paper (or shown in class)."""
    if not may_set(user, load) or student_id not in {s.id for s in targets(task, load)}:
        raise _not_found()
    at = at or utcnow()
    work = _work(task, student_id)
    if work.handed_in_at is None:
        work.handed_in_at, work.handed_in_by_id = at, user.id
        db.session.flush()
        audit.record("selfstudy.work.received", work, after={"handed_in_at": at.isoformat()},
                     actor=user)
    return work


def mark(user, task: Task, load: journal.LoadInfo, student_id: int, *, value: str,
         lesson_id: int | None, mark_type: str | None = None,
         at: datetime | None = None) -> Work:
    """Mark a student's work: the mark goes into the journal cell of ``lesson_id`` (one of
    ``marking_lessons``) with its type, through the grading plugin (its edit window, locks,
    history, audit and the parents' alerts); a second mark replaces the first in its cell. The
    type is the teacher's, unless the lesson's kind of work fixes it."""
    if not journal.can_write(user, load) or \
            student_id not in {student.id for student in targets(task, load)}:
        raise _not_found()
    at = at or utcnow()
    work = _work(task, student_id)
    replace = work.mark_id if work.mark_id in grading.marks_by_id([work.mark_id]) else None
    if replace is not None:
        lesson_id = work.mark_lesson_id
    elif lesson_id is None or lesson_id not in {
            lesson.id for lesson in marking_lessons(user, load, task, college_day(at))}:
        raise DomainError(_("Выберите занятие, в клетку которого пойдёт оценка."), status=422)
    if mark_type is not None and mark_type not in grading.MARK_TYPES:
        raise DomainError(_("Выберите вид оценки."), status=422)
    value = (value or "").strip()
    if not value:
        raise DomainError(_("Укажите оценку."), status=422)
    # a lesson whose kind of work fixes its marks' type (a control work's) gives them that type,
    # as the grid does; elsewhere the teacher's choice
    mark_type = grading.fixed_mark_type(journal.get_lesson(lesson_id)) or mark_type
    posted = grading.post_mark(user, load, lesson_id, student_id, value, mark_type,
                               replace_mark_id=replace, at=at)
    before = {"mark_id": work.mark_id}
    work.mark_id, work.mark_lesson_id = posted.mark_id, lesson_id
    work.marked_at, work.marked_by_id = at, user.id
    db.session.flush()
    audit.record("selfstudy.work.mark", work, before=before,
                 after={"mark_id": posted.mark_id, "lesson_id": lesson_id, "value": posted.value,
                        "type": posted.mark_type}, actor=user)
    return work
