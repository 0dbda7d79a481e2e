"""A student's parents (legal representatives): added, changed and removed with a reason.

Where the curator keeps the data (BTT 3.4) the curator's change is made at once; where the
administrator does (KTIS 3.12) the curator's monthly check proposes it (``FamilyChange``) and the
administrator applies the group's whole list in one go, all or nothing. Who edits is the policy
``people.contact_editor`` (``policy.check("people.family.edit", …)``); scope is the caller's.
Every change is audited with what was before.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from core import audit
from core.errors import DomainError
from core.extensions import db
from core.models import utcnow
from core.people import accounts
from core.people.contacts import normalize_email, normalize_phone
from core.people.models import FamilyChange, Group, Guardian, Student, StudentGuardian, User

FIELDS = ("last_name", "first_name", "middle_name", "relation", "phone", "email")


def clean(data: dict) -> dict:
    """The form's values trimmed and normalised; ``DomainError`` (Russian) when wrong."""
    out = {name: ((data.get(name) or "").strip() or None) for name in FIELDS}
    problems = []
    if not out["last_name"] or not out["first_name"]:
        problems.append(_("Укажите фамилию и имя родителя."))
    for name, limit in (("last_name", 80), ("first_name", 80), ("middle_name", 80),
                        ("relation", 40)):
        if out[name] and len(out[name]) > limit:
            problems.append(_("Слишком длинное значение: не больше %(n)s знаков.", n=limit))
    try:
        out["phone"] = normalize_phone(out["phone"])
    except ValueError as exc:
        problems.append(str(exc))
    try:
        out["email"] = normalize_email(out["email"])
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        raise DomainError(" ".join(dict.fromkeys(problems)))
    out["relation"] = out["relation"] or ""
    return out


