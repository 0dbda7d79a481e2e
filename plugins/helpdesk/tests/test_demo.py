"""The demo requests: some in each status, two past the term to answer, a data change from the
demo parent (new, for the administrator to apply) and a movement from the demo curator; no mail
queued."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core import outbox
from core.demo import load_demo
from core.extensions import db
from core.people.models import User
from plugins.helpdesk import lists, services
from plugins.helpdesk.models import STATUSES, HelpRequest

TODAY = date(2026, 11, 25)


def test_demo_requests_in_each_status_with_the_demo_parents_data_change(demo_day_app):
    with demo_day_app.test_request_context():
        logins = load_demo(seed=2026, today=TODAY)
        items = list(db.session.scalars(select(HelpRequest)))
        assert {item.status for item in items} == set(STATUSES)
        parent_login = next(login for title, login, _pw in logins if title == "Родитель")
        change = next(item for item in items if item.kind == "data_change")
        assert db.session.get(User, change.author_id).login == parent_login
        assert change.status == "new" and services.applicable(change)
        assert services.diff_rows(change)[0].new == "+79125550126"
        movement = next(item for item in items if item.kind == "movement")
        assert db.session.get(User, movement.author_id).has_role("curator")
        assert any(item.kind == "problem" and item.incident for item in items)
        assert db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage)) == 0
        # the clock stands on the demo's day: the teacher's question of 6 days ago and the
        # parent's of 5 days ago (in work) are past the 3 days
        assert [item.subject for item in lists.overdue()[0]] == [
            "Как исправить оценку после дня занятия?", "Не приходят письма с оценками"]
