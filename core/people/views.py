"""People pages: groups, the student card, contacts, movement, credentials, staff accounts.

Views parse the request, ask ``core.people.scope`` (404 outside scope) and ``core.policy``
(403 with a Russian reason), call the services in ``accounts``/``movement`` and render.
"""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import audit, policy, settings
from core.calendar.clock import college_today
from core.errors import DomainError
from core.extensions import db
from core.params import arg_id, to_id
from core.people import accounts, appointments, family, scope
from core.people.access import permission_required
from core.people.contacts import contact_problems, edit_contacts
from core.people.forms import (
    AppointmentForm,
    ContactForm,
    FamilyAccountsForm,
    GuardianForm,
    MovementForm,
    ReasonForm,
    RevokeForm,
    StaffForm,
)
from core.people.models import (
    Appointment,
    Department,
    FamilyChange,
    Group,
    GroupMembership,
    Guardian,
    Movement,
    RoleAssignment,
    Student,
    StudentGuardian,
    Subgroup,
    SubgroupMembership,
    SubjectCommission,
    User,
    short_names,
)
from core.people.movement import STATUS_TITLES, move_student
from core.people.permissions import can
from core.people.roles import ROLE_SCOPE, STAFF, Role, ScopeKind, role_title, role_titles
from core.web import error_response

bp = Blueprint("people", __name__, url_prefix="/people")

STAFF_ROLES = tuple(STAFF)


def _me():
    return current_user._get_current_object()


def _group_students(group_id: int, current_only: bool = True) -> list[Student]:
    query = (select(Student).join(GroupMembership, GroupMembership.student_id == Student.id)
             .where(GroupMembership.group_id == group_id)
             .order_by(Student.last_name, Student.first_name)
             .options(selectinload(Student.user),
                      selectinload(Student.guardians).selectinload(Guardian.user)))
    if current_only:
        query = query.where(GroupMembership.left_on.is_(None))
    return list(db.session.scalars(query.distinct()))


def _slips_page(slips, title):
    response = make_response(render_template("people/slips.html", slips=slips, title=title,
                                             college=settings.get("college.name")))
    response.headers["Cache-Control"] = "no-store"  # the passwords are shown once
    return response


# --- groups ------------------------------------------------------------------------------------


@bp.get("/groups")
@permission_required("people.groups.view")
def groups():
    return render_template("people/groups.html", groups=scope.visible_groups(_me()))


@bp.get("/groups/<int:group_id>")
@permission_required("people.groups.view")
def group(group_id: int):
    found = scope.group_or_404(_me(), group_id)
    can_manage = scope.can_access_group(_me(), group_id, scope.MANAGE)
    students = _group_students(group_id)
    page = render_template("people/group.html", group=found, students=students,
                           can_manage=can_manage, status_titles=STATUS_TITLES,
                           can_see_contacts=scope.can_see_group_contacts(_me(), group_id))
    audit.record_bulk_read("people.group.roster", found, count=len(students))  # 152-ФЗ
    return page


@bp.route("/groups/<int:group_id>/accounts", methods=["GET", "POST"])
@permission_required("people.group.manage")
def family_accounts(group_id: int):
    """A curator issues logins to the students and parents of their group in one batch."""
    found = scope.group_or_404(_me(), group_id, scope.MANAGE)
    students = _group_students(group_id)
    guardians = sorted({g.id: g for s in students for g in s.guardians}.values(),
                       key=lambda g: (g.last_name, g.first_name))
    form = FamilyAccountsForm()
    if form.validate_on_submit():
        student_ids = set(form.students.data or ())
        guardian_ids = set(form.guardians.data or ())
        chosen_students = [s for s in students if s.id in student_ids]
        chosen_guardians = [g for g in guardians if g.id in guardian_ids]
        if len(chosen_students) != len(student_ids) or len(chosen_guardians) != len(guardian_ids):
            return error_response(404)
        if not chosen_students and not chosen_guardians:
            flash(_("Отметьте, кому выдать логины."), "warning")
        else:
            slips = accounts.issue_family_accounts(chosen_students, chosen_guardians, _me(),
                                                   found.name)
            db.session.commit()
            if not slips:
                flash(_("У отмеченных уже есть учётные записи."), "info")
                return redirect(url_for("people.family_accounts", group_id=group_id))
            return _slips_page(slips, _("Логины группы %(name)s", name=found.name))
    elif form.is_submitted():
        return error_response(422, _("Отметки в форме не распознаны. Обновите страницу и "
                                     "повторите."))
    return render_template("people/family_accounts.html", group=found, form=form,
                           students=students, guardians=guardians)


