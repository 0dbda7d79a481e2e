"""Long reports in the worker: a job row with its parameters, progress and, when done, the file
(kept in the database, so any server behind the balancer can hand it out)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import update

from core.extensions import db
from core.models import utcnow
from core.people.models import User
from core.worker import enqueue_task
from plugins.reports import registry, render
from plugins.reports.models import ReportJob

if TYPE_CHECKING:
    from core.plugins.types import ReportProvider, ReportQuery

log = logging.getLogger(__name__)
TASK = "reports.run_job"


def start(user: User, provider: ReportProvider, query: ReportQuery, file_format: str) -> int:
    """Record the job, commit it and hand it to the worker; its id."""
    job = ReportJob(user_id=user.id, report=provider.name, params=registry.as_args(query),
                    file_format=file_format)
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    db.session.commit()  # and no new transaction here: a worker in this process must write
    enqueue_task(TASK, job_id)
    return job_id


def _progress(job_id: int):
    def tell(done: int, total: int) -> None:
        # committed at once, so the page polling the job sees it (and, on SQLite, the write lock
        # a transaction takes is not held through the whole build)
        table = ReportJob.__table__
        db.session.execute(update(table).where(table.c.id == job_id).values(done=done,
                                                                             total=total))
        db.session.commit()
    return tell


def run_job(job_id: int) -> None:
    """The worker's task: build and render the report as the user who asked, within their scope
    as it is now (a user who lost access gets a failed job, not the file)."""
    job = db.session.get(ReportJob, job_id)
    if job is None or job.status != "queued":
        return
    job.status = "running"
    db.session.commit()
    try:
        user = db.session.get(User, job.user_id)
        provider = registry.provider_or_404(user, job.report)
        query = registry.with_progress(registry.parse(user, provider, job.params),
                                       _progress(job_id))
        result = provider.build(query)
        db.session.commit()  # nothing held while the file is laid out
        rendered = render.render(provider, query, job.file_format, result)
    except Exception as exc:  # recorded for the user; the worker goes on
        log.exception("report job %s failed", job_id)
        db.session.rollback()
        job = db.session.get(ReportJob, job_id)
        job.status, job.error, job.finished_at = "failed", _reason(exc), utcnow()
    else:
        job = db.session.get(ReportJob, job_id)
        job.status, job.content, job.filename = "done", rendered.content, rendered.filename
        job.finished_at = utcnow()
    db.session.commit()


def _reason(exc: Exception) -> str:
    from flask_babel import gettext as _

    if isinstance(exc, registry.ParamError):
        return exc.message
    if getattr(exc, "code", None) == 404:
        return _("Отчёт с этими параметрами вам больше недоступен.")
    return _("Отчёт не удалось построить; администратор видит подробности в журнале сервера.")
