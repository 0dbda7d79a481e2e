"""The pages of the demonstration exam and the ВКР: what each part of a specialty's final
attestation draws on (reached from the КТП page; edited by the deputy and the methodist) and a
group's list of each student's readiness (the administration any group, a curator their own)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.errors import NotFound
from core.extensions import db
from core.params import parse_id
from core.people.models import Group, Specialty
from core.people.permissions import can
from plugins.forecast import readiness
from plugins.forecast.access import NOT_FOUND, require_groups, warning_groups
from plugins.forecast.hooks import TIES
from plugins.forecast.readiness_models import ATTESTATIONS, DEMO_EXAM
from plugins.forecast.views import bp
from plugins.journal import api as journal


def _may_read_ties(user) -> bool:
    return can(user, TIES) or warning_groups(user) != set()


@bp.get("/attestation")
@login_required
def attestation():
    if not _may_read_ties(current_user):
        raise NotFound(_(NOT_FOUND))
    specialties = list(db.session.scalars(select(Specialty).order_by(Specialty.code)))
    ties = readiness.ties_of(s.id for s in specialties)
    nodes = journal.disciplines()
    titles = {node.info.id: node.info.title for node in nodes}
    kinds = {node.info.id: node.info.kind for node in nodes}
    allowed = warning_groups(current_user)
    groups = select(Group).where(Group.graduated.is_(False)).order_by(Group.course.desc(),
                                                                     Group.name)
    if allowed is not None:
        groups = groups.where(Group.id.in_(allowed))
    by_specialty: dict[int, list[Group]] = {}
    for group in db.session.scalars(groups):
        by_specialty.setdefault(group.specialty_id, []).append(group)
    return render_template("forecast/attestation.html", specialties=specialties, ties=ties,
                           titles=titles, kinds=kinds, nodes=nodes, attestations=ATTESTATIONS,
                           editable=can(current_user, TIES), groups=by_specialty,
                           kind_titles=journal.discipline_kind_titles())


@bp.post("/attestation/<int:specialty_id>/<attestation_kind>")
@login_required
def save_attestation(specialty_id: int, attestation_kind: str):
    if not can(current_user, TIES) or attestation_kind not in ATTESTATIONS \
            or db.session.get(Specialty, specialty_id) is None:
        raise NotFound(_(NOT_FOUND))
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        flash(_("Форма устарела: откройте страницу заново и повторите."), "danger")
        return redirect(url_for("forecast.attestation"))
    known = {node.info.id for node in journal.disciplines()}
    chosen = {parse_id(raw) for raw in request.form.getlist("discipline")}
    if None in chosen or not chosen <= known:
        flash(_("Выберите дисциплины из списка."), "danger")
        return redirect(url_for("forecast.attestation"))
    if readiness.save_ties(current_user, specialty_id, attestation_kind, chosen):
        flash(_("Связи сохранены: %(title)s.", title=ATTESTATIONS[attestation_kind]), "success")
    else:
        flash(_("Ничего не изменилось."), "info")
    return redirect(url_for("forecast.attestation", _anchor=f"s{specialty_id}"))


@bp.get("/readiness/<int:group_id>")
@login_required
def group_readiness(group_id: int):
    require_groups(current_user, group_id)
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(_(NOT_FOUND))
    kind = request.args.get("attestation", DEMO_EXAM)
    if kind not in ATTESTATIONS:
        raise NotFound(_(NOT_FOUND))
    tied = readiness.tied_ids(group.specialty_id, kind)
    rows = readiness.group_readiness(group.id, group.specialty_id, kind) if tied else []
    titles = {node.info.id: node.info.title for node in journal.disciplines(tied)}
    counts = {status: sum(1 for r in rows if r.status == status) for status in readiness.STATUSES}
    return render_template("forecast/readiness.html", group=group, kind=kind, rows=rows,
                           tied=sorted(titles.values()), attestations=ATTESTATIONS,
                           statuses=readiness.STATUSES, counts=counts)
