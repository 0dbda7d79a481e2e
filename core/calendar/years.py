"""Opening an academic year: the year, its terms and holidays, checked before anything is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from core import audit
from core.calendar.models import AcademicYear, Holiday, Term
from core.errors import DomainError
from core.extensions import db

TITLE_RE = re.compile(r"^(\d{4})/(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A term or a holiday as entered: a title and two dates."""

    title: str
    starts_on: date
    ends_on: date


def academic_start_year(today: date) -> int:
    """The calendar year the academic year containing ``today`` began in (it opens in August)."""
    return today.year if today.month >= 8 else today.year - 1


def default_periods(start_year: int) -> tuple[date, date, list[Period], list[Period]]:
    """Sept 1 – June 30 with two semesters around the winter holidays (titles are stored data)."""
    starts, ends = date(start_year, 9, 1), date(start_year + 1, 6, 30)
    terms = [
        Period("1 семестр", starts, date(start_year, 12, 28)),
        Period("2 семестр", date(start_year + 1, 1, 12), ends),
    ]
    holidays = [Period("Зимние каникулы", date(start_year, 12, 29), date(start_year + 1, 1, 11))]
    return starts, ends, terms, holidays


def check_year(title: str, starts_on: date, ends_on: date, terms: list[Period],
               holidays: list[Period], year: AcademicYear | None = None) -> list[str]:
    """Russian reasons why the year cannot be saved (empty if it can)."""
    problems: list[str] = []
    match = TITLE_RE.match(title or "")
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        problems.append(_("Название года — два года подряд через косую черту, например «2026/2027»."))
    if starts_on >= ends_on:
        problems.append(_("Год должен заканчиваться позже, чем начинается."))
    same = db.session.scalar(select(AcademicYear.id).where(AcademicYear.title == title))
    if same is not None and (year is None or same != year.id):
        problems.append(_("Учебный год «%(title)s» уже есть.", title=title))
    if not terms:
        problems.append(_("Нужен хотя бы один семестр."))
    for kind, periods in ((_("Семестр"), terms), (_("Каникулы"), holidays)):
        for period in periods:
            if period.starts_on > period.ends_on:
                problems.append(_("%(kind)s «%(title)s»: дата окончания раньше даты начала.",
                                  kind=kind, title=period.title))
            elif period.starts_on < starts_on or period.ends_on > ends_on:
                problems.append(_("%(kind)s «%(title)s» выходит за границы учебного года.",
                                  kind=kind, title=period.title))
    ordered = sorted(terms, key=lambda p: p.starts_on)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.starts_on <= first.ends_on:
            problems.append(_("Семестры «%(a)s» и «%(b)s» пересекаются.", a=first.title, b=second.title))
    return problems


def save_year(title: str, starts_on: date, ends_on: date, terms: list[Period],
              holidays: list[Period], *, make_current: bool = False,
              year: AcademicYear | None = None) -> AcademicYear:
    """Create (or update) a year with its terms, numbered by date; raise ``DomainError`` if invalid.

    Existing terms are updated in place (other plugins refer to them); a term may not be removed.
    """
    problems = check_year(title, starts_on, ends_on, terms, holidays, year)
    terms = sorted(terms, key=lambda p: p.starts_on)
    if year is not None and len(terms) < len(year.terms):
        problems.append(_("Семестр уже создан и может быть связан с записями журнала: удалить его нельзя."))
    if problems:
        raise DomainError(" ".join(problems))
    before = None if year is None else _snapshot(year)
    if year is None:
        year = AcademicYear(title=title, starts_on=starts_on, ends_on=ends_on)
        db.session.add(year)
    year.title, year.starts_on, year.ends_on = title, starts_on, ends_on
    existing = {term.number: term for term in year.terms}
    for number, period in enumerate(terms, start=1):
        term = existing.get(number)
        if term is None:
            term = Term(number=number)
            year.terms.append(term)
        term.title, term.starts_on, term.ends_on = period.title, period.starts_on, period.ends_on
    year.holidays.clear()
    for period in holidays:
        year.holidays.append(Holiday(title=period.title, starts_on=period.starts_on,
                                     ends_on=period.ends_on))
    db.session.flush()
    if make_current:
        set_current(year)
    audit.record("year.save", year, before=before, after=_snapshot(year))
    return year


def set_current(year: AcademicYear) -> None:
    """Make ``year`` the one current year."""
    db.session.execute(update(AcademicYear).where(AcademicYear.id != year.id).values(is_current=False))
    if not year.is_current:
        year.is_current = True
        audit.record("year.current", year, after={"title": year.title})
    db.session.flush()


def current_year() -> AcademicYear | None:
    return db.session.scalar(select(AcademicYear).where(AcademicYear.is_current))


def term_on(year: AcademicYear, day: date) -> Term | None:
    """The term containing ``day``, else the next one, else the last one."""
    for term in year.terms:
        if term.ends_on >= day:
            return term
    return year.terms[-1] if year.terms else None


def _snapshot(year: AcademicYear) -> dict:
    return {
        "title": year.title, "starts_on": year.starts_on, "ends_on": year.ends_on,
        "terms": [[t.title, t.starts_on, t.ends_on] for t in year.terms],
        "holidays": [[h.title, h.starts_on, h.ends_on] for h in year.holidays],
    }


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every month the period touches, in order."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def year_span(day: date) -> tuple[date, date]:
    """The first and last day of the academic year containing ``day`` (the current one when
    several overlap), or ``(day, day)`` outside every year."""
    found = db.session.execute(
        select(AcademicYear.starts_on, AcademicYear.ends_on)
        .where(AcademicYear.starts_on <= day, AcademicYear.ends_on >= day)
        .order_by(AcademicYear.is_current.desc(), AcademicYear.starts_on.desc()).limit(1)).first()
    return (found[0], found[1]) if found else (day, day)
