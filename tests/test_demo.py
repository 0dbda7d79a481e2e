"""The demo college: a realistic, consistent college loaded in seconds into a fresh database."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select, text

from core import audit, create_app, migrate
from core.auth.passwords import OWASP_ARGON2
from core.calendar.models import AcademicYear
from core.demo import load_demo
from core.extensions import db
from core.people import models as people
from core.people.demo import DEMO_PASSWORD
from core.people.groups import course_in
from core.people.movement import group_members
from core.people.names import MALE_NAMES
from core.people.roles import STAFF, Role, ScopeKind
from core.plugins.types import ReportQuery
from plugins.attendance.models import Absence, Taken
from plugins.grading.models import Final, History, Mark
from plugins.journal import api as journal
from plugins.journal.models import Lesson, TeachingLoad
from plugins.reports.registry import providers

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_app(app_config, tmp_path_factory):
    """The demo loaded once for this module's tests, which only read it."""
    folder = tmp_path_factory.mktemp("demo")
    config = {key: value for key, value in app_config.items() if key not in OWASP_ARGON2}
    app = create_app({**config, "INSTANCE_PATH": str(folder / "instance"),  # production hashing
                      "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}"})
    migrate.upgrade(app)
    with app.app_context():
        started = time.process_time()  # CPU time: other processes on the machine do not count
        logins = load_demo(seed=2026, today=TODAY)
        app.config["demo_seconds"] = time.process_time() - started
        app.config["demo_logins"] = logins
    yield app
    with app.app_context():
        db.engine.dispose()


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
        groups = db.session.scalars(select(people.Group).where(
            people.Group.graduated.is_(False))).all()
        assert len(groups) == 8
        assert Counter(g.course for g in groups) == {1: 2, 2: 2, 3: 2, 4: 2}
        assert {g.specialty.code for g in groups} == {"15.02.08", "09.02.07"}
        assert 190 <= count(people.Student, people.Student.status == "studying") <= 210
        assert 140 <= count(people.Guardian) <= 160
        staff = db.session.scalar(select(func.count(func.distinct(people.RoleAssignment.user_id)))
                                  .where(people.RoleAssignment.role.in_([str(r) for r in STAFF])))
        assert 28 <= staff <= 32
        assert count(people.SubjectCommission, people.SubjectCommission.head_id.is_not(None)) == 3
        assert count(people.Subgroup) >= 4


def test_every_role_is_present_and_has_one_printed_login(demo_app):
    with demo_app.app_context():
        roles = set(db.session.scalars(select(people.RoleAssignment.role).distinct()))
        assert roles == {str(role) for role in Role}
        assert count(people.RoleAssignment, people.RoleAssignment.role == Role.SUPERVISOR,
                     people.RoleAssignment.scope_kind == ScopeKind.DEPARTMENT) == 2
        logins = demo_app.config["demo_logins"]
        # every role, a parent of two children, the curator parents' reports wait for
        assert len(logins) == len(Role) + 2
        assert {password for _role, _login, password in logins} == {DEMO_PASSWORD}
        printed = {login for _role, login, _password in logins}
        assert count(people.User, people.User.login.in_(printed)) == len(Role) + 2
        assert any("ждут ответа родителям: 3" in title for title, _login, _password in logins)
        two = next(login for title, login, _password in logins if title.endswith("(детей: 2)"))
        parent = db.session.scalar(select(people.User).where(people.User.login == two))
        assert len(db.session.scalar(select(people.Guardian).where(
            people.Guardian.user_id == parent.id)).children) == 2


def test_every_group_has_a_curator_who_teaches_and_holds_the_group_scope(demo_app):
    with demo_app.app_context():
        for group in db.session.scalars(select(people.Group).where(
                people.Group.graduated.is_(False))):
            curator = group.curator
            assert curator.has_role(Role.TEACHER)
            assert (Role.CURATOR, ScopeKind.GROUP, group.id) in {
                (a.role, a.scope_kind, a.scope_id) for a in curator.roles}


