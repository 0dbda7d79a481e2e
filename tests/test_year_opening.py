"""The administrator opens the year (BTT 4.1.1, KTIS 3.2): year and terms, groups with curators,
subgroups, and next year's opening that moves groups up a course and graduates the last one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.calendar.models import AcademicYear, Term
from core.calendar.years import default_periods, save_year
from core.extensions import db
from core.people.groups import GroupData, add_specialty, open_next_year, save_group
from core.people.models import (
    Group,
    GroupMembership,
    Movement,
    RoleAssignment,
    Student,
    Subgroup,
    SubgroupMembership,
)
from core.people.roles import Role, ScopeKind


@pytest.fixture
def admin(make_user, login):
    user = make_user("year-admin", roles=[Role.ADMIN])
    login(user)
    return user


@pytest.fixture
def admin_appoints(app):
    """The administrator appoints (``people.appointed_by``, as in KTIS): these tests are of
    the administrator's forms giving roles; BTT's director appoints (tests/test_appointments)."""
    from core import policy

    with app.app_context():
        policy.set_override("people.appointed_by", "administrator")
        db.session.commit()


def year_form(title="2026/2027", starts="2026-09-01", ends="2027-06-30", current=True, terms=None,
              holidays=None):
    terms = terms or [("1 семестр", "2026-09-01", "2026-12-28"), ("2 семестр", "2027-01-12", "2027-06-30")]
    holidays = holidays or [("Зимние каникулы", "2026-12-29", "2027-01-11")]
    data = {"title": title, "starts_on": starts, "ends_on": ends}
    if current:
        data["make_current"] = "y"
    for kind, rows in (("terms", terms), ("holidays", holidays)):
        for i, (name, start, end) in enumerate(rows):
            data.update({f"{kind}-{i}-title": name, f"{kind}-{i}-starts_on": start,
                         f"{kind}-{i}-ends_on": end})
    return data


def test_new_year_form_offers_two_semesters_and_winter_holidays(client, admin):
    html = client.get("/admin/year/new").get_data(as_text=True)
    assert 'value="1 семестр"' in html and 'value="2 семестр"' in html
    assert 'value="Зимние каникулы"' in html


def test_admin_creates_year_with_terms_and_holidays(app, client, admin):
    response = client.post("/admin/year/new", data=year_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        year = db.session.scalar(select(AcademicYear).where(AcademicYear.title == "2026/2027"))
        assert year.is_current
        assert [(t.number, t.starts_on, t.ends_on) for t in year.terms] == [
            (1, date(2026, 9, 1), date(2026, 12, 28)), (2, date(2027, 1, 12), date(2027, 6, 30))]
        assert [h.title for h in year.holidays] == ["Зимние каникулы"]


def test_overlapping_terms_are_refused_in_russian(app, client, admin):
    terms = [("1 семестр", "2026-09-01", "2027-01-20"), ("2 семестр", "2027-01-12", "2027-06-30")]
    response = client.post("/admin/year/new", data=year_form(terms=terms))
    assert response.status_code == 422
    assert "Семестры «1 семестр» и «2 семестр» пересекаются." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AcademicYear)) == 0


@pytest.mark.parametrize("overrides, message", [
    ({"title": "2026-2027"}, "два года подряд"),
    ({"ends": "2026-08-01"}, "заканчиваться позже"),
    ({"terms": [("1 семестр", "2026-08-01", "2026-12-28")]}, "выходит за границы учебного года"),
    ({"terms": [("1 семестр", "2026-09-01", "")]}, "заполните название и обе даты"),
])
def test_invalid_year_gets_a_russian_reason(client, admin, overrides, message):
    response = client.post("/admin/year/new", data=year_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_only_one_year_is_current(app, client, admin):
    client.post("/admin/year/new", data=year_form())
    client.post("/admin/year/new", data=year_form(
        "2027/2028", "2027-09-01", "2028-06-30", terms=[("1 семестр", "2027-09-01", "2027-12-28")],
        holidays=[("", "", "")]))
    with app.app_context():
        current = db.session.scalars(select(AcademicYear.title).where(AcademicYear.is_current)).all()
        assert current == ["2027/2028"]
        first = db.session.scalar(select(AcademicYear).where(AcademicYear.title == "2026/2027"))
    client.post(f"/admin/year/{first.id}/current")
    with app.app_context():
        assert db.session.scalars(select(AcademicYear.title).where(AcademicYear.is_current)).all() == [
            "2026/2027"]


def test_editing_a_year_keeps_its_terms_and_refuses_removing_one(app, client, admin):
    client.post("/admin/year/new", data=year_form())
    with app.app_context():
        year = db.session.scalar(select(AcademicYear))
        term_ids = [t.id for t in year.terms]
    data = year_form(terms=[("Осенний семестр", "2026-09-01", "2026-12-27"),
                            ("Весенний семестр", "2027-01-12", "2027-06-30")])
    assert client.post(f"/admin/year/{year.id}/edit", data=data).status_code == 302
    with app.app_context():
        terms = db.session.scalars(select(Term).order_by(Term.number)).all()
        assert [t.id for t in terms] == term_ids
        assert terms[0].title == "Осенний семестр"
    response = client.post(f"/admin/year/{year.id}/edit",
                           data=year_form(terms=[("1 семестр", "2026-09-01", "2027-06-30")]))
    assert response.status_code == 422
    assert "удалить его нельзя" in response.get_data(as_text=True)


def test_departments_and_specialties_are_checked(app, client, admin):
    client.post("/admin/year/departments", data={"dep-name": "Механическое отделение"})
    client.post("/admin/year/specialties", data={"spec-code": "15.02.08", "spec-name": "Технология машиностроения",
                                                 "spec-department_id": "0", "spec-courses": "4"})
    response = client.post("/admin/year/specialties", follow_redirects=True, data={
        "spec-code": "15-02-08", "spec-name": "Что-то", "spec-department_id": "0", "spec-courses": "4"})
    assert "Код специальности — три пары цифр через точку" in response.get_data(as_text=True)
    html = client.get("/admin/year/").get_data(as_text=True)
    assert "Механическое отделение" in html and "15.02.08 Технология машиностроения" in html


def test_setting_a_curator_gives_the_curator_role_for_that_group_and_moves_it(admin_appoints, app, client, admin, make_user):
    teacher = make_user("petrova", roles=[Role.TEACHER], last_name="Петрова")
    other = make_user("orlov", roles=[Role.TEACHER], last_name="Орлов")
    with app.test_request_context():
        specialty = add_specialty("15.02.08", "Технология машиностроения", None)
        db.session.commit()
    form = {"name": "ТМ-26", "specialty_id": specialty.id, "course": 1, "form_of_study": "очная",
            "admission_year": 2026, "curator_id": teacher.id}
    assert client.post("/admin/year/groups/new", data=form).status_code == 302
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.name == "ТМ-26"))
        assignments = db.session.scalars(select(RoleAssignment).where(
            RoleAssignment.role == Role.CURATOR)).all()
        assert [(a.user_id, a.scope_kind, a.scope_id) for a in assignments] == [
            (teacher.id, ScopeKind.GROUP, group.id)]
    form["curator_id"] = other.id
    assert client.post(f"/admin/year/groups/{group.id}/edit", data=form).status_code == 302
    with app.app_context():
        assignments = db.session.scalars(select(RoleAssignment).where(
            RoleAssignment.role == Role.CURATOR)).all()
        assert [(a.user_id, a.scope_id) for a in assignments] == [(other.id, group.id)]
        assert db.session.get(Group, group.id).curator_id == other.id


def test_group_course_beyond_the_specialty_is_refused(app, client, admin):
    with app.test_request_context():
        specialty = add_specialty("09.02.07", "Информационные системы и программирование", None, courses=3)
        db.session.commit()
    response = client.post("/admin/year/groups/new", data={
        "name": "ИСП-22", "specialty_id": specialty.id, "course": 4, "form_of_study": "очная",
        "admission_year": 2022, "curator_id": 0})
    assert response.status_code == 422
    assert "Курс — от 1 до 3" in response.get_data(as_text=True)


def test_group_is_split_into_subgroups(app, client, admin):
    with app.test_request_context():
        specialty = add_specialty("09.02.07", "Информационные системы и программирование", None)
        group = save_group(GroupData("ИСП-26", specialty, 1, "очная", 2026, None, None))
        db.session.commit()
    client.post(f"/admin/year/groups/{group.id}/split", data={"split-label": "Иностранный язык",
                                                              "split-count": "2"})
    response = client.post(f"/admin/year/groups/{group.id}/split", follow_redirects=True,
                           data={"split-label": "Иностранный язык", "split-count": "2"})
    assert "уже есть" in response.get_data(as_text=True)
    with app.app_context():
        titles = [s.title for s in db.session.scalars(select(Subgroup).order_by(Subgroup.number))]
        assert titles == ["Иностранный язык, 1 подгруппа", "Иностранный язык, 2 подгруппа"]


def _college_with_students(app):
    """Groups of courses 1 and 4 (4-course specialty) and of course 3 of a 3-course one."""
    with app.test_request_context():
        starts, ends, terms, holidays = default_periods(2026)
        year = save_year("2026/2027", starts, ends, terms, holidays, make_current=True)
        starts, ends, terms, holidays = default_periods(2027)
        save_year("2027/2028", starts, ends, terms, holidays)
        long_ = add_specialty("15.02.08", "Технология машиностроения", None, courses=4)
        short = add_specialty("38.02.01", "Экономика и бухгалтерский учёт", None, courses=3)
        groups = {
            "ТМ-26": save_group(GroupData("ТМ-26", long_, 1, "очная", 2026, None, year)),
            "ТМ-23": save_group(GroupData("ТМ-23", long_, 4, "очная", 2023, None, year)),
            "ЭБ-24": save_group(GroupData("ЭБ-24", short, 3, "очная", 2024, None, year)),
        }
        split = Subgroup(group=groups["ТМ-23"], label="", number=1)
        db.session.add(split)
        for n, name in enumerate(groups):
            student = Student(record_book_no=f"RB-{n}", last_name="Иванов", first_name="Иван")
            db.session.add(student)
            db.session.flush()
            db.session.add(GroupMembership(student_id=student.id, group_id=groups[name].id,
                                           joined_on=date(2026, 9, 1)))
            if name == "ТМ-23":
                db.session.add(SubgroupMembership(student_id=student.id, subgroup_id=split.id,
                                                  from_date=date(2026, 9, 1)))
        db.session.commit()
        return {name: g.id for name, g in groups.items()}


def test_next_year_moves_groups_up_and_graduates_the_last_course(app, client, admin):
    ids = _college_with_students(app)
    with app.app_context():
        new_year = db.session.scalar(select(AcademicYear).where(AcademicYear.title == "2027/2028"))
    html = client.get("/admin/year/next").get_data(as_text=True)
    assert "выпуск" in html
    response = client.post("/admin/year/next", data={
        "year_id": new_year.id, "graduation_date": "2027-06-30", "order_no": "№ 301-к"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        tm26, tm23, eb24 = (db.session.get(Group, ids[n]) for n in ("ТМ-26", "ТМ-23", "ЭБ-24"))
        assert (tm26.course, tm26.graduated, tm26.year_id) == (2, False, new_year.id)
        assert tm23.graduated and eb24.graduated and tm23.course == 4
        graduated = db.session.scalars(select(Movement).where(Movement.kind == "graduated")).all()
        assert sorted(m.from_group_id for m in graduated) == sorted([ids["ТМ-23"], ids["ЭБ-24"]])
        assert {(m.on_date, m.order_no, m.created_by_id) for m in graduated} == {
            (date(2027, 6, 30), "№ 301-к", admin.id)}
        memberships = {m.group_id: m.left_on for m in db.session.scalars(select(GroupMembership))}
        assert memberships == {ids["ТМ-26"]: None, ids["ТМ-23"]: date(2027, 6, 30),
                               ids["ЭБ-24"]: date(2027, 6, 30)}
        assert db.session.scalar(select(SubgroupMembership.to_date)) == date(2027, 6, 30)
        statuses = dict(db.session.execute(select(Student.record_book_no, Student.status)).all())
        assert statuses == {"RB-0": "studying", "RB-1": "graduated", "RB-2": "graduated"}
        assert db.session.get(AcademicYear, new_year.id).is_current


def test_next_year_needs_an_order_and_cannot_run_twice(app):
    _college_with_students(app)
    from core.errors import DomainError

    with app.test_request_context():
        new_year = db.session.scalar(select(AcademicYear).where(AcademicYear.title == "2027/2028"))
        with pytest.raises(DomainError, match="номер приказа"):
            open_next_year(new_year, date(2027, 6, 30), " ")
        open_next_year(new_year, date(2027, 6, 30), "№ 1")
        with pytest.raises(DomainError, match="уже открыт"):
            open_next_year(new_year, date(2027, 6, 30), "№ 1")


def test_administration_index_links_the_wizard_and_the_import_for_the_admin_only(
        client, make_user, login):
    login(make_user("links-admin", roles=[Role.ADMIN]))
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/year/"' in html and 'href="/admin/year/import"' in html
    client.post("/auth/logout")
    login(make_user("links-director", roles=[Role.DIRECTOR]))
    html = client.get("/admin/").get_data(as_text=True)
    assert "/admin/year/" not in html
    assert client.get("/admin/year/").status_code == 404
    assert client.post("/admin/year/next", data={}).status_code == 404


def test_group_form_names_the_curator_as_the_preset_does(make_app, tmp_path):
    from core import migrate
    from core.auth.passwords import hash_password
    from core.people.models import User

    ktis = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(ktis)
    with ktis.test_request_context():
        admin = User(login="admin", last_name="Соколова", first_name="Ирина",
                     password_hash=hash_password("secret-pass-1"))
        admin.roles.append(RoleAssignment(role=Role.ADMIN, scope_kind="college"))
        db.session.add(admin)
        add_specialty("15.02.08", "Технология машиностроения", None)
        db.session.commit()
    client = ktis.test_client()
    client.post("/auth/login", data={"login": "admin", "password": "secret-pass-1"})
    assert "Куратор группы" in client.get("/admin/year/groups/new").get_data(as_text=True)
    assert "Куратор группы" in client.get("/admin/year/").get_data(as_text=True)


def test_year_opening_writes_are_audited_with_the_administrator(admin_appoints, app, client, admin, make_user):
    from core.audit import AuditEntry

    teacher = make_user("audited-teacher", roles=[Role.TEACHER])
    client.post("/admin/year/new", data=year_form())
    client.post("/admin/year/specialties", data={"spec-code": "15.02.08", "spec-name": "Технология машиностроения",
                                                 "spec-department_id": "0", "spec-courses": "4"})
    with app.app_context():
        specialty_id = db.session.scalar(select(func.min(AuditEntry.target_id))
                                         .where(AuditEntry.action == "specialty.create"))
    client.post("/admin/year/groups/new", data={
        "name": "ТМ-26", "specialty_id": specialty_id, "course": 1, "form_of_study": "очная",
        "admission_year": 2026, "curator_id": teacher.id})
    with app.app_context():
        entries = db.session.execute(select(AuditEntry.action, AuditEntry.actor_login)).all()
    actions = {action for action, login in entries if login == admin.login}
    assert {"year.save", "year.current", "specialty.create", "group.create", "group.curator"} <= actions
