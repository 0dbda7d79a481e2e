"""A student's parents kept by the curator (BTT 3.4): added (a new record or the same person
already in the journal, a login on request), changed and removed with a reason, every change
audited, only in the curator's own group. Where the administrator edits (KTIS 3.12) the
curator's change is refused and proposed instead, and the administrator applies the group's list
in one go, all or nothing."""

from __future__ import annotations

from sqlalchemy import select

from core import migrate
from core.audit import AuditEntry
from core.extensions import db
from core.people.models import FamilyChange, Guardian, Student, StudentGuardian, User
from tests.people_world import build_world
from tests.test_appointments import _user_maker

NEW_PARENT = {"last_name": "Петров", "first_name": "Игорь", "middle_name": "Васильевич",
              "relation": "отец", "phone": "8 912 555-44-33", "email": "", "reason": ""}


def _parents(app, student_id):
    with app.app_context():
        student = db.session.get(Student, student_id)
        return sorted((g.full_name, g.phone) for g in student.guardians)


def _actions(app, prefix="people.family."):
    with app.app_context():
        return [(e.action, e.actor_login, e.note) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like(prefix + "%"))
            .order_by(AuditEntry.id))]


def test_the_curator_adds_edits_and_removes_a_parent_in_btt(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    st1 = world.ids["st1"]
    card = client.get(f"/people/students/{st1}").get_data(as_text=True)
    assert "Добавить родителя" in card
    slip = client.post(f"/people/students/{st1}/parents/new",
                       data={**NEW_PARENT, "create_account": "y"})
    assert slip.status_code == 200 and "Логин родителя" in slip.get_data(as_text=True)
    assert ("Петров Игорь Васильевич", "+79125554433") in _parents(app, st1)
    with app.app_context():
        father = db.session.scalar(select(Guardian).where(Guardian.first_name == "Игорь"))
        assert father.user is not None and father.user.has_role("parent")
        father_id = father.id
    # an edit needs a reason
    edit_url = f"/people/students/{st1}/parents/{father_id}"
    changed = {**NEW_PARENT, "phone": "+79125554400"}
    refused = client.post(edit_url, data=changed)
    assert refused.status_code == 422 and "Укажите причину" in refused.get_data(as_text=True)
    assert client.post(edit_url, data={**changed, "reason": "сменил номер"}).status_code == 302
    assert ("Петров Игорь Васильевич", "+79125554400") in _parents(app, st1)
    # removing needs a reason too, and ends the parent's access when no child is left
    remove_url = f"{edit_url}/remove"
    assert client.post(remove_url, data={"reason": ""}).status_code == 422
    assert client.post(remove_url, data={"reason": "лишён родительских прав"}).status_code == 302
    assert all(name != "Петров Игорь Васильевич" for name, _p in _parents(app, st1))
    with app.app_context():
        father = db.session.get(Guardian, father_id)
        assert father is not None and not father.user.active  # the record stays
    assert _actions(app) == [
        ("people.family.add", "w.curator", None),
        ("people.family.edit", "w.curator", "сменил номер"),
        ("people.family.remove", "w.curator", "лишён родительских прав"),
    ]


def test_the_same_parent_is_linked_not_entered_twice(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["admin"])
    # Смирнов Олег, father of Смирнова (ТМ-31), is entered for Петров too: the same record
    same = {"last_name": "Смирнов", "first_name": "Олег", "middle_name": "", "relation": "отчим",
            "phone": "+7 922 000-11-22", "email": "", "reason": ""}
    assert client.post(f"/people/students/{world.ids['st1']}/parents/new",
                       data=same).status_code == 302
    with app.app_context():
        assert db.session.get(StudentGuardian, (world.ids["st1"], world.ids["gu2"])).relation \
            == "отчим"
        assert db.session.scalar(select(db.func.count()).select_from(Guardian).where(
            Guardian.last_name == "Смирнов")) == 1
    twice = client.post(f"/people/students/{world.ids['st1']}/parents/new", data=same)
    assert twice.status_code == 422 and "уже указан" in twice.get_data(as_text=True)


def test_a_curator_edits_parents_only_in_their_own_group(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    other = world.ids["st2"]  # ТМ-31
    assert client.get(f"/people/students/{other}/parents/new").status_code == 404
    assert client.post(f"/people/students/{other}/parents/new",
                       data=NEW_PARENT).status_code == 404
    assert client.post(f"/people/students/{other}/parents/{world.ids['gu2']}/remove",
                       data={"reason": "x"}).status_code == 404
    # a parent of another group's student is not edited through one's own student either
    assert client.get(f"/people/students/{world.ids['st1']}/parents/{world.ids['gu2']}"
                      ).status_code == 404
    teacher = app.test_client()
    teacher.post("/auth/login", data={"login": "w.teacher", "password": "secret-pass-1"})
    assert teacher.get(f"/people/students/{world.ids['st1']}").status_code == 404  # no scope
    assert teacher.get(f"/people/students/{world.ids['st1']}/parents/new").status_code == 404
    assert _actions(app) == []


def _ktis(make_app, tmp_path):
    ktis = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(ktis)
    world = build_world(ktis, _user_maker(ktis))
    curator, admin = ktis.test_client(), ktis.test_client()
    curator.post("/auth/login", data={"login": "w.curator", "password": "secret-pass-1"})
    admin.post("/auth/login", data={"login": "w.admin", "password": "secret-pass-1"})
    return ktis, world, curator, admin


def test_in_ktis_the_curator_proposes_and_the_administrator_applies_the_list(
        make_app, tmp_path):
    ktis, world, curator, admin = _ktis(make_app, tmp_path)
    st1, gu1, g1 = world.ids["st1"], world.ids["gu1"], world.ids["g1"]
    before = _parents(ktis, st1)
    page = curator.get(f"/people/students/{st1}/parents/new").get_data(as_text=True)
    assert "вносит администратор ЭЖ" in page
    assert curator.post(f"/people/students/{st1}/parents/new",
                        data=NEW_PARENT).status_code == 302
    assert curator.post(f"/people/students/{st1}/parents/{gu1}", data={
        "last_name": "Петрова", "first_name": "Марина", "middle_name": "Сергеевна",
        "relation": "мать", "phone": "+79120001199", "email": "", "reason": "новый номер"}
    ).status_code == 302
    # the curator's change is refused as an edit: nothing changed yet, two proposals wait
    assert _parents(ktis, st1) == before
    with ktis.app_context():
        ids = list(db.session.scalars(select(FamilyChange.id).where(
            FamilyChange.state == "proposed").order_by(FamilyChange.id)))
    assert len(ids) == 2
    listing = curator.get(f"/people/groups/{g1}/family-changes").get_data(as_text=True)
    assert "Применить все" not in listing and "новый номер" in listing
    assert curator.post(f"/people/groups/{g1}/family-changes/apply",
                        data={"change": ids}).status_code == 404
    assert "ИСП-21" in admin.get("/people/family-changes").get_data(as_text=True)
    applied = admin.post(f"/people/groups/{g1}/family-changes/apply", data={"change": ids})
    assert applied.status_code == 302
    assert _parents(ktis, st1) == sorted([("Петров Игорь Васильевич", "+79125554433"),
                                          ("Петрова Марина Сергеевна", "+79120001199")])
    assert [(a, who) for a, who, _n in _actions(ktis)] == [
        ("people.family.propose", "w.curator"), ("people.family.propose", "w.curator"),
        ("people.family.add", "w.admin"), ("people.family.edit", "w.admin"),
        ("people.family.apply", "w.admin")]


def test_in_ktis_a_list_with_a_stale_change_applies_nothing(make_app, tmp_path):
    ktis, world, curator, admin = _ktis(make_app, tmp_path)
    st1, gu1, g1 = world.ids["st1"], world.ids["gu1"], world.ids["g1"]
    assert curator.post(f"/people/students/{st1}/parents/new",
                        data=NEW_PARENT).status_code == 302
    assert curator.post(f"/people/students/{st1}/parents/{gu1}/remove",
                        data={"reason": "не проживает с сыном"}).status_code == 302
    before = _parents(ktis, st1)
    # meanwhile the administrator removed the mother by hand: the list's second change is stale
    with ktis.test_request_context():
        from core.people import family

        admin_user = db.session.scalar(select(User).where(User.login == "w.admin"))
        family.remove_parent(admin_user, db.session.get(Student, st1),
                             db.session.get(Guardian, gu1), "заявление")
        db.session.commit()
        ids = list(db.session.scalars(select(FamilyChange.id).order_by(FamilyChange.id)))
    stale = admin.post(f"/people/groups/{g1}/family-changes/apply", data={"change": ids},
                       follow_redirects=True)
    text = stale.get_data(as_text=True)
    assert "Ни одно изменение списка не внесено" in text
    assert _parents(ktis, st1) == [p for p in before if p[0] != "Петрова Марина Сергеевна"]
    with ktis.app_context():
        assert {c.state for c in db.session.scalars(select(FamilyChange))} == {"proposed"}
        assert db.session.scalar(select(Guardian.id).where(Guardian.first_name == "Игорь")) \
            is None
    # the administrator returns the list with a reason
    assert admin.post(f"/people/groups/{g1}/family-changes/return",
                      data={"reason": "мать уже убрана, внесите заново"}).status_code == 302
    with ktis.app_context():
        assert {c.state for c in db.session.scalars(select(FamilyChange))} == {"returned"}
