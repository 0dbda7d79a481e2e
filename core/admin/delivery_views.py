"""The delivery log: per channel and per student, what was sent when and what failed — the
college's proof that parents were informed — with a resend button for failed messages."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core import outbox
from core.admin.views import bp
from core.database import capped_count
from core.extensions import db
from core.forms import attempt
from core.params import arg_id, arg_page
from core.people.access import permission_required
from core.people.models import Student

PAGE_SIZE = 100
STATUSES = ("pending", "sending", "sent", "failed")
#: messages of a status counted exactly; beyond, the log says «более»
COUNTED = 10_000


def status_titles() -> dict[str, str]:
    """A message's state as the page says it."""
    return {"pending": _("в очереди"), "sending": _("отправляется"), "sent": _("отправлено"),
            "failed": _("не доставлено")}


@bp.get("/delivery")
@permission_required("admin.delivery.manage")
def delivery_log():
    query = select(outbox.OutboxMessage)
    channel = request.args.get("channel", "")
    status = request.args.get("status", "")
    student_id = arg_id("student")
    if channel:
        query = query.where(outbox.OutboxMessage.channel == channel)
    if status in STATUSES:
        query = query.where(outbox.OutboxMessage.status == status)
    if student_id:
        query = query.where(outbox.OutboxMessage.student_id == student_id)
    page = arg_page()
    rows = db.session.scalars(query.order_by(outbox.OutboxMessage.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    counts = {name: _counted(name) for name in STATUSES}
    names = {s.id: s.short_name for s in db.session.scalars(select(Student).where(
        Student.id.in_({row.student_id for row in rows if row.student_id})))}
    known = outbox.channels()
    channels = sorted(known)
    channel_titles = {name: str(known[name].title or name) for name in channels}
    return render_template("admin/delivery.html", rows=rows, counts=counts, names=names,
                           channels=channels, channel=channel, status=status,
                           channel_titles=channel_titles, status_titles=status_titles(),
                           student_id=student_id, page=page, more=len(rows) == PAGE_SIZE)


def _counted(status: str) -> str:
    """The messages of ``status``, «более 10 000» past the count (the log only grows)."""
    found = capped_count(select(outbox.OutboxMessage.id).where(
        outbox.OutboxMessage.status == status), COUNTED)
    if found > COUNTED:
        return _("более %(n)s", n=format_decimal(COUNTED))
    return format_decimal(found)


@bp.post("/delivery/<int:message_id>/resend")
@permission_required("admin.delivery.manage")
def delivery_resend(message_id: int):
    done, _message = attempt(lambda: outbox.resend(message_id, actor=current_user))
    if done:
        flash(_("Сообщение поставлено в очередь на повторную отправку."), "success")
    return redirect(request.referrer or url_for("admin.delivery_log"))
