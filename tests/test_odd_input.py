"""Odd values of issue #14 (item 5) answered as a page's default, a 404 or a Russian 4xx, never a
500: one id converter and one date parser (``core.params``) for every route and parameter, and the
grid's JSON checked for types. ``test_no_500.py`` tries every route; these are the cases named."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from werkzeug.exceptions import NotFound

from core.params import MAX_ID, OutOfCalendar, to_date, to_id, to_month
from core.people.roles import Role
from tests import no500_world
from tests.fixtures import signed_in

BEYOND_64_BITS = "99999999999999999999"


@pytest.fixture
def world(app, clock):
    clock.set(no500_world.NOW)
    return no500_world.build(app)


def _as(app, world, role):
    return signed_in(app, world.users[role], no500_world.PASSWORD)


def _page(client, url: str) -> str:
    """The page at ``url``, but for the address itself (the language switch returns to it)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'name="next" value="[^"]*"', "", response.get_data(as_text=True))


def test_an_id_is_a_whole_number_that_fits_the_database():
    assert to_id(str(MAX_ID)) == MAX_ID == 2**63 - 1
    assert to_id(" 12 ") == 12 and to_id(7) == 7 and to_id("0") == 0
    for odd in (str(2**63), BEYOND_64_BITS, "9" * 5000, "-1", "1.5", "١٢", "²", "", None, True,
                [67], 2**63, -1, 1.0):
        with pytest.raises(ValueError):
            to_id(odd)


def test_a_date_lies_between_1900_and_2200():
    assert to_date("1900-01-01") == date(1900, 1, 1) and to_date("2200-12-31") == date(2200, 12, 31)
    assert to_month("2026-11") == date(2026, 11, 1)
    for odd in ("0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"):
        with pytest.raises(OutOfCalendar):
            to_date(odd)
    for odd in ("0001-01", "9999-12"):
        with pytest.raises(OutOfCalendar):
            to_month(odd)
    for odd in ("31.12.2026", "2026-02-30", "0000-00", "2026-13", "", None, [2026]):
        with pytest.raises(ValueError):
            to_month(odd) if odd in ("0000-00", "2026-13") else to_date(odd)


def test_every_int_route_refuses_an_id_beyond_bigint(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/journal/load/{MAX_ID}")[1] == {"load_id": MAX_ID}
    for odd in (str(MAX_ID + 1), BEYOND_64_BITS, "9" * 5000):
        with pytest.raises(NotFound):
            adapter.match(f"/journal/load/{odd}")


@pytest.mark.parametrize(("role", "method", "url"), [
    (Role.TEACHER, "GET", f"/journal/load/{BEYOND_64_BITS}"),
    (Role.TEACHER, "GET", f"/journal/lessons/{BEYOND_64_BITS}"),
    (Role.CURATOR, "GET", f"/people/students/{BEYOND_64_BITS}"),
    (Role.PARENT, "GET", f"/diary/students/{BEYOND_64_BITS}"),
    (Role.TEACHER, "POST", f"/journal/load/{BEYOND_64_BITS}/cells/grading"),
    (Role.ADMIN, "GET", f"/grading/history?lesson_id={BEYOND_64_BITS}&student_id=1"),
    (Role.ADMIN, "GET", f"/attendance/history?lesson_id=1&student_id={BEYOND_64_BITS}"),
    (Role.ADMIN, "GET", f"/grading/corrections/new?lesson_id={BEYOND_64_BITS}&student_id=1"),
    (Role.ADMIN, "GET", "/grading/corrections/new?lesson_id=-1&student_id=1"),
])
def test_an_id_beyond_64_bits_is_no_such_page(app, world, role, method, url):
    assert _as(app, world, role).open(url, method=method).status_code == 404


@pytest.mark.parametrize("query", [f"page={BEYOND_64_BITS}", "page=-1", f"student={BEYOND_64_BITS}",
                                   "since=0001-01-01&until=9999-12-31"])
@pytest.mark.parametrize("page", ["/admin/audit", "/admin/delivery"])
def test_the_logs_show_their_first_page_for_an_odd_page_number(app, world, page, query):
    response = _as(app, world, Role.ADMIN).get(f"{page}?{query}")
    assert response.status_code in (200, 422), response.status_code  # 422: the dates refused
    if response.status_code == 422:
        assert "ГГГГ-ММ-ДД" in response.get_data(as_text=True)


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "2201-01-01"])
def test_a_week_out_of_range_shows_the_current_week(app, world, start):
    admin, parent = _as(app, world, Role.ADMIN), _as(app, world, Role.PARENT)
    week = f"/attendance/groups/{world.path['group_id']}/week"
    assert _page(admin, f"{week}?start={start}") == _page(admin, week)
    diary = f"/diary/students/{world.path['student_id']}"
    assert _page(parent, f"{diary}?week={start}") == _page(parent, diary)


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "0000-00"])
def test_a_month_out_of_range_shows_the_current_month(app, world, month):
    admin = _as(app, world, Role.ADMIN)
    for page in (f"/attendance/groups/{world.path['group_id']}/month", "/substitutions/"):
        assert _page(admin, f"{page}?month={month}") == _page(admin, page)


