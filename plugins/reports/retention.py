"""Retention of generated report files: a finished job (its file kept in the database) is
removed ``reports.file_retention_days`` after it finished; the daily job records the count."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete

from core import audit
from core.calendar.clock import college_today
from core.extensions import db
from core.policy import policy_value
from core.retention import start_of_day
from plugins.reports.models import ReportJob


def purge_files(today: date | None = None) -> int:
    """Remove the jobs finished (done or failed) before the retention window; their count."""
    today = today or college_today()
    before = start_of_day(today - timedelta(days=max(0, policy_value("reports.file_retention_days"))))
    table = ReportJob.__table__
    removed = db.session.execute(
        delete(table).where(table.c.status.in_(("done", "failed")),
                            table.c.finished_at < before)).rowcount or 0
    if removed:
        audit.record("retention.reports.purge", ("ReportJob", None),
                     after={"jobs_removed": removed, "finished_before": before})
    return removed


def purge_daily() -> None:
    purge_files()
    db.session.commit()
