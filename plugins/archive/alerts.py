"""The weekly verification of the archive and the administrators' alert when it fails: a mail
through the outbox to every active administrator with an address, once per failed run."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core import outbox
from core.extensions import db
from core.people.models import RoleAssignment, User
from core.people.roles import Role
from plugins.archive import verify

#: problems listed in the mail; the page has them all
SHOWN = 20


def administrators() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.email.is_not(None), User.email != "",
                           User.id.in_(select(RoleAssignment.user_id).where(
                               RoleAssignment.role == Role.ADMIN)))
        .order_by(User.id)))


def alert(outcomes: list[verify.Outcome]) -> int:
    """Queue the mail about the failed ``outcomes``; how many mails were queued."""
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if not failed:
        return 0
    lines = [_("Еженедельная проверка архива электронного журнала нашла расхождения."), ""]
    for outcome in failed:
        lines.append(_("Период «%(title)s»:", title=outcome.title))
        lines.extend(f"  — {problem}" for problem in outcome.problems[:SHOWN])
        if len(outcome.problems) > SHOWN:
            lines.append(_("  … и ещё %(count)s", count=len(outcome.problems) - SHOWN))
        lines.append("")
    lines.append(_("Подробности: %(url)s", url=url_for("archive.upkeep", _external=True)))
    key = "archive-verify:" + ",".join(f"{o.period_id}:{o.run_id}" for o in failed)
    queued = 0
    for admin in administrators():
        if outbox.enqueue("email", admin.email, key, kind="archive.verify",
                          subject=_("Архив ЭЖ: проверка не пройдена"), text="\n".join(lines),
                          user_id=admin.id) is not None:
            queued += 1
    return queued


def verify_weekly() -> int:
    """The worker's weekly job: verify every archived period, record the runs, alert on failure."""
    outcomes = verify.run(trigger="worker")
    queued = alert(outcomes)
    db.session.commit()
    return queued
