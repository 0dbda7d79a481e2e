"""The control's pages: the list of checks with the checker's due checks and the form to start
one, a check (its rows, remarks, the term-end checklist, what was fixed since the previous
check; signing), its PDF, the remarks addressed to a teacher or curator with their
acknowledgement, and the internal control plan. Outside scope: 404; a signed check's changes:
409; bad input: 422 with the reason."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core import params
from core.calendar.clock import college_today
from core.errors import DomainError
from core.extensions import db
from core.people import scope
from core.people.models import RoleAssignment, User, short_names
from core.people.permissions import can
from core.policy import policy_value
from plugins.control import plan, printing, rules, services
from plugins.control.models import CHECKER_ROLES

bp = Blueprint("control", __name__, url_prefix="/control", template_folder="templates")


def _staff_or_404() -> None:
    if not scope.is_staff(current_user):
        abort(404)


def _form_date(name: str):
    value = request.form.get(name, "").strip()
    if not value:
        return None
    try:
        return params.to_date(value)
    except ValueError as exc:
        raise DomainError(_("Неверная дата: %(value)s.", value=value[:20])) from exc


@bp.get("/")
@login_required
def index():
    _staff_or_404()
    roles = rules.checker_roles(current_user)
    today = college_today()
    own = rules.dues(current_user.id) if roles else []
    others = [d for d in rules.dues() if d.checker_id != current_user.id] \
        if current_user.has_role("deputy", "director", "admin") else []
    defaults = {role: services.default_period(current_user, role) for role in roles}
    checks = services.listing(current_user) if roles or rules.is_reader(current_user) else []
    names = short_names({c.checker_id for c in checks})
    return render_template(
        "control/index.html", roles=roles, own=own, others=others, today=today,
        defaults=defaults, checks=checks, names=names, kinds=rules.kinds(),
        kind_titles=rules.KIND_TITLES, role_label=rules.role_label,
        title_of=services.title_of, finding_count=services.finding_count,
        remarks=services.remarks_for(current_user),
        teaches=current_user.has_role("teacher", "curator"),
        may_plan=can(current_user, rules.READ) or bool(roles))


@bp.post("/checks")
@login_required
def start():
    _staff_or_404()
    role = request.form.get("role", "")
    kind = request.form.get("kind", "regular")
    check = services.start_check(current_user, role, kind, _form_date("start"),
                                 _form_date("end"))
    db.session.commit()
    return redirect(url_for("control.check_page", check_id=check.id))


@bp.get("/checks/<int:check_id>")
@login_required
def check_page(check_id: int):
    check = services.check_or_404(current_user, check_id)
    rows = services.rows_of(check)
    remarks = {(r.teacher_id, r.load_id): r for r in services.remarks_of(check.id)}
    return render_template(
        "control/check.html", check=check, rows=rows, remarks=remarks,
        acks=services.acknowledgements(check.id) if check.signed else {},
        since=services.since_previous(check),
        checklist=services.checklist(check, rows) if check.kind == "term_end" else [],
        editable=not check.signed and check.checker_id == current_user.id,
        plan_items=services.open_plan_items(check) if not check.signed else [],
        checker=short_names([check.checker_id]).get(check.checker_id, ""),
        role_label=rules.role_label, title=services.title_of(check),
        to_director=policy_value("control.report_results_to_director"))


def _check_for_change(check_id: int):
    return services.check_or_404(current_user, check_id)


def _row_remarks() -> dict[str, str]:
    return {key.removeprefix("row-"): value for key, value in request.form.items()
            if key.startswith("row-")}


@bp.post("/checks/<int:check_id>/remarks")
@login_required
def remarks(check_id: int):
    check = _check_for_change(check_id)
    services.save_remarks(current_user, check, request.form.get("remark", ""), _row_remarks())
    db.session.commit()
    flash(_("Замечания сохранены."), "success")
    return redirect(url_for("control.check_page", check_id=check.id))


@bp.post("/checks/<int:check_id>/tick")
@login_required
def tick(check_id: int):
    check = _check_for_change(check_id)
    services.set_tick(current_user, check, request.form.get("item", ""),
                      request.form.get("ticked") == "1")
    db.session.commit()
    return redirect(url_for("control.check_page", check_id=check.id) + "#checklist")


@bp.post("/checks/<int:check_id>/sign")
@login_required
def sign(check_id: int):
    check = _check_for_change(check_id)
    raw = request.form.get("plan_item", "")
    plan_item = params.parse_id(raw) if raw else None
    if raw and plan_item is None:
        raise DomainError(_("Неверный пункт плана контроля."))
    if "remark" in request.form:  # the check's form: its remarks are saved with the signature
        services.save_remarks(current_user, check, request.form["remark"], _row_remarks())
    services.sign(current_user, check, plan_item)
    db.session.commit()
    flash(_("Проверка подписана."), "success")
    return redirect(url_for("control.check_page", check_id=check.id))


@bp.get("/checks/<int:check_id>/report.pdf")
@login_required
def check_pdf(check_id: int):
    check = services.check_or_404(current_user, check_id)
    if not check.signed:
        raise DomainError(_("Справка формируется по подписанной проверке."), 409)
    content = printing.render(check)
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="control-check-{check.id}.pdf"'})


@bp.post("/remarks/<int:remark_id>/acknowledge")
@login_required
def acknowledge(remark_id: int):
    _staff_or_404()
    services.acknowledge(current_user, remark_id)
    db.session.commit()
    flash(_("Отмечено: с замечанием ознакомлены."), "success")
    return redirect(url_for("control.index") + "#remarks")


def _plan_checkers() -> list[tuple[int, str, str]]:
    rows = db.session.execute(
        db.select(User.id, RoleAssignment.role).join(RoleAssignment,
                                                      RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role.in_(CHECKER_ROLES), User.active.is_(True))).all()
    names = short_names({uid for uid, _role in rows})
    return sorted({(uid, role, names.get(uid, "")) for uid, role in rows},
                  key=lambda r: (CHECKER_ROLES.index(r[1]), r[2]))


@bp.route("/plan", methods=["GET", "POST"])
@login_required
def plan_page():
    if not (can(current_user, rules.READ) or rules.checker_roles(current_user)):
        abort(404)
    may_manage = can(current_user, rules.PLAN)
    error, status = None, 200
    if request.method == "POST":
        if not may_manage:
            abort(403)
        try:
            raw_checker = request.form.get("checker", "")
            checker = params.parse_id(raw_checker) if raw_checker else None
            plan.add(current_user, request.form.get("title", ""), request.form.get("role", ""),
                     request.form.get("kind", "regular"), _form_date("due_on"), checker)
        except DomainError as exc:
            db.session.rollback()
            error, status = exc.message, 422
        else:
            db.session.commit()
            flash(_("Проверка добавлена в план."), "success")
            return redirect(url_for("control.plan_page"))
    year = plan.current_year()
    rows = plan.rows(year.starts_on, year.ends_on) if year else plan.rows()
    return render_template("control/plan.html", rows=rows, year=year, may_manage=may_manage,
                           error=error, form=request.form, checkers=_plan_checkers(),
                           roles=CHECKER_ROLES, role_label=rules.role_label,
                           kinds=rules.kinds(), kind_titles=rules.KIND_TITLES,
                           status_titles=plan.STATUS_TITLES), status
