"""Checks: gathering the findings of a scope and period through ``control_findings``, one row per
teacher and journal; drafts, remarks, signing (then nothing changes: 409), acknowledgements,
what was fixed since the previous check, and the term-end checklist (KTIS 5.3)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import audit
from core.calendar.clock import college_day, college_today
from core.errors import Conflict, DomainError, NotFound
from core.events import emit
from core.extensions import db
from core.models import utcnow
from core.people.models import Group, User, short_names
from core.plugins import hook, plugin_registry
from core.plugins.types import Finding
from core.policy import policy_value
from plugins.control import rules
from plugins.control.events import CheckSigned
from plugins.control.models import TERM_END, Acknowledgement, Check, PlanItem, Remark, Tick
from plugins.journal import api as journal

MAX_REMARK = 2000
MAX_PERIOD_DAYS = 370

#: the term-end checklist (KTIS 5.3): items ticked from the findings (no row of the kind) ...
COMPUTED_ITEMS = (
    ("journal.not_recorded", _l("Все занятия по расписанию записаны (выполнение учебного плана)")),
    ("journal.no_topic", _l("Темы всех проведённых занятий записаны")),
    ("attendance.unmarked", _l("Посещаемость отмечена в день занятия")),
    ("grading.few_marks", _l("Оценок не меньше минимума, есть контрольные, лабораторные и "
                             "письменные работы")),
    ("grading.late_checks", _l("Контрольные, лабораторные и практические работы проверены в "
                               "срок")),
    ("grading.late_finals", _l("Итоговые оценки выставлены в срок")),
    ("substitutions.unrecorded", _l("Замещённые занятия записаны правильно")),
    ("planning.lag", _l("Занятия идут по КТП, отставания нет")),
)
#: ... and items the checker ticks by hand
MANUAL_ITEMS = (
    ("quality", _l("Качество усвоения программы проверено")),
    ("objectivity", _l("Итоговые оценки выставлены объективно")),
    ("hours", _l("Часы проведённых занятий соответствуют учебному плану")),
)


# --- findings and rows --------------------------------------------------------------------------


def gather(group_ids: set[int] | None, start: date, end: date) -> list[Finding]:
    """Every plugin's findings for the journals of ``group_ids`` (``None``: all) whose term
    overlaps the period: asked once for the teachers of those journals."""
    teacher_ids = None
    if group_ids is not None:
        teacher_ids = {load.teacher_id for load in journal.teachers_loads(None, start, end)
                       if load.group_id in group_ids}
        if not teacher_ids:
            return []
    found = [finding for batch in hook().control_findings(
        teacher_ids=teacher_ids, start=start, end=end) for finding in batch or ()]
    if group_ids is not None:
        found = [f for f in found if f.group_id is None or f.group_id in group_ids]
    return found


@dataclass
class Row:
    """One teacher's journal (or the teacher's own gaps, ``load_id`` none) in a check."""

    teacher_id: int
    teacher: str
    load_id: int | None
    group_id: int | None
    group: str
    discipline: str
    findings: list[dict] = field(default_factory=list)
    remark: str = ""

    @property
    def key(self) -> str:
        return f"{self.teacher_id}-{self.load_id or 0}"

    def kinds(self) -> set[str]:
        return {f["kind"] for f in self.findings}


def _finding_dict(finding: Finding) -> dict:
    found = asdict(finding)
    found["label"] = str(found["label"])
    found["detail"] = str(found["detail"])
    found["day"] = finding.day.isoformat() if finding.day else None
    return found


def build_rows(group_ids: set[int] | None, start: date, end: date) -> list[Row]:
    """The rows of a check: every journal of the scope whose term overlaps the period (with its
    findings, or none), and the teachers' gaps outside a journal."""
    loads = [load for load in journal.teachers_loads(None, start, end)
             if group_ids is None or load.group_id in group_ids]
    findings = gather(group_ids, start, end)
    extra = journal.loads_by_id({f.load_id for f in findings if f.load_id} - {ld.id for ld in loads})
    every = [*loads, *extra.values()]
    groups, _teachers = journal.load_labels(every)
    names = short_names({ld.teacher_id for ld in every} | {f.teacher_id for f in findings})
    rows: dict[tuple[int, int | None], Row] = {}
    for load in every:
        rows[(load.teacher_id, load.id)] = Row(
            load.teacher_id, names.get(load.teacher_id, ""), load.id, load.group_id,
            groups.get(load.group_id, ""),
            f"{load.discipline.title} · {load.term.title}")
    for finding in findings:
        key = (finding.teacher_id, finding.load_id)
        if key not in rows:
            rows[key] = Row(finding.teacher_id, names.get(finding.teacher_id, ""), None, None,
                            "", str(_("вне журналов")))
        rows[key].findings.append(_finding_dict(finding))
    return sorted(rows.values(), key=lambda r: (r.teacher, r.group, r.discipline))


