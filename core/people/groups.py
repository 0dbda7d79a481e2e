"""Departments, specialties, groups with curators, subgroups, and moving groups up a course."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from core import audit
from core.calendar.models import AcademicYear
from core.calendar.years import set_current
from core.errors import DomainError
from core.extensions import db
from core.people.models import (
    Department,
    Group,
    GroupMembership,
    Movement,
    RoleAssignment,
    Specialty,
    Student,
    Subgroup,
    SubgroupMembership,
    User,
)
from core.people.roles import Role, ScopeKind

SPECIALTY_CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
FORMS_OF_STUDY = ("очная", "очно-заочная", "заочная")


def add_department(name: str) -> Department:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Введите название отделения."))
    if db.session.scalar(select(Department.id).where(Department.name == name)):
        raise DomainError(_("Отделение «%(name)s» уже есть.", name=name))
    department = Department(name=name)
    db.session.add(department)
    db.session.flush()
    audit.record("department.create", department, after={"name": name})
    return department


def add_specialty(code: str, name: str, department: Department | None, courses: int = 4) -> Specialty:
    code, name = (code or "").strip(), (name or "").strip()
    if not SPECIALTY_CODE_RE.match(code):
        raise DomainError(_("Код специальности — три пары цифр через точку, например «15.02.08»."))
    if not name:
        raise DomainError(_("Введите название специальности."))
    if not 1 <= courses <= 6:
        raise DomainError(_("Число курсов — от 1 до 6."))
    if db.session.scalar(select(Specialty.id).where(Specialty.code == code)):
        raise DomainError(_("Специальность с кодом %(code)s уже есть.", code=code))
    specialty = Specialty(code=code, name=name, department=department, courses=courses)
    db.session.add(specialty)
    db.session.flush()
    audit.record("specialty.create", specialty, after={"code": code, "name": name, "courses": courses})
    return specialty


@dataclass
class GroupData:
    name: str
    specialty: Specialty
    course: int
    form_of_study: str
    admission_year: int
    curator: User | None
    year: AcademicYear | None


def save_group(data: GroupData, group: Group | None = None) -> Group:
    """Create or change a group; setting a curator gives them the curator role for this group."""
    name = (data.name or "").strip()
    problems = []
    if not name:
        problems.append(_("Введите название группы."))
    same = db.session.scalar(select(Group.id).where(Group.name == name))
    if same is not None and (group is None or same != group.id):
        problems.append(_("Группа «%(name)s» уже есть.", name=name))
    if not 1 <= data.course <= data.specialty.courses:
        problems.append(_("Курс — от 1 до %(n)s (столько курсов у специальности).",
                          n=data.specialty.courses))
    if data.form_of_study not in FORMS_OF_STUDY:
        problems.append(_("Неизвестная форма обучения."))
    if not 1990 <= data.admission_year <= 2100:
        problems.append(_("Год набора указан неверно."))
    if data.curator is not None and not data.curator.has_role(Role.TEACHER, Role.CURATOR):
        problems.append(_("Руководителем группы может быть только преподаватель."))
    if problems:
        raise DomainError(" ".join(problems))
    before = None if group is None else _group_snapshot(group)
    old_curator_id = None if group is None else group.curator_id
    if old_curator_id != (data.curator.id if data.curator else None):
        _check_may_appoint_curator()
    if group is None:
        group = Group(name=name, specialty=data.specialty, course=data.course,
                      admission_year=data.admission_year)
        db.session.add(group)
    group.name, group.specialty, group.course = name, data.specialty, data.course
    group.form_of_study, group.admission_year = data.form_of_study, data.admission_year
    group.year = data.year
    group.curator = data.curator
    db.session.flush()
    new_curator_id = data.curator.id if data.curator else None
    if old_curator_id != new_curator_id:
        _move_curator_role(group, old_curator_id, new_curator_id)
    audit.record("group.create" if before is None else "group.update", group,
                 before=before, after=_group_snapshot(group))
    return group


def _check_may_appoint_curator() -> None:
    """Where the director appoints (``people.appointed_by``, BTT 4.7.2) a group's curator is
    set by an appointment, not by the group's form."""
    from flask import has_request_context
    from flask_login import current_user

    from core.people.appointments import director_appoints

    if not has_request_context() or not current_user.is_authenticated:
        return  # an import, the demo, a command
    if director_appoints() and not current_user.has_role(Role.DIRECTOR):
        raise DomainError(_("Руководителя группы назначает директор приказом: страница "
                            "«Назначения сотрудников». Остальные данные группы сохраните без "
                            "изменения руководителя."), status=403)


def _move_curator_role(group: Group, old_id: int | None, new_id: int | None) -> None:
    if old_id is not None:
        db.session.execute(delete(RoleAssignment).where(
            RoleAssignment.user_id == old_id, RoleAssignment.role == Role.CURATOR,
            RoleAssignment.scope_kind == ScopeKind.GROUP, RoleAssignment.scope_id == group.id))
        old = db.session.get(User, old_id)
        if old is not None:
            db.session.expire(old, ["roles"])
    if new_id is not None:
        db.session.add(RoleAssignment(user_id=new_id, role=Role.CURATOR,
                                      scope_kind=ScopeKind.GROUP, scope_id=group.id))
        db.session.flush()
        db.session.expire(db.session.get(User, new_id), ["roles"])
    audit.record("group.curator", group, before={"curator_id": old_id}, after={"curator_id": new_id})


