"""The КТП's service layer: a plan's rows saved all or nothing, its states (draft → submitted →
approved, or returned with a comment), the rule that its hours add up, the deadline and the
reminders before it. Every change is audited; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from core import audit
from core.calendar.clock import college_today
from core.calendar.models import AcademicYear, Term
from core.errors import Conflict, DomainError, NotFound
from core.events import emit
from core.extensions import db
from core.models import utcnow
from core.people.models import Group, User
from core.policy import policy_value
from plugins.journal import api as journal
from plugins.planning import rights
from plugins.planning.events import PlanReminder, PlanStateChanged
from plugins.planning.models import (
    APPROVED,
    DRAFT,
    RETURNED,
    STATES,
    SUBMITTED,
    Plan,
    PlanRow,
    Reminder,
    Transition,
)
from plugins.planning.rows import Problem, Row, check_rows

#: days before ``planning.deadline`` from which a teacher whose plan is not submitted is reminded
#: (once); fixed, the regulations say only the day itself
REMIND_DAYS = 3


class RowsRefused(DomainError):
    """Rows with problems: nothing was saved; ``problems`` name each row and column."""

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        super().__init__(_("Строка %(row)s, столбец «%(column)s»: %(message)s", row=first.row,
                           column=first.as_dict()["title"], message=first.message))
        self.problems = problems


# --- reading ------------------------------------------------------------------------------------


def plans_of(load_ids) -> dict[int, Plan]:
    ids = list(set(load_ids))
    if not ids:
        return {}
    return {plan.load_id: plan for plan in db.session.scalars(
        select(Plan).where(Plan.load_id.in_(ids)))}


def rows_by_plan(plan_ids) -> dict[int, list[Row]]:
    """Each plan's rows in order (one query)."""
    ids = list(set(plan_ids))
    found: dict[int, list[Row]] = {plan_id: [] for plan_id in ids}
    if not ids:
        return found
    for plan_id, section, topic, hours, work_type, self_study, week in db.session.execute(
            select(PlanRow.plan_id, PlanRow.section, PlanRow.topic, PlanRow.hours,
                   PlanRow.work_type, PlanRow.self_study, PlanRow.week)
            .where(PlanRow.plan_id.in_(ids)).order_by(PlanRow.plan_id, PlanRow.position)):
        found[plan_id].append(Row(section, topic, hours, work_type, self_study, week))
    return found


def rows_of(plan: Plan | None) -> list[Row]:
    return [] if plan is None else rows_by_plan([plan.id])[plan.id]


def plan_for(load: journal.LoadInfo) -> Plan:
    """The load's plan, a new draft if it has none yet (flushed)."""
    plan = db.session.scalar(select(Plan).where(Plan.load_id == load.id))
    if plan is None:
        plan = Plan(load_id=load.id, state=DRAFT)
        db.session.add(plan)
        db.session.flush()
    return plan


def journal_title(load: journal.LoadInfo) -> str:
    group = db.session.get(Group, load.group_id)
    return f"{group.name if group else ''} · {load.discipline.title}"


# --- the hours rule -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursCheck:
    """The plan's hours against the load's and the curriculum's (``None``: no curriculum row)."""

    plan: int
    load: int
    curriculum: int | None

    @property
    def ok(self) -> bool:
        return self.plan == self.load and self.curriculum in (None, self.load)

    def problems(self) -> list[str]:
        found = []
        if self.plan != self.load:
            found.append(_("В плане %(plan)s ч, в нагрузке — %(load)s ч", plan=self.plan,
                           load=self.load))
        if self.curriculum is not None and self.curriculum != self.load:
            found.append(_("В нагрузке %(load)s ч, по учебному плану — %(curriculum)s ч",
                           load=self.load, curriculum=self.curriculum))
        return found


def hours_checks(loads: list[journal.LoadInfo], plans: dict[int, Plan],
                 rows: dict[int, list[Row]]) -> dict[int, HoursCheck]:
    curriculum = journal.curriculum_hours(loads)
    checks = {}
    for load in loads:
        plan = plans.get(load.id)
        planned = sum(row.hours for row in rows.get(plan.id, [])) if plan else 0
        checks[load.id] = HoursCheck(planned, load.hours_total, curriculum.get(load.id))
    return checks


def hours_check(load: journal.LoadInfo, plan: Plan | None) -> HoursCheck:
    rows = rows_by_plan([plan.id]) if plan else {}
    return hours_checks([load], {load.id: plan} if plan else {}, rows)[load.id]


# --- saving rows ----------------------------------------------------------------------------------


def _require_version(plan: Plan, seen: int | None) -> None:
    if seen is not None and seen != plan.version:
        raise Conflict(_("План изменён в другом окне или другим пользователем: обновите "
                         "страницу, чтобы не затереть изменения."))


