"""The system's state at a glance: the core's readings (database, migrations, worker, outbox,
errors) and the plugins' ``health_checks``. ``/healthz``, ``/metrics`` and the administrator's
health page all read :func:`collect`, so they never disagree.

Each reading is taken on its own: one that fails (the database down) is reported as not ok
with its reason, never raised, so the page that shows it still opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from core import migrate, worker
from core.extensions import db
from core.models import utcnow
from core.plugins import hook
from core.plugins.types import HealthCheck

log = logging.getLogger(__name__)

#: a worker runs its heartbeat every minute; a few missed minutes mean it is down
WORKER_SILENT_AFTER = timedelta(minutes=5)
#: undelivered messages beyond this many are a backlog worth a look
OUTBOX_BACKLOG = 1000
#: the key of the database's check: the only one whose failure answers ``/healthz`` with 503
DATABASE = "database"
#: app.extensions key of the count of unexpected errors since the process started
ERRORS = "ejournal.errors"


def guarded(key: str, label: str, reading: Callable[[], HealthCheck]) -> HealthCheck:
    """``reading()``, or a failing check naming the error's type when it raises (a database
    down or behind its migrations): a health page reports, it never fails."""
    try:
        return reading()
    except Exception as exc:  # the point is to report, not to fail the page
        db.session.rollback()
        log.warning("health check %s failed: %s", key, type(exc).__name__)
        return HealthCheck(key=key, label=label, ok=False, detail=type(exc).__name__)


def database() -> HealthCheck:
    label = _("База данных доступна")

    def read() -> HealthCheck:
        db.session.execute(text("SELECT 1"))
        return HealthCheck(key=DATABASE, label=label, ok=True, value=1, detail=_("да"))

    checked = guarded(DATABASE, label, read)
    return checked if checked.ok else HealthCheck(key=DATABASE, label=label, ok=False, value=0,
                                                  detail=checked.detail)


def migrations() -> HealthCheck:
    label = _("Миграции базы данных применены")

    def read() -> HealthCheck:
        behind = migrate.pending(current_app, db.session.connection())
        detail = (_("все истории на последней версии") if not behind
                  else _("нужно обновление: %(names)s", names=", ".join(behind)))
        return HealthCheck(key="migrations_pending", label=label, ok=not behind,
                           value=len(behind), detail=detail)

    return guarded("migrations_pending", label, read)


def worker_seen() -> HealthCheck:
    label = _("Фоновый обработчик (worker) на связи")
    seen = worker.last_seen(current_app)
    if seen is None:
        return HealthCheck(key="worker_seen_age_seconds", label=label, ok=False,
                           detail=_("не отмечался"))
    age = max((utcnow() - seen).total_seconds(), 0.0)
    return HealthCheck(key="worker_seen_age_seconds", label=label,
                       ok=age <= WORKER_SILENT_AFTER.total_seconds(), value=age,
                       detail=_("последний раз %(minutes)s мин назад", minutes=int(age // 60)))


def outbox_depth() -> HealthCheck:
    from core.outbox import OutboxMessage

    label = _("Уведомления в очереди")

    def read() -> HealthCheck:
        depth = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.status.in_(("pending", "sending"))))
        return HealthCheck(key="outbox_depth", label=label, ok=depth <= OUTBOX_BACKLOG,
                           value=depth, detail=_("%(count)s ждут отправки", count=depth))

    return guarded("outbox_depth", label, read)


def failed_deliveries() -> HealthCheck:
    from core.outbox import OutboxMessage

    label = _("Недоставленные уведомления за 24 часа")

    def read() -> HealthCheck:
        # a failed message keeps the time of its last attempt in not_before
        since = utcnow() - timedelta(hours=24)
        count = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "failed", OutboxMessage.not_before >= since))
        return HealthCheck(key="outbox_failed_24h", label=label, ok=count == 0, value=count,
                           detail=_("%(count)s после всех попыток", count=count))

    return guarded("outbox_failed_24h", label, read)


def errors() -> HealthCheck:
    count = current_app.extensions.get(ERRORS, 0)
    # a count to watch, not a failure of the system: one error must not mark it down for good
    return HealthCheck(key="unexpected_errors", label=_("Непредвиденные ошибки (500)"),
                       ok=True, value=count,
                       detail=_("%(count)s с запуска этого процесса", count=count))


def core_checks() -> list[HealthCheck]:
    """The core's readings, the database first."""
    return [database(), migrations(), worker_seen(), outbox_depth(), failed_deliveries(),
            errors()]


def collect() -> list[HealthCheck]:
    """Every reading: the core's (through its own ``health_checks``) and the plugins'."""
    found: list[HealthCheck] = []
    for batch in hook().health_checks():
        found.extend(batch or ())
    return found


def count_error(app) -> None:
    """Count one unexpected error of this process (the health page and ``/metrics`` show it)."""
    app.extensions[ERRORS] = app.extensions.get(ERRORS, 0) + 1
