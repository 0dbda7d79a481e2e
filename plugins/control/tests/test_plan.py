"""The internal control plan: the year's checks with their status (planned, done by a signed
check, overdue), kept by the deputy; a course supervisor's page shows only their course."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from core.extensions import db
from plugins.control.models import Check, PlanItem
from plugins.control.tests.helpers import client_of, start


def add(client, title: str, role: str, due_on: str, **fields):
    return client.post("/control/plan", data={"title": title, "role": role, "due_on": due_on,
                                              "kind": "regular", **fields})


def statuses(page: str) -> list[str]:
    import re

    return re.findall(r'data-status="(\w+)"', page)


def test_the_plan_shows_each_check_planned_done_or_overdue(app, world, clock):
    deputy = client_of(app, world, "deputy")
    assert add(deputy, "Еженедельная проверка заполнения журналов", "deputy",
               "2026-10-09").status_code == 302
    assert add(deputy, "Проверка журналов курса", "supervisor", "2026-10-05",
               checker=str(world.id("supervisor"))).status_code == 302
    assert add(deputy, "Проверка в конце месяца", "deputy", "2026-10-30").status_code == 302
    page = deputy.get("/control/plan").get_data(as_text=True)
    assert statuses(page) == ["overdue", "planned", "planned"]  # by date; 05.10 has passed
    check_id = start(deputy)
    with app.app_context():
        first = db.session.scalars(select(PlanItem).where(PlanItem.due_on == datetime(
            2026, 10, 9).date())).one()
    check_page = deputy.get(f"/control/checks/{check_id}").get_data(as_text=True)
    assert "Еженедельная проверка заполнения журналов" in check_page  # offered at signing
    assert deputy.post(f"/control/checks/{check_id}/sign",
                       data={"plan_item": str(first.id)}).status_code == 302
    page = deputy.get("/control/plan").get_data(as_text=True)
    assert statuses(page) == ["overdue", "done", "planned"]
    with app.app_context():
        assert db.session.get(Check, check_id).plan_item_id == first.id
    clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), tick=True)
    deputy = client_of(app, world, "deputy")  # the session of October has expired
    assert statuses(deputy.get("/control/plan").get_data(as_text=True)) == [
        "overdue", "done", "overdue"]
    # a done item is not fulfilled twice
    again = start(deputy, start="2026-10-08", end="2026-11-02")
    refused = deputy.post(f"/control/checks/{again}/sign", data={"plan_item": str(first.id)})
    assert refused.status_code == 422


def test_only_the_planners_add_to_the_plan_and_bad_input_is_refused(app, world):
    deputy = client_of(app, world, "deputy")
    refused = add(deputy, "", "deputy", "2026-10-09")
    assert refused.status_code == 422 and "Назовите проверку" in refused.get_data(True)
    assert add(deputy, "Проверка", "deputy", "").status_code == 422
    assert add(deputy, "Проверка", "teacher", "2026-10-09").status_code == 422
    assert add(deputy, "Проверка", "deputy", "2026-10-09",
               checker=str(world.id("teacher"))).status_code == 422
    supervisor = client_of(app, world, "supervisor")
    assert supervisor.get("/control/plan").status_code == 200
    assert add(supervisor, "Проверка", "supervisor", "2026-10-09").status_code == 403
    assert client_of(app, world, "teacher").get("/control/plan").status_code == 404
    assert client_of(app, world, "parent").get("/control/").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(PlanItem)).all() == []


def test_a_course_supervisors_check_page_lists_only_their_courses_teachers(app, world):
    supervisor = client_of(app, world, "supervisor")
    check_id = start(supervisor, role="supervisor")
    page = supervisor.get(f"/control/checks/{check_id}").get_data(as_text=True)
    assert "Васильев П." in page and "ИСП-21c" in page
    assert f'data-row="{world.id("teacher2")}-' not in page and "ТМ-31c" not in page
    assert "охват: ИТ c" in page
    other = client_of(app, world, "supervisor2")
    assert other.get(f"/control/checks/{check_id}").status_code == 404  # not theirs
    assert client_of(app, world, "director").get(f"/control/checks/{check_id}"
                                                 ).status_code == 200