@bp.get("/groups/<int:group_id>/data-check")
@permission_required("people.group.manage")
def data_check(group_id: int):
    """The curator's monthly check of contact data (BTT 3.4)."""
    found = scope.group_or_404(_me(), group_id, scope.MANAGE)
    rows = []
    for student in _group_students(group_id):
        rows.append(("student", student, contact_problems(student), student))
        for guardian in student.guardians:
            rows.append(("guardian", guardian, contact_problems(guardian), student))
    can_edit = bool(policy.check("people.contacts.edit", _me(), found))
    problems = [row for row in rows if row[2]]
    audit.record("people.group.data_check", found, after={"shown": len(problems)})  # 152-ФЗ
    db.session.commit()
    return render_template("people/data_check.html", group=found, rows=problems,
                           checked=len(rows), can_edit=can_edit)


# --- the student card --------------------------------------------------------------------------


@bp.get("/students/<int:student_id>")
@permission_required("people.student.view")
def student(student_id: int):
    me = _me()
    found = scope.student_or_404(me, student_id)
    if scope.is_staff(me):
        audit.record_read("people.student.view", found)  # 152-ФЗ: staff reads of personal data
    memberships = db.session.scalars(
        select(GroupMembership).where(GroupMembership.student_id == student_id)
        .order_by(GroupMembership.joined_on)
    ).all()
    movements = db.session.scalars(
        select(Movement).where(Movement.student_id == student_id).order_by(Movement.on_date)
    ).all()
    can_manage = scope.can_access_student(me, student_id, scope.MANAGE)
    family_mode = None
    if can_manage and can(me, "people.group.manage"):
        decision, proposes = _family_decision(found)
        family_mode = "edit" if decision else "propose" if proposes else None
    return render_template(
        "people/student.html", student=found, memberships=memberships, movements=movements,
        can_manage=can_manage, status_titles=STATUS_TITLES, kinds=Movement.KINDS,
        groups={g.id: g for g in db.session.scalars(select(Group))},
        subgroups=_current_subgroups(student_id),
        can_see_contacts=scope.can_see_contacts(me, found),
        can_edit_contacts=can_manage and bool(policy.check("people.contacts.edit", me, found)),
        can_move=can_manage and can(me, "people.student.move"),
        family_mode=family_mode,
    )


def _current_subgroups(student_id: int) -> list[Subgroup]:
    return list(db.session.scalars(
        select(Subgroup).join(SubgroupMembership, SubgroupMembership.subgroup_id == Subgroup.id)
        .where(SubgroupMembership.student_id == student_id, SubgroupMembership.to_date.is_(None))
        .order_by(Subgroup.label, Subgroup.number)))


def _contacts(person, back_url: str, title: str):
    decision = policy.check("people.contacts.edit", _me(), person)
    if not decision:
        return error_response(decision.status, decision.reason)
    form = ContactForm(obj=person)
    if form.validate_on_submit():
        if edit_contacts(person, form.phone.data, form.email.data):
            db.session.commit()
            flash(_("Контактные данные сохранены."), "success")
        return redirect(back_url)
    status = 422 if form.errors else 200
    return render_template("people/contacts.html", form=form, person=person, title=title,
                           back_url=back_url), status


@bp.route("/students/<int:student_id>/contacts", methods=["GET", "POST"])
@permission_required("people.group.manage")
def student_contacts(student_id: int):
    found = scope.student_or_404(_me(), student_id, scope.MANAGE)
    return _contacts(found, url_for("people.student", student_id=student_id),
                     _("Контакты обучающегося"))


