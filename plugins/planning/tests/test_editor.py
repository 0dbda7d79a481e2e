"""The editor's save: the whole plan in one request, all or nothing, each bad row and column
named in Russian; only the load's teacher writes it, and only while it is a draft or returned."""

from __future__ import annotations

from plugins.planning.tests.helpers import save, topics, version
from plugins.planning.tests.world import plan_rows
from tests.fixtures import signed_in


def test_the_teacher_saves_the_whole_plan_in_one_request(app, world, as_):
    response = save(as_("teacher"), world.ids["load"], plan_rows())
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["hours"] == 34 and body["ok"] is True and body["problems"] == []
    assert topics(app, world.ids["load"]) == [f"Тема {n}" for n in range(1, 18)]


def test_a_bad_row_refuses_the_whole_plan_and_names_its_row_and_column(app, world, as_):
    teacher = as_("teacher")
    assert save(teacher, world.ids["load"], plan_rows(3)).status_code == 200
    rows = plan_rows(5)
    rows[2]["hours"] = "два"
    rows[3]["work_type"] = "Семинар-пикник"
    rows[4]["topic"] = ""
    response = save(teacher, world.ids["load"], rows, version(app, world.ids["load"]))
    assert response.status_code == 422
    problems = response.get_json()["problems"]
    assert [(p["row"], p["title"]) for p in problems] == [
        (3, "Часы"), (4, "Вид занятия"), (5, "Тема")]
    assert "«два»" in problems[0]["message"]
    assert "Неизвестный вид занятия «Семинар-пикник»" in problems[1]["message"]
    assert problems[2]["message"] == "Не указана тема"
    assert topics(app, world.ids["load"]) == ["Тема 1", "Тема 2", "Тема 3"]  # nothing saved


def test_wholly_empty_rows_are_left_out_and_kinds_of_work_are_read_by_title(app, world, as_):
    rows = [*plan_rows(2), {"section": "", "topic": "", "hours": "", "work_type": "",
                            "self_study": "", "week": ""}]
    rows[1]["work_type"] = "лабораторная  РАБОТА"
    assert save(as_("teacher"), world.ids["load"], rows).status_code == 200
    assert topics(app, world.ids["load"]) == ["Тема 1", "Тема 2"]


def test_a_save_over_a_newer_version_is_refused(app, world, as_):
    teacher = as_("teacher")
    assert save(teacher, world.ids["load"], plan_rows(2)).status_code == 200
    seen = version(app, world.ids["load"])
    assert save(teacher, world.ids["load"], plan_rows(3), seen).status_code == 200
    response = save(teacher, world.ids["load"], plan_rows(4), seen)
    assert response.status_code == 409
    assert "обновите страницу" in response.get_json()["error"]
    assert len(topics(app, world.ids["load"])) == 3


def test_another_teacher_neither_writes_nor_sees_the_plan(app, world, as_):
    other = as_("teacher2")
    assert save(other, world.ids["load"], plan_rows(2)).status_code == 404
    assert other.get(f"/planning/load/{world.ids['load']}").status_code == 404
    assert topics(app, world.ids["load"]) == []


def test_malformed_bodies_get_a_reason_not_a_500(world, as_):
    teacher = as_("teacher")
    url = f"/planning/load/{world.ids['load']}/rows"
    assert teacher.post(url, json={"rows": "нет"}).status_code == 400
    assert teacher.post(url, json=[1, 2]).status_code == 400
    response = teacher.post(url, json={"rows": [1, None, {"topic": {"x": 1}, "hours": [2]}]})
    assert response.status_code == 422
    assert response.get_json()["problems"][0]["row"] == 1


def test_families_and_students_have_no_plans_page(app, world, make_user):
    from core.people.roles import Role

    parent = make_user("planning-parent", [Role.PARENT])
    client = signed_in(app, parent)
    assert client.get("/planning/").status_code == 404
    assert client.get(f"/planning/load/{world.ids['load']}").status_code == 404
    assert "/planning/" not in client.get("/").get_data(as_text=True)
