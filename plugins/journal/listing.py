"""The list of journals (``/journal/``): one term's journals a user may open, by group and a
page of groups at a time, with the years and terms they have journals in. Every choice is made
in SQL over the loads the user reads (``readers``), so the list costs the same in the seventh
year as in the first."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from core.calendar.clock import college_today
from core.calendar.models import AcademicYear, Term
from core.extensions import db
from core.models import utcnow
from core.people.models import Group
from core.plugins import hook
from plugins.journal import api
from plugins.journal.models import Discipline, TeachingLoad
from plugins.journal.readers import readers_of

#: groups on one page of the list
PAGE_GROUPS = 25


@dataclass
class JournalList:
    years: list[AcademicYear] = field(default_factory=list)
    year: AcademicYear | None = None
    terms: list[Term] = field(default_factory=list)  # of ``year``, those with journals
    term: Term | None = None
    mine: list[api.LoadInfo] = field(default_factory=list)  # the user's own, on the first page
    by_group: dict[str, list[api.LoadInfo]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # group names, by id
    page: int = 1
    pages: int = 1

    @property
    def loads(self) -> list[api.LoadInfo]:
        seen = {load.id: load for load in self.mine}
        seen.update((load.id, load) for loads in self.by_group.values() for load in loads)
        return list(seen.values())


def _guest_ids(user, readers) -> set[int]:
    """The loads a substitute opens (some lessons of) without reading the whole journal."""
    asked = {load_id for batch in hook().guest_loads(user=user, at=utcnow())
             for load_id in batch or ()}
    return {load.id for load in api.loads(ids=asked)
            if not readers.admits(load) and api.can_open(user, load)} if asked else set()


def _terms(visible) -> list[tuple[Term, AcademicYear]]:
    return list(db.session.execute(
        select(Term, AcademicYear).join(AcademicYear, AcademicYear.id == Term.year_id)
        .where(Term.id.in_(select(TeachingLoad.term_id)
                           .join(Discipline, Discipline.id == TeachingLoad.discipline_id)
                           .where(visible)))
        .order_by(AcademicYear.starts_on.desc(), Term.number)).all())


def _chosen(terms: list[tuple[Term, AcademicYear]], year_id: int | None,
            term_id: int | None) -> tuple[AcademicYear, Term]:
    """The term asked for, else one of the year asked for (else the current year, else the
    latest): the one under way today, else the latest begun, else the first."""
    by_term = {term.id: (term, year) for term, year in terms}
    if term_id in by_term:
        term, year = by_term[term_id]
        return year, term
    years = {year.id: year for _term, year in terms}
    year = years.get(year_id) or next((y for y in years.values() if y.is_current), None) \
        or terms[0][1]
    own = [term for term, of in terms if of.id == year.id]
    today = college_today()
    term = next((t for t in own if t.starts_on <= today <= t.ends_on), None) \
        or next((t for t in reversed(own) if t.starts_on <= today), own[0])
    return year, term


def journal_list(user, year_id: int | None, term_id: int | None, page: int) -> JournalList:
    readers = readers_of(user)
    guests = _guest_ids(user, readers)
    visible = or_(readers.condition(), TeachingLoad.id.in_(guests)) if guests \
        else readers.condition()
    terms = _terms(visible)
    if not terms:
        return JournalList()
    year, term = _chosen(terms, year_id, term_id)
    in_term = (TeachingLoad.term_id == term.id) & visible
    groups = (select(Group.id, Group.name).where(Group.id.in_(
        select(TeachingLoad.group_id).join(Discipline, Discipline.id == TeachingLoad.discipline_id)
        .where(in_term))))
    total = db.session.scalar(select(func.count()).select_from(groups.subquery()))
    pages = max((total + PAGE_GROUPS - 1) // PAGE_GROUPS, 1)
    page = min(page, pages)
    shown = dict(db.session.execute(groups.order_by(Group.name, Group.id)
                                    .offset((page - 1) * PAGE_GROUPS).limit(PAGE_GROUPS)).all())
    by_group: dict[str, list[api.LoadInfo]] = {name: [] for name in shown.values()}
    for load in api.loads(in_term & TeachingLoad.group_id.in_(shown)):
        by_group[shown[load.group_id]].append(load)
    mine = api.loads(TeachingLoad.term_id == term.id, teacher_id=user.id) if page == 1 else []
    names = dict(shown)
    if any(load.group_id not in names for load in mine):
        names.update(api.load_labels(mine)[0])
    return JournalList(years=list({y.id: y for _t, y in terms}.values()), year=year,
                       terms=[t for t, y in terms if y.id == year.id], term=term, mine=mine,
                       by_group=by_group, names=names, page=page, pages=pages)