@bp.route("/guardians/<int:guardian_id>/contacts", methods=["GET", "POST"])
@permission_required("people.group.manage")
def guardian_contacts(guardian_id: int):
    found = scope.guardian_or_404(_me(), guardian_id, scope.MANAGE)
    back = arg_id("back")
    back_url = url_for("people.student", student_id=back) if back and any(
        child.id == back for child in found.children) else url_for("people.groups")
    return _contacts(found, back_url, _("Контакты родителя"))


# --- movement ----------------------------------------------------------------------------------


@bp.route("/students/<int:student_id>/movement", methods=["GET", "POST"])
@permission_required("people.student.move")
def movement(student_id: int):
    found = scope.student_or_404(_me(), student_id, scope.MANAGE)
    form = MovementForm()
    open_groups = db.session.scalars(
        select(Group).where(Group.graduated.is_(False)).order_by(Group.course, Group.name)
    ).all()
    form.to_group.choices = [(0, "—")] + [(g.id, g.name) for g in open_groups]
    if form.validate_on_submit():
        to_group = db.session.get(Group, form.to_group.data) if form.to_group.data else None
        try:
            move_student(found, form.kind.data, form.on_date.data, form.order_no.data, _me(),
                         to_group=to_group, note=form.note.data or "")
        except DomainError as exc:
            db.session.rollback()
            form.kind.errors = [*form.kind.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Приказ проведён."), "success")
            return redirect(url_for("people.student", student_id=student_id))
    status = 422 if form.errors else 200
    return render_template("people/movement.html", form=form, student=found,
                           status_titles=STATUS_TITLES), status


# --- passwords ---------------------------------------------------------------------------------


@bp.post("/accounts/<int:user_id>/reset-password")
@permission_required("people.group.manage")
def reset_password(user_id: int):
    account = scope.account_or_404(_me(), user_id)
    form = FamilyAccountsForm()  # CSRF only
    if not form.validate_on_submit():
        return error_response(400)
    slip = accounts.reset_password(account, _me())
    db.session.commit()
    return _slips_page([slip], _("Новый пароль"))


# --- staff accounts (the administrator) --------------------------------------------------------


def _staff_form(user: User | None = None) -> StaffForm:
    form = StaffForm(obj=user)
    form.roles.choices = [(str(r), role_title(r)) for r in accounts.STAFF_ROLES]
    none = [(0, "—")]
    form.department.choices = none + [
        (d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.name))]
    form.commission.choices = none + [
        (c.id, c.name) for c in db.session.scalars(
            select(SubjectCommission).order_by(SubjectCommission.name))]
    form.group.choices = none + [
        (g.id, g.name) for g in db.session.scalars(
            select(Group).where(Group.graduated.is_(False)).order_by(Group.course, Group.name))]
    if user is not None and request.method == "GET":
        form.roles.data = [a.role for a in user.roles if a.role in accounts.STAFF_ROLES]
        scoped = {a.scope_kind: a.scope_id for a in user.roles}
        form.department.data = scoped.get(ScopeKind.DEPARTMENT) or 0
        form.commission.data = scoped.get(ScopeKind.COMMISSION) or 0
        form.group.data = scoped.get(ScopeKind.GROUP) or 0
    return form


def _roles_from(form: StaffForm) -> list[accounts.StaffRole]:
    by_kind = {ScopeKind.DEPARTMENT: form.department.data, ScopeKind.COMMISSION:
               form.commission.data, ScopeKind.GROUP: form.group.data}
    roles = []
    for value in form.roles.data:
        role = Role(value)
        roles.append(accounts.StaffRole(role, by_kind.get(ROLE_SCOPE[role]) or None))
    return roles


def _appointed_roles() -> set[str]:
    """The roles the staff form leaves alone: those the director appoints, where they do."""
    return {str(r) for r in appointments.APPOINTABLE} if appointments.director_appoints() \
        else set()


