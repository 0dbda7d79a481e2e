"""Monitoring pages: the administration's usage page, a curator's list of the group's families
and its printable list of those who never signed in. Re-issuing credentials is the core's
(``people.reset_password``: a new one-time password, the old one and every session end)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from core import audit
from core.calendar.clock import college_today
from core.params import arg_date
from core.people import scope
from core.people.access import permission_required
from core.people.roles import role_title
from plugins.monitoring import charts, families, filling, usage
from plugins.monitoring.rights import VIEW_GROUP, VIEW_USAGE

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring", template_folder="templates",
               static_folder="static", static_url_path="/static")


def _me():
    return current_user._get_current_object()


@bp.get("/")
@permission_required(VIEW_USAGE)
def index():
    today = college_today()
    bucket = request.args.get("bucket")
    bucket = bucket if bucket in usage.BUCKETS else "day"
    last = min(arg_date("end", today) or today, today)
    starts = usage.periods(bucket, last)
    start, end = starts[0], min(usage.period_end(bucket, starts[-1]), today)
    found = usage.usage(bucket, starts)
    return render_template(
        "monitoring/index.html", bucket=bucket, last=last, start=start, end=end, found=found,
        labels=[charts.period_label(bucket, s) for s in starts], role_title=role_title,
        drawings=charts.drawings(charts.usage_charts(found)),
        reach=usage.families_reached(start, end),
        filling=filling.teachers_filling(start, end, today))


@bp.get("/groups")
@permission_required(VIEW_GROUP)
def groups():
    found = scope.visible_groups(_me(), scope.MANAGE)
    if len(found) == 1:
        return redirect(url_for("monitoring.group", group_id=found[0].id))
    return render_template("monitoring/groups.html", groups=found)


def _group_page(group_id: int, template: str, only_never: bool):
    group = scope.group_or_404(_me(), group_id, scope.MANAGE)
    members = families.group_families(group)
    if only_never:
        members = [m for m in members if m.never_signed_in]
    page = render_template(template, group=group, members=members, today=college_today())
    audit.record_bulk_read("monitoring.group.families", group, count=len(members))  # 152-ФЗ
    return page


@bp.get("/groups/<int:group_id>")
@permission_required(VIEW_GROUP)
def group(group_id: int):
    return _group_page(group_id, "monitoring/group.html", only_never=False)


@bp.get("/groups/<int:group_id>/never")
@permission_required(VIEW_GROUP)
def never(group_id: int):
    """The printable list of the group's students and parents who never signed in."""
    return _group_page(group_id, "monitoring/never.html", only_never=True)
