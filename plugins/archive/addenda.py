"""Addenda: a correction that takes effect in an archived period (the administrator's, with a
reason: ``freeze.CORRECT``) is recorded as a file of its own beside the archive, sealed and
chained to the manifest and to the addendum before it; the archived files are never rewritten
(docs/archive.md)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import audit, audit_key
from core.extensions import db
from core.models import utcnow
from core.people.models import Student, User
from plugins.archive import api
from plugins.archive.models import ArchiveAddendum, ArchivedPeriod, ArchiveFile
from plugins.archive.storage import storage
from plugins.archive.writer import audit_head, canonical, sha256
from plugins.journal import api as journal
from plugins.journal.events import CorrectionApplied

ADDENDUM_SEAL = "archive.addendum"
FORMAT = "ejournal-archive-addendum/1"
KIND_TITLES = {"grade": _l("Оценка"), "attendance": _l("Посещаемость"),
               "lesson": _l("Запись занятия")}


def summary_of(event: CorrectionApplied) -> str:
    """The correction as a person reads it: «Оценка, Иванов И. И., Математика, 12.03.2026:
    «3» → «4»»."""
    load = journal.load_of(journal.get_lesson(event.lesson_id))
    student = db.session.get(Student, event.student_id) if event.student_id else None
    if student is None:
        return _("%(kind)s, %(discipline)s, %(day)s: %(new)s",
                 kind=str(KIND_TITLES.get(event.kind, event.kind)),
                 discipline=load.discipline.title,
                 day=event.lesson_day.strftime("%d.%m.%Y"),
                 new=event.new_value.replace("\n", "; "))
    who = f"{student.last_name} {student.first_name}"
    return _("%(kind)s, %(student)s, %(discipline)s, %(day)s: «%(old)s» → «%(new)s»",
             kind=str(KIND_TITLES.get(event.kind, event.kind)), student=who,
             discipline=load.discipline.title, day=event.lesson_day.strftime("%d.%m.%Y"),
             old=event.old_value or "—", new=event.new_value or "—")


def on_correction(event: CorrectionApplied) -> None:
    """In the correction's transaction: an addendum when its lesson lies in an archived
    period."""
    found = api.archived_period_of(event.lesson_day)
    if found is None:
        return
    period = db.session.get(ArchivedPeriod, found.id)
    actor = db.session.get(User, event.applied_by_id)
    record(period, actor, action=f"{event.kind}.correction", summary=summary_of(event),
           reason=event.reason,
           change={"lesson_id": event.lesson_id, "lesson_day": event.lesson_day.isoformat(),
                   "student_id": event.student_id, "old_value": event.old_value,
                   "new_value": event.new_value, "requested_by_id": event.requested_by_id,
                   "applied_by_id": event.applied_by_id})


def chain(period_id: int) -> list[ArchiveAddendum]:
    """The period's addenda in their order."""
    return list(db.session.scalars(select(ArchiveAddendum)
                                   .where(ArchiveAddendum.period_id == period_id)
                                   .order_by(ArchiveAddendum.number)))


def record(period: ArchivedPeriod, actor: User, *, action: str, summary: str, reason: str,
           change: dict) -> ArchiveAddendum:
    """Write the next addendum of ``period``: its sealed file, its row, its audit entry."""
    # the period's row locked: two corrections at once get numbers one after the other
    db.session.execute(select(ArchivedPeriod.id).where(ArchivedPeriod.id == period.id)
                       .with_for_update())
    last = db.session.scalar(select(func.max(ArchiveAddendum.number))
                             .where(ArchiveAddendum.period_id == period.id)) or 0
    previous = (db.session.scalar(
        select(ArchiveFile.sha256).join(ArchiveAddendum, ArchiveAddendum.file_id == ArchiveFile.id)
        .where(ArchiveAddendum.period_id == period.id, ArchiveAddendum.number == last))
        if last else period.manifest_sha256)
    number = last + 1
    head_id, head_hash = audit_head()
    at = utcnow()
    document = {"format": FORMAT, "period": period.title, "number": number,
                "manifest_sha256": period.manifest_sha256, "previous_sha256": previous,
                "created_at": at.isoformat(), "actor": actor.login, "action": action,
                "summary": summary, "reason": reason, "change": change,
                "audit_head": {"id": head_id, "hash": head_hash}}
    data = canonical(document)
    seal = audit_key.mac(data, ADDENDUM_SEAL)
    folder = period.manifest_path.rsplit("/", 1)[0]
    path = f"{folder}/addenda/{number:04d}.json"
    storage().put(path, data)
    storage().put(path + ".seal", seal.encode())
    file = ArchiveFile(period_id=period.id, path=path, kind="addendum", title=_(
        "Дополнение № %(number)s", number=number), sha256=sha256(data), size=len(data),
        retention="statement")
    db.session.add(file)
    db.session.flush()
    addendum = ArchiveAddendum(period_id=period.id, number=number, summary=summary[:500],
                               reason=reason, actor_id=actor.id, created_at=at,
                               file_id=file.id, previous_sha256=previous, seal=seal)
    db.session.add(addendum)
    db.session.flush()
    audit.record("archive.addendum", addendum, after={"period": period.title,
                                                      "number": number, "summary": summary},
                 note=reason, actor=actor)
    return addendum
