"""Statements and printed journals of an archived year are served from the archive's files
(``archived_report``), never built again from live data that may have been corrected since."""

from __future__ import annotations

from sqlalchemy import select

from core.calendar.models import AcademicYear
from core.extensions import db
from core.plugins import hookimpl
from core.plugins.types import ArchivedReport
from plugins.archive.models import ArchivedPeriod, ArchiveFile
from plugins.archive.storage import storage


def stem_of(report: str) -> str:
    """A report's name as its archived files begin: ``reports.year_journal`` → ``reports-…``."""
    return report.replace(".", "-")


def file_name(report: str, group_id: int) -> str:
    return f"{stem_of(report)}-group-{group_id}.pdf"


def archived_file(report: str, group_id: int, year_id: int) -> ArchiveFile | None:
    """The file of ``report`` for the group's year in the archive of the period that closed the
    year (the year itself, or its last term), unless the retention purge removed it."""
    year = db.session.get(AcademicYear, year_id)
    if year is None:
        return None
    return db.session.scalar(
        select(ArchiveFile).join(ArchivedPeriod, ArchivedPeriod.id == ArchiveFile.period_id)
        .where(ArchivedPeriod.year_id == year_id, ArchivedPeriod.state == "archived",
               ArchivedPeriod.ends_on == year.ends_on, ArchiveFile.group_id == group_id,
               ArchiveFile.path.endswith("/" + file_name(report, group_id)),
               ArchiveFile.purged_at.is_(None))
        .order_by(ArchivedPeriod.starts_on.desc()).limit(1))


@hookimpl(specname="archived_report")
def serve_archived(report, query, file_format):
    """The archived PDF of a group's year statement, when that year is archived."""
    if file_format != "pdf" or query.group_id is None or query.year_id is None:
        return None
    found = archived_file(report, query.group_id, query.year_id)
    if found is None:
        return None
    year = db.session.get(AcademicYear, query.year_id).title.replace("/", "-")
    return ArchivedReport(storage().get(found.path),
                          f"{stem_of(report)}-{year}-archive.pdf")
