"""The journal's tables: disciplines (СПО kinds), curriculum hours, teaching load, timetable, lessons."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import UTCDateTime, utcnow

#: the СПО kinds of discipline (REQUIREMENTS J1)
DISCIPLINE_KINDS = {
    "general": _l("Общеобразовательная дисциплина"),
    "discipline": _l("Дисциплина"),
    "mdk": _l("МДК"),
    "pm": _l("ПМ"),
    "up": _l("УП"),
    "pp": _l("ПП"),
}

#: types of work of a lesson (REQUIREMENTS J3)
WORK_TYPES = {
    "lecture": _l("Лекция"),
    "practical": _l("Практическая работа"),
    "laboratory": _l("Лабораторная работа"),
    "self_study": _l("Самостоятельная работа"),
    "control": _l("Контрольная работа"),
    "consultation": _l("Консультация"),
    "excursion": _l("Экскурсия"),
    "credit": _l("Зачёт"),
    "exam": _l("Экзамен"),
    "combined": _l("Комбинированное занятие"),
}

#: kinds of work a teaching load has, whose marks the minimum-marks rule may require (BTT 4.5.2,
#: KTIS 4.2); the keys are grading's mark types (``grades.min_marks_required_kinds``)
WORK_KINDS = {
    "written": _l("Письменные работы"),
    "control": _l("Контрольные работы"),
    "laboratory": _l("Лабораторные работы"),
    "practical": _l("Практические работы"),
}


def parse_work_kinds(stored: str | None) -> tuple[str, ...]:
    """The kinds of a stored ``"written,laboratory"``, in ``WORK_KINDS`` order."""
    chosen = set((stored or "").split(","))
    return tuple(kind for kind in WORK_KINDS if kind in chosen)


def store_work_kinds(kinds) -> str:
    """What a column keeps for ``kinds`` (known kinds only, in ``WORK_KINDS`` order)."""
    chosen = set(kinds)
    return ",".join(kind for kind in WORK_KINDS if kind in chosen)


class Discipline(db.Model):
    __tablename__ = "journal_discipline"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30))  # «ОП.01», «МДК.01.01»
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(20))
    #: a МДК belongs to its ПМ
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("journal_discipline.id"))
    commission_id: Mapped[int | None] = mapped_column(ForeignKey("core_subject_commission.id"),
                                                      index=True)
    #: the kinds of work its loads have unless a load says otherwise ("written,laboratory")
    work_kinds: Mapped[str] = mapped_column(String(80), default="", server_default="")

    __table_args__ = (
        UniqueConstraint("code", "name"),
        CheckConstraint("kind IN ('general','discipline','mdk','pm','up','pp')", name="kind"),
    )

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}".strip()


class CurriculumHours(db.Model):
    """Hours of a discipline for a group in a term, as the curriculum says."""

    __tablename__ = "journal_curriculum_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    discipline_id: Mapped[int] = mapped_column(ForeignKey("journal_discipline.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("core_group.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("core_term.id"))
    hours: Mapped[int]

    __table_args__ = (UniqueConstraint("discipline_id", "group_id", "term_id"),)


class TeachingLoad(db.Model):
    """Teacher × group (or subgroup) × discipline × term: one journal."""

    __tablename__ = "journal_teaching_load"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("core_group.id"), index=True)
    subgroup_id: Mapped[int | None] = mapped_column(ForeignKey("core_subgroup.id"))
    discipline_id: Mapped[int] = mapped_column(ForeignKey("journal_discipline.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("core_term.id"), index=True)
    hours_per_week: Mapped[int]
    hours_total: Mapped[int]
    #: the kinds of work this journal has ("written,practical"); NULL: its discipline's
    work_kinds: Mapped[str | None] = mapped_column(String(80))

    discipline: Mapped[Discipline] = relationship()

    __table_args__ = (
        UniqueConstraint("group_id", "subgroup_id", "discipline_id", "term_id", "teacher_id"),
        CheckConstraint("hours_per_week > 0 AND hours_total > 0", name="hours"),
    )


class TimetableSlot(db.Model):
    """A weekly lesson of a load: weekday (1 = Monday) and pair number, valid for a date range;
    where the year alternates weeks, every week (``week`` None) or only числитель («A») or
    знаменатель («B»). Its time comes from the year's bells (``core.calendar.mode``)."""

    __tablename__ = "journal_timetable_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"), index=True)
    weekday: Mapped[int]
    pair_number: Mapped[int]
    hours: Mapped[int] = mapped_column(default=2)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    #: None, «A» or «B», checked by ``planning.add_slot`` (no CHECK: SQLite would rebuild the
    #: referenced table in the migration)
    week: Mapped[str | None] = mapped_column(String(1))

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday"),
        CheckConstraint("pair_number BETWEEN 1 AND 8", name="pair"),
        CheckConstraint("hours IN (1, 2)", name="hours"),
    )


class TimetableChange(db.Model):
    """A dated change of the timetable: a slot cancelled or moved to another date and pair."""

    __tablename__ = "journal_timetable_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("journal_timetable_slot.id"), index=True)
    on_date: Mapped[date]
    cancelled: Mapped[bool] = mapped_column(default=False)
    moved_to_date: Mapped[date | None]
    moved_to_pair: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (UniqueConstraint("slot_id", "on_date"),)


class Lesson(db.Model):
    """A lesson as recorded in the journal; edits keep history (``LessonHistory``)."""

    __tablename__ = "journal_lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("journal_teaching_load.id"))
    date: Mapped[date]
    pair_number: Mapped[int]
    hours: Mapped[int] = mapped_column(default=2)
    topic: Mapped[str] = mapped_column(Text, default="")
    work_type: Mapped[str] = mapped_column(String(20), default="lecture")
    homework: Mapped[str] = mapped_column(Text, default="")
    homework_due: Mapped[date | None]
    #: the tasks done in the lesson (KTIS 3.13: «выполненные задания и тип этих заданий»)
    tasks_done: Mapped[str] = mapped_column(Text, default="", server_default="")
    taught_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("load_id", "date", "pair_number"),
        Index("ix_journal_lesson_load_date", "load_id", "date"),
        CheckConstraint("hours IN (1, 2)", name="hours"),
    )


class LessonHistory(db.Model):
    """Every change of a lesson's record: who, when, the old and the new values."""

    __tablename__ = "journal_lesson_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("journal_lesson.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    #: why a lesson past its edit window was changed (the administrator's correction)
    reason: Mapped[str | None] = mapped_column(Text)
