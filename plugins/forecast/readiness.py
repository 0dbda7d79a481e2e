"""The forecast of each student's readiness for the demonstration exam and the ВКР (BTT 2.9,
KTIS 2.9; REQUIREMENTS R9), from what the attestation draws on (``AttestationTie``).

The rule, in words a deputy can check by hand:

- every journal of a tied discipline of the student's group gives one result: its exam-type
  final (qualification exam, exam, дифф. зачёт, зачёт, the term's, the year's, in that order);
  a course work set in it is a result of its own; a journal whose term is still running and
  has no final gives its forecast (``forecasts_for_loads``) with the forecast's range;
- results are grouped by professional module (a МДК or a practice joins its ПМ; a discipline
  without a ПМ is a module of its own); a module's score is the mean of its results, and the
  readiness the mean of the modules' scores, rounded half up; its range is the same mean with
  each forecast at the low and the high end of its range (finals are fixed);
- the weakest module is the one with the lowest score;
- a failing final (2, не зачтено, н/а, Д) is an academic debt: «не допущен», whatever else;
  a failing forecast, a readiness of 3 or less, a journal whose term ended without a final,
  or hours missed in the tied journals over ``forecast.readiness_absence_percent`` of those held
  put the student «в зоне риска»; otherwise «готов».
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from core.calendar.clock import college_day
from core.extensions import db
from core.models import utcnow
from core.people.models import GroupMembership, Student, full_name
from core.policy import policy_value
from plugins.attendance import api as attendance
from plugins.grading import api as grading
from plugins.journal import api as journal

READY, RISK, NOT_ADMITTED, NO_DATA = "ready", "risk", "not_admitted", "no_data"
STATUSES = {
    READY: _l("готов"),
    RISK: _l("в зоне риска"),
    NOT_ADMITTED: _l("не допущен: академическая задолженность"),
    NO_DATA: _l("нет результатов"),
}
#: the final of a journal that stands for its result, best first; a course work counts apart
RESULT_KINDS = ("qual_exam", "exam", "diff_credit", "credit", "term", "year")
COURSE_WORK = "course_work"
_POINTS = {"2": 2, "3": 3, "4": 4, "5": 5, "fail": 2, "na": 2, "debt": 2}


@dataclass(frozen=True)
class Result:
    """One result counted: a final (``forecast`` false) or a running journal's forecast."""

    load_id: int
    module_id: int
    title: str
    #: ``FINAL_KINDS`` key, or "forecast"
    kind: str
    value: str
    points: int | None
    low: int | None
    high: int | None
    failing: bool
    forecast: bool = False
    #: the final as a cell shows it («5», «зач», «н/а»)
    text: str = ""


@dataclass(frozen=True)
class Module:
    """A professional module (or a discipline without one) and its score."""

    id: int
    title: str
    score: float | None
    results: tuple[Result, ...]


@dataclass(frozen=True)
class Readiness:
    student_id: int
    name: str
    expected: int | None
    low: int | None
    high: int | None
    score: float | None
    status: str
    weakest: Module | None
    modules: tuple[Module, ...]
    missed_percent: float | None
    reasons: tuple[str, ...]

    @property
    def status_title(self) -> str:
        return str(STATUSES[self.status])


