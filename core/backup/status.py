"""How old each destination's last good copy is, and the alert when one is too old.

``last_success_ages()`` is the public question other parts ask (monitoring's metrics): for each
configured destination the age of its last successful backup, ``None`` when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from core import outbox, settings
from core.backup.destinations import BackupConfigError, destinations
from core.backup.models import OK, BackupRun
from core.calendar.clock import college_today
from core.extensions import db
from core.models import utcnow


@dataclass(frozen=True)
class DestinationState:
    """A destination as the administrator's page shows it."""

    name: str
    repository: str
    last_success: BackupRun | None
    last_run: BackupRun | None
    age: timedelta | None
    stale: bool


def stale_after() -> timedelta:
    """The age past which a destination's last copy raises the alert (``backup.stale_hours``)."""
    return timedelta(hours=max(int(settings.get("backup.stale_hours")), 1))


def _latest(names: list[str], only_ok: bool) -> dict[str, BackupRun]:
    condition = [BackupRun.destination.in_(names)]
    if only_ok:
        condition.append(BackupRun.status == OK)
    newest = (select(BackupRun.destination, func.max(BackupRun.id).label("id"))
              .where(*condition).group_by(BackupRun.destination).subquery())
    rows = db.session.scalars(select(BackupRun).join(newest, BackupRun.id == newest.c.id)).all()
    return {row.destination: row for row in rows}


def last_success_ages(now: datetime | None = None) -> dict[str, timedelta | None]:
    """Each configured destination's name with the age of its last successful backup (``None``:
    never); empty when no destination is configured."""
    return {state.name: state.age for state in states(now)}


def states(now: datetime | None = None) -> list[DestinationState]:
    """Every configured destination with its last good and last run (empty when none is
    configured); one query each for the two."""
    try:
        targets = destinations()
    except BackupConfigError:
        return []
    now = now or utcnow()
    names = [target.name for target in targets]
    good, last = _latest(names, True), _latest(names, False)
    limit = stale_after()
    found = []
    for target in targets:
        success = good.get(target.name)
        age = now - success.finished_at if success else None
        found.append(DestinationState(target.name, target.repository, success,
                                      last.get(target.name), age,
                                      age is None or age > limit))
    return found


def alert_text(now: datetime | None = None) -> list[str]:
    """One Russian line per thing the administrator must see: no destinations configured, or
    a destination whose last good copy is older than the setting (or missing)."""
    try:
        destinations()
    except BackupConfigError as exc:
        return [str(exc)]
    lines = []
    hours = int(stale_after().total_seconds() // 3600)
    for state in states(now):
        if not state.stale:
            continue
        if state.age is None:
            lines.append(f"«{state.name}»: ни одной удачной резервной копии")
        else:
            lines.append(f"«{state.name}»: последней удачной копии {_hours(state.age)} "
                         f"(допустимо не больше {hours} ч)")
    return lines


def size_text(value: int | None) -> str:
    """A size in bytes as people read it, in Russian units (КиБ, МиБ, ГиБ)."""
    if value is None:
        return "—"
    amount = float(value)
    for unit in ("Б", "КиБ", "МиБ"):
        if amount < 1024:
            return f"{amount:.0f} {unit}" if unit == "Б" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} ГиБ"


def _hours(age: timedelta) -> str:
    hours = int(age.total_seconds() // 3600)
    return f"{hours // 24} сут. {hours % 24} ч" if hours >= 24 else f"{hours} ч"


def alert_recipients() -> list[str]:
    """Where the alert mail goes: ``BACKUP_ALERT_EMAILS`` and every active administrator's own
    address."""
    from core.people.models import RoleAssignment, User
    from core.people.roles import Role

    found = list(current_app.config.get("BACKUP_ALERT_EMAILS") or [])
    found += db.session.scalars(
        select(User.email).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == Role.ADMIN, User.active.is_(True),
               User.email.is_not(None), User.email != "").order_by(User.id)).all()
    return list(dict.fromkeys(address.strip() for address in found if address.strip()))


def send_alerts(now: datetime | None = None) -> int:
    """Queue the alert mail (once a college day per recipient) when something is stale; the
    number of messages queued. Nothing when no enabled plugin sends e-mail."""
    lines = alert_text(now)
    if not lines or "email" not in outbox.channels():
        return 0
    subject = "Резервные копии журнала устарели"
    body = ("Резервное копирование требует внимания:\n\n" + "\n".join(f"- {line}" for line in lines)
            + "\n\nПодробности: раздел «Администрирование» → «Резервные копии».\n")
    queued = 0
    day = college_today().isoformat()
    for address in alert_recipients():
        if outbox.enqueue("email", address, f"backup-stale:{day}", subject=subject, text=body,
                          kind="backup.stale"):
            queued += 1
    db.session.commit()
    return queued
