"""The college's working mode (BTT 4.1.1), set when the year is opened: a five- or six-day
week, the bell schedule (the main one and the shortened one, with the dates that follow the
shortened one) and whether the timetable alternates числитель and знаменатель weeks.

Readers ask ``mode_on(day)`` (or ``pair_time(day, pair)``): the modes of all years are read once
per request (three queries) and kept on ``g``; a flush that writes a year, a bell or a shortened
day forgets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core import audit
from core.calendar.models import AcademicYear, Bell, ShortDay
from core.errors import DomainError
from core.extensions import db

MAX_PAIRS = 8
WEEK_DAYS = {5: _l("Пятидневная неделя (понедельник — пятница)"),
             6: _l("Шестидневная неделя (понедельник — суббота)")}
#: the alternating weeks' names as the timetable shows them
WEEKS = {"A": _l("числитель"), "B": _l("знаменатель")}
_CACHE = "_ej_working_modes"


@dataclass(frozen=True)
class PairTime:
    number: int
    starts_at: time
    ends_at: time

    @property
    def label(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


@dataclass(frozen=True)
class ShortDayEntry:
    on_date: date
    title: str


@dataclass
class WorkingMode:
    """One year's working mode."""

    year_id: int
    title: str
    starts_on: date
    ends_on: date
    #: 5 or 6; None while the year's mode is not set (every weekday counts, as before)
    week_days: int | None = None
    alternating_weeks: bool = False
    main: dict[int, PairTime] = field(default_factory=dict)
    short: dict[int, PairTime] = field(default_factory=dict)
    short_days: dict[date, str] = field(default_factory=dict)

    def works_on(self, day: date) -> bool:
        """Whether ``day`` is a day of the working week (holidays aside)."""
        return self.week_days is None or day.isoweekday() <= self.week_days

    def week_of(self, day: date) -> str | None:
        """«A» (числитель) or «B» (знаменатель) for ``day`` when the year alternates, else None;
        the year's first week is a числитель."""
        if not self.alternating_weeks:
            return None
        first = self.starts_on - timedelta(days=self.starts_on.weekday())
        return "A" if ((day - first).days // 7) % 2 == 0 else "B"

    def is_short(self, day: date) -> bool:
        return day in self.short_days

    def bells_on(self, day: date) -> dict[int, PairTime]:
        """The pairs' times on ``day``: the shortened schedule on a shortened day (the main one
        if the shortened one is not entered)."""
        if day in self.short_days and self.short:
            return self.short
        return self.main

    def pair_time(self, day: date, pair: int) -> PairTime | None:
        return self.bells_on(day).get(pair)

    def runs(self, day: date, week: str | None) -> bool:
        """Whether a weekly lesson of ``week`` (None: every week) takes place on ``day``."""
        if not self.works_on(day):
            return False
        return week is None or self.week_of(day) in (None, week)

    def working_days(self, monday: date) -> list[date]:
        """The days a week page shows: the working week (Monday to Saturday when not set)."""
        return [monday + timedelta(days=i) for i in range(self.week_days or 6)]


def _load() -> list[WorkingMode]:
    modes: dict[int, WorkingMode] = {}
    for year in db.session.execute(select(
            AcademicYear.id, AcademicYear.title, AcademicYear.starts_on, AcademicYear.ends_on,
            AcademicYear.week_days, AcademicYear.alternating_weeks, AcademicYear.is_current)
            .order_by(AcademicYear.is_current.desc(), AcademicYear.starts_on.desc())):
        modes[year.id] = WorkingMode(year.id, year.title, year.starts_on, year.ends_on,
                                     year.week_days, year.alternating_weeks)
    if modes:
        for bell in db.session.execute(select(Bell.year_id, Bell.short, Bell.pair_number,
                                              Bell.starts_at, Bell.ends_at)):
            target = modes[bell.year_id].short if bell.short else modes[bell.year_id].main
            target[bell.pair_number] = PairTime(bell.pair_number, bell.starts_at, bell.ends_at)
        for day in db.session.execute(select(ShortDay.year_id, ShortDay.on_date, ShortDay.title)):
            modes[day.year_id].short_days[day.on_date] = day.title
    return list(modes.values())


def all_modes() -> list[WorkingMode]:
    """Every year's working mode, the current year first (read once per request)."""
    if not has_app_context():
        return _load()
    found = g.get(_CACHE)
    if found is None:
        found = _load()
        setattr(g, _CACHE, found)
    return found


def forget() -> None:
    if has_app_context():
        g.pop(_CACHE, None)


@event.listens_for(Session, "after_flush")
def _forget_on_change(session, _context) -> None:
    """A year, bell or shortened day written in this request: read the modes again."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, AcademicYear | Bell | ShortDay):
            forget()
            return


def mode_on(day: date) -> WorkingMode | None:
    """The working mode of the year containing ``day`` (the current one when several do)."""
    for mode in all_modes():
        if mode.starts_on <= day <= mode.ends_on:
            return mode
    return None


def mode_of(year_id: int) -> WorkingMode | None:
    return next((mode for mode in all_modes() if mode.year_id == year_id), None)


def pair_time(day: date, pair: int) -> PairTime | None:
    """The time of pair ``pair`` on ``day`` from the bells, or None when they are not entered."""
    mode = mode_on(day)
    return mode.pair_time(day, pair) if mode else None


def pair_label(day: date, pair: int) -> str:
    """«1 пара, 08:30–10:00» (the time only when the bells have it)."""
    found = pair_time(day, pair)
    text = _("%(n)s пара", n=pair)
    return f"{text}, {found.label}" if found else text


def runs_on(day: date, week: str | None = None) -> bool:
    """Whether a weekly lesson (of ``week``) takes place on ``day`` by the working mode; a day
    outside every year follows no mode (any day)."""
    mode = mode_on(day)
    return mode.runs(day, week) if mode else True


def working_days(monday: date) -> list[date]:
    """The working days of the week starting on ``monday`` (six outside every year)."""
    mode = mode_on(monday) or mode_on(monday + timedelta(days=5))
    return mode.working_days(monday) if mode else [monday + timedelta(days=i) for i in range(6)]


# --- saving -------------------------------------------------------------------------------------


def check_bells(pairs: dict[int, tuple[time | None, time | None]], label: str
                ) -> list[tuple[int, str]]:
    """(pair, Russian reason) for each fault of a bell schedule (pair → start, end): half a
    pair, an end not after its start, a pair starting before the previous one ends."""
    problems: list[tuple[int, str]] = []
    filled = []
    for number in sorted(pairs):
        starts, ends = pairs[number]
        if starts is None and ends is None:
            continue
        if starts is None or ends is None:
            problems.append((number, _("%(schedule)s, %(n)s пара: укажите и начало, и окончание.",
                                       schedule=label, n=number)))
            continue
        if ends <= starts:
            problems.append((number, _(
                "%(schedule)s, %(n)s пара: окончание (%(end)s) должно быть позже начала "
                "(%(start)s).", schedule=label, n=number, end=ends.strftime("%H:%M"),
                start=starts.strftime("%H:%M"))))
            continue
        filled.append((number, starts, ends))
    for (n1, _s1, e1), (n2, s2, _e2) in zip(filled, filled[1:], strict=False):
        if s2 < e1:
            problems.append((n2, _(
                "%(schedule)s: %(b)s пара начинается (%(start)s) раньше, чем кончается "
                "%(a)s пара (%(end)s).", schedule=label, a=n1, b=n2, start=s2.strftime("%H:%M"),
                end=e1.strftime("%H:%M"))))
    return problems


MAIN_LABEL = _l("Основное расписание звонков")
SHORT_LABEL = _l("Сокращённое расписание звонков")


def save_mode(year: AcademicYear, week_days: int, alternating_weeks: bool,
              main: dict[int, tuple[time | None, time | None]],
              short: dict[int, tuple[time | None, time | None]],
              short_days: list[ShortDayEntry]) -> None:
    """Set the year's working mode; raise ``DomainError`` (nothing changed) if invalid. Audited;
    the caller commits."""
    problems: list[str] = []
    if week_days not in WEEK_DAYS:
        problems.append(_("Рабочая неделя — пять или шесть дней."))
    problems += [text for _n, text in check_bells(main, str(MAIN_LABEL))]
    problems += [text for _n, text in check_bells(short, str(SHORT_LABEL))]
    seen = set()
    for entry in short_days:
        if not year.starts_on <= entry.on_date <= year.ends_on:
            problems.append(_("Сокращённый день %(date)s вне учебного года.",
                              date=entry.on_date.strftime("%d.%m.%Y")))
        if entry.on_date in seen:
            problems.append(_("Сокращённый день %(date)s указан дважды.",
                              date=entry.on_date.strftime("%d.%m.%Y")))
        seen.add(entry.on_date)
    if short_days and not any(s and e for s, e in short.values()):
        problems.append(_("Для сокращённых дней задайте сокращённое расписание звонков."))
    if problems:
        raise DomainError(" ".join(problems))
    before = snapshot(year)
    year.week_days, year.alternating_weeks = week_days, alternating_weeks
    year.bells.clear()
    year.short_days.clear()
    db.session.flush()
    for is_short, pairs in ((False, main), (True, short)):
        for number, (starts, ends) in sorted(pairs.items()):
            if starts is not None and ends is not None:
                year.bells.append(Bell(short=is_short, pair_number=number, starts_at=starts,
                                       ends_at=ends))
    for entry in sorted(short_days, key=lambda e: e.on_date):
        year.short_days.append(ShortDay(on_date=entry.on_date, title=entry.title))
    db.session.flush()
    after = snapshot(year)
    if after != before:
        audit.record("year.mode", year, before=before, after=after)
    forget()


def snapshot(year: AcademicYear) -> dict:
    return {
        "week_days": year.week_days, "alternating_weeks": year.alternating_weeks,
        "bells": [[b.short, b.pair_number, f"{b.starts_at:%H:%M}", f"{b.ends_at:%H:%M}"]
                  for b in sorted(year.bells, key=lambda b: (b.short, b.pair_number))],
        "short_days": [[d.on_date.isoformat(), d.title]
                       for d in sorted(year.short_days, key=lambda d: d.on_date)],
    }

