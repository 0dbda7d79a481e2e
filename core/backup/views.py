"""The administrator's page of the backups: each destination's last good copy, the alert, the
recent runs, and a copy made now by the worker."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.backup.destinations import BackupConfigError, destinations, on_instance_disk
from core.backup.models import BackupRun
from core.backup.runs import retention
from core.backup.status import alert_text, size_text, stale_after, states
from core.extensions import db
from core.people.access import permission_required
from core.worker import enqueue_task

bp = Blueprint("backup", __name__, url_prefix="/admin/backups")

#: who started a run, as the page names it
TRIGGERS = {"cli": _l("команда ejournal backup"), "worker": _l("по расписанию"),
            "admin": _l("администратор со страницы"), "demo": _l("загрузка демо")}


@bp.get("/")
@permission_required("admin.backup.manage")
def index():
    try:
        local = [target.name for target in destinations() if on_instance_disk(target)]
        problem = None
    except BackupConfigError as exc:
        local, problem = [], str(exc)
    runs = db.session.scalars(select(BackupRun).order_by(BackupRun.id.desc()).limit(50)).all()
    return render_template("admin/backups.html", states=states(), alerts=alert_text(),
                           problem=problem, local=local, runs=runs, keep=retention(),
                           stale_hours=int(stale_after().total_seconds() // 3600),
                           triggers=TRIGGERS, size=size_text, form=FlaskForm())


@bp.post("/run")
@permission_required("admin.backup.manage")
def run_now():
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("Форма устарела: откройте страницу заново."), "danger")
        return redirect(url_for("backup.index")), 303
    try:
        destinations()
    except BackupConfigError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("backup.index")), 303
    enqueue_task("backup_now")
    flash(_("Резервная копия поставлена в очередь фонового обработчика."), "success")
    return redirect(url_for("backup.index")), 303