def _check_appointed_roles(user: User | None, roles: list[accounts.StaffRole],
                           form: StaffForm) -> None:
    """Where the director appoints (BTT 4.7.2) the administrator creates the account and gives
    the teacher's and the administration's own roles; the appointed ones stay as they are."""
    if not appointments.director_appoints():
        return
    appointed = {str(r) for r in appointments.APPOINTABLE}
    held = {(a.role, a.scope_id) for a in (user.roles if user else []) if a.role in appointed}
    wanted = {(str(r.role), r.scope_id) for r in roles if str(r.role) in appointed}
    if str(Role.CURATOR) in form.roles.data and not form.group.data:
        wanted |= {(a.role, a.scope_id) for a in (user.roles if user else [])
                   if a.role == Role.CURATOR}
    if wanted != held:
        raise DomainError(_("Заместителя директора, учебно-методическую службу, кураторов "
                            "курса, руководителей ПЦК и руководителей групп назначает директор "
                            "приказом (страница «Назначения сотрудников»)."), status=403)


def _assign_curated_group(user: User, form: StaffForm) -> None:
    """The curator role with a group makes the user that group's curator."""
    if str(Role.CURATOR) in form.roles.data and form.group.data:
        group = db.session.get(Group, form.group.data)
        if group.curator_id != user.id:
            audit.record("people.group.curator", group, before={"curator_id": group.curator_id},
                         after={"curator_id": user.id})
            group.curator_id = user.id
    if str(Role.CURATOR) not in form.roles.data:
        for group in db.session.scalars(select(Group).where(Group.curator_id == user.id)):
            audit.record("people.group.curator", group, before={"curator_id": user.id},
                         after={"curator_id": None})
            group.curator_id = None


@bp.get("/staff")
@permission_required("people.staff.manage")
def staff_list():
    staff_ids = select(RoleAssignment.user_id).where(RoleAssignment.role.in_(STAFF_ROLES))
    staff = db.session.scalars(select(User).where(User.id.in_(staff_ids))
                               .order_by(User.last_name, User.first_name)).all()
    return render_template("people/staff_list.html", users=staff, titles=role_titles())


@bp.route("/staff/new", methods=["GET", "POST"])
@permission_required("people.staff.manage")
def staff_new():
    form = _staff_form()
    if form.validate_on_submit():
        try:
            _check_appointed_roles(None, _roles_from(form), form)
            slip = accounts.create_staff(
                _me(), login=form.login.data, last_name=form.last_name.data.strip(),
                first_name=form.first_name.data.strip(), middle_name=form.middle_name.data,
                email=form.email.data, phone=form.phone.data, roles=_roles_from(form))
            user = db.session.scalar(select(User).where(User.login == slip.login))
            _assign_curated_group(user, form)
        except DomainError as exc:
            db.session.rollback()
            form.login.errors = [*form.login.errors, exc.message]
        else:
            db.session.commit()
            return _slips_page([slip], _("Учётная запись создана"))
    status = 422 if form.errors else 200
    return render_template("people/staff_form.html", form=form, user=None,
                           appointed_roles=_appointed_roles()), status


@bp.route("/staff/<int:user_id>", methods=["GET", "POST"])
@permission_required("people.staff.manage")
def staff_edit(user_id: int):
    user = scope.account_or_404(_me(), user_id)
    if not user.has_role(*STAFF_ROLES):
        return error_response(404)
    form = _staff_form(user)
    if form.validate_on_submit():
        before = accounts.account_snapshot(user)
        try:
            if form.login.data.strip().lower() != user.login:
                raise DomainError(_("Логин не меняется: создайте новую учётную запись."))
            user.last_name = form.last_name.data.strip()
            user.first_name = form.first_name.data.strip()
            user.middle_name = form.middle_name.data or None
            user.email, user.phone = form.email.data, form.phone.data
            _check_appointed_roles(user, _roles_from(form), form)
            accounts.set_staff_roles(user, _roles_from(form))
            if not user.has_role(*STAFF_ROLES):
                raise DomainError(_("Выберите хотя бы одну роль."))
            _assign_curated_group(user, form)
        except DomainError as exc:
            db.session.rollback()
            form.roles.errors = [*form.roles.errors, exc.message]
        else:
            after = accounts.account_snapshot(user)
            if before != after:
                if before["roles"] != after["roles"]:
                    user.session_version += 1  # new rights take effect at the next sign-in
                audit.record("people.staff.edit", user, before=before, after=after)
                db.session.commit()
            flash(_("Учётная запись сохранена."), "success")
            return redirect(url_for("people.staff_list"))
    status = 422 if form.errors else 200
    return render_template("people/staff_form.html", form=form, user=user,
                           appointed_roles=_appointed_roles()), status


