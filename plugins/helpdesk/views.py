"""Helpdesk pages: one's own requests, a new request (``/helpdesk/new?kind=problem&incident=…``
from the error page), a request with its history and the administration's actions, and the
administration's queue. A request outside the user's scope is a 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from core import params
from core.forms import attempt, page_status
from plugins.helpdesk import lists, rights, services
from plugins.helpdesk.forms import AnswerForm, ApplyForm, NewRequestForm, ReopenForm
from plugins.helpdesk.models import DATA_CHANGE, MOVEMENT, PROBLEM

bp = Blueprint("helpdesk", __name__, url_prefix="/helpdesk", template_folder="templates",
               static_folder="static", static_url_path="/static")


@bp.get("/")
@login_required
def index():
    return render_template("helpdesk/index.html", rows=lists.own_requests(current_user),
                           kinds=services.KIND_TITLES, statuses=services.STATUS_TITLES,
                           may_read_all=rights.may_read_all(current_user))


def _group_choices() -> list[SelectChoice]:
    return [SelectChoice(0, "—"), *(SelectChoice(g.id, g.name) for g in lists.open_groups())]


def _status_choices(item) -> list[SelectChoice]:
    return [SelectChoice(s, services.STATUS_TITLES[s]) for s in services.HANDLER_MOVES[item.status]]


def _new_form() -> NewRequestForm:
    form = NewRequestForm()
    kinds = services.kinds_for(current_user)
    form.kind.choices = [SelectChoice(kind, services.KIND_TITLES[kind]) for kind in kinds]
    if MOVEMENT in kinds:
        form.student_id.choices = [SelectChoice(0, "—"), *(
            SelectChoice(key, title) for key, title in services.curated_students(current_user))]
        form.to_group_id.choices = _group_choices()
    return form


def kinds_offered(form: NewRequestForm) -> set[str]:
    return {choice.value for choice in form.kind.choices}


def _draft(form: NewRequestForm) -> services.Draft:
    return services.Draft(
        kind=form.kind.data or "", subject=form.subject.data or "", body=form.body.data or "",
        incident=form.incident.data or "", phone=form.phone.data or "",
        email=form.email.data or "", student_id=form.student_id.data or None,
        movement=form.movement.data or "", on_date=form.on_date.data,
        order_no=form.order_no.data or "", to_group_id=form.to_group_id.data or None)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """``kind`` and ``incident`` in the query preselect the kind and fill the incident number
    (the error page's «Сообщить о проблеме»); an incident number of another format is left out."""
    form = _new_form()
    if request.method == "GET":
        kind = request.args.get("kind", "")
        if kind in kinds_offered(form):
            form.kind.data = kind
        incident = request.args.get("incident", "")
        if services.valid_incident(incident):
            form.kind.data, form.incident.data = PROBLEM, incident
    if form.validate_on_submit():
        done, item = attempt(lambda: services.file_request(current_user, _draft(form)),
                             form.body, outside_is_404=True)
        if done:
            flash(_("Обращение №%(number)s отправлено администрации.", number=item.id),
                  "success")
            return redirect(url_for("helpdesk.detail", request_id=item.id))
    guardian = services.guardian_of(current_user)
    return render_template("helpdesk/new.html", form=form, guardian=guardian,
                           answer_days=services.answer_days()), page_status(form)


def _detail_page(item, answer_form=None, reopen_form=None, apply_form=None, status=200):
    handles = rights.may_handle(current_user)
    answer_form = answer_form or AnswerForm(formdata=None)
    answer_form.status.choices = _status_choices(item)
    facts = lists.movement_facts(item)
    if apply_form is None:
        apply_form = ApplyForm(formdata=None)
        if facts is not None:
            apply_form.on_date.data = facts["on_date"]
            apply_form.order_no.data = facts["order_no"]
            apply_form.to_group_id.data = facts["to_group"].id if facts["to_group"] else 0
    apply_form.to_group_id.choices = _group_choices()
    names = lists.names({item.author_id, *([item.applied_by_id] if item.applied_by_id else [])})
    return render_template(
        "helpdesk/detail.html", item=item, names=names, kinds=services.KIND_TITLES,
        statuses=services.STATUS_TITLES, history=lists.history(item),
        diff=services.diff_rows(item), facts=facts, handles=handles,
        applicable=handles and services.applicable(item),
        overdue=lists.is_overdue(item), own=item.author_id == current_user.id,
        answer_form=answer_form, reopen_form=reopen_form or ReopenForm(formdata=None),
        apply_form=apply_form, data_change=item.kind == DATA_CHANGE), status


@bp.get("/<int:request_id>")
@login_required
def detail(request_id: int):
    item = services.request_or_404(current_user, request_id)
    lists.mark_seen(current_user, item)
    return _detail_page(item)


def _handled_or_404(request_id: int):
    item = services.request_or_404(current_user, request_id)
    if not rights.may_handle(current_user):
        abort(404)
    return item


@bp.post("/<int:request_id>/status")
@login_required
def change_status(request_id: int):
    item = _handled_or_404(request_id)
    form = AnswerForm()
    form.status.choices = _status_choices(item)
    if form.validate_on_submit():
        done, _none = attempt(lambda: services.change_status(
            current_user, item, form.status.data, form.text.data or ""),
            form.text if services.HANDLER_MOVES[item.status] else None)
        if done:
            flash(_("Статус обращения: «%(status)s».",
                  status=services.STATUS_TITLES[form.status.data]), "success")
            return redirect(url_for("helpdesk.detail", request_id=request_id))
    return _detail_page(services.request_or_404(current_user, request_id), answer_form=form,
                        status=422)


@bp.post("/<int:request_id>/apply")
@login_required
def apply(request_id: int):
    item = _handled_or_404(request_id)
    form = ApplyForm()
    form.to_group_id.choices = _group_choices()
    if form.validate_on_submit():
        done, answer = attempt(lambda: services.apply(
            current_user, item, on_date=form.on_date.data, order_no=form.order_no.data or "",
            to_group_id=form.to_group_id.data or None),
            form.order_no if item.kind == MOVEMENT and services.applicable(item) else None,
            outside_is_404=True)
        if done:
            flash(answer, "success")
            return redirect(url_for("helpdesk.detail", request_id=request_id))
    return _detail_page(services.request_or_404(current_user, request_id), apply_form=form,
                        status=422)


@bp.post("/<int:request_id>/close")
@login_required
def close(request_id: int):
    item = services.request_or_404(current_user, request_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        abort(400)
    done, _none = attempt(lambda: services.close_own(current_user, item), outside_is_404=True)
    if done:
        flash(_("Обращение закрыто."), "success")
    return redirect(url_for("helpdesk.detail", request_id=request_id))


@bp.post("/<int:request_id>/reopen")
@login_required
def reopen(request_id: int):
    item = services.request_or_404(current_user, request_id)
    form = ReopenForm()
    if form.validate_on_submit():
        done, _none = attempt(lambda: services.reopen(current_user, item, form.text.data or ""),
                              form.text, outside_is_404=True)
        if done:
            flash(_("Обращение открыто снова."), "success")
            return redirect(url_for("helpdesk.detail", request_id=request_id))
    return _detail_page(services.request_or_404(current_user, request_id), reopen_form=form,
                        status=422)


@bp.get("/queue")
@login_required
def queue():
    if not rights.may_read_all(current_user):
        abort(404)
    which = request.args.get("status", "open")
    if which not in lists.QUEUE_FILTERS:
        which = "open"
    page = params.arg_page()
    rows, total = lists.queue(which, page)
    return render_template(
        "helpdesk/queue.html", rows=rows, total=total, which=which, page=page,
        pages=max(1, -(-total // lists.PER_PAGE)), kinds=services.KIND_TITLES,
        statuses=services.STATUS_TITLES, names=lists.names(r.author_id for r in rows),
        overdue_ids={r.id for r in rows if lists.is_overdue(r)},
        answer_days=services.answer_days())
