"""Notification pages: a family's preferences, one-click unsubscribe from a mail, the link of
a digest to report an absence's reason."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core import audit
from core.events import emit
from core.extensions import db
from core.models import utcnow
from core.people.models import User
from core.people.permissions import can
from core.people.scope import own_student_ids
from plugins.notify_email import services
from plugins.notify_email.events import DigestOpened
from plugins.notify_email.forms import PreferenceForm
from plugins.notify_email.models import Preference

bp = Blueprint("notify_email", __name__, url_prefix="/notify", template_folder="templates")


def _save(user_id: int, **values) -> None:
    found = db.session.get(Preference, user_id)
    before = None
    if found is None:
        current = services.preference(user_id)
        found = Preference(user_id=user_id, digest_weekday=current.digest_weekday,
                           alerts=current.alerts, sms=current.sms, unsubscribed=False,
                           messages=current.messages, messages_sms=current.messages_sms)
        db.session.add(found)
    else:
        before = {"digest_weekday": found.digest_weekday, "alerts": found.alerts,
                  "sms": found.sms, "unsubscribed": found.unsubscribed,
                  "messages": found.messages, "messages_sms": found.messages_sms}
    for name, value in values.items():
        setattr(found, name, value)
    found.updated_at = utcnow()
    db.session.flush()
    audit.record("notify.preferences", ("User", user_id), before=before, after=values,
                 actor=db.session.get(User, user_id))
    db.session.commit()


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    if not can(current_user, "notify_email.preferences"):
        abort(404)
    current = services.preference(current_user.id)
    form = PreferenceForm(obj=current)
    messages = "messaging.inbox" in current_app.view_functions
    if not messages:  # no messages in this college: nothing to choose
        del form.messages, form.messages_sms
    if form.validate_on_submit():
        chosen = {"messages": form.messages.data, "messages_sms": form.messages_sms.data} \
            if messages else {}
        _save(current_user.id, digest_weekday=form.digest_weekday.data, alerts=form.alerts.data,
              sms=form.sms.data, unsubscribed=False, **chosen)
        flash(_("Настройки уведомлений сохранены."), "success")
        return redirect(url_for("notify_email.preferences"))
    return render_template("notify_email/preferences.html", form=form, current=current,
                           email=_address(current_user)), 422 if form.errors else 200


def _address(user) -> str | None:
    found = [address for _s, parent, address in services.parents_of(own_student_ids(user))
             if parent.id == user.id]
    return found[0] if found else user.email


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """One click from a mail, without signing in: the token is signed with the app's key."""
    user_id = services.read_unsubscribe(token)
    if user_id is None or db.session.get(User, user_id) is None:
        abort(404)
    if request.method == "POST":
        _save(user_id, unsubscribed=True, digest_weekday=0, alerts=False)
        return render_template("notify_email/unsubscribed.html", done=True)
    return render_template("notify_email/unsubscribed.html", done=False, token=token)


@bp.get("/open/<token>")
def open_digest(token: str):
    """The digest's diary link: the open is told (``DigestOpened``), then the diary is shown
    (after signing in, if the reader has not)."""
    found = services.read_open(token)
    if found is None:
        abort(404)
    user_id, student_id = found
    emit(DigestOpened(user_id=user_id, student_id=student_id, at=utcnow()))
    db.session.commit()
    return redirect(url_for("family.student", student_id=student_id))


@bp.get("/absence/<token>")
def report_absence(token: str):
    """The digest's link to report an absence's reason: valid for two weeks, then refused."""
    found = services.read_report(token)
    if found is None:
        return render_template("notify_email/link_expired.html"), 410
    _user_id, student_id = found
    return redirect(url_for("attendance.student", student_id=student_id))
