"""The planning pages declare the kinds of work of a discipline (the default of its teaching
loads) and of a teaching load, shown with their Russian titles; bad input is a Russian form
error, never a 500."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.journal import api
from plugins.journal.models import Discipline, TeachingLoad
from plugins.journal.tests.test_planning import _load_data, signed_in
from plugins.journal.tests.world import build


def checked(page: str, name: str) -> set[str]:
    """The values of the checked checkboxes named ``name``."""
    inputs = re.findall(r"<input [^>]*>", page)
    return {re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs
            if f'name="{name}"' in tag and re.search(r"\bchecked\b", tag)}


def _discipline_data(world, **values) -> dict:
    return {"code": "ОП.07", "name": "Физика", "short_name": "", "kind": "discipline",
            "parent_id": "0", "commission_id": str(world.ids["commission"]), **values}


def test_the_discipline_page_sets_its_default_kinds_of_work(app):
    world = build(app, prefix="wk1")
    client = signed_in(app, world.users["deputy"])
    created = client.post("/journal/planning/disciplines/new", data=_discipline_data(
        world, work_kinds=["laboratory", "written"]))
    assert created.status_code == 302
    with app.app_context():
        physics = db.session.scalar(select(Discipline).where(Discipline.name == "Физика"))
        assert physics.work_kinds == "written,laboratory"
        physics_id = physics.id
    page = client.get(f"/journal/planning/disciplines/{physics_id}").get_data(as_text=True)
    assert checked(page, "work_kinds") == {"written", "laboratory"}
    assert "Лабораторные работы" in page
    listed = client.get("/journal/planning/disciplines").get_data(as_text=True)
    assert "Письменные работы, Лабораторные работы" in listed
    changed = client.post(f"/journal/planning/disciplines/{physics_id}",
                          data=_discipline_data(world, work_kinds=["practical"]))
    assert changed.status_code == 302
    with app.app_context():
        assert db.session.get(Discipline, physics_id).work_kinds == "practical"
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "journal.discipline.update")).all()[-1]
        assert "practical" in str(entry.after)


def test_an_unknown_kind_of_work_is_a_russian_form_error_and_nothing_is_saved(app):
    world = build(app, prefix="wk2")
    client = signed_in(app, world.users["admin"])
    refused = client.post("/journal/planning/disciplines/new", data=_discipline_data(
        world, name="Химия", work_kinds=["written", "essay"]))
    assert refused.status_code == 422
    assert "Неизвестный вид работ «essay»" in refused.get_data(as_text=True)
    load = world.ids["load"]
    bad_load = client.post(f"/journal/planning/loads/{load}", data=_load_data(
        world, work_kinds=["essay"]))
    assert bad_load.status_code == 422
    assert "Неизвестный вид работ «essay»" in bad_load.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Discipline.id).where(Discipline.name == "Химия")) is None
        assert db.session.get(TeachingLoad, load).work_kinds is None


def test_a_load_follows_its_discipline_or_declares_its_own_kinds_of_work(app):
    world = build(app, prefix="wk3")
    with app.app_context():
        db.session.get(Discipline, world.ids["discipline"]).work_kinds = "written,practical"
        db.session.commit()
    client = signed_in(app, world.users["admin"])
    load = world.ids["load"]
    form = client.get(f"/journal/planning/loads/{load}").get_data(as_text=True)
    assert checked(form, "kinds_from_discipline") == {"y"}
    assert checked(form, "work_kinds") == {"written", "practical"}
    assert "У дисциплины: Письменные работы, Практические работы" in form
    own = client.post(f"/journal/planning/loads/{load}", data=_load_data(
        world, work_kinds=["laboratory"]))
    assert own.status_code == 302
    with app.app_context():
        info = api.get_load(load)
        assert info.work_kinds == ("laboratory",) and info.own_work_kinds
    listed = client.get(f"/journal/planning/loads?term={world.ids['term']}").get_data(
        as_text=True)
    assert "Лабораторные работы" in listed
    back = client.post(f"/journal/planning/loads/{load}", data=_load_data(
        world, kinds_from_discipline="y", work_kinds=["laboratory"]))
    assert back.status_code == 302
    with app.app_context():
        assert db.session.get(TeachingLoad, load).work_kinds is None
        assert api.get_load(load).work_kinds == ("written", "practical")
    new = client.post("/journal/planning/loads/new", data=_load_data(
        world, group_id=str(world.ids["other_group"]), teacher_id=str(world.users["teacher"].id),
        kinds_from_discipline="y"))
    assert new.status_code == 302
    with app.app_context():
        created = db.session.scalar(select(TeachingLoad).where(
            TeachingLoad.group_id == world.ids["other_group"], TeachingLoad.hours_per_week == 4))
        assert created.work_kinds is None
