"""The administration's planning pages: disciplines, curriculum hours, load, timetable, changes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from core.audit import AuditEntry
from core.extensions import db
from core.people.models import Subgroup
from plugins.journal import models as models
from plugins.journal.tests.world import TERM_END, TERM_START, build
from tests.fixtures import signed_in

MONDAY = TERM_START + timedelta(days=(7 - TERM_START.weekday()) % 7)


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_only_the_administration_plans(app):
    world = build(app, prefix="q1")
    for who in ("teacher", "curator", "parent"):
        client = signed_in(app, world.users[who])
        for url in ("/journal/planning/disciplines", "/journal/planning/loads",
                    f"/journal/planning/loads/{world.ids['load']}/timetable"):
            assert client.get(url).status_code == 404, (who, url)
    for who in ("admin", "deputy"):
        assert signed_in(app, world.users[who]).get(
            "/journal/planning/loads").status_code == 200


def test_disciplines_of_the_spo_kinds_with_a_module_and_curriculum_hours(app):
    world = build(app, prefix="q2")
    client = signed_in(app, world.users["deputy"])
    module = client.post("/journal/planning/disciplines/new", data={
        "code": "ПМ.01", "name": "Разработка модулей ПО q2", "kind": "pm", "parent_id": "0",
        "commission_id": str(world.ids["commission"])})
    assert module.status_code == 302
    with app.app_context():
        pm_id = db.session.scalar(select(models.Discipline.id).where(
            models.Discipline.code == "ПМ.01", models.Discipline.name.like("%q2")))
    mdk = client.post("/journal/planning/disciplines/new", data={
        "code": "МДК.01.01", "name": "Разработка программных модулей q2", "kind": "mdk",
        "parent_id": str(pm_id), "commission_id": "0"})
    assert mdk.status_code == 302
    wrong = client.post("/journal/planning/disciplines/new", data={
        "code": "ОП.09", "name": "Не модуль q2", "kind": "discipline",
        "parent_id": str(pm_id), "commission_id": "0"})
    assert wrong.status_code == 422
    assert "входят только МДК, УП и ПП" in wrong.get_data(as_text=True)
    not_a_module = client.post("/journal/planning/disciplines/new", data={
        "code": "МДК.09", "name": "Без модуля q2", "kind": "mdk",
        "parent_id": str(world.ids["discipline"]), "commission_id": "0"})
    assert "Неверный вариант" in not_a_module.get_data(as_text=True)  # not a ПМ: not offered
    twice = client.post("/journal/planning/disciplines/new", data={
        "code": "ПМ.01", "name": "Разработка модулей ПО q2", "kind": "pm", "parent_id": "0",
        "commission_id": "0"})
    assert "уже есть" in twice.get_data(as_text=True)
    hours = client.post(f"/journal/planning/disciplines/{pm_id}/hours", data={
        "plan-group_id": str(world.ids["group"]), "plan-term_id": str(world.ids["term"]),
        "plan-hours": "72"}, follow_redirects=True)
    assert "Часы по учебному плану сохранены" in hours.get_data(as_text=True)
    assert _count(app, models.CurriculumHours, models.CurriculumHours.discipline_id == pm_id,
                  models.CurriculumHours.hours == 72) == 1
    assert _count(app, AuditEntry, AuditEntry.action == "journal.discipline.create",
                  AuditEntry.actor_id == world.users["deputy"].id) == 2


def _load_data(world, **values) -> dict:
    return {"teacher_id": str(world.users["other"].id), "group_id": str(world.ids["group"]),
            "subgroup_id": "0", "discipline_id": str(world.ids["discipline"]),
            "term_id": str(world.ids["term"]), "hours_per_week": "4", "hours_total": "68",
            **values}


def test_teaching_load_is_unique_and_fixed_once_the_journal_has_lessons(app):
    world = build(app, lessons=2, prefix="q3")
    client = signed_in(app, world.users["admin"])
    new = _load_data(world, teacher_id=str(world.users["teacher"].id),
                     group_id=str(world.ids["other_group"]))
    assert client.post("/journal/planning/loads/new", data=new).status_code == 302
    twice = client.post("/journal/planning/loads/new", data=new)
    assert "Такая нагрузка уже есть" in twice.get_data(as_text=True)
    not_a_teacher = client.post("/journal/planning/loads/new", data=_load_data(
        world, teacher_id=str(world.users["parent"].id)))
    assert not_a_teacher.status_code == 422 and "is-invalid" in not_a_teacher.get_data(as_text=True)
    load = world.ids["load"]
    moved = client.post(f"/journal/planning/loads/{load}", data=_load_data(
        world, teacher_id=str(world.users["teacher"].id), group_id=str(world.ids["other_group"])))
    assert "изменить нельзя" in moved.get_data(as_text=True)
    handed_over = client.post(f"/journal/planning/loads/{load}", data=_load_data(world))
    assert handed_over.status_code == 302
    with app.app_context():
        assert db.session.get(models.TeachingLoad, load).teacher_id == world.users["other"].id
    refused = client.post(f"/journal/planning/loads/{load}/delete", follow_redirects=True)
    assert "удалить нельзя" in refused.get_data(as_text=True)
    with app.app_context():
        fresh = db.session.scalar(select(models.TeachingLoad.id).where(
            models.TeachingLoad.hours_per_week == 4,
            models.TeachingLoad.group_id == world.ids["other_group"]))
    assert client.post(f"/journal/planning/loads/{fresh}/delete").status_code == 302
    assert _count(app, models.TeachingLoad, models.TeachingLoad.id == fresh) == 0


def _slot(weekday="1", pair="2", valid_from=TERM_START, **more):
    return {"slot-weekday": weekday, "slot-pair_number": pair, "slot-hours": "2",
            "slot-valid_from": valid_from.isoformat(), "slot-valid_to": "", **more}


def test_timetable_refuses_a_busy_teacher_or_group_and_allows_two_subgroups(app):
    world = build(app, lessons=0, prefix="q4")
    client = signed_in(app, world.users["deputy"])
    load = world.ids["load"]
    url = f"/journal/planning/loads/{load}/timetable"
    assert client.post(url, data=_slot()).status_code == 302
    again = client.post(url, data=_slot())
    assert "уже есть занятие в это время" in again.get_data(as_text=True)
    with app.app_context():
        second = models.TeachingLoad(teacher_id=world.users["teacher"].id,
                                     group_id=world.ids["other_group"],
                                     discipline_id=world.ids["discipline"],
                                     term_id=world.ids["term"], hours_per_week=2, hours_total=34)
        db.session.add(second)
        first_half, second_half = (Subgroup(group_id=world.ids["group"], label="Англ.", number=n)
                                   for n in (1, 2))
        db.session.add_all([first_half, second_half])
        db.session.flush()
        halves = []
        for subgroup, teacher in ((first_half, "head"), (second_half, "other")):
            half = models.TeachingLoad(teacher_id=world.users[teacher].id,
                                       group_id=world.ids["group"], subgroup_id=subgroup.id,
                                       discipline_id=world.ids["discipline"],
                                       term_id=world.ids["term"], hours_per_week=2,
                                       hours_total=34)
            db.session.add(half)
            db.session.flush()
            halves.append(half.id)
        db.session.commit()
        second_id = second.id
    busy_teacher = client.post(f"/journal/planning/loads/{second_id}/timetable", data=_slot())
    assert "преподаватель в это время ведёт другое занятие" in busy_teacher.get_data(as_text=True)
    busy_group = client.post(f"/journal/planning/loads/{halves[0]}/timetable", data=_slot())
    assert "у группы в это время другое занятие" in busy_group.get_data(as_text=True)
    for half in halves:  # two subgroups at the same time are fine
        assert client.post(f"/journal/planning/loads/{half}/timetable",
                           data=_slot(pair="4")).status_code == 302
    outside = client.post(url, data=_slot(pair="5", valid_from=TERM_END + timedelta(days=1)))
    assert "вне семестра" in outside.get_data(as_text=True)
    assert _count(app, models.TimetableSlot, models.TimetableSlot.load_id == load) == 1


def test_dated_changes_cancel_and_move_lessons_of_the_timetable(app):
    from flask_login import login_user

    from plugins.journal import api, services

    world = build(app, lessons=0, prefix="q5")
    client = signed_in(app, world.users["admin"])
    load = world.ids["load"]
    url = f"/journal/planning/loads/{load}/timetable"
    client.post(url, data=_slot(weekday=str(MONDAY.isoweekday())))
    with app.app_context():
        slot_id = db.session.scalar(select(models.TimetableSlot.id).where(
            models.TimetableSlot.load_id == load))
    changes = f"{url}/changes"
    week2, week3 = MONDAY + timedelta(days=7), MONDAY + timedelta(days=14)
    base = {"change-slot_id": str(slot_id), "change-reason": "Праздничный день"}
    assert client.post(changes, data={**base, "change-on_date": week2.isoformat(),
                                      "change-action": "cancel"}).status_code == 302
    moved_to = week3 + timedelta(days=2)
    assert client.post(changes, data={**base, "change-on_date": week3.isoformat(),
                                      "change-action": "move",
                                      "change-moved_to_date": moved_to.isoformat(),
                                      "change-moved_to_pair": "3"}).status_code == 302
    not_in_timetable = client.post(changes, data={
        **base, "change-on_date": (MONDAY + timedelta(days=1)).isoformat(),
        "change-action": "cancel"})
    assert "нет в расписании" in not_in_timetable.get_data(as_text=True)
    no_reason = client.post(changes, data={**base, "change-reason": "",
                                           "change-on_date": MONDAY.isoformat(),
                                           "change-action": "cancel"})
    assert "Укажите причину" in no_reason.get_data(as_text=True)
    assert _count(app, models.TimetableChange, models.TimetableChange.slot_id == slot_id) == 2
    with app.test_request_context():
        login_user(db.session.get(type(world.users["admin"]), world.users["admin"].id))
        services.lessons_from_timetable(api.get_load(load), MONDAY, week3 + timedelta(days=6))
        days = {(d, p) for d, p in db.session.execute(
            select(models.Lesson.date, models.Lesson.pair_number)
            .where(models.Lesson.load_id == load))}
    assert days == {(MONDAY, 2), (moved_to, 3)}
    end = client.post(f"{url}/{slot_id}/end", data={"end-last_day": date(2026, 10, 31).isoformat()})
    assert end.status_code == 302
    with app.app_context():
        assert db.session.get(models.TimetableSlot, slot_id).valid_to == date(2026, 10, 31)
