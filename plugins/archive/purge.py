"""The retention purge of archived periods (BTT 5.3): after ``archive.journal_retention_years``
the journals' files of a period and its detailed records in the live database (lessons, current
marks, absences, substitutions… each removed by the plugin owning it, ``purge_records``) are
destroyed; after ``archive.statement_retention_years`` its statements. Each purge is drawn up as
an act of destruction (``DestructionAct``) listing the files and the record counts removed and
the statement files kept. The preview (``plan``) shows the same lists beforehand.

A file of retention class «statement» is never removed before its own term: the journal stage
only ever takes files of class «journal». The audit log is not touched (docs/archive.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import audit
from core.calendar.clock import college_today
from core.errors import DomainError
from core.extensions import db
from core.models import utcnow
from core.plugins import hook
from core.plugins.types import PurgeCount
from core.policy import policy_value
from plugins.archive import api
from plugins.archive import storage as archive_storage
from plugins.archive.models import ArchivedPeriod, ArchiveFile
from plugins.archive.record_models import DestructionAct

log = logging.getLogger(__name__)
#: the stages of a period's destruction, in order, with their policy keys
STAGES = {"journal": "archive.journal_retention_years",
          "statement": "archive.statement_retention_years"}
#: the inventory of the archive stays with the acts, whatever the stage: it is what the acts
#: and the verification of what remains refer to
PERMANENT = ("manifest",)
STAGE_TITLES = {"journal": _l("журналы и подробные данные"), "statement": _l("сводные ведомости")}


@dataclass
class Plan:
    """What a purge of ``period`` at ``stage`` removes and keeps, and whether it is due."""

    period: ArchivedPeriod
    stage: str
    years: int
    kept_until: date
    due: bool
    files: list[ArchiveFile] = field(default_factory=list)
    records: list[PurgeCount] = field(default_factory=list)
    #: the files kept, with their last day (``None``: kept for good, the inventory)
    kept: list[tuple[ArchiveFile, date | None]] = field(default_factory=list)

    @property
    def record_total(self) -> int:
        return sum(item.count for item in self.records)


def _years(stage: str) -> int:
    return policy_value("archive.statement_retention_years" if stage == "statement"
                        else "archive.journal_retention_years")


def _info(period: ArchivedPeriod) -> api.ArchivedPeriodInfo:
    return api.ArchivedPeriodInfo(period.id, period.title, period.starts_on, period.ends_on,
                                  period.year_id, period.term_id, period.manifest_sha256)


def kept_until(period: ArchivedPeriod, stage: str) -> date:
    """The last day files of ``stage`` of ``period`` are kept."""
    return api.kept_until(_info(period), stage)


def act_of(period_id: int, stage: str) -> DestructionAct | None:
    return db.session.scalar(select(DestructionAct).where(
        DestructionAct.period_id == period_id, DestructionAct.retention == stage))


def plan(period: ArchivedPeriod, stage: str = "journal", today: date | None = None) -> Plan:
    """The preview: the files of class ``stage`` still in the archive, the live records the
    plugins would remove (a dry run of ``purge_records``, journal stage only) and the statement
    files kept, with the last day of each."""
    if stage not in STAGES:
        raise DomainError(_("Неизвестный срок хранения."))
    today = today or college_today()
    until = kept_until(period, stage)
    result = Plan(period, stage, _years(stage), until, due=until < today)
    for file in period.files:
        if file.purged_at is not None:
            continue
        if file.kind in PERMANENT:
            result.kept.append((file, None))
        elif file.retention == stage:
            result.files.append(file)
        else:
            result.kept.append((file, kept_until(period, file.retention)))
    if stage == "journal":
        result.records = [item for batch in hook().purge_records(
            start=period.starts_on, end=period.ends_on, dry_run=True) for item in batch]
    return result


def _entry(file: ArchiveFile) -> dict[str, Any]:
    return {"path": file.path, "title": file.title, "kind": file.kind, "sha256": file.sha256,
            "size": file.size}


def purge(period: ArchivedPeriod, stage: str = "journal", actor: Any = None,
          today: date | None = None) -> DestructionAct:
    """Destroy what ``stage`` of ``period`` holds, once its term is over, and draw up the act.
    Refuses (``DomainError``) before the term or a second time. The caller commits."""
    today = today or college_today()
    if period.state != "archived":
        raise DomainError(_("Период не архивирован: уничтожать нечего."))
    if act_of(period.id, stage) is not None:
        raise DomainError(_("По этому периоду акт об уничтожении уже составлен."))
    if stage == "statement" and act_of(period.id, "journal") is None:
        raise DomainError(_("Сначала уничтожаются журналы периода."))
    planned = plan(period, stage, today)
    if not planned.due:
        raise DomainError(_("Срок хранения не истёк: %(what)s хранятся по %(day)s включительно.",
                            what=STAGE_TITLES[stage], day=planned.kept_until.strftime("%d.%m.%Y")))
    removed_at = utcnow()
    for file in planned.files:
        if file.retention != stage or file.kind in PERMANENT:  # never a statement too early
            raise DomainError(_("Файл %(path)s другого срока хранения.", path=file.path))
        file.purged_at = removed_at
    records = planned.records
    if stage == "journal":
        records = [item for batch in hook().purge_records(
            start=period.starts_on, end=period.ends_on, dry_run=False) for item in batch]
    number = (db.session.scalar(select(func.max(DestructionAct.number))) or 0) + 1
    act = DestructionAct(
        number=number, period_id=period.id, retention=stage, at=removed_at,
        actor_id=getattr(actor, "id", None), years=planned.years,
        kept_until=planned.kept_until.isoformat(),
        files=[_entry(file) for file in planned.files],
        records=[{"plugin": item.plugin, "table": item.table, "title": str(item.title),
                  "count": item.count} for item in records],
        kept=[{"path": file.path, "title": file.title,
               "kept_until": until.isoformat() if until else None}
              for file, until in planned.kept])
    db.session.add(act)
    db.session.flush()
    # the files go last, once the records' removal and the act are in the transaction: a
    # failure before leaves everything; a failed commit after leaves files already gone, which
    # the next run's act still lists (their rows are unchanged)
    store = archive_storage.storage()
    for file in planned.files:
        store.delete(file.path)
    audit.record("archive.purge", ("DestructionAct", act.id), actor=actor,
                 after={"period": period.title, "stage": stage, "number": number,
                        "files": len(act.files),
                        "records": sum(item["count"] for item in act.records)})
    return act


def due(today: date | None = None) -> list[tuple[ArchivedPeriod, str]]:
    """The (period, stage) pairs whose term is over and which have no act yet."""
    today = today or college_today()
    found = []
    done = set(db.session.execute(select(DestructionAct.period_id, DestructionAct.retention)))
    for period in db.session.scalars(select(ArchivedPeriod).where(
            ArchivedPeriod.state == "archived").order_by(ArchivedPeriod.starts_on)):
        for stage in STAGES:
            if (period.id, stage) in done:
                continue
            if kept_until(period, stage) < today:
                found.append((period, stage))
            break  # a later stage waits for the earlier one's act
    return found


def purge_due(today: date | None = None) -> list[DestructionAct]:
    """The worker's daily job: purge every period whose term is over, each in its own commit
    (one that fails is logged and left for the next day; the others go on)."""
    acts = []
    for period_id, stage in [(period.id, stage) for period, stage in due(today)]:
        try:
            acts.append(purge(db.session.get(ArchivedPeriod, period_id), stage, today=today))
            db.session.commit()
        except Exception:
            log.exception("retention purge of archived period %s (%s) failed", period_id, stage)
            db.session.rollback()
    return acts
