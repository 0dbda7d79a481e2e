"""The core's pages: the home page, the language switch and ``/healthz``."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from core.auth.redirects import same_site_path
from core.health import DATABASE, collect
from core.plugins import hook

bp = Blueprint("core", __name__)


@bp.get("/")
@login_required
def index():
    widgets = [w for batch in hook().dashboard_widgets(user=current_user) for w in batch]
    widgets.sort(key=lambda w: (w.order, w.title))
    return render_template("home.html", widgets=widgets)


@bp.post("/lang/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(same_site_path(request.form.get("next")) or url_for("core.index"))


@bp.get("/healthz")
def healthz():
    """For a load balancer: 503 when the database is unreachable (this instance cannot serve),
    200 otherwise; ``status`` is "degraded" when another check fails (the worker is silent, a
    backup is old), which an operator's monitor watches without the balancer dropping the app."""
    checks = collect()
    serving = all(check.ok for check in checks if check.key == DATABASE)
    status = "fail" if not serving else "ok" if all(c.ok for c in checks) else "degraded"
    body = {
        "status": status,
        "checks": {c.key: {"ok": c.ok, **({"value": c.value} if c.value is not None else {}),
                           **({"detail": c.detail} if c.detail else {})} for c in checks},
    }
    return jsonify(body), 200 if serving else 503
