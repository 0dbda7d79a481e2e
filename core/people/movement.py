"""Student movement (KTIS 3.4, BTT 4.2.2): transfer, academic leave, return, expulsion, graduation.

Each is an order with a date and a number: a ``Movement`` row is written, the current group
membership ends the day before the date (records up to then stay in the old group's journal)
and, for a transfer or a return, a new membership starts on the date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import audit
from core.errors import DomainError
from core.extensions import db
from core.people.models import (
    Group,
    GroupMembership,
    Movement,
    Student,
    Subgroup,
    SubgroupMembership,
)

if TYPE_CHECKING:
    from core.people.models import User

#: the student's status after each kind of order
STATUS_AFTER = {
    "transferred": "studying",
    "leave": "leave",
    "returned": "studying",
    "expelled": "expelled",
    "graduated": "graduated",
}

STATUS_TITLES = {
    "studying": _l("Обучается"),
    "leave": _l("В академическом отпуске"),
    "expelled": _l("Отчислен"),
    "graduated": _l("Выпущен"),
}

#: which orders are possible in each status
ALLOWED_FROM = {
    "transferred": {"studying"},
    "leave": {"studying"},
    "returned": {"leave", "expelled"},
    "expelled": {"studying", "leave"},
    "graduated": {"studying"},
}

NEEDS_GROUP = {"transferred", "returned"}


def current_membership(student_id: int) -> GroupMembership | None:
    return db.session.scalar(
        select(GroupMembership)
        .where(GroupMembership.student_id == student_id, GroupMembership.left_on.is_(None))
        .order_by(GroupMembership.joined_on.desc())
        .limit(1)
    )


def group_on(student_id: int, day: date) -> int | None:
    """The id of the group the student belonged to on ``day``."""
    return db.session.scalar(
        select(GroupMembership.group_id)
        .where(GroupMembership.student_id == student_id, GroupMembership.joined_on <= day,
               (GroupMembership.left_on.is_(None)) | (GroupMembership.left_on >= day))
        .order_by(GroupMembership.joined_on.desc()).limit(1))


def last_membership(student_id: int) -> GroupMembership | None:
    return db.session.scalar(
        select(GroupMembership).where(GroupMembership.student_id == student_id)
        .order_by(GroupMembership.joined_on.desc(), GroupMembership.id.desc()).limit(1)
    )


def _leave_subgroups(student_id: int, group_id: int, last_day: date) -> None:
    """The student's places in the old group's subgroups end with the group membership."""
    open_places = db.session.scalars(
        select(SubgroupMembership)
        .join(Subgroup, Subgroup.id == SubgroupMembership.subgroup_id)
        .where(SubgroupMembership.student_id == student_id, Subgroup.group_id == group_id,
               SubgroupMembership.to_date.is_(None))
    )
    for place in open_places:
        place.to_date = max(last_day, place.from_date)


def move_student(student: Student, kind: str, on_date: date, order_no: str, actor: User | None,
                 to_group: Group | None = None, note: str = "") -> Movement:
    """Carry out an order about ``student``; refuse (``DomainError``, Russian) what cannot be."""
    if kind not in STATUS_AFTER:
        raise DomainError(_("Неизвестный вид приказа."))
    order_no = (order_no or "").strip()
    if not order_no:
        raise DomainError(_("Укажите номер приказа."))
    if student.status not in ALLOWED_FROM[kind]:
        raise DomainError(_("Нельзя: обучающийся сейчас в статусе «%(status)s».",
                            status=STATUS_TITLES[student.status]))
    if kind in NEEDS_GROUP and to_group is None:
        raise DomainError(_("Выберите группу."))
    if to_group is not None and to_group.graduated:
        raise DomainError(_("Эта группа уже выпущена."))
    current = current_membership(student.id)
    latest = last_membership(student.id)
    if latest is not None and on_date <= latest.joined_on:
        raise DomainError(_("Дата приказа должна быть позже %(day)s (начала последнего "
                            "пребывания в группе).", day=f"{latest.joined_on:%d.%m.%Y}"))
    if current is not None and kind == "transferred" and to_group.id == current.group_id:
        raise DomainError(_("Обучающийся уже в этой группе."))
    if kind == "returned" and latest is not None and latest.left_on is not None \
            and on_date <= latest.left_on:
        raise DomainError(_("Дата восстановления должна быть позже %(day)s.",
                            day=f"{latest.left_on:%d.%m.%Y}"))
    from_group_id = current.group_id if current is not None else None
    if current is not None:
        current.left_on = on_date - timedelta(days=1)
        _leave_subgroups(student.id, current.group_id, current.left_on)
    if kind in NEEDS_GROUP:
        db.session.add(GroupMembership(student_id=student.id, group_id=to_group.id,
                                       joined_on=on_date))
    before = student.status
    student.status = STATUS_AFTER[kind]
    movement = Movement(student_id=student.id, kind=kind, on_date=on_date, order_no=order_no,
                        from_group_id=from_group_id,
                        to_group_id=to_group.id if to_group is not None else None,
                        note=note.strip(), created_by_id=getattr(actor, "id", None))
    db.session.add(movement)
    db.session.flush()
    audit.record(f"people.student.{kind}", student, actor=actor,
                 before={"status": before, "group_id": from_group_id},
                 after={"status": student.status, "group_id": movement.to_group_id,
                        "date": on_date, "order_no": order_no})
    return movement


def group_members(group_id: int, start: date, end: date) -> list[tuple[int, str]]:
    """(id, full name) of the group's members at any time between two dates, by name."""
    from core.people.models import full_name

    rows = db.session.execute(
        select(Student.id, Student.last_name, Student.first_name, Student.middle_name)
        .join(GroupMembership, GroupMembership.student_id == Student.id)
        .where(GroupMembership.group_id == group_id, GroupMembership.joined_on <= end,
               (GroupMembership.left_on.is_(None)) | (GroupMembership.left_on >= start))
        .order_by(Student.last_name, Student.first_name, Student.middle_name)).all()
    seen: dict[int, str] = {}
    for student_id, last, first, middle in rows:
        seen.setdefault(student_id, full_name(last, first, middle))
    return list(seen.items())
