"""Sign-in, sign-out and password change."""

from __future__ import annotations

import math
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from core import audit, policy
from core.auth import lockout, signin
from core.auth.forms import LoginForm, PasswordChangeForm
from core.auth.passwords import password_problem, set_password, verify_password
from core.auth.redirects import same_site_path
from core.extensions import db, limiter, login_manager
from core.models import utcnow
from core.web import error_response, wants_json

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = signin.attempt(form.login.data.strip(), form.password.data)
        db.session.commit()
        if outcome.user is not None:
            user = outcome.user
            next_url = same_site_path(request.args.get("next")) or url_for("core.index")
            session.clear()  # a new session at sign-in: nothing from before carries over
            login_user(user)
            if outcome.earlier is not None:
                _tell_failures(outcome.earlier)
            if _must_choose_password(user):
                return redirect(url_for("auth.change_password"))
            return redirect(next_url)
        if not outcome.was_locked:
            form.password.errors.append(_("Неверный логин или пароль."))
        if outcome.locked_until is not None:
            form.password.errors.append(_lock_message(outcome.locked_until))
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


def _lock_message(until: datetime) -> str:
    minutes = max(math.ceil((until - utcnow()).total_seconds() / 60), 1)
    return _("Слишком много неудачных попыток входа под этим логином. Повторите через "
             "%(minutes)s мин.", minutes=minutes)


def _tell_failures(failures: lockout.Failures) -> None:
    when = current_app.jinja_env.filters["localtime"](failures.last_at)
    flash(_("С прошлого входа под вашим логином было неудачных попыток войти: %(count)s, "
            "последняя — %(when)s. Если это были не вы, сообщите администратору.",
            count=failures.count, when=when), "warning")


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    user.session_version += 1  # every session of this user ends, copied cookies included
    audit.record("auth.logout", user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Вы вышли из системы."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    decision = policy.check("password.change", current_user, current_user)
    if not decision:
        return error_response(decision.status, decision.reason)
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user, form.current.data):
            form.current.errors.append(_("Текущий пароль введён неверно."))
        elif problem := password_problem(form.new.data, user):
            form.new.errors.append(problem)
        else:
            set_password(user, form.new.data)
            user.session_version += 1  # other sessions end; this one is renewed below
            audit.record("auth.password_change", user)
            db.session.commit()
            login_user(user)
            flash(_("Пароль изменён."), "success")
            return redirect(url_for("core.index"))
    page = render_template("auth/password.html", form=form,
                           forced=current_user.must_change_password)
    return page, (422 if form.errors else 200)


def _must_choose_password(user) -> bool:
    """Issued credentials ask for a new password, unless the user may not change it at all
    (BTT students: the curator issues theirs), who would otherwise be sent to a refusal."""
    return user.must_change_password and bool(policy.check("password.change", user, user))


@bp.before_app_request
def _force_password_change():
    """A user signed in with issued credentials must choose a password before anything else."""
    if not current_user.is_authenticated or request.endpoint in (
            "auth.change_password", "auth.logout", "static", "core.healthz", "core.set_language",
            "help.index", "help.page", "help.search"):
        return None
    if not _must_choose_password(current_user):
        return None
    if wants_json():
        abort(403)
    return redirect(url_for("auth.change_password"))


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        return error_response(401)
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