def rows_of(check: Check) -> list[Row]:
    """A check's rows: as signed (its snapshot), or computed now for a draft; remarks in."""
    if check.signed:
        rows = [Row(**row) for row in json.loads(check.findings or "[]")]
    else:
        rows = build_rows(check.scope_groups(), check.start, check.end)
    remarks = {(r.teacher_id, r.load_id): r.text for r in remarks_of(check.id)}
    for row in rows:
        row.remark = remarks.get((row.teacher_id, row.load_id), "")
    return rows


def remarks_of(check_id: int) -> list[Remark]:
    return list(db.session.scalars(select(Remark).where(Remark.check_id == check_id)
                                   .order_by(Remark.id)))


# --- drafts, remarks, signing -----------------------------------------------------------------


def default_period(user: User, role: str) -> tuple[date, date]:
    """From the day after the checker's last signed check in the role (at most a cadence or
    two weeks back when there is none) to today."""
    today = college_today()
    last = db.session.scalars(select(Check.end).where(
        Check.checker_id == user.id, Check.role == role, Check.signed_at.is_not(None))
        .order_by(Check.end.desc()).limit(1)).first()
    if last is not None and last < today:
        return last + timedelta(days=1), today
    return today - timedelta(days=max(rules.cadence(role), 14) - 1), today


