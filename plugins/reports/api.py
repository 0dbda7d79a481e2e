"""What other plugins ask the reports plugin: the statements of a group's year (every plugin's
``ReportProvider.statement``, the printed year journal among them) and their PDF, built as the
reports page builds them (the archive writes them into a period's archive)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.extensions import db
from core.people.models import User
from core.plugins.types import ReportProvider, ReportQuery
from plugins.reports import registry, render

#: the printed journal of a group's year; the other statements are summary statements
YEAR_JOURNAL = "reports.year_journal"


def group_statements() -> list[ReportProvider]:
    """Every report of one group over an academic year kept by the college (``keep_years``),
    the printed journal first."""
    found = [provider for provider in registry.providers().values()
             if provider.keep_years and set(provider.params) == {"group", "year"}]
    return sorted(found, key=lambda provider: (provider.name != YEAR_JOURNAL, provider.order,
                                               provider.name))


def statement_pdf(provider: ReportProvider, user: User, group_id: int, year_id: int,
                  start: date, end: date,
                  progress: Callable[[int, int], None] | None = None) -> bytes:
    """The PDF of ``provider`` for the group's year ``year_id`` (its period ``start``–``end``),
    as ``user`` would download it from the reports page. Commits what the caller has done (the
    worker's job commits as it goes)."""
    query = ReportQuery(user=user, group_id=group_id, year_id=year_id, start=start, end=end,
                        progress=progress or (lambda done, total: None))
    result = provider.build(query)
    db.session.commit()  # nothing held while the file is laid out (SQLite: the write lock)
    return render.render(provider, query, "pdf", result).content