def save_rows(actor: User, load: journal.LoadInfo, raw_rows, seen_version: int | None = None,
              how: str = "editor") -> Plan:
    """Replace the plan's rows with ``raw_rows`` (dicts as typed): all or nothing. ``how``
    ("editor", "import", "copy") is kept in the audit."""
    plan = plan_for(load)
    if not rights.may_write(actor, load, plan.state):
        if not journal.can_edit(actor, load):
            raise NotFound(_("Такой страницы нет или она вам недоступна."))
        raise Conflict(_("План «%(state)s» не изменяется: чтобы его изменить, его возвращают "
                         "на доработку.", state=STATES[plan.state]))
    _require_version(plan, seen_version)
    rows, problems = check_rows(raw_rows)
    if problems:
        raise RowsRefused(problems)
    if not rows:
        raise DomainError(_("В плане нет ни одной строки с темой."))
    before = [row.as_dict() for row in rows_of(plan)]
    db.session.execute(delete(PlanRow).where(PlanRow.plan_id == plan.id))
    db.session.add_all(PlanRow(plan_id=plan.id, position=position, **row.as_dict())
                       for position, row in enumerate(rows, 1))
    plan.updated_at = utcnow()
    db.session.flush()
    audit.record("planning.rows.save", plan, before={"rows": before},
                 after={"rows": [row.as_dict() for row in rows], "how": how}, actor=actor)
    return plan


def copy_from(actor: User, load: journal.LoadInfo, source: journal.LoadInfo) -> Plan:
    """Copy the rows of ``source``'s plan (another load, last year's) into ``load``'s: a plan
    of the same discipline (a plan holds no one's personal data), or of a journal ``actor``
    reads."""
    if source.id == load.id or not (source.discipline.id == load.discipline.id
                                     or rights.may_read(actor, source)):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    rows = rows_of(plans_of([source.id]).get(source.id))
    if not rows:
        raise DomainError(_("В плане, из которого копируют, нет строк."))
    return save_rows(actor, load, [row.as_dict() for row in rows], how=f"copy:{source.id}")


def copy_sources(actor: User, load: journal.LoadInfo) -> list[journal.LoadInfo]:
    """Loads whose plan may be copied into ``load``'s and has rows: the same discipline's (this
    year's and earlier years', whoever teaches them) and the teacher's own others."""
    same = journal.discipline_loads([load.discipline.id])
    own = journal.loads(teacher_id=load.teacher_id)
    candidates = {item.id: item for item in [*same, *own] if item.id != load.id}
    plans = plans_of(candidates)
    counts = rows_by_plan([plan.id for plan in plans.values()])
    found = [item for item in candidates.values() if item.id in plans
             and counts[plans[item.id].id] and (item.discipline.id == load.discipline.id
                                                or rights.may_read(actor, item))]
    return sorted(found, key=lambda item: (item.discipline.id != load.discipline.id,
                                           -item.term.starts_on.toordinal(), item.id))


# --- states ----------------------------------------------------------------------------------------


def _move(actor: User, load: journal.LoadInfo, plan: Plan, to_state: str,
          comment: str = "") -> Plan:
    from_state = plan.state
    plan.state = to_state
    now = utcnow()
    if to_state == SUBMITTED:
        plan.submitted_at = now
    if to_state == APPROVED:
        plan.approved_at, plan.approved_by_id = now, actor.id
    if to_state == RETURNED:
        plan.comment = comment
        plan.approved_at = plan.approved_by_id = None
    db.session.add(Transition(plan_id=plan.id, from_state=from_state, to_state=to_state,
                              actor_id=actor.id, at=now, comment=comment))
    db.session.flush()
    audit.record(f"planning.plan.{to_state}", plan, before={"state": from_state},
                 after={"state": to_state, **({"comment": comment} if comment else {})},
                 actor=actor)
    if to_state != SUBMITTED:
        emit(PlanStateChanged(
            recipient_ids=(load.teacher_id,), endpoint="planning.plan", values={"load_id": load.id},
            plan_id=plan.id, load_id=load.id, from_state=from_state, state=to_state,
            state_title=str(STATES[to_state]), journal_title=journal_title(load),
            actor_name=actor.short_name,
            comment=comment, key=f"planning-state:{plan.id}:{plan.version}:{to_state}"))
    return plan


def submit(actor: User, load: journal.LoadInfo, seen_version: int | None = None) -> Plan:
    plan = plan_for(load)
    if not rights.may_submit(actor, load, plan.state):
        if not journal.can_edit(actor, load):
            raise NotFound(_("Такой страницы нет или она вам недоступна."))
        raise Conflict(_("План уже «%(state)s»", state=STATES[plan.state]))
    _require_version(plan, seen_version)
    if not rows_of(plan):
        raise DomainError(_("В плане нет ни одной строки: заполните его перед отправкой."))
    return _move(actor, load, plan, SUBMITTED)


