"""The administrator's pages of the archive's upkeep: each period's state, its last
verification (and a check now), the retention terms, the preview of a purge, the purge itself
once due, and the acts of destruction (a page and a printable PDF)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.errors import DomainError
from core.extensions import db
from core.people.access import permission_required
from core.people.models import short_names
from plugins.archive import acts, purge, verify
from plugins.archive.models import ArchivedPeriod
from plugins.archive.record_models import ArchiveVerification, DestructionAct
from plugins.archive.upkeep import UPKEEP
from plugins.archive.views import bp

STATE_TITLES = {"closing": _l("архив записывается"), "archived": _l("архивирован"),
                "failed": _l("архив не записан")}


@bp.app_template_global("archive_last_verifications")
def last_verifications() -> dict[int, ArchiveVerification]:
    """The last verification of every period (for the archive's page, one query)."""
    return verify.last_runs(db.session.scalars(select(ArchivedPeriod.id)).all())


def _period(period_id: int) -> ArchivedPeriod:
    period = db.session.get(ArchivedPeriod, period_id)
    if period is None:
        abort(404)
    return period


@bp.get("/upkeep")
@permission_required(UPKEEP)
def upkeep():
    periods = db.session.scalars(select(ArchivedPeriod).order_by(ArchivedPeriod.starts_on)).all()
    runs = verify.last_runs(p.id for p in periods)
    done = {(act.period_id, act.retention): act
            for act in db.session.scalars(select(DestructionAct))}
    rows = [{
        "period": period, "state": STATE_TITLES.get(period.state, period.state),
        "run": runs.get(period.id),
        "journals_until": purge.kept_until(period, "journal"),
        "statements_until": purge.kept_until(period, "statement"),
        "journal_act": done.get((period.id, "journal")),
        "statement_act": done.get((period.id, "statement")),
    } for period in periods]
    return render_template("archive/upkeep.html", rows=rows)


@bp.post("/period/<int:period_id>/verify")
@permission_required(UPKEEP)
def verify_now(period_id: int):
    period = _period(period_id)
    if period.state != "archived":
        abort(404)
    outcome = verify.run(str(period.id), trigger="page", actor=current_user)[0]
    if outcome.ok:
        flash(_("Архив периода «%(title)s» цел.", title=period.title), "success")
    else:
        flash(_("Проверка архива периода «%(title)s» нашла расхождения: %(count)s.",
                title=period.title, count=len(outcome.problems)), "danger")
    return redirect(url_for("archive.verification", run_id=outcome.run_id))


@bp.get("/verification/<int:run_id>")
@permission_required(UPKEEP)
def verification(run_id: int):
    run = db.session.get(ArchiveVerification, run_id)
    if run is None:
        abort(404)
    return render_template("archive/verification.html", run=run, period=_period(run.period_id),
                           actor=short_names([run.actor_id]).get(run.actor_id))


def _stage() -> str:
    stage = request.values.get("stage", "journal")
    if stage not in purge.STAGES:
        abort(404)
    return stage


@bp.get("/period/<int:period_id>/purge")
@permission_required(UPKEEP)
def purge_preview(period_id: int):
    period = _period(period_id)
    if period.state != "archived":
        abort(404)
    stage = _stage()
    act = purge.act_of(period.id, stage)
    if act is not None:
        return redirect(url_for("archive.act", act_id=act.id))
    return render_template("archive/purge_preview.html", plan=purge.plan(period, stage),
                           stage_title=purge.STAGE_TITLES[stage])


@bp.post("/period/<int:period_id>/purge")
@permission_required(UPKEEP)
def purge_run(period_id: int):
    period = _period(period_id)
    stage = _stage()
    try:
        act = purge.purge(period, stage, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("archive.purge_preview", period_id=period.id, stage=stage)), 303
    db.session.commit()
    flash(_("Составлен акт № %(number)s.", number=act.number), "success")
    return redirect(url_for("archive.act", act_id=act.id))


def _act(act_id: int) -> DestructionAct:
    act = db.session.get(DestructionAct, act_id)
    if act is None:
        abort(404)
    return act


@bp.get("/act/<int:act_id>")
@permission_required(UPKEEP)
def act(act_id: int):
    found = _act(act_id)
    return render_template("archive/act.html", **acts.context(found))


@bp.get("/act/<int:act_id>.pdf")
@permission_required(UPKEEP)
def act_pdf(act_id: int):
    return acts.download(_act(act_id))
