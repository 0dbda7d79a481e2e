"""Demo announcements: a college-wide open day (an event, mailed to nobody), a course
announcement, a curator's parent meeting for their group and a staff teachers' council; one
past event and one scheduled notice, so that every list has something. Written through the
services, without notifications."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from core.calendar.clock import college_zone
from core.people import scope
from core.people.roles import Role
from plugins.announcements import services
from plugins.announcements.models import EVENT, NOTICE


def _at(day, hour: int) -> datetime:
    return services.local_instant(day, time(hour, 0))


def _family_group(college):
    """The group of the first demo parent's child, so that the parent meeting has a family to
    show it to."""
    parents = college.made.get("parent_users") or []
    if not parents:
        return None
    reach = scope.students_reach(scope.own_student_ids(parents[0]), college.today)
    ids = sorted(reach.group_ids or ())
    return next((g for g in college.made.get("groups") or [] if g.id in ids), None)


def make_announcements(college) -> None:
    staff = college.made.get("staff") or {}
    groups = college.made.get("groups") or []
    curators = college.made.get("curators") or {}
    director = (staff.get(Role.DIRECTOR) or [None])[0]
    deputy = (staff.get(Role.DEPUTY) or [director])[0]
    if director is None or not groups:
        return
    today = college.today
    now = _at(today, 9)
    zone_today = now.astimezone(college_zone()).date()

    def publish(author, at: datetime, **fields) -> None:
        services.publish(author, services.Draft(**fields), at=at)

    saturday = zone_today + timedelta(days=(5 - zone_today.weekday()) % 7 or 7)
    publish(director, now - timedelta(days=2), kind=EVENT, title="День открытых дверей",
            body="Приглашаем абитуриентов и их родителей.\n\n"
                 "- знакомство со специальностями и мастерскими;\n"
                 "- встреча с преподавателями и студентами;\n"
                 "- консультации приёмной комиссии.\n\n"
                 "Расскажите о дне открытых дверей друзьям и знакомым!",
            audience="college:", event_day=saturday, event_time=time(11, 0),
            ends_time=time(14, 0), place="Актовый зал, главный корпус")
    course = groups[0].course
    publish(deputy, now - timedelta(days=1), kind=NOTICE,
            title=f"Расписание консультаций для {course} курса",
            body="С понедельника консультации перед промежуточной аттестацией проходят "
                 "**после 4-й пары** по графику на стенде у учебной части.",
            audience=f"course:{course}", expires_on=zone_today + timedelta(days=10))
    group = _family_group(college) or groups[0]
    curator = curators.get(group.id)
    if curator is not None:
        meeting = zone_today + timedelta(days=(3 - zone_today.weekday()) % 7 or 7)
        publish(curator, now, kind=EVENT, title="Родительское собрание группы " + group.name,
                body="Повестка:\n\n1. Итоги первой аттестации.\n2. Посещаемость.\n"
                     "3. Подготовка к сессии.\n\nЯвка родителей обязательна.",
                audience=f"group:{group.id}", event_day=meeting, event_time=time(18, 0),
                place="Кабинет 214")
    tuesday = zone_today + timedelta(days=(1 - zone_today.weekday()) % 7 or 7)
    publish(director, now, kind=EVENT, title="Педагогический совет",
            body="Повестка: итоги контроля ведения электронного журнала; допуск к "
                 "промежуточной аттестации.",
            audience="staff:", event_day=tuesday, event_time=time(15, 0),
            place="Методический кабинет")
    publish(director, now - timedelta(days=20), kind=EVENT, title="Посвящение в студенты",
            body="Праздник для первокурсников.", audience="college:",
            event_day=zone_today - timedelta(days=14), event_time=time(14, 0),
            place="Актовый зал")
    publish(deputy, now, kind=NOTICE, title="Сдача зачётных книжек",
            body="Старосты сдают зачётные книжки групп в учебную часть.",
            audience="staff:", publish_on=zone_today + timedelta(days=7),
            expires_on=zone_today + timedelta(days=14))