def test_students_are_admitted_into_their_group_with_consistent_names(demo_app):
    with demo_app.app_context():
        students = db.session.scalars(select(people.Student)).all()
        memberships = Counter(db.session.scalars(select(people.GroupMembership.student_id)))
        admitted = Counter(db.session.scalars(
            select(people.Movement.student_id).where(people.Movement.kind == "admitted")))
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
        per_guardian = Counter(db.session.scalars(select(people.StudentGuardian.guardian_id)))
        per_student = Counter(db.session.scalars(select(people.StudentGuardian.student_id)))
        assert sum(1 for n in per_guardian.values() if n == 2) >= 3  # two children here
        assert sum(1 for n in per_student.values() if n == 2) >= 10  # two parents
        guardians = db.session.scalars(select(people.Guardian)).all()
        doubtful = [g for g in guardians if not g.phone or not g.email or "@@" in g.email
                    or len(g.phone) != 12]
        assert 5 <= len(doubtful) <= 30
        assert count(people.Student, people.Student.user_id.is_not(None)) > 0
        assert count(people.Guardian, people.Guardian.user_id.is_not(None)) > 0


def test_demo_is_deterministic_and_its_integrity_holds(demo_app, make_app, tmp_path):
    other = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo2.sqlite3'}")
    migrate.upgrade(other)
    with other.app_context():
        load_demo(seed=2026, today=TODAY)
        names_other = db.session.scalars(select(people.Student.last_name)
                                         .order_by(people.Student.id)).all()
    with demo_app.app_context():
        names = db.session.scalars(select(people.Student.last_name)
                                   .order_by(people.Student.id)).all()
        assert names == names_other
        assert audit.verify().ok
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"


# --- the previous academic year, finished -------------------------------------------------------


def previous_year() -> AcademicYear:
    return db.session.scalar(select(AcademicYear).where(AcademicYear.is_current.is_(False))
                             .order_by(AcademicYear.starts_on.desc()))


def previous_loads(year: AcademicYear) -> list[journal.LoadInfo]:
    return journal.loads(TeachingLoad.term_id.in_([term.id for term in year.terms]))


def assert_previous_year_finished(today: date) -> None:
    """The year before the current one is over and complete, whatever ``today`` is: a term
    final for every student of every load of both its terms, the exam (or graded credit) and
    the year's result in the second, attendance taken at every lesson, every lesson recorded."""
    current = db.session.scalar(select(AcademicYear).where(AcademicYear.is_current))
    year = previous_year()
    assert year.starts_on == current.starts_on.replace(year=current.starts_on.year - 1)
    assert year.ends_on < today and [t.number for t in year.terms] == [1, 2]
    loads = previous_loads(year)
    assert {load.term.number for load in loads} == {1, 2}
    finals = Counter((load_id, kind) for load_id, kind in db.session.execute(
        select(Final.load_id, Final.kind).where(Final.value != "")))
    for load in loads:
        on_roll = [s for s in journal.roster(load) if s.member_on(load.term.ends_on)]
        assert on_roll and finals[(load.id, "term")] == len(on_roll), load
        if load.term.number == 2:
            assert finals[(load.id, "year")] == len(on_roll), load
            exams = finals[(load.id, "exam")] + finals[(load.id, "diff_credit")]
            assert exams == len(on_roll), load
    lessons = select(Lesson.id).join(TeachingLoad, TeachingLoad.id == Lesson.load_id).where(
        TeachingLoad.term_id.in_([term.id for term in year.terms]))
    assert count(Lesson, Lesson.id.in_(lessons)) > 1500
    assert count(Lesson, Lesson.id.in_(lessons), Lesson.topic == "") == 0
    assert count(Lesson, Lesson.id.in_(lessons), Lesson.date > year.ends_on) == 0
    assert count(Taken, Taken.lesson_id.in_(lessons)) == count(Lesson, Lesson.id.in_(lessons))


def test_the_previous_year_is_finished(demo_app):
    with demo_app.test_request_context():
        assert_previous_year_finished(TODAY)


def test_last_years_groups_were_one_course_lower_and_its_fourth_course_graduated(demo_app):
    with demo_app.test_request_context():
        year = previous_year()
        assert year.title == "2025/2026" and not year.is_current
        studied = {db.session.get(people.Group, group_id) for group_id in db.session.scalars(
            select(TeachingLoad.group_id).where(
                TeachingLoad.term_id.in_([t.id for t in year.terms])).distinct())}
        assert sorted((g.name, course_in(g, year)) for g in studied) == [
            ("ИСП-22", 4), ("ИСП-23", 3), ("ИСП-24", 2), ("ИСП-25", 1),
            ("ТМ-22", 4), ("ТМ-23", 3), ("ТМ-24", 2), ("ТМ-25", 1)]
        graduated = [g for g in studied if g.graduated]
        assert {g.name for g in graduated} == {"ТМ-22", "ИСП-22"}
        graduates = db.session.scalars(select(people.Movement).where(
            people.Movement.kind == "graduated")).all()
        assert graduates and {m.on_date for m in graduates} == {year.ends_on}
        assert {m.from_group_id for m in graduates} == {g.id for g in graduated}
        assert count(people.Student, people.Student.status == "graduated") == len(graduates)
        # the graduates left their group on the graduation day, the others study on
        assert count(people.GroupMembership,
                     people.GroupMembership.group_id.in_([g.id for g in graduated]),
                     people.GroupMembership.left_on != year.ends_on) == 0