def _group_snapshot(group: Group) -> dict:
    return {"name": group.name, "specialty_id": group.specialty_id, "course": group.course,
            "form_of_study": group.form_of_study, "admission_year": group.admission_year,
            "curator_id": group.curator_id, "year_id": group.year_id}


def split_group(group: Group, label: str, count: int) -> list[Subgroup]:
    """Split ``group`` into ``count`` (2 or 3) subgroups under ``label`` («Иностранный язык»)."""
    label = (label or "").strip()
    if count not in (2, 3):
        raise DomainError(_("Группу можно разделить на 2 или 3 подгруппы."))
    if db.session.scalar(select(Subgroup.id).where(Subgroup.group_id == group.id,
                                                   Subgroup.label == label)):
        raise DomainError(_("Деление «%(label)s» у группы уже есть.", label=label or "—"))
    made = [Subgroup(group=group, label=label, number=number) for number in range(1, count + 1)]
    db.session.add_all(made)
    db.session.flush()
    audit.record("group.split", group, after={"label": label, "count": count})
    return made


def curator_candidates() -> list[User]:
    """Active staff who may be a group's curator: teachers (and those already curators)."""
    return list(db.session.scalars(
        select(User).join(RoleAssignment)
        .where(User.active, RoleAssignment.role.in_((Role.TEACHER, Role.CURATOR)))
        .distinct().order_by(User.last_name, User.first_name)
    ))


def course_in(group: Group, year: AcademicYear) -> int:
    """The course ``group`` studied in ``year``: the year opening moves a group up one course a
    year, so an earlier year's course is its course now less the years since; a later year (or
    a group without a year) leaves it as it is."""
    if group.year is None or year.starts_on >= group.year.starts_on:
        return group.course
    return max(1, group.course - (group.year.starts_on.year - year.starts_on.year))


@dataclass(frozen=True)
class PromotionResult:
    promoted: list[Group]
    graduated: list[Group]
    graduates: int


def open_next_year(new_year: AcademicYear, graduation_date: date, order_no: str,
                   actor: User | None = None) -> PromotionResult:
    """Next year's opening: every group of the study moves up a course; the last course graduates.

    Graduates get a ``graduated`` movement on ``graduation_date`` under ``order_no``; their group
    and subgroup memberships close on that day and their group is marked graduated. Then
    ``new_year`` becomes the current year.
    """
    order_no = (order_no or "").strip()
    if not order_no:
        raise DomainError(_("Укажите номер приказа о выпуске."))
    if new_year.is_current:
        raise DomainError(_("Этот учебный год уже открыт."))
    if graduation_date >= new_year.starts_on:
        raise DomainError(_("Дата выпуска должна быть раньше начала нового учебного года."))
    groups = list(db.session.scalars(
        select(Group).join(Specialty).where(Group.graduated.is_(False)).order_by(Group.name)
    ))
    promoted, finished = [], []
    for group in groups:
        if group.course >= group.specialty.courses:
            finished.append(group)
        else:
            promoted.append(group)
    graduates = graduate_groups(finished, graduation_date, order_no, actor) if finished else 0
    for group in promoted:
        group.course += 1
        group.year = new_year
    db.session.flush()
    set_current(new_year)
    audit.record("year.open_next", new_year, actor=actor, after={
        "promoted": [g.name for g in promoted], "graduated": [g.name for g in finished],
        "graduates": graduates, "order_no": order_no, "graduation_date": graduation_date})
    return PromotionResult(promoted, finished, graduates)


def graduate_groups(groups: list[Group], on: date, order_no: str, actor: User | None) -> int:
    """The graduation order for ``groups``: their studying students get a ``graduated``
    movement on ``on``, their memberships close that day, the groups are marked graduated.
    Returns how many students graduated."""
    group_ids = [g.id for g in groups]
    open_memberships = db.session.execute(
        select(GroupMembership.id, GroupMembership.student_id, GroupMembership.group_id)
        .join(Student, Student.id == GroupMembership.student_id)
        .where(GroupMembership.group_id.in_(group_ids), GroupMembership.left_on.is_(None),
               Student.status == "studying")
    ).all()
    student_ids = [row.student_id for row in open_memberships]
    if student_ids:
        db.session.execute(update(GroupMembership)
                           .where(GroupMembership.id.in_([row.id for row in open_memberships]))
                           .values(left_on=on))
        subgroup_ids = select(Subgroup.id).where(Subgroup.group_id.in_(group_ids))
        db.session.execute(update(SubgroupMembership)
                           .where(SubgroupMembership.subgroup_id.in_(subgroup_ids),
                                  SubgroupMembership.to_date.is_(None))
                           .values(to_date=on))
        db.session.execute(update(Student).where(Student.id.in_(student_ids))
                           .values(status="graduated"))
        db.session.add_all(
            Movement(student_id=row.student_id, kind="graduated", on_date=on, order_no=order_no,
                     from_group_id=row.group_id, created_by_id=getattr(actor, "id", None))
            for row in open_memberships
        )
    for group in groups:
        group.graduated = True
    db.session.flush()
    return len(student_ids)
