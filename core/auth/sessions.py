"""Sessions end after an idle time and after an absolute lifetime.

Both are enforced on the server from two timestamps in the signed session cookie, written at
sign-in (Flask-Login's ``user_logged_in`` signal) and checked before every request: the next
request after either limit signs the user out, with a flash on the sign-in page (JSON: 401).
The idle time is ``SESSION_IDLE_MINUTES_STAFF`` (30) or, for families — users whose only roles
are student or parent — ``SESSION_IDLE_MINUTES_FAMILY`` (120); the lifetime is Flask's
``PERMANENT_SESSION_LIFETIME`` (12 hours), which also bounds the signed cookie's age.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in

from core.people.roles import Role
from core.web import error_response, is_static_endpoint, wants_json

if TYPE_CHECKING:
    from core.people.models import User

STARTED = "auth_started"
SEEN = "auth_seen"
#: the last-seen stamp is rewritten at most this often (seconds), so that not every request
#: sends a new cookie; the idle time may run this much longer
SEEN_STEP = 60
#: users with only these roles are a family: their idle time is SESSION_IDLE_MINUTES_FAMILY
FAMILY_ROLES = frozenset({Role.STUDENT, Role.PARENT})


def install(app: Flask) -> None:
    """Stamp sessions at sign-in and end them when due; called before any blueprint registers
    its request hooks, so nothing reads ``current_user`` of an ended session first."""
    user_logged_in.connect(_stamp_sign_in, app)
    app.before_request(_end_expired_session)


def _now() -> int:
    return int(time.time())


def _stamp_sign_in(sender, user, **extra) -> None:
    # A password change signs in again within the same session: its lifetime does not restart.
    now = _now()
    session.setdefault(STARTED, now)
    session[SEEN] = now


def idle_limit(user: User) -> timedelta:
    """How long ``user``'s session survives without a request: longer for families."""
    roles = {assignment.role for assignment in user.roles}
    family = bool(roles) and roles <= FAMILY_ROLES
    key = "SESSION_IDLE_MINUTES_FAMILY" if family else "SESSION_IDLE_MINUTES_STAFF"
    return timedelta(minutes=current_app.config[key])


def expiry_reason(user: User, stamps, now: int) -> str | None:
    """Why the session whose ``stamps`` (the session mapping) belong to ``user`` has ended, as a
    Russian sentence, or ``None`` while it lasts."""
    started, seen = stamps.get(STARTED), stamps.get(SEEN)
    lifetime = current_app.permanent_session_lifetime
    if not isinstance(started, int) or not isinstance(seen, int) \
            or now - started > lifetime.total_seconds():
        return _("Сеанс завершён: с момента входа прошло больше %(hours)s ч. Войдите снова.",
                 hours=f"{lifetime.total_seconds() / 3600:g}")
    idle = idle_limit(user)
    if now - seen > idle.total_seconds():
        return _("Сеанс завершён: %(minutes)s мин. без действий. Войдите снова.",
                 minutes=f"{idle.total_seconds() / 60:g}")
    return None


def _end_expired_session():
    stamps = session._get_current_object()
    if "_user_id" not in stamps or is_static_endpoint(request.endpoint):
        return None
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return None  # the user loader has refused the session already
    now = _now()
    reason = expiry_reason(user, stamps, now)
    if reason is None:
        if now - stamps[SEEN] >= SEEN_STEP:
            stamps[SEEN] = now
        return None
    logout_user()
    session.clear()
    if wants_json():
        return error_response(401, reason)
    flash(reason, "warning")
    next_url = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=next_url))
