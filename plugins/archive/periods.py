"""The periods an archive covers: terms or academic years, as ``archive.period`` says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.calendar.models import AcademicYear
from core.extensions import db
from core.policy import policy_value


@dataclass(frozen=True)
class PeriodChoice:
    """A term or a year of the calendar that can be archived once it has ended."""

    year_id: int
    term_id: int | None
    title: str
    starts_on: date
    ends_on: date
    #: the folder of its files in the archive: ``2025-2026`` or ``2025-2026-t1``
    slug: str


def period_kind() -> str:
    """``"term"`` or ``"year"``: what one archive covers (BTT 5.1, KTIS 5.5)."""
    return policy_value("archive.period")


def calendar_periods() -> list[PeriodChoice]:
    """Every period of the calendar by ``archive.period``, oldest first."""
    years = db.session.scalars(select(AcademicYear).options(selectinload(AcademicYear.terms))
                               .order_by(AcademicYear.starts_on))
    by_year = period_kind() == "year"
    choices: list[PeriodChoice] = []
    for year in years:
        slug = year.title.replace("/", "-")
        if by_year or not year.terms:
            choices.append(PeriodChoice(year.id, None, year.title, year.starts_on, year.ends_on,
                                        slug))
            continue
        for term in year.terms:
            choices.append(PeriodChoice(year.id, term.id, f"{year.title}, {term.title}",
                                        term.starts_on, term.ends_on, f"{slug}-t{term.number}"))
    return choices


def ended_periods(today: date) -> list[PeriodChoice]:
    """The periods that ended before ``today`` (only those may be closed)."""
    return [choice for choice in calendar_periods() if choice.ends_on < today]
