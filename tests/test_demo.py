"""The demo college: a realistic, consistent college loaded in seconds into a fresh database."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select, text

from core import audit, migrate
from core.calendar.models import AcademicYear
from core.demo import load_demo
from core.extensions import db
from core.people.demo import DEMO_PASSWORD
from core.people.models import (
    Group,
    GroupMembership,
    Guardian,
    Movement,
    RoleAssignment,
    Student,
    StudentGuardian,
    Subgroup,
    SubjectCommission,
    User,
)
from core.people.names import MALE_NAMES
from core.people.roles import STAFF, Role, ScopeKind

TODAY = date(2026, 11, 25)


@pytest.fixture
def demo_app(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
                   ARGON2_TIME_COST=3, ARGON2_MEMORY_COST=65536, ARGON2_PARALLELISM=4)
    migrate.upgrade(app)
    with app.app_context():
        started = time.perf_counter()
        logins = load_demo(seed=2026, today=TODAY)
        app.config["demo_seconds"] = time.perf_counter() - started
        app.config["demo_logins"] = logins
    return app


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_loads_in_seconds_with_production_password_hashing(demo_app):
    assert demo_app.config["demo_seconds"] < 10, demo_app.config["demo_seconds"]


def test_demo_has_the_college_of_the_issue(demo_app):
    with demo_app.app_context():
        year = db.session.scalar(select(AcademicYear).where(AcademicYear.is_current))
        assert year.title == "2026/2027"
        assert (year.starts_on, year.ends_on) == (date(2026, 9, 1), date(2027, 6, 30))
        assert [t.title for t in year.terms] == ["1 семестр", "2 семестр"]
        assert any(h.title == "Зимние каникулы" for h in year.holidays)
        groups = db.session.scalars(select(Group)).all()
        assert len(groups) == 8
        assert Counter(g.course for g in groups) == {1: 2, 2: 2, 3: 2, 4: 2}
        assert {g.specialty.code for g in groups} == {"15.02.08", "09.02.07"}
        assert 190 <= count(Student) <= 210
        assert 140 <= count(Guardian) <= 160
        staff = db.session.scalar(select(func.count(func.distinct(RoleAssignment.user_id)))
                                  .where(RoleAssignment.role.in_([str(r) for r in STAFF])))
        assert 28 <= staff <= 32
        assert count(SubjectCommission, SubjectCommission.head_id.is_not(None)) == 3
        assert count(Subgroup) >= 4


def test_every_role_is_present_and_has_one_printed_login(demo_app):
    with demo_app.app_context():
        roles = set(db.session.scalars(select(RoleAssignment.role).distinct()))
        assert roles == {str(role) for role in Role}
        assert count(RoleAssignment, RoleAssignment.role == Role.SUPERVISOR,
                     RoleAssignment.scope_kind == ScopeKind.DEPARTMENT) == 2
        logins = demo_app.config["demo_logins"]
        assert len(logins) == len(Role)
        assert {password for _role, _login, password in logins} == {DEMO_PASSWORD}
        printed = {login for _role, login, _password in logins}
        assert count(User, User.login.in_(printed)) == len(Role)


def test_every_group_has_a_curator_who_teaches_and_holds_the_group_scope(demo_app):
    with demo_app.app_context():
        for group in db.session.scalars(select(Group)):
            curator = group.curator
            assert curator.has_role(Role.TEACHER)
            assert (Role.CURATOR, ScopeKind.GROUP, group.id) in {
                (a.role, a.scope_kind, a.scope_id) for a in curator.roles}


def test_students_are_admitted_into_their_group_with_consistent_names(demo_app):
    with demo_app.app_context():
        students = db.session.scalars(select(Student)).all()
        memberships = Counter(db.session.scalars(select(GroupMembership.student_id)))
        admitted = Counter(db.session.scalars(
            select(Movement.student_id).where(Movement.kind == "admitted")))
        assert all(memberships[s.id] == 1 and admitted[s.id] == 1 for s in students)
        patronymics = {p for pair in MALE_NAMES.values() for p in pair}
        assert all(s.middle_name in patronymics for s in students)
        # a daughter's patronymic ends in «-на», a son's in «-ич»
        daughters = [s for s in students if s.middle_name.endswith("на")]
        assert daughters and all(s.last_name[-1] in "аяо" or s.last_name.endswith("ко")
                                 or s.last_name.endswith("ук") for s in daughters)
        assert len({s.record_book_no for s in students}) == len(students)


def test_families_share_parents_and_some_contacts_are_doubtful(demo_app):
    with demo_app.app_context():
        per_guardian = Counter(db.session.scalars(select(StudentGuardian.guardian_id)))
        per_student = Counter(db.session.scalars(select(StudentGuardian.student_id)))
        assert sum(1 for n in per_guardian.values() if n == 2) >= 3  # two children here
        assert sum(1 for n in per_student.values() if n == 2) >= 10  # two parents
        guardians = db.session.scalars(select(Guardian)).all()
        doubtful = [g for g in guardians if not g.phone or not g.email or "@@" in g.email
                    or len(g.phone) != 12]
        assert 5 <= len(doubtful) <= 30
        assert count(Student, Student.user_id.is_not(None)) > 0
        assert count(Guardian, Guardian.user_id.is_not(None)) > 0


def test_demo_is_deterministic_and_its_integrity_holds(demo_app, make_app, tmp_path):
    other = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo2.sqlite3'}")
    migrate.upgrade(other)
    with other.app_context():
        load_demo(seed=2026, today=TODAY)
        names_other = db.session.scalars(select(Student.last_name).order_by(Student.id)).all()
    with demo_app.app_context():
        names = db.session.scalars(select(Student.last_name).order_by(Student.id)).all()
        assert names == names_other
        assert audit.verify().ok
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