@bp.post("/staff/<int:user_id>/active")
@permission_required("people.staff.manage")
def staff_active(user_id: int):
    user = scope.account_or_404(_me(), user_id)
    form = FamilyAccountsForm()  # CSRF only
    if not form.validate_on_submit():
        return error_response(400)
    try:
        accounts.set_active(user, request.form.get("active") == "1", _me())
    except DomainError as exc:
        return error_response(exc.status, exc.message)
    db.session.commit()
    flash(_("Учётная запись включена.") if user.active else
          _("Учётная запись отключена: все её сеансы завершены."), "success")
    return redirect(url_for("people.staff_list"))


# --- for templates -----------------------------------------------------------------------------


@bp.app_template_filter("guardians_of")
def _guardians_of(student: Student) -> list[Guardian]:
    return sorted(student.guardians, key=lambda g: (g.last_name, g.first_name))


# --- parents (BTT 3.4; KTIS 3.12: proposed, applied by the administrator) ----------------------


def _student_group(student: Student) -> Group | None:
    return db.session.scalar(
        select(Group).join(GroupMembership, GroupMembership.group_id == Group.id)
        .where(GroupMembership.student_id == student.id, GroupMembership.left_on.is_(None))
        .limit(1))


def _family_decision(student: Student):
    """``(decision, proposes)``: whether ``me`` edits the student's parents at once, and whether
    they propose instead (a curator where the administrator edits)."""
    decision = policy.check("people.family.edit", _me(), student)
    proposes = not decision and _me().has_role(Role.CURATOR) \
        and policy.policy_value("people.contact_editor") == "administrator"
    return decision, proposes


def _parent_page(student: Student, guardian: Guardian | None):
    decision, proposes = _family_decision(student)
    if not decision and not proposes:
        return error_response(decision.status, decision.reason)
    link = db.session.get(StudentGuardian, (student.id, guardian.id)) if guardian else None
    if guardian is not None and link is None:
        return error_response(404)
    form = GuardianForm(obj=guardian)
    if guardian is not None and request.method == "GET":
        form.relation.data = link.relation
    back = url_for("people.student", student_id=student.id)
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in family.FIELDS}
        try:
            if proposes:
                group = _student_group(student)
                if group is None:
                    raise DomainError(_("Обучающийся не состоит в группе."))
                family.propose(_me(), group, student, "edit" if guardian else "add", guardian,
                               data, form.reason.data)
                db.session.commit()
                flash(_("Изменение внесено в список для администратора ЭЖ: он применит его."),
                      "success")
                return redirect(url_for("people.family_changes", group_id=group.id))
            if guardian is None:
                _new, slip = family.add_parent(_me(), student, data, form.reason.data,
                                               create_account=form.create_account.data)
                db.session.commit()
                if slip is not None:
                    return _slips_page([slip], _("Логин родителя"))
                flash(_("Родитель добавлен."), "success")
            else:
                if family.edit_parent(_me(), student, guardian, data, form.reason.data):
                    db.session.commit()
                    flash(_("Данные родителя сохранены."), "success")
            return redirect(back)
        except DomainError as exc:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, exc.message]
    status = 422 if form.errors else 200
    return render_template("people/parent_form.html", form=form, student=student,
                           guardian=guardian, proposes=proposes, back_url=back,
                           remove_form=ReasonForm(formdata=None)), status


@bp.route("/students/<int:student_id>/parents/new", methods=["GET", "POST"])
@permission_required("people.group.manage")
def parent_new(student_id: int):
    return _parent_page(scope.student_or_404(_me(), student_id, scope.MANAGE), None)