def test_a_report_month_out_of_range_is_refused_in_russian(app, world):
    admin = _as(app, world, Role.ADMIN)
    response = admin.get("/reports/reports.activity?run=1&month=9999-12")
    assert response.status_code == 422
    assert "между 1900 и 2200" in response.get_data(as_text=True)
    response = admin.get(f"/reports/grading.progress?run=1&group={BEYOND_64_BITS}")
    assert response.status_code == 422
    assert "Выберите группу из списка." in response.get_data(as_text=True)


def test_a_form_date_out_of_range_is_a_form_error(app, world):
    curator = _as(app, world, Role.CURATOR)
    response = curator.post(f"/attendance/groups/{world.path['group_id']}/reason", data={
        "student_id": world.path["student_id"], "date_from": "9999-12-31",
        "date_to": "9999-12-31", "reason": "illness"})
    assert response.status_code == 422
    assert "между 1900 и 2200" in response.get_data(as_text=True)


@pytest.mark.parametrize(("plugin", "change", "reason"), [
    ("grading", {"student_id": [67]}, "«student_id» — не номер записи"),
    ("grading", {"lesson_id": True}, "«lesson_id» — не номер записи"),
    ("attendance", {"student_id": 2**64}, "«student_id» — не номер записи"),
    ("attendance", {"value": {"id": 67}}, "«value» должно быть строкой"),
    ("grading", {"version": 1.5}, "«version» — не номер версии"),
])
def test_a_grid_save_with_a_wrong_json_type_is_refused_with_its_reason(app, world, plugin,
                                                                          change, reason):
    cell = {**world.json_body["cells"][0], **change}
    response = _as(app, world, Role.TEACHER).post(
        f"/journal/load/{world.path['load_id']}/cells/{plugin}", json={"cells": [cell]})
    assert response.status_code == 400
    assert reason in response.get_json()["message"]


def test_a_json_body_is_taken_only_where_a_view_reads_json(app, world):
    teacher = _as(app, world, Role.TEACHER)
    response = teacher.post("/auth/password", json=[67])
    assert response.status_code == 415
    assert response.get_json()["message"] == "Этот адрес принимает данные формы, а не JSON."
    saved = teacher.post(f"/journal/load/{world.path['load_id']}/cells/grading",
                         json={"cells": [{**world.json_body["cells"][0], "value": "5"}]})
    assert saved.status_code == 200, saved.get_json()


def test_a_grid_field_named_with_a_huge_id_is_ignored(app, world):
    teacher = _as(app, world, Role.TEACHER)
    huge = "9" * 5000
    response = teacher.post(f"/journal/load/{world.path['load_id']}", data={
        f"cell-grading-{huge}-{huge}--": "5", f"type-grading-{huge}": "oral"})
    assert response.status_code == 302


def test_request_values_are_parsed_in_one_place():
    """Ids, pages, dates and months of a request go through ``core.params`` (and the forms'
    bounded fields): no view converts them itself."""
    root = Path(__file__).resolve().parent.parent
    own = re.compile(r"type=int\b|\bdate\.fromisoformat\(|from wtforms import[^\n]*\b(DateField|"
                     r"IntegerField)\b|^\s+(DateField|IntegerField),$", re.MULTILINE)
    found = [f"{path.relative_to(root)}: {match[0].strip()}"
             for folder in ("core", "plugins") for path in (root / folder).rglob("*.py")
             if "tests" not in path.parts and "migrations" not in path.parts
             and path.name != "params.py" for match in own.finditer(path.read_text("utf-8"))]
    assert not found, found


def test_a_value_with_a_nul_character_is_refused_before_any_query(app, world):
    response = app.test_client().post("/auth/login", data={"login": "w.admin\x00",
                                                           "password": "x"})
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    admin = _as(app, world, Role.ADMIN)
    assert admin.get("/admin/audit?who=a%00b").status_code == 400