def start_check(user: User, role: str, kind: str, start: date | None, end: date | None,
                today: date | None = None) -> Check:
    """A draft check by ``user`` in ``role``; their open draft of that role and kind if any.
    ``today`` is the college's (the demo passes the day it is loaded for)."""
    if role not in rules.checker_roles(user):
        raise NotFound(_("Нет такой роли проверяющего."))
    if kind not in rules.kinds():
        raise DomainError(_("Такой вид проверки политикой колледжа не предусмотрен."))
    draft = db.session.scalars(select(Check).where(
        Check.checker_id == user.id, Check.role == role, Check.kind == kind,
        Check.signed_at.is_(None))).first()
    if draft is not None:
        return draft
    default_start, default_end = default_period(user, role)
    start, end = start or default_start, end or default_end
    if start > end:
        raise DomainError(_("Начало периода позже его конца."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise DomainError(_("Период проверки — не больше года."))
    if end > (today or college_today()):
        raise DomainError(_("Проверить можно только прошедшие дни: конец периода — не позже "
                            "сегодняшнего."))
    groups, title = rules.scope_of(user, role)
    check = Check(checker_id=user.id, role=role, kind=kind, start=start, end=end,
                  group_ids=",".join(str(g) for g in sorted(groups)) if groups is not None else "",
                  scope_title=title)
    db.session.add(check)
    db.session.flush()
    audit.record("control.check.start", check, after={"role": role, "kind": kind,
                                                       "start": start, "end": end})
    return check


def _editable(user: User, check: Check) -> None:
    if check.checker_id != user.id:
        raise NotFound(_("Проверка не найдена."))
    if check.signed:
        raise Conflict(_("Проверка подписана %(date)s: её замечания и результаты не "
                         "изменяются.", date=college_day(check.signed_at).strftime("%d.%m.%Y")))


def save_remarks(user: User, check: Check, overall: str, by_row: dict[str, str]) -> None:
    """Set the check's overall remark and the remarks of its rows (``by_row``: row key →
    text; an empty text removes the row's remark). All or nothing."""
    _editable(user, check)
    texts = [overall, *by_row.values()]
    if any(len(text) > MAX_REMARK for text in texts):
        raise DomainError(_("Замечание длиннее %(count)s символов.", count=MAX_REMARK))
    rows = {row.key: row for row in build_rows(check.scope_groups(), check.start, check.end)}
    unknown = [key for key in by_row if key not in rows]
    if unknown:
        raise DomainError(_("Строка проверки не найдена: %(key)s.", key=unknown[0]))
    existing = {(r.teacher_id, r.load_id): r for r in remarks_of(check.id)}
    for key, text in by_row.items():
        row, text = rows[key], text.strip()
        remark = existing.get((row.teacher_id, row.load_id))
        if remark is None and text:
            db.session.add(Remark(check_id=check.id, teacher_id=row.teacher_id,
                                  load_id=row.load_id, group_id=row.group_id, text=text))
        elif remark is not None and text:
            remark.text = text
        elif remark is not None:
            db.session.delete(remark)
    check.remark = overall.strip()
    audit.record("control.check.remarks", check,
                 after={"overall": check.remark, "rows": {k: v.strip() for k, v in by_row.items()
                                                          if v.strip()}})


def set_tick(user: User, check: Check, item: str, ticked: bool) -> None:
    _editable(user, check)
    if check.kind != TERM_END or item not in dict(MANUAL_ITEMS):
        raise DomainError(_("Такого пункта в перечне проверки нет."))
    tick = db.session.scalars(select(Tick).where(Tick.check_id == check.id,
                                                 Tick.item == item)).first()
    if ticked and tick is None:
        db.session.add(Tick(check_id=check.id, item=item))
    elif not ticked and tick is not None:
        db.session.delete(tick)
    audit.record("control.check.tick", check, after={"item": item, "ticked": ticked})


def open_plan_items(check: Check) -> list[PlanItem]:
    """The plan's checks not done yet that this check may fulfil: same role and kind, for this
    checker or anyone in the role."""
    done = select(Check.plan_item_id).where(Check.plan_item_id.is_not(None),
                                            Check.signed_at.is_not(None))
    return list(db.session.scalars(select(PlanItem).where(
        PlanItem.role == check.role, PlanItem.kind == check.kind,
        (PlanItem.checker_id.is_(None)) | (PlanItem.checker_id == check.checker_id),
        PlanItem.id.not_in(done)).order_by(PlanItem.due_on)))


def sign(user: User, check: Check, plan_item_id: int | None = None, *,
         notify: bool = True) -> Check:
    """Sign the check off: its findings are kept as they are now and nothing of it changes
    again. The director is told where ``control.report_results_to_director``; the teachers and
    curators its remarks concern are told always (they acknowledge them)."""
    _editable(user, check)
    if plan_item_id is not None:
        if plan_item_id not in {item.id for item in open_plan_items(check)}:
            raise DomainError(_("Этот пункт плана контроля не подходит к проверке или уже "
                                "выполнен."))
        check.plan_item_id = plan_item_id
    rows = build_rows(check.scope_groups(), check.start, check.end)
    snapshot = [{k: v for k, v in asdict(row).items() if k != "remark"} for row in rows]
    check.findings = json.dumps(snapshot, ensure_ascii=False)
    since = since_previous(check)
    if since is not None:
        check.since = json.dumps({"previous_id": since.previous.id, "remaining": since.remaining,
                                  "fixed": [list(item) for item in since.fixed]},
                                 ensure_ascii=False)
    check.signed_at = utcnow()
    audit.record("control.check.sign", check,
                 after={"rows": len(rows), "findings": sum(len(r.findings) for r in rows),
                        "plan_item_id": check.plan_item_id})
    recipients = concerned(check)
    if policy_value("control.report_results_to_director"):
        recipients |= set(_directors())
    recipients.discard(user.id)
    if recipients and notify:
        emit(CheckSigned(recipient_ids=tuple(sorted(recipients)), endpoint="control.check_page",
                         values={"check_id": check.id}, check_id=check.id,
                         title=title_of(check), checker_name=short_names([user.id])[user.id],
                         key=f"control-check-{check.id}"))
    return check


def _directors() -> list[int]:
    from core.people.models import RoleAssignment

    return list(db.session.scalars(
        select(User.id).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == "director", User.active.is_(True)).distinct()))


def concerned(check: Check) -> set[int]:
    """The teachers of the check's remarks and the curators of their groups."""
    remarks = remarks_of(check.id)
    groups = {r.group_id for r in remarks if r.group_id}
    curators = set(db.session.scalars(select(Group.curator_id).where(
        Group.id.in_(groups), Group.curator_id.is_not(None)))) if groups else set()
    return {r.teacher_id for r in remarks} | curators


def title_of(check: Check) -> str:
    return _("%(kind)s за %(start)s – %(end)s", kind=rules.KIND_TITLES[check.kind],
             start=check.start.strftime("%d.%m.%Y"), end=check.end.strftime("%d.%m.%Y"))


# --- what the teachers and curators see --------------------------------------------------------


@dataclass(frozen=True)
class Addressed:
    remark: Remark
    check: Check
    row: Row | None
    acknowledged_at: object | None


def remarks_for(user: User) -> list[Addressed]:
    """The remarks of signed checks on the user's journals, or on journals of the groups they
    curate, newest first, with the user's acknowledgement."""
    curated = set(db.session.scalars(select(Group.id).where(Group.curator_id == user.id)))
    condition = Remark.teacher_id == user.id
    if curated:
        condition = condition | Remark.group_id.in_(curated)
    found = db.session.execute(
        select(Remark, Check).join(Check, Check.id == Remark.check_id)
        .where(condition, Check.signed_at.is_not(None))
        .order_by(Check.signed_at.desc(), Remark.id)).all()
    acks = dict(db.session.execute(select(Acknowledgement.remark_id, Acknowledgement.at).where(
        Acknowledgement.user_id == user.id,
        Acknowledgement.remark_id.in_([r.id for r, _c in found]))).all()) if found else {}
    rows: dict[int, dict] = {}
    result = []
    for remark, check in found:
        if check.id not in rows:
            rows[check.id] = {(r.teacher_id, r.load_id): r for r in rows_of(check)}
        result.append(Addressed(remark, check, rows[check.id].get((remark.teacher_id,
                                                                   remark.load_id)),
                                acks.get(remark.id)))
    return result


def may_acknowledge(user: User, remark: Remark) -> bool:
    if remark.teacher_id == user.id:
        return True
    return remark.group_id is not None and db.session.scalar(
        select(Group.curator_id).where(Group.id == remark.group_id)) == user.id


def acknowledge(user: User, remark_id: int) -> Acknowledgement:
    remark = db.session.get(Remark, remark_id)
    check = db.session.get(Check, remark.check_id) if remark is not None else None
    if remark is None or check is None or not check.signed or not may_acknowledge(user, remark):
        raise NotFound(_("Замечание не найдено."))
    existing = db.session.scalars(select(Acknowledgement).where(
        Acknowledgement.remark_id == remark.id, Acknowledgement.user_id == user.id)).first()
    if existing is not None:
        return existing
    ack = Acknowledgement(remark_id=remark.id, user_id=user.id)
    db.session.add(ack)
    audit.record("control.remark.acknowledge", remark)
    return ack


def acknowledgements(check_id: int) -> dict[int, list[tuple[str, object]]]:
    """Who acknowledged each remark of a check, when (remark id → [(name, at)])."""
    rows = db.session.execute(
        select(Acknowledgement.remark_id, Acknowledgement.user_id, Acknowledgement.at)
        .join(Remark, Remark.id == Acknowledgement.remark_id)
        .where(Remark.check_id == check_id).order_by(Acknowledgement.at)).all()
    names = short_names({user_id for _r, user_id, _at in rows})
    found: dict[int, list] = defaultdict(list)
    for remark_id, user_id, at in rows:
        found[remark_id].append((names.get(user_id, ""), at))
    return dict(found)


# --- since the previous check, and the checklist ----------------------------------------------


def previous(check: Check) -> Check | None:
    """The last check signed before this one by a checker in the same role over the same
    groups."""
    query = select(Check).where(Check.role == check.role, Check.group_ids == check.group_ids,
                                Check.signed_at.is_not(None), Check.id != check.id)
    if check.signed:
        query = query.where(Check.signed_at < check.signed_at)
    return db.session.scalars(query.order_by(Check.signed_at.desc()).limit(1)).first()


class Fixed(NamedTuple):
    teacher: str
    group: str
    discipline: str
    labels: list[str]


@dataclass(frozen=True)
class Since:
    previous: Check
    #: the previous check's rows whose findings (by kind) are gone now
    fixed: list[Fixed]
    remaining: int

    @property
    def fixed_count(self) -> int:
        return sum(len(item.labels) for item in self.fixed)


def _compare(before: Check) -> tuple[list[Fixed], int]:
    """The previous check's findings looked at again now, over its own period and groups: which
    are gone (fixed) and how many remain."""
    now = {(r.teacher_id, r.load_id): r.kinds()
           for r in build_rows(before.scope_groups(), before.start, before.end)}
    fixed, remaining = [], 0
    for row in rows_of(before):
        gone = [f["label"] for f in row.findings
                if f["kind"] not in now.get((row.teacher_id, row.load_id), set())]
        remaining += len(row.findings) - len(gone)
        if gone:
            fixed.append(Fixed(row.teacher, row.group, row.discipline, gone))
    return fixed, remaining


def since_previous(check: Check) -> Since | None:
    """What was fixed since the previous check (same role and groups): as it was when this
    check was signed (kept with it), or as it is now for a draft."""
    if check.signed and check.since:
        kept = json.loads(check.since)
        before = db.session.get(Check, kept["previous_id"])
        return Since(before, [Fixed(*item) for item in kept["fixed"]], kept["remaining"])
    if check.signed:
        return None
    before = previous(check)
    if before is None:
        return None
    fixed, remaining = _compare(before)
    return Since(before, fixed, remaining)


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    ticked: bool
    computed: bool
    #: the findings' count that keeps a computed item unticked; None when not computable here
    open_count: int | None


def checklist(check: Check, rows: list[Row]) -> list[Item]:
    """The term-end checklist: a computed item is ticked when its finding kind has no rows (and
    its plugin is enabled, else it is the checker's to tick); the others by hand."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        for finding in row.findings:
            counts[finding["kind"]] += 1
    ticks = set(db.session.scalars(select(Tick.item).where(Tick.check_id == check.id)))
    registry = plugin_registry()
    items = []
    for code, title in COMPUTED_ITEMS:
        if registry.is_enabled(code.split(".")[0]):
            items.append(Item(code, str(title), counts[code] == 0, True, counts[code]))
    for code, title in MANUAL_ITEMS:
        items.append(Item(code, str(title), code in ticks, False, None))
    return items


# --- reading -----------------------------------------------------------------------------------


def may_read(user, check: Check) -> bool:
    """The checker, and the administration (the director among them: KTIS 5.4)."""
    return user.is_authenticated and (check.checker_id == user.id or rules.is_reader(user))


def check_or_404(user, check_id: int) -> Check:
    check = db.session.get(Check, check_id)
    if check is None or not may_read(user, check):
        raise NotFound(_("Проверка не найдена."))
    return check


def listing(user, limit: int = 50) -> list[Check]:
    """Signed checks the user may read, newest first, and their own drafts."""
    query = select(Check)
    if not rules.is_reader(user):
        query = query.where(Check.checker_id == user.id)
    query = query.where((Check.signed_at.is_not(None)) | (Check.checker_id == user.id))
    return list(db.session.scalars(query.order_by(Check.signed_at.is_(None).desc(),
                                                  Check.signed_at.desc(), Check.id.desc())
                                   .limit(limit)))


def finding_count(check: Check) -> int:
    return sum(len(row.get("findings", ())) for row in json.loads(check.findings or "[]"))
