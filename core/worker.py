"""The worker: huey on a SQLite file in the instance folder, or on Redis when ``REDIS_URL`` is
set (DESIGN §5). It delivers the outbox (woken after every commit that queued a message, and
every minute in any case), anchors the audit log's head outside the database once a day
(``core.audit_anchor``) and runs the plugins' ``scheduled_jobs``. ``ejournal worker`` runs it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from core import audit_anchor, outbox
from core.models import utcnow
from core.plugins import hook

log = logging.getLogger(__name__)
KEY = "ejournal.huey"
TASKS = "ejournal.worker_tasks"
HEARTBEAT = "ejournal.worker_seen"


def make_huey(app: Flask) -> Huey:
    """The queue; ``WORKER_IMMEDIATE`` runs every task at once in the caller (tests, a demo
    without a worker process)."""
    immediate = bool(app.config.get("WORKER_IMMEDIATE", False))
    url = app.config.get("REDIS_URL")
    name = app.config.get("WORKER_QUEUE") or "ejournal"
    if url:
        return RedisHuey(name, url=url, immediate=immediate)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(Path(app.instance_path) / "worker.sqlite3"),
                      immediate=immediate)


def init_worker(app: Flask) -> Huey:
    """Build the app's queue and register its tasks (the web side only enqueues)."""
    huey = make_huey(app)

    def in_app(function):
        # a request context of the public address: tasks build links (url_for) like pages do
        def run(*args, **kwargs):
            with app.test_request_context(base_url=app.config.get("PUBLIC_URL")):
                return function(*args, **kwargs)

        run.__name__ = function.__name__
        return run

    deliver = huey.task(name="deliver_outbox")(in_app(lambda: outbox.deliver_due()))
    huey.periodic_task(crontab(minute="*"), name="deliver_outbox_every_minute")(
        in_app(lambda: outbox.deliver_due()))
    huey.periodic_task(crontab(minute="*"), name="worker_heartbeat")(
        lambda: note_alive(huey))
    # hourly, so that a worker stopped at the anchoring hour still anchors that day
    huey.periodic_task(crontab(minute="7"), name="anchor_audit_daily")(in_app(_anchor_daily))
    tasks = {}
    with app.app_context():
        for batch in hook().scheduled_jobs():
            for job in batch or ():
                huey.periodic_task(crontab(**job.schedule), name=job.name)(in_app(job.run))
        for batch in hook().worker_tasks():
            for task in batch or ():
                tasks[task.name] = huey.task(name=task.name)(in_app(task.run))
    app.extensions[KEY] = huey
    app.extensions[TASKS] = tasks
    app.extensions["ejournal.deliver_task"] = deliver
    return huey


def note_alive(huey: Huey, at: datetime | None = None) -> None:
    """Record in the queue's storage (shared by the web and the worker) that a worker ran now."""
    huey.put(HEARTBEAT, (at or utcnow()).isoformat())


def last_seen(app: Flask) -> datetime | None:
    """When a worker last ran its minute's heartbeat, or ``None`` (never, or the queue is down)."""
    try:
        value = app.extensions[KEY].get(HEARTBEAT, peek=True)
    except Exception as exc:  # a queue that cannot be read is reported, not raised
        log.warning("could not read the worker's heartbeat: %s", exc)
        return None
    return datetime.fromisoformat(value) if value else None


def _anchor_daily() -> None:
    audit_anchor.anchor_daily()


def wake() -> None:
    """Ask the worker to deliver now (after a commit that queued messages)."""
    if not has_app_context() or not current_app.config.get("WORKER_WAKE", True):
        return
    task = current_app.extensions.get("ejournal.deliver_task")
    if task is None:
        return
    try:
        task()
    except Exception as exc:  # the queue being down must not fail the user's request
        log.warning("could not wake the worker: %s", exc)


def enqueue_task(name: str, *args) -> None:
    """Hand a plugin's ``WorkerTask`` to the worker (commit what it reads first)."""
    current_app.extensions[TASKS][name](*args)


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    if session.info.pop(outbox.QUEUED, False):
        wake()


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(outbox.QUEUED, None)


def run_consumer(app: Flask, workers: int = 1) -> None:
    """Run the queue's consumer until stopped (``ejournal worker``)."""
    huey = app.extensions[KEY]
    with app.app_context():  # deliver what waited while no worker ran, and what a dead one left
        outbox.release_claims()
        outbox.deliver_due()
    consumer = huey.create_consumer(workers=workers, periodic=True, check_worker_health=True)
    consumer.run()