def round_half_up(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def judge(student_id: int, name: str, modules: list[Module], missed: int, held: int,
          unfinished: list[str], absence_limit: int) -> Readiness:
    """The readiness of one student from their modules' results (pure: no queries)."""
    reasons: list[str] = []
    scored = [m for m in modules if m.score is not None]
    score = _mean([m.score for m in scored])
    low = _mean([_mean([r.low if r.forecast else r.points for r in m.results
                        if r.points is not None]) for m in scored])
    high = _mean([_mean([r.high if r.forecast else r.points for r in m.results
                         if r.points is not None]) for m in scored])
    expected = None if score is None else round_half_up(score)
    debts = [r for m in modules for r in m.results if r.failing and not r.forecast]
    failing_forecasts = [r for m in modules for r in m.results if r.failing and r.forecast]
    weakest = min(scored, key=lambda m: (m.score, m.title)) if scored else None
    percent = round(100 * missed / held, 1) if held else None
    for r in debts:
        reasons.append(_("академическая задолженность: %(title)s — %(value)s",
                         title=r.title, value=grading.text_of(r.value)))
    for r in failing_forecasts:
        reasons.append(_("прогноз неудовлетворительный: %(title)s", title=r.title))
    for title in unfinished:
        reasons.append(_("семестр окончен, итоговой оценки нет: %(title)s", title=title))
    over = percent is not None and absence_limit > 0 and percent >= absence_limit
    if over:
        reasons.append(_("пропущено %(percent)s%% часов связанных дисциплин (порог "
                         "%(limit)s%%)", percent=f"{percent:g}".replace(".", ","),
                         limit=absence_limit))
    if weakest is not None and len(scored) > 1:
        reasons.append(_("слабее всего: %(title)s (%(score)s)", title=weakest.title,
                         score=f"{weakest.score:.2f}".replace(".", ",")))
    if debts:
        status = NOT_ADMITTED
    elif score is None and not unfinished:
        status = NO_DATA
    elif failing_forecasts or unfinished or over or (expected is not None and expected <= 3):
        status = RISK
    else:
        status = READY
    return Readiness(student_id, name, expected,
                     None if low is None else round_half_up(low),
                     None if high is None else round_half_up(high),
                     score, status, weakest, tuple(modules), percent, tuple(reasons))


# --- ties ---------------------------------------------------------------------------------------


def tied_ids(specialty_id: int, attestation: str) -> set[int]:
    from plugins.forecast.readiness_models import AttestationTie

    return set(db.session.scalars(select(AttestationTie.discipline_id).where(
        AttestationTie.specialty_id == specialty_id, AttestationTie.attestation == attestation)))


def ties_of(specialty_ids: Iterable[int]) -> dict[tuple[int, str], set[int]]:
    """``{(specialty_id, attestation): {discipline_id, ...}}`` (one query)."""
    from plugins.forecast.readiness_models import AttestationTie

    found: dict[tuple[int, str], set[int]] = defaultdict(set)
    ids = set(specialty_ids)
    if ids:
        for specialty_id, attestation, discipline_id in db.session.execute(
                select(AttestationTie.specialty_id, AttestationTie.attestation,
                       AttestationTie.discipline_id)
                .where(AttestationTie.specialty_id.in_(ids))):
            found[(specialty_id, attestation)].add(discipline_id)
    return found


def save_ties(user, specialty_id: int, attestation: str, discipline_ids: set[int]) -> bool:
    """Set what ``attestation`` of the specialty draws on; audited. Whether anything changed."""
    from core import audit
    from plugins.forecast.readiness_models import AttestationTie

    before = tied_ids(specialty_id, attestation)
    if before == discipline_ids:
        return False
    for tie in db.session.scalars(select(AttestationTie).where(
            AttestationTie.specialty_id == specialty_id,
            AttestationTie.attestation == attestation,
            AttestationTie.discipline_id.in_(before - discipline_ids))):
        db.session.delete(tie)
    for discipline_id in sorted(discipline_ids - before):
        db.session.add(AttestationTie(specialty_id=specialty_id, attestation=attestation,
                                      discipline_id=discipline_id, created_by_id=user.id))
    audit.record("forecast.attestation.ties", ("Specialty", specialty_id),
                 before={"attestation": attestation, "disciplines": sorted(before)},
                 after={"attestation": attestation, "disciplines": sorted(discipline_ids)})
    db.session.commit()
    return True


def expand(nodes: list[journal.DisciplineNode], tied: set[int]) -> dict[int, int]:
    """``{discipline_id: module_id}`` of what the ties reach: a tied ПМ brings its МДК and
    practices; a МДК or practice joins its ПМ; anything else is its own module."""
    children: dict[int, list[int]] = defaultdict(list)
    for node in nodes:
        if node.parent_id is not None:
            children[node.parent_id].append(node.info.id)
    reach: dict[int, int] = {}
    by_id = {node.info.id: node for node in nodes}
    for discipline_id in tied:
        node = by_id.get(discipline_id)
        if node is None:
            continue
        module = discipline_id if node.info.kind == "pm" or node.parent_id is None \
            else node.parent_id
        reach[discipline_id] = module
        for child in children.get(discipline_id, ()):
            reach[child] = discipline_id
    return reach


# --- a group's list -----------------------------------------------------------------------------


def group_readiness(group_id: int, specialty_id: int, attestation: str,
                    at: datetime | None = None) -> list[Readiness]:
    """The readiness of each current member of the group for the specialty's ``attestation``,
    weakest first. A fixed number of queries whatever the group's size and its journals."""
    from plugins.forecast.api import forecasts_for_loads

    at = at or utcnow()
    today = college_day(at)
    tied = tied_ids(specialty_id, attestation)
    nodes = journal.disciplines()
    reach = expand(nodes, tied)
    titles = {node.info.id: node.info.title for node in nodes}
    loads = [load for load in journal.discipline_loads(reach) if load.group_id == group_id
             and load.term.starts_on <= today]
    members = _members(group_id, today)
    if not members:
        return []
    finals = grading.finals_by_kind(load.id for load in loads)
    running = [load for load in loads if load.term.ends_on >= today]
    forecasts = forecasts_for_loads([load.id for load in running], at=at) if running else {}
    first = min((load.term.starts_on for load in loads), default=today)
    missed = attendance.missed_hours([load.id for load in loads], first, today)
    held: dict[int, int] = defaultdict(int)
    for lesson in journal.lessons_of({load.id for load in loads}, first, today):
        held[lesson.load_id] += lesson.hours
    rosters = journal.rosters(loads)
    limit = policy_value("forecast.readiness_absence_percent")
    found = []
    for student_id, name in members:
        results: dict[int, list[Result]] = defaultdict(list)
        unfinished: list[str] = []
        missed_hours = held_hours = 0
        for load in loads:
            if not any(s.id == student_id for s in rosters[load.id]):
                continue
            module = reach[load.discipline.id]
            title = f"{load.discipline.title} ({load.term.title})"
            held_hours += held[load.id]
            missed_hours += missed.get((load.id, student_id), attendance.Missed()).hours
            own = finals.get((load.id, student_id), {})
            kind = next((k for k in RESULT_KINDS if k in own), None)
            if kind is not None:
                results[module].append(_final(load.id, module, title, kind, own[kind]))
            elif load.term.ends_on >= today:
                forecast = forecasts.get((student_id, load.id))
                if forecast is not None and (forecast.expected is not None
                                             or forecast.risk != "none"):
                    results[module].append(Result(
                        load.id, module, title, "forecast",
                        str(forecast.expected or ""), forecast.expected,
                        forecast.low, forecast.high, forecast.risk != "none", forecast=True))
            else:
                unfinished.append(title)
            if COURSE_WORK in own:
                results[module].append(_final(load.id, module, title, COURSE_WORK,
                                              own[COURSE_WORK]))
        modules = [Module(module_id, titles.get(module_id, ""),
                          _mean([r.points for r in parts if r.points is not None]),
                          tuple(parts))
                   for module_id, parts in sorted(results.items(),
                                                  key=lambda item: titles.get(item[0], ""))]
        found.append(judge(student_id, name, modules, missed_hours, held_hours, unfinished,
                           limit))
    order = {NOT_ADMITTED: 0, RISK: 1, NO_DATA: 2, READY: 3}
    return sorted(found, key=lambda r: (order[r.status], r.score or 0, r.name))


def _final(load_id: int, module: int, title: str, kind: str, value: str) -> Result:
    points = _POINTS.get(value)
    label = str(grading.FINAL_KINDS.get(kind, kind))
    return Result(load_id, module, title if kind in RESULT_KINDS[-2:] else f"{title}: {label}",
                  kind, value, points, points, points, grading.is_failing(value),
                  text=grading.text_of(value))


def members(group_ids: Iterable[int] | None, on: date) -> list[tuple[int, str, int]]:
    """(student id, full name, group id) of the members of the groups (every group: ``None``)
    on the day ``on``, by group and name (one query)."""
    query = (select(Student.id, Student.last_name, Student.first_name, Student.middle_name,
                    GroupMembership.group_id)
             .join(GroupMembership, GroupMembership.student_id == Student.id)
             .where(GroupMembership.joined_on <= on,
                    or_(GroupMembership.left_on.is_(None), GroupMembership.left_on >= on))
             .order_by(GroupMembership.group_id, Student.last_name, Student.first_name,
                       Student.middle_name, Student.id))
    if group_ids is not None:
        query = query.where(GroupMembership.group_id.in_(set(group_ids)))
    return [(sid, full_name(last, first, middle), group_id)
            for sid, last, first, middle, group_id in db.session.execute(query)]


def _members(group_id: int, on: date) -> list[tuple[int, str]]:
    return [(sid, name) for sid, name, _group in members({group_id}, on)]
