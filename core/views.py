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
    """For a load balancer: 200 when every check passes, 503 otherwise."""
    results = [check.run() for batch in hook().health_checks() for check in batch]
    ok = all(r.ok for r in results)
    body = {
        "status": "ok" if ok else "fail",
        "checks": {r.name: {"ok": r.ok, **({"detail": r.detail} if r.detail is not None else {})}
                   for r in results},
    }
    return jsonify(body), 200 if ok else 503