def test_last_years_results_have_a_few_na_and_debts_and_graduates_owe_nothing(demo_app):
    with demo_app.test_request_context():
        year = previous_year()
        loads = previous_loads(year)
        graduated = set(db.session.scalars(select(people.Group.id).where(people.Group.graduated)))
        values = db.session.execute(
            select(Final.load_id, Final.kind, Final.value)
            .where(Final.load_id.in_([load.id for load in loads]))).all()
        by_kind = {kind: Counter(v for _l, k, v in values if k == kind) for kind in ("term", "year")}
        terms = sum(by_kind["term"].values())
        assert 0 < by_kind["term"]["na"] < 0.05 * terms
        assert 0 < by_kind["year"]["debt"] < 0.1 * sum(by_kind["year"].values())
        assert by_kind["term"]["4"] > by_kind["term"]["3"] > by_kind["term"]["5"]
        group_of = {load.id: load.group_id for load in loads}
        assert not [v for load_id, kind, v in values if group_of[load_id] in graduated
                    and kind == "year" and v in ("2", "na", "debt")]
        retakes = db.session.scalars(select(History).where(
            History.reason.is_not(None), History.final_id.is_not(None))).all()
        assert retakes and all(h.approved_by_id and h.new_value == "3" for h in retakes)
        assert count(Mark, Mark.lesson_id.in_(select(Lesson.id).where(
            Lesson.date <= year.ends_on))) > 15000


def test_the_demo_families_flagged_marks_open_kept_and_corrected(demo_app):
    """BTT 4.3.2: the student's and the parent's logins have flags in their diary, the teacher's
    login open ones in their journals; an approved correction changed its mark."""
    from plugins.grading.models import Correction, MarkFlag

    with demo_app.test_request_context():
        found = db.session.scalars(select(MarkFlag)).all()
        assert Counter(flag.status for flag in found) == {"open": 3, "kept": 1, "corrected": 2}
        corrections = {c.status for c in db.session.scalars(select(Correction).where(
            Correction.id.in_([flag.correction_id for flag in found if flag.correction_id])))}
        assert corrections == {"approved", "pending"}
        corrected = [flag for flag in found if flag.status == "corrected"]
        assert any(db.session.get(Mark, flag.mark_id).value != flag.value for flag in corrected)
        printed = [login for _title, login, _password in demo_app.config["demo_logins"]]
        users = {user.login: user for user in db.session.scalars(
            select(people.User).where(people.User.login.in_(printed)))}
        by_role = {role: next(users[login] for login in printed if users[login].has_role(role))
                   for role in (Role.STUDENT, Role.PARENT)}  # the first printed: one family
        flaggers = {flag.flagged_by_id for flag in found}
        assert by_role[Role.STUDENT].id in flaggers and by_role[Role.PARENT].id in flaggers
        waiting = db.session.scalars(
            select(TeachingLoad.teacher_id).join(Lesson, Lesson.load_id == TeachingLoad.id)
            .join(Mark, Mark.lesson_id == Lesson.id).join(MarkFlag, MarkFlag.mark_id == Mark.id)
            .where(MarkFlag.status == "open")).all()
        assert any(waiting.count(user.id) == 2 for user in users.values())  # a printed teacher's


def test_last_years_absences_all_have_their_reason(demo_app):
    with demo_app.test_request_context():
        year = previous_year()
        days = select(Lesson.id).where(Lesson.date <= year.ends_on)
        absences = db.session.execute(select(Absence.reason, Absence.excuse_id).where(
            Absence.lesson_id.in_(days), Absence.kind == "absent")).all()
        assert len(absences) > 1000
        assert {reason for reason, _e in absences} == {"illness", "valid", "invalid"}
        assert all(excuse_id for _r, excuse_id in absences)
        assert count(Absence, Absence.lesson_id.in_(days), Absence.kind == "late") > 0