def _reason(reason: str | None, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError(_("Укажите причину изменения."))
    if len(reason) > 500:
        raise DomainError(_("Причина — не длиннее 500 знаков."))
    return reason


def _link(student: Student, guardian: Guardian) -> StudentGuardian | None:
    return db.session.get(StudentGuardian, (student.id, guardian.id))


def _snapshot(guardian: Guardian, link: StudentGuardian | None) -> dict:
    return {"last_name": guardian.last_name, "first_name": guardian.first_name,
            "middle_name": guardian.middle_name, "phone": guardian.phone,
            "email": guardian.email, "relation": link.relation if link else None}


def _same_person(data: dict) -> Guardian | None:
    """A parent already in the journal with the same surname, name and phone (a brother's or a
    sister's): linked rather than entered twice. Nothing is found without a phone."""
    if not data["phone"]:
        return None
    return db.session.scalar(select(Guardian).where(
        Guardian.last_name == data["last_name"], Guardian.first_name == data["first_name"],
        Guardian.phone == data["phone"]).limit(1))


def add_parent(actor: User, student: Student, data: dict, reason: str = "",
               create_account: bool = False):
    """Link a parent to ``student`` (an existing record of the same person, or a new one);
    with ``create_account`` a login is issued. Return ``(guardian, slip or None)``."""
    data = clean(data)
    reason = _reason(reason, False)
    guardian = _same_person(data)
    if guardian is not None and _link(student, guardian) is not None:
        raise DomainError(_("%(name)s уже указан(а) родителем этого обучающегося.",
                            name=guardian.full_name))
    if guardian is None:
        guardian = Guardian(last_name=data["last_name"], first_name=data["first_name"],
                            middle_name=data["middle_name"], phone=data["phone"],
                            email=data["email"])
        db.session.add(guardian)
        db.session.flush()
    link = StudentGuardian(student_id=student.id, guardian_id=guardian.id,
                           relation=data["relation"])
    db.session.add(link)
    db.session.flush()
    db.session.expire(student, ["guardians"])
    audit.record("people.family.add", guardian, actor=actor, after={
        **_snapshot(guardian, link), "student_id": student.id}, note=reason or None)
    slip = None
    if create_account and guardian.user_id is None:
        [slip] = accounts.issue_family_accounts([], [guardian], actor)
    return guardian, slip


def edit_parent(actor: User, student: Student, guardian: Guardian, data: dict,
                reason: str) -> bool:
    """Change a parent's name, contacts and relation to ``student``, with a reason; whether
    anything changed."""
    link = _link(student, guardian)
    if link is None:
        raise DomainError(_("Этот родитель у обучающегося уже не указан."), status=409)
    data = clean(data)
    reason = _reason(reason, True)
    before = _snapshot(guardian, link)
    guardian.last_name, guardian.first_name = data["last_name"], data["first_name"]
    guardian.middle_name = data["middle_name"]
    guardian.phone, guardian.email = data["phone"], data["email"]
    if guardian.user is not None:
        guardian.user.phone, guardian.user.email = data["phone"], data["email"]
    link.relation = data["relation"]
    after = _snapshot(guardian, link)
    if before == after:
        return False
    audit.record("people.family.edit", guardian, actor=actor, before=before,
                 after={**after, "student_id": student.id}, note=reason)
    return True


def remove_parent(actor: User, student: Student, guardian: Guardian, reason: str) -> None:
    """Take a parent off ``student``, with a reason (the record stays for the history); a parent
    left with no child loses the account's access at once."""
    link = _link(student, guardian)
    if link is None:
        raise DomainError(_("Этот родитель у обучающегося уже не указан."), status=409)
    reason = _reason(reason, True)
    before = {**_snapshot(guardian, link), "student_id": student.id}
    db.session.execute(delete(StudentGuardian).where(
        StudentGuardian.student_id == student.id, StudentGuardian.guardian_id == guardian.id))
    db.session.expire(student, ["guardians"])
    db.session.expire(guardian, ["children"])
    audit.record("people.family.remove", guardian, actor=actor, before=before, note=reason)
    if guardian.user is not None and not guardian.children:
        accounts.set_active(guardian.user, False, actor)


# --- proposals (KTIS 3.12) ---------------------------------------------------------------------


def propose(actor: User, group: Group, student: Student, kind: str,
            guardian: Guardian | None = None, data: dict | None = None,
            reason: str = "") -> FamilyChange:
    """The curator's proposed change, checked now as it would be applied."""
    if kind not in FamilyChange.KINDS:
        raise DomainError(_("Неизвестное изменение."))
    reason = _reason(reason, kind != "add")
    if kind != "add" and (guardian is None or _link(student, guardian) is None):
        raise DomainError(_("Этот родитель у обучающегося уже не указан."), status=409)
    clean_data = clean(data or {}) if kind != "remove" else {}
    change = FamilyChange(group_id=group.id, student_id=student.id,
                          guardian_id=guardian.id if guardian else None, kind=kind,
                          data=clean_data, reason=reason, proposed_by_id=actor.id)
    db.session.add(change)
    db.session.flush()
    audit.record("people.family.propose", change, actor=actor,
                 after={"kind": kind, "student_id": student.id,
                        "guardian_id": change.guardian_id, **clean_data}, note=reason or None)
    return change


def pending(group_id: int) -> list[FamilyChange]:
    return list(db.session.scalars(select(FamilyChange).where(
        FamilyChange.group_id == group_id, FamilyChange.state == "proposed")
        .order_by(FamilyChange.id)))


def pending_groups() -> list[tuple[Group, int]]:
    """The groups with proposals waiting for the administrator, and how many."""
    from sqlalchemy import func

    rows = db.session.execute(
        select(Group, func.count(FamilyChange.id)).join(FamilyChange,
                                                        FamilyChange.group_id == Group.id)
        .where(FamilyChange.state == "proposed").group_by(Group.id).order_by(Group.name)).all()
    return [(group, count) for group, count in rows]


def apply_changes(actor: User, group: Group, ids: list[int]) -> int:
    """Apply the group's proposals ``ids`` (what the administrator saw) in one go: every one or,
    if any fails, none (``DomainError`` naming it). The number applied."""
    changes = pending(group.id)
    if not changes or sorted(ids) != [c.id for c in changes]:
        raise DomainError(_("Список изменений обновился: откройте его снова и проверьте."),
                          status=409)
    slips = []
    savepoint = db.session.begin_nested()
    try:
        for number, change in enumerate(changes, 1):
            student = db.session.get(Student, change.student_id)
            guardian = db.session.get(Guardian, change.guardian_id) if change.guardian_id \
                else None
            try:
                if change.kind == "add":
                    _guardian, slip = add_parent(actor, student, change.data, change.reason)
                    slips.append(slip)
                elif change.kind == "edit":
                    edit_parent(actor, student, guardian, change.data, change.reason)
                else:
                    remove_parent(actor, student, guardian, change.reason)
            except DomainError as exc:
                raise DomainError(_("Изменение %(n)s (%(who)s) не применяется: %(why)s Ни одно "
                                    "изменение списка не внесено.", n=number,
                                    who=student.short_name, why=exc.message),
                                  status=409) from None
            change.state, change.decided_by_id, change.decided_at = "applied", actor.id, utcnow()
        savepoint.commit()
    except DomainError:
        savepoint.rollback()
        raise
    audit.record("people.family.apply", group, actor=actor,
                 after={"changes": [c.id for c in changes]})
    return len(changes)


def return_changes(actor: User, group: Group, note: str) -> int:
    """The administrator returns the group's proposals to the curator with a reason."""
    note = _reason(note, True)
    changes = pending(group.id)
    for change in changes:
        change.state, change.decided_by_id, change.decided_at = "returned", actor.id, utcnow()
        change.decision_note = note
    audit.record("people.family.return", group, actor=actor,
                 after={"changes": [c.id for c in changes]}, note=note)
    return len(changes)
