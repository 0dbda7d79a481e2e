"""The administrator's audit page: the log with filters (who, what, target, when), paginated."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.admin.views import bp
from core.audit import AuditEntry
from core.calendar.clock import college_zone
from core.database import capped_count
from core.extensions import db
from core.params import arg_page, to_date
from core.people.access import permission_required

PAGE_SIZE = 50
#: pages counted exactly; beyond them the log says «из более чем …»
COUNTED_PAGES = 100


def _parse_day(raw: str | None, errors: list[str], label: str) -> date | None:
    if not raw:
        return None
    try:
        return to_date(raw)
    except ValueError:
        errors.append(_("%(label)s: дата в формате ГГГГ-ММ-ДД.", label=label))
        return None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=college_zone()).astimezone(UTC)


@bp.get("/audit")
@permission_required("admin.audit.view")
def audit_log():
    args = request.args
    errors: list[str] = []
    who = (args.get("who") or "").strip()
    action = (args.get("action") or "").strip()
    target = (args.get("target") or "").strip()
    since = _parse_day(args.get("since"), errors, _("С"))
    until = _parse_day(args.get("until"), errors, _("По"))
    page = arg_page()

    query = select(AuditEntry)
    if who:
        query = query.where(func.lower(AuditEntry.actor_login) == who.lower())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if target:
        kind, _sep, ident = target.partition(":")
        query = query.where(AuditEntry.target_type == kind)
        if ident:
            query = query.where(AuditEntry.target_id == ident)
    if since:
        query = query.where(AuditEntry.at >= _day_start(since))
    if until:
        query = query.where(AuditEntry.at < _day_start(until + timedelta(days=1)))
    total = capped_count(query, COUNTED_PAGES * PAGE_SIZE)
    capped = total > COUNTED_PAGES * PAGE_SIZE
    rows = db.session.scalars(
        query.order_by(AuditEntry.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    pages = COUNTED_PAGES if capped else max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if capped and len(rows) == PAGE_SIZE:
        pages = max(pages, page + 1)  # «Дальше» as long as there are rows
    filters = {k: v for k, v in {"who": who, "action": action, "target": target,
                                 "since": args.get("since", ""), "until": args.get("until", "")
                                 }.items() if v}
    status = 422 if errors else 200
    return render_template("admin/audit.html", rows=rows, total=total, page=page, pages=pages,
                           capped=capped, filters=filters, errors=errors), status