def test_the_summary_statement_of_last_year_prints_a_result_in_every_cell(demo_app):
    with demo_app.test_request_context():
        year = previous_year()
        group = db.session.scalar(select(people.Group).where(people.Group.name == "ТМ-24"))
        admin = db.session.scalar(select(people.User).where(people.User.login == "admin"))
        result = providers()["grading.summary"].build(
            ReportQuery(user=admin, group_id=group.id, year_id=year.id, start=year.starts_on,
                        end=year.ends_on))
        statement = result.tables[0]
        # two terms of five disciplines, the second with its exam and the year's result
        assert len(statement.columns) == 2 + 5 * 4 + 1
        assert len(statement.rows) == len(group_members(group.id, year.starts_on, year.ends_on))
        assert all(cell not in ("", None) for row in statement.rows for cell in row)
        assert "2 курс" in " ".join(result.lines)
    client = demo_app.test_client()
    response = client.post("/auth/login", data={"login": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(f"/reports/grading.summary?run=1&group={group.id}&year={year.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "за 2025/2026 учебный год" in text and "ОУД.04, 2 сем. Год" in text


@pytest.mark.parametrize("today", [date(2026, 9, 2), date(2027, 6, 30)])
def test_the_previous_year_is_finished_whatever_the_day_the_demo_is_loaded(make_app, tmp_path,
                                                                           today):
    other = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    migrate.upgrade(other)
    with other.test_request_context():
        load_demo(seed=3, today=today)
        assert_previous_year_finished(today)


def test_the_demo_loads_on_the_test_database_once(app):
    """On the suite's database (PostgreSQL in CI): loaded, then refused a second time."""
    with app.test_request_context():
        assert load_demo(seed=2026, today=TODAY)
        assert_previous_year_finished(TODAY)
        students, finals = count(people.Student), count(Final)
        assert load_demo(seed=2026, today=TODAY) is None
        assert (count(people.Student), count(Final)) == (students, finals)


def _drawn_over(chars: list[dict]) -> list[str]:
    """Neighbouring glyphs of a line drawn over each other: a word running into the next cell."""
    lines: dict[int, list[dict]] = {}
    for char in chars:
        if char["text"].strip():
            lines.setdefault(round(char["top"] / 2), []).append(char)
    found = []
    for line in lines.values():
        line.sort(key=lambda char: char["x0"])
        found += [a["text"] + b["text"] for a, b in zip(line, line[1:], strict=False)
                  if b["x0"] < a["x1"] - 1.0 and abs(a["top"] - b["top"]) < 2]
    return found


def test_every_pdf_report_of_the_demo_keeps_its_words_apart_and_on_the_page(demo_app):
    """Every report the administrator can print, for a demo group, teacher and student: no two
    glyphs drawn over each other (a column too narrow for its words) and nothing off the page."""
    import io

    pdfplumber = pytest.importorskip("pdfplumber")
    from plugins.reports import registry, render

    with demo_app.test_request_context():
        admin = db.session.scalar(select(people.User).where(people.User.login == "admin"))
        group = db.session.scalar(select(people.Group).where(people.Group.name == "ТМ-24"))
        teacher = db.session.scalar(select(TeachingLoad.teacher_id)
                                    .where(TeachingLoad.group_id == group.id).limit(1))
        args = {"group": str(group.id), "teacher": str(teacher),
                "student": str(group_members(group.id, TODAY, TODAY)[0][0]),
                "commission": str(db.session.scalar(select(people.SubjectCommission.id)))}
        faults = {}
        for name, provider in providers().items():
            rendered = render.render(provider, registry.parse(admin, provider, args), "pdf")
            with pdfplumber.open(io.BytesIO(rendered.content)) as pdf:
                for number, page in enumerate(pdf.pages, 1):
                    outside = [w["text"] for w in page.extract_words()
                               if w["x0"] < 0 or w["x1"] > page.width or w["bottom"] > page.height]
                    if over := _drawn_over(page.chars) + outside:
                        faults[f"{name}, стр. {number}"] = over[:5]
    assert not faults, faults


def test_serving_says_where_mail_goes():
    import socket

    from core.cli_commands import mail_note

    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert mail_note("127.0.0.1", port) == f"Почта уходит на SMTP-сервер 127.0.0.1:{port}."
    closed = mail_note("127.0.0.1", port)  # nothing listens there any more
    assert "не отвечает" in closed and "/admin/delivery" in closed
