"""Demo sign-ins: the month before the demo's day, with the gaps a real college has. Staff sign
in on working days (teachers nearly every day, the administration most days), students a few
times a week, parents about weekly; a quarter of the families never signed in, and some of the
parents who never did open the digest's link. The demo's own logins always have a history."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select, update

from core.calendar.clock import college_zone
from core.extensions import db
from core.people.models import RoleAssignment, User
from core.people.roles import STAFF, Role
from plugins.monitoring.models import DigestOpen, SignIn
from plugins.monitoring.recording import month_of, week_of

DAYS = 30
#: the demo's printed logins: never among those who never signed in
KEEP = {"admin", "director", "deputy", "methodist", "biriukova.iue", "novikova.ld",
        "anisimova.sv", "anisimov.am"}


def _chance(roles: set[str]) -> float:
    """The chance of a sign-in on a working day."""
    if roles & {str(r) for r in STAFF}:
        return 0.92 if roles & {Role.TEACHER, Role.CURATOR} else 0.7
    return 0.45 if Role.STUDENT in roles else 0.18


def make_sign_ins(college) -> None:
    rng, zone = college.rng, college_zone()
    roles: dict[int, set[str]] = {}
    logins: dict[int, str] = {}
    for user_id, login, role in db.session.execute(
            select(User.id, User.login, RoleAssignment.role)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(User.active.is_(True))):
        roles.setdefault(user_id, set()).add(role)
        logins[user_id] = login
    days = [college.today - timedelta(days=n) for n in range(DAYS, 0, -1)]
    sign_ins, opens, last = [], [], {}
    for user_id in sorted(roles):
        mine, login = roles[user_id], logins[user_id]
        family = not mine & {str(r) for r in STAFF}
        if family and login not in KEEP and rng.random() < 0.25:
            if Role.PARENT in mine and rng.random() < 0.4:  # reads the digest, never signs in
                for day in days[2::7]:
                    if rng.random() < 0.6:
                        opens.append(_row(user_id, day, 20, rng, zone, week=False))
            continue
        chance = _chance(mine)
        rows = []
        for day in days:
            weekend = day.weekday() >= 5
            if weekend and not family:
                continue
            if rng.random() < (chance * (0.5 if weekend else 1)):
                hour = 8 if not family else rng.choice((7, 18, 19, 20, 21))
                rows.append(_row(user_id, day, hour, rng, zone))
        if not rows and login in KEEP:
            rows.append(_row(user_id, days[-1], 9, rng, zone))
        if rows:
            last[user_id] = rows[-1]["at"]
        sign_ins.extend(rows)
    if sign_ins:
        db.session.execute(insert(SignIn.__table__), sign_ins)
    if opens:
        db.session.execute(insert(DigestOpen.__table__), opens)
    for user_id, at in last.items():
        db.session.execute(update(User).where(User.id == user_id).values(last_login_at=at))


def _row(user_id: int, day, hour: int, rng, zone, week: bool = True) -> dict:
    at = datetime.combine(day, time(hour, rng.randrange(60)), zone).astimezone(UTC)
    row = {"user_id": user_id, "at": at, "day": day}
    if week:
        row |= {"week": week_of(day), "month": month_of(day)}
    return row
