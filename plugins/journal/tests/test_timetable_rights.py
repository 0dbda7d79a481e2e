"""Who enters the timetable (KTIS 3.11: «заведующая учебно-методической службой заносит
расписание»): the methodological service, the deputy and the administrator, through the
journal's ``journal.timetable.edit`` permission; a teacher may not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.people.roles import Role
from plugins.journal.models import TimetableChange, TimetableSlot
from plugins.journal.tests.test_planning import MONDAY, _count, _slot, signed_in
from plugins.journal.tests.world import _user, build


def _with_methodist(app, prefix: str):
    world = build(app, lessons=0, prefix=prefix)
    with app.app_context():
        world.users["methodist"] = _user("methodist", Role.METHODIST, prefix)
        db.session.commit()
        db.session.refresh(world.users["methodist"])
        _ = world.users["methodist"].roles
        db.session.expunge(world.users["methodist"])
    return world


def test_the_methodist_enters_and_changes_the_timetable(app):
    world = _with_methodist(app, "r1")
    client = signed_in(app, world.users["methodist"])
    load = world.ids["load"]
    url = f"/journal/planning/loads/{load}/timetable"
    assert client.get("/journal/planning/loads").status_code == 200
    assert client.get(url).status_code == 200
    assert client.post(url, data=_slot(weekday=str(MONDAY.isoweekday()))).status_code == 302
    with app.app_context():
        slot_id = db.session.scalar(select(TimetableSlot.id).where(TimetableSlot.load_id == load))
    moved = client.post(f"{url}/changes", data={
        "change-slot_id": str(slot_id), "change-reason": "Болезнь преподавателя",
        "change-on_date": (MONDAY + timedelta(days=7)).isoformat(), "change-action": "cancel"})
    assert moved.status_code == 302
    assert _count(app, TimetableChange, TimetableChange.slot_id == slot_id) == 1
    ended = client.post(f"{url}/{slot_id}/end",
                        data={"end-last_day": (MONDAY + timedelta(days=28)).isoformat()})
    assert ended.status_code == 302
    with app.app_context():
        assert db.session.get(TimetableSlot, slot_id).valid_to == MONDAY + timedelta(days=28)


def test_the_methodist_reaches_the_timetable_from_the_menu_but_does_not_plan_loads(app):
    world = _with_methodist(app, "r2")
    client = signed_in(app, world.users["methodist"])
    assert 'href="/journal/planning/loads"' in client.get("/").get_data(as_text=True)
    loads = client.get("/journal/planning/loads").get_data(as_text=True)
    assert f"/journal/planning/loads/{world.ids['load']}/timetable" in loads
    assert "/journal/planning/loads/new" not in loads
    assert client.get(f"/journal/planning/loads/{world.ids['load']}").status_code == 404
    assert client.get("/journal/planning/disciplines").status_code == 404


@pytest.mark.parametrize("who", ["teacher", "curator"])
def test_a_teacher_cannot_enter_or_change_the_timetable(app, who):
    world = build(app, lessons=0, prefix=f"r3{who[0]}")
    load = world.ids["load"]
    url = f"/journal/planning/loads/{load}/timetable"
    admin = signed_in(app, world.users["admin"])
    assert admin.post(url, data=_slot(weekday=str(MONDAY.isoweekday()))).status_code == 302
    with app.app_context():
        slot_id = db.session.scalar(select(TimetableSlot.id).where(TimetableSlot.load_id == load))
    client = signed_in(app, world.users[who])
    assert client.get(url).status_code == 404
    assert client.post(url, data=_slot(pair="4")).status_code == 404
    assert client.post(f"{url}/changes", data={
        "change-slot_id": str(slot_id), "change-reason": "Хочу", "change-action": "cancel",
        "change-on_date": MONDAY.isoformat()}).status_code == 404
    assert client.post(f"{url}/{slot_id}/end",
                       data={"end-last_day": MONDAY.isoformat()}).status_code == 404
    assert _count(app, TimetableSlot, TimetableSlot.load_id == load) == 1
    assert _count(app, TimetableChange, TimetableChange.slot_id == slot_id) == 0


def test_the_timetable_service_refuses_a_teacher_whatever_the_page(app):
    """The rule is the permission, checked by the service too, not only by the page."""
    from core.errors import DomainError
    from plugins.journal import planning
    from plugins.journal.models import TeachingLoad

    world = build(app, lessons=0, prefix="r4")
    with app.test_request_context():
        teacher = db.session.get(type(world.users["teacher"]), world.users["teacher"].id)
        load = db.session.get(TeachingLoad, world.ids["load"])
        with pytest.raises(DomainError) as refused:
            planning.add_slot(teacher, load, 1, 2, 2, MONDAY, None)
        assert refused.value.status == 403
        assert refused.value.message == "У вас нет прав на это действие."