def approve(actor: User, load: journal.LoadInfo, seen_version: int | None = None) -> Plan:
    """Approve a submitted plan; refused while its hours do not add up (KTIS 3.13)."""
    plan = plan_for(load)
    if not rights.may_approve(actor, load):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    if plan.state != SUBMITTED:
        raise Conflict(_("Утверждают только план, отправленный на утверждение; этот — "
                         "«%(state)s»", state=STATES[plan.state]))
    _require_version(plan, seen_version)
    check = hours_check(load, plan)
    if not check.ok:
        raise Conflict(_("Часы не сходятся: %(problems)s. Верните план на доработку или "
                         "исправьте нагрузку.", problems="; ".join(check.problems())))
    return _move(actor, load, plan, APPROVED)


def return_plan(actor: User, load: journal.LoadInfo, comment: str,
                seen_version: int | None = None) -> Plan:
    """Return a submitted or approved plan to its teacher with a comment saying what to fix."""
    plan = plan_for(load)
    if not rights.may_approve(actor, load):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    if plan.state not in (SUBMITTED, APPROVED):
        raise Conflict(_("Вернуть можно только отправленный или утверждённый план"))
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Напишите, что исправить в плане"))
    if len(comment) > 2000:
        raise DomainError(_("Комментарий длиннее 2000 знаков"))
    _require_version(plan, seen_version)
    return _move(actor, load, plan, RETURNED, comment)


def transitions(plan: Plan | None) -> list[Transition]:
    if plan is None:
        return []
    return list(db.session.scalars(select(Transition).where(Transition.plan_id == plan.id)
                                   .order_by(Transition.at, Transition.id)))


# --- the deadline ----------------------------------------------------------------------------------


def deadline_rule() -> tuple[int, int] | None:
    """``planning.deadline`` («MM-DD»; empty: the preset sets none) as (month, day)."""
    raw = (policy_value("planning.deadline") or "").strip()
    if not raw:
        return None
    month, day = (int(part) for part in raw.split("-"))
    return month, day


def year_starts(term_ids) -> dict[int, date]:
    """The first day of the academic year of each term, by term id (one query)."""
    ids = list(set(term_ids))
    if not ids:
        return {}
    return dict(db.session.execute(select(Term.id, AcademicYear.starts_on)
                                   .join(AcademicYear, AcademicYear.id == Term.year_id)
                                   .where(Term.id.in_(ids))).all())


def deadline_in(year_start: date, rule: tuple[int, int] | None) -> date | None:
    """The day of ``rule`` in the academic year beginning ``year_start`` (every plan of the year,
    the spring term's too: BTT 4.5.2 «до начала учебного года ... до 10 сентября»)."""
    if rule is None:
        return None
    month, day = rule
    found = date(year_start.year, month, day)
    return found if found >= year_start else date(year_start.year + 1, month, day)


def deadlines(loads: list[journal.LoadInfo]) -> dict[int, date | None]:
    rule = deadline_rule()
    if rule is None:
        return {load.id: None for load in loads}
    starts = year_starts(load.term.id for load in loads)
    return {load.id: deadline_in(starts.get(load.term.id, load.term.starts_on), rule)
            for load in loads}


def is_late(state: str | None, deadline: date | None, today: date) -> bool:
    """Not submitted (nor approved) after the deadline's day."""
    return deadline is not None and today > deadline and state not in (SUBMITTED, APPROVED)


def remind(today: date | None = None) -> int:
    """The worker's daily job: remind (once) each teacher whose plan is not submitted when the
    deadline is at most ``REMIND_DAYS`` away; nothing in a preset without a deadline."""
    rule = deadline_rule()
    if rule is None:
        return 0
    today = today or college_today()
    loads = journal.loads((Term.starts_on <= today + timedelta(days=366))
                          & (Term.ends_on >= today))
    due = deadlines(loads)
    pending = [load for load in loads if due[load.id] is not None
               and 0 <= (due[load.id] - today).days <= REMIND_DAYS]
    if not pending:
        return 0
    plans = plans_of(load.id for load in pending)
    sent = set(db.session.execute(select(Reminder.load_id, Reminder.deadline).where(
        Reminder.load_id.in_([load.id for load in pending]))).all())
    count = 0
    for load in pending:
        state = plans[load.id].state if load.id in plans else None
        if state in (SUBMITTED, APPROVED) or (load.id, due[load.id]) in sent:
            continue
        db.session.add(Reminder(load_id=load.id, deadline=due[load.id]))
        emit(PlanReminder(recipient_ids=(load.teacher_id,), endpoint="planning.plan",
                          values={"load_id": load.id}, load_id=load.id,
                          journal_title=journal_title(load), deadline=due[load.id],
                          key=f"planning-reminder:{load.id}:{due[load.id].isoformat()}"))
        count += 1
    db.session.flush()
    return count


def remind_job() -> int:
    count = remind()
    db.session.commit()
    return count