@bp.route("/students/<int:student_id>/parents/<int:guardian_id>", methods=["GET", "POST"])
@permission_required("people.group.manage")
def parent_edit(student_id: int, guardian_id: int):
    student = scope.student_or_404(_me(), student_id, scope.MANAGE)
    guardian = scope.guardian_or_404(_me(), guardian_id, scope.MANAGE)
    return _parent_page(student, guardian)


@bp.post("/students/<int:student_id>/parents/<int:guardian_id>/remove")
@permission_required("people.group.manage")
def parent_remove(student_id: int, guardian_id: int):
    student = scope.student_or_404(_me(), student_id, scope.MANAGE)
    guardian = scope.guardian_or_404(_me(), guardian_id, scope.MANAGE)
    decision, proposes = _family_decision(student)
    if not decision and not proposes:
        return error_response(decision.status, decision.reason)
    form = ReasonForm()
    if not form.validate_on_submit():
        return error_response(422, _("Укажите причину, по которой родитель убирается."))
    try:
        if proposes:
            group = _student_group(student)
            if group is None:
                raise DomainError(_("Обучающийся не состоит в группе."))
            family.propose(_me(), group, student, "remove", guardian, reason=form.reason.data)
            db.session.commit()
            flash(_("Изменение внесено в список для администратора ЭЖ: он применит его."),
                  "success")
            return redirect(url_for("people.family_changes", group_id=group.id))
        family.remove_parent(_me(), student, guardian, form.reason.data)
    except DomainError as exc:
        db.session.rollback()
        return error_response(exc.status, exc.message)
    db.session.commit()
    flash(_("Родитель убран из карточки обучающегося."), "success")
    return redirect(url_for("people.student", student_id=student_id))


@bp.get("/groups/<int:group_id>/family-changes")
@permission_required("people.group.manage")
def family_changes(group_id: int):
    """The group's proposed changes to parents: the curator's list, the administrator's to
    apply (KTIS 3.12)."""
    found = scope.group_or_404(_me(), group_id, scope.MANAGE)
    changes = family.pending(group_id)
    history = db.session.scalars(
        select(FamilyChange).where(FamilyChange.group_id == group_id,
                                   FamilyChange.state != "proposed")
        .order_by(FamilyChange.decided_at.desc(), FamilyChange.id.desc()).limit(50)).all()
    names = short_names({c.proposed_by_id for c in [*changes, *history]}
                        | {c.decided_by_id for c in history})
    return render_template("people/family_changes.html", group=found, changes=changes,
                           history=history, names=names, kinds=FamilyChange.KINDS,
                           can_apply=can(_me(), "people.family.apply"),
                           form=ReasonForm(formdata=None))


@bp.post("/groups/<int:group_id>/family-changes/apply")
@permission_required("people.family.apply")
def family_changes_apply(group_id: int):
    found = scope.group_or_404(_me(), group_id, scope.MANAGE)
    form = FamilyAccountsForm()  # CSRF only
    if not form.validate_on_submit():
        return error_response(400)
    try:
        ids = [to_id(v) for v in request.form.getlist("change")]
    except ValueError:
        return error_response(400, _("Список изменений не распознан. Обновите страницу."))
    try:
        count = family.apply_changes(_me(), found, ids)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("people.family_changes", group_id=group_id)), 303
    db.session.commit()
    flash(_("Изменения применены: %(n)s.", n=count), "success")
    return redirect(url_for("people.family_changes", group_id=group_id))


@bp.post("/groups/<int:group_id>/family-changes/return")
@permission_required("people.family.apply")
def family_changes_return(group_id: int):
    found = scope.group_or_404(_me(), group_id, scope.MANAGE)
    form = ReasonForm()
    if not form.validate_on_submit():
        return error_response(422, _("Укажите, почему список возвращается."))
    count = family.return_changes(_me(), found, form.reason.data)
    db.session.commit()
    flash(_("Список возвращён руководителю группы: %(n)s изм.", n=count), "info")
    return redirect(url_for("people.family_changes_list"))


@bp.get("/family-changes")
@permission_required("people.family.apply")
def family_changes_list():
    return render_template("people/family_changes_list.html", groups=family.pending_groups())


# --- appointments (BTT 4.7.2) ------------------------------------------------------------------


