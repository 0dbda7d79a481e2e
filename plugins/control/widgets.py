"""The home page's block of the control: the checker's checks due (and, to the deputy director
and the director, everyone's checks due or overdue), the signed checks reported to the director
(``control.report_results_to_director``), and a teacher's or curator's remarks to acknowledge."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.calendar.clock import college_today
from core.extensions import db
from core.models import utcnow
from core.people.models import short_names
from core.plugins.types import Widget
from core.policy import policy_value
from plugins.control import rules, services
from plugins.control.models import Check

#: how long a signed check stays on the director's home page
RECENT_DAYS = 14


def widgets(user) -> list[Widget]:
    today = college_today()
    own = [due for due in rules.dues(user.id) if due.is_due(today)] \
        if rules.checker_roles(user) else []
    others = [due for due in rules.dues() if due.checker_id != user.id and due.is_due(today)] \
        if user.has_role("deputy", "director") else []
    reported = []
    if user.has_role("director") and policy_value("control.report_results_to_director"):
        reported = list(db.session.scalars(select(Check).where(
            Check.signed_at >= utcnow() - timedelta(days=RECENT_DAYS))
            .order_by(Check.signed_at.desc()).limit(10)))
    found = []
    if own or others or reported:
        found.append(Widget(_l("Контроль ведения журнала"), "control/widget.html", {
            "own": own, "others": others, "reported": reported, "today": today,
            "role_label": rules.role_label, "title_of": services.title_of,
            "names": short_names({c.checker_id for c in reported})}, order=4))
    waiting = [a for a in services.remarks_for(user) if a.acknowledged_at is None]
    if waiting:
        found.append(Widget(_l("Замечания по проверке журнала"), "control/remarks_widget.html",
                            {"waiting": waiting}, order=5))
    return found
