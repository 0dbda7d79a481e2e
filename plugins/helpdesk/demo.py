"""Demo requests: a few in each status, filed over the last two weeks (two past the term to
answer), among them a data change from the demo parent (new, for the administrator to apply)
and a movement reported by the demo curator. Written through the services, without mail."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from core.calendar.clock import college_zone
from core.people.roles import Role
from plugins.helpdesk import services
from plugins.helpdesk.models import ANSWERED, CLOSED, DATA_CHANGE, HELP, IN_WORK, MOVEMENT, PROBLEM


def _at(college, days_ago: int, hour: int):
    day = college.today - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 0), tzinfo=college_zone()).astimezone(UTC)


def _demo_login(college, role: Role):
    """The account the demo lists as the example of ``role`` (its printed logins)."""
    from sqlalchemy import select

    from core.extensions import db
    from core.people.models import User
    from core.people.roles import role_title

    login = next((login for title, login, _password in college.logins
                  if title == role_title(role)), None)
    return db.session.scalar(select(User).where(User.login == login)) if login else None


def _people(college) -> dict:
    made = college.made
    staff = made.get("staff") or {}
    groups = made.get("groups") or []
    curators = made.get("curators") or {}
    found = {
        "admin": (staff.get(Role.ADMIN) or [None])[0],
        "parent": (made.get("parent_users") or [None])[0],
        "parent2": (made.get("parent_users") or [None, None])[1],
        "student": (made.get("student_users") or [None])[0],
        "curator": curators.get(groups[0].id) if groups else None,
        "teacher": _demo_login(college, Role.TEACHER),
    }
    return {key: user for key, user in found.items() if user is not None}


def make_requests(college) -> None:
    people = _people(college)
    admin = people.get("admin")
    if admin is None:
        return

    def file(who: str, days_ago: int, **draft):
        user = people.get(who)
        if user is None:
            return None
        return services.file_request(user, services.Draft(**draft),
                                     at=_at(college, days_ago, 10))

    def answer(item, days_ago: int, status: str, text: str = ""):
        if item is not None:
            services.change_status(admin, item, status, text, at=_at(college, days_ago, 15),
                                   notify=False)

    # the demo parent's new phone: new, for the administrator to apply in the demo
    parent = people.get("parent")
    guardian = services.guardian_of(parent) if parent is not None else None
    if guardian is not None:
        file("parent", 1, kind=DATA_CHANGE, phone="+7 912 555-01-26",
             email=f"new.{guardian.email}" if guardian.email else "",
             body="Сменила номер телефона и адрес почты, прошу исправить в журнале.")
    file("teacher", 6, kind=HELP, subject="Как исправить оценку после дня занятия?",
         body="Поставил «3» вместо «4» вчера, сегодня ячейка не редактируется. Что делать?")
    overdue = file("parent2", 5, kind=HELP, subject="Не приходят письма с оценками",
                   body="Подписалась на уведомления, но писем с оценками нет уже неделю.")
    answer(overdue, 4, IN_WORK)
    curator = people.get("curator")
    students = college.made.get("students_by_group", {}).get(college.made["groups"][0].id, [])
    if curator is not None and students:
        moved = file("curator", 2, kind=MOVEMENT, student_id=students[-1].id, movement="leave",
                     on_date=college.today + timedelta(days=3), order_no="",
                     body="Оформляет академический отпуск по состоянию здоровья, приказ "
                          "готовится.")
        answer(moved, 1, IN_WORK, "Ждём номер приказа из учебной части.")
    asked = file("student", 8, kind=HELP, subject="Не вижу оценки по физкультуре",
                 body="В дневнике нет оценок по физкультуре за октябрь.")
    answer(asked, 7, ANSWERED, "Преподаватель внёс оценки 3 ноября, они уже в дневнике.")
    problem = file("teacher", 12, kind=PROBLEM, subject="Ошибка при сохранении темы урока",
                   incident="DEMO-7F3A21", body="Нажал «Сохранить» — страница с ошибкой.")
    answer(problem, 11, ANSWERED, "Исправлено в обновлении, попробуйте ещё раз.")
    answer(problem, 9, CLOSED)