def _appointment_form() -> AppointmentForm:
    form = AppointmentForm()
    staff_ids = select(RoleAssignment.user_id).where(RoleAssignment.role.in_(STAFF_ROLES))
    form.user.choices = [(0, "—")] + [
        (u.id, u.full_name) for u in db.session.scalars(
            select(User).where(User.id.in_(staff_ids), User.active.is_(True))
            .order_by(User.last_name, User.first_name))]
    form.role.choices = [("", "—")] + [(str(r), role_title(r)) for r in appointments.APPOINTABLE]
    none = [(0, "—")]
    form.department.choices = none + [
        (d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.name))]
    form.commission.choices = none + [
        (c.id, c.name) for c in db.session.scalars(
            select(SubjectCommission).order_by(SubjectCommission.name))]
    form.group.choices = none + [
        (g.id, g.name) for g in db.session.scalars(
            select(Group).where(Group.graduated.is_(False)).order_by(Group.course, Group.name))]
    return form


def _appointments_page(form: AppointmentForm, status: int = 200):
    rows = appointments.history()
    names = short_names({a.user_id for a in rows} | {a.created_by_id for a in rows}
                        | {a.revoked_by_id for a in rows})
    today = college_today()
    scopes = {(str(ScopeKind.DEPARTMENT), i): n for i, n in form.department.choices if i}
    scopes |= {(str(ScopeKind.COMMISSION), i): n for i, n in form.commission.choices if i}
    group_ids = {a.scope_id for a in rows if a.scope_kind == ScopeKind.GROUP}
    scopes |= {(str(ScopeKind.GROUP), i): n for i, n in db.session.execute(
        select(Group.id, Group.name).where(Group.id.in_(group_ids)))}
    decision = policy.check("people.appoint", _me(), None)
    return render_template(
        "people/appointments.html", rows=rows, names=names, today=today, scopes=scopes,
        titles=role_titles(), form=form, may_appoint=bool(decision),
        refusal=None if decision else decision.reason, revoke_form=RevokeForm(formdata=None),
        appointer=role_title(appointments.appointer_role())), status


@bp.get("/appointments", endpoint="appointments")
@permission_required("people.appointments.view")
def appointments_page():
    form = _appointment_form()
    form.starts_on.data = college_today()
    return _appointments_page(form)


@bp.post("/appointments")
@permission_required("people.appointments.view")
def appoint():
    decision = policy.check("people.appoint", _me(), None)
    if not decision:
        return error_response(decision.status, decision.reason)
    form = _appointment_form()
    if form.validate_on_submit():
        user = db.session.get(User, form.user.data)
        role = form.role.data
        by_kind = {ScopeKind.DEPARTMENT: form.department.data,
                   ScopeKind.COMMISSION: form.commission.data, ScopeKind.GROUP: form.group.data}
        try:
            if user is None or role not in {str(r) for r in appointments.APPOINTABLE}:
                raise DomainError(_("Выберите сотрудника и роль из списка."))
            appointments.appoint(_me(), user, Role(role),
                                 by_kind.get(ROLE_SCOPE[Role(role)]) or None,
                                 form.starts_on.data, form.ends_on.data, form.order_no.data,
                                 form.note.data or "")
        except DomainError as exc:
            db.session.rollback()
            form.order_no.errors = [*form.order_no.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Назначение проведено."), "success")
            return redirect(url_for("people.appointments"))
    return _appointments_page(form, 422)


@bp.post("/appointments/<int:appointment_id>/revoke")
@permission_required("people.appointments.view")
def appointment_revoke(appointment_id: int):
    decision = policy.check("people.appoint", _me(), None)
    if not decision:
        return error_response(decision.status, decision.reason)
    found = db.session.get(Appointment, appointment_id)
    if found is None:
        return error_response(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        return error_response(422, " ".join(str(e) for errs in form.errors.values() for e in errs))
    try:
        appointments.revoke(_me(), found, form.last_day.data, form.reason.data)
    except DomainError as exc:
        db.session.rollback()
        return error_response(exc.status, exc.message)
    db.session.commit()
    flash(_("Назначение завершено."), "success")
    return redirect(url_for("people.appointments"))
