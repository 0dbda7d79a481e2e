"""The address book as people read it: the contacts of ``core.people.scope.address_book`` with
their names and why they are there, grouped for a select list."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.people import scope
from core.people.models import Group, RoleAssignment, Student, User, short_name
from core.people.roles import STAFF, role_title
from core.people.signers import curator_title
from plugins.messaging.services import role_title as addressable_title

Choices = dict[str | None, list[tuple[str, str]]]


def _names(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return {row.id: " ".join(p for p in (row.last_name, row.first_name, row.middle_name) if p)
            for row in db.session.execute(select(User.id, User.last_name, User.first_name,
                                                 User.middle_name).where(User.id.in_(ids)))}


def _students(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return {row.id: short_name(row.last_name, row.first_name, row.middle_name)
            for row in db.session.execute(select(Student.id, Student.last_name,
                                                 Student.first_name, Student.middle_name)
                                          .where(Student.id.in_(ids)))}


def _staff_roles(ids) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for user_id, role in db.session.execute(select(RoleAssignment.user_id, RoleAssignment.role)
                                            .where(RoleAssignment.user_id.in_(set(ids)))
                                            .order_by(RoleAssignment.role)):
        if role in STAFF and role_title(role) not in found.get(user_id, []):
            found.setdefault(user_id, []).append(role_title(role))
    return {user_id: ", ".join(titles) for user_id, titles in found.items()}


def choices(user: User, group_id: int | None = None) -> Choices:
    """``{section: [(value, label), ...]}`` of everyone ``user`` may write to (a few queries)."""
    book = scope.address_book(user, group_id=group_id)
    contacts = book.contacts
    names = _names(c.user_id for c in contacts)
    students = _students(c.student_id for c in contacts if c.student_id)
    groups = dict(db.session.execute(select(Group.id, Group.name).where(
        Group.id.in_({c.group_id for c in contacts if c.group_id}))).all()) if contacts else {}
    several = len({c.student_id for c in contacts if c.kind in ("teacher", "curator")}) > 1
    found: Choices = {}
    staff: dict[int, list[str]] = {}
    families: dict[tuple[str, int], dict[int, list[str]]] = {}
    for contact in contacts:
        if contact.kind == "teacher":
            why = contact.discipline + (f" ({students.get(contact.student_id, '')})"
                                        if several else "")
            staff.setdefault(contact.user_id, []).append(why)
        elif contact.kind == "curator":
            staff.setdefault(contact.user_id, []).append(
                _("%(title)s, %(group)s", title=curator_title(False),
                  group=groups.get(contact.group_id, "")))
        elif contact.kind == "staff":
            staff.setdefault(contact.user_id, [])
        else:
            people = families.setdefault((contact.kind, contact.group_id), {})
            notes = people.setdefault(contact.user_id, [])
            if contact.kind == "parent":
                notes.append(students.get(contact.student_id, ""))
    if staff:
        titles = _staff_roles(u for u, notes in staff.items() if not notes)
        found[_("Сотрудники")] = sorted(
            ((f"user:{u}", f"{names.get(u, '')} — " + ("; ".join(dict.fromkeys(notes))
                                                      if notes else titles.get(u, "")))
             for u, notes in staff.items() if u in names), key=lambda item: item[1])
    for (kind, group), people in sorted(families.items(),
                                        key=lambda item: (groups.get(item[0][1], ""),
                                                          item[0][0] != "student")):
        section = (_("%(group)s: обучающиеся", group=groups.get(group, "")) if kind == "student"
                   else _("%(group)s: родители", group=groups.get(group, "")))
        found[section] = sorted(
            ((f"user:{u}", names.get(u, "") + (" — " + _("родитель: %(children)s",
                                                          children=", ".join(sorted(set(notes))))
                                               if notes else ""))
             for u, notes in people.items() if u in names), key=lambda item: item[1])
    if book.roles:
        found[_("Администрация")] = [(f"role:{role}", addressable_title(role))
                                     for role in book.roles]
    return found


def group_choices(user: User) -> list[tuple[int, str]]:
    """The groups whose families the administration's book opens one at a time."""
    if not scope.may_write_to_many(user):
        return []
    return [(g.id, g.name) for g in scope.visible_groups(user) if not g.graduated]
