"""Demo checks: the deputy director's two signed checks (the later shows what was fixed since
the earlier; remarks on journals, one acknowledged by the demo teacher), a course supervisor's
check signed long enough ago to be overdue now, the methodological service's yesterday's check,
and the internal control plan around today with done, planned and overdue items. Written through
the services, without notifications; signing days set back afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from core.people.roles import Role
from plugins.control import services
from plugins.control.models import Acknowledgement, PlanItem

DEMO_TEACHER = "biriukova.iue"
#: the checker's remark on a journal by its first finding's kind
REMARKS = {"journal.no_topic": "Записать темы проведённых занятий в день занятия.",
           "journal.not_recorded": "Записать все занятия по расписанию.",
           "attendance.unmarked": "Отмечать посещаемость на занятии, не позже дня занятия.",
           "grading.few_marks": "Выставить недостающие оценки до конца семестра.",
           "grading.late_checks": "Проверять работы и выставлять оценки в установленный срок.",
           "substitutions.unrecorded": "Оформить замещение через учебную часть."}


def _signed(user, role: str, start, end, day, remarks: int, overall: str, plan_item=None,
            prefer_login: str | None = None):
    check = services.start_check(user, role, "regular", start, end, today=day)
    rows = [row for row in services.build_rows(check.scope_groups(), start, end)
            if row.findings and row.load_id]
    preferred = _user_id(prefer_login)
    rows.sort(key=lambda r: (r.teacher_id != preferred, r.teacher))
    chosen, teachers = [], set()
    for row in rows:  # one journal of each teacher, the demo teacher's first
        if row.teacher_id not in teachers and len(chosen) < remarks:
            chosen.append(row)
            teachers.add(row.teacher_id)
    by_row = {row.key: REMARKS.get(row.findings[0]["kind"], "Устранить нарушения.")
              for row in chosen}
    services.save_remarks(user, check, overall, by_row)
    services.sign(user, check, plan_item.id if plan_item else None, notify=False)
    check.signed_at = datetime.combine(day, time(13, 30), UTC)
    check.created_at = check.signed_at - timedelta(hours=1)
    return check


def _user_id(login: str | None) -> int | None:
    from core.extensions import db
    from core.people.models import User

    if login is None:
        return None
    return db.session.query(User.id).filter_by(login=login).scalar()


def make_checks(college) -> None:
    from core.extensions import db

    staff = college.made.get("staff") or {}
    deputy = (staff.get(Role.DEPUTY) or [None])[0]
    if deputy is None or not college.made.get("loads"):
        return
    today = college.today
    methodist = (staff.get(Role.METHODIST) or [None])[0]
    supervisors = staff.get(Role.SUPERVISOR) or []
    plan = [PlanItem(title=title, role=role, due_on=today + timedelta(days=days),
                     checker_id=checker.id if checker else None, created_by_id=deputy.id)
            for title, role, days, checker in (
                ("Еженедельная проверка заполнения журналов", "deputy", -12, deputy),
                ("Еженедельная проверка заполнения журналов", "deputy", -5, deputy),
                ("Еженедельная проверка заполнения журналов", "deputy", 2, deputy),
                ("Проверка журналов курса", "supervisor", -6,
                 supervisors[0] if supervisors else None),
                ("Проверка журналов курса", "supervisor", 8,
                 supervisors[0] if supervisors else None),
            )]
    db.session.add_all(plan)
    db.session.flush()
    _signed(deputy, "deputy", today - timedelta(days=19), today - timedelta(days=12),
            today - timedelta(days=12), 2, "Темы занятий и посещаемость записываются с "
            "опозданием; устранить до следующей проверки.", plan[0], DEMO_TEACHER)
    second = _signed(deputy, "deputy", today - timedelta(days=11), today - timedelta(days=5),
                     today - timedelta(days=5), 3, "Замечания прошлой проверки устранены "
                     "частично.", plan[1], DEMO_TEACHER)
    if supervisors:
        # signed 20 days ago: with a 14-day cadence (BTT 3.6) it is overdue now
        _signed(supervisors[0], "supervisor", today - timedelta(days=34),
                today - timedelta(days=20), today - timedelta(days=20), 1,
                "Журналы курса в целом ведутся.")
    if methodist is not None:
        _signed(methodist, "methodist", today - timedelta(days=1), today - timedelta(days=1),
                today - timedelta(days=1), 0, "Ежедневная проверка: нарушения переданы "
                "преподавателям.")
    remarks = services.remarks_of(second.id)
    teacher_id = _user_id(DEMO_TEACHER)
    mine = [r for r in remarks if r.teacher_id == teacher_id] or remarks[:1]
    for remark in mine[:1]:
        db.session.add(Acknowledgement(remark_id=remark.id, user_id=remark.teacher_id,
                                       at=second.signed_at + timedelta(days=1)))
    db.session.flush()
