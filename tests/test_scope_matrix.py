"""The scope matrix: every role × every people and administration page × a target inside and
outside the role's scope, with the expected status. One row per case.

The world (tests/people_world.py): the curator leads ИСП-21 (Отделение ИТ); the supervisor
heads Отделение ИТ; the journal (played by a stub) opens ИСП-21 to the teacher and to the
commission head. «in» targets: ИСП-21, its student Петров (the student account is Петров,
the parent account is his mother), his mother's record, Петров's account. «out» targets:
ТМ-31 (Отделение машиностроения), its student Смирнова, her father, the teacher's account.
"""

from __future__ import annotations

import pytest

from tests.people_world import build_world, close_teaching, open_teaching

# (role, "METHOD path", target, expected status)
MATRIX = [
    # GET /people/groups
    ("admin", "GET /people/groups", "-", 200),
    ("director", "GET /people/groups", "-", 200),
    ("deputy", "GET /people/groups", "-", 200),
    ("methodist", "GET /people/groups", "-", 200),
    ("supervisor", "GET /people/groups", "-", 200),
    ("commission_head", "GET /people/groups", "-", 200),
    ("curator", "GET /people/groups", "-", 200),
    ("teacher", "GET /people/groups", "-", 200),
    ("student", "GET /people/groups", "-", 404),
    ("parent", "GET /people/groups", "-", 404),
    ("anonymous", "GET /people/groups", "-", 302),
    # GET /people/groups/{group}
    ("admin", "GET /people/groups/{group}", "in", 200),
    ("admin", "GET /people/groups/{group}", "out", 200),
    ("director", "GET /people/groups/{group}", "in", 200),
    ("director", "GET /people/groups/{group}", "out", 200),
    ("deputy", "GET /people/groups/{group}", "in", 200),
    ("deputy", "GET /people/groups/{group}", "out", 200),
    ("methodist", "GET /people/groups/{group}", "in", 200),
    ("methodist", "GET /people/groups/{group}", "out", 200),
    ("supervisor", "GET /people/groups/{group}", "in", 200),
    ("supervisor", "GET /people/groups/{group}", "out", 404),
    ("commission_head", "GET /people/groups/{group}", "in", 200),
    ("commission_head", "GET /people/groups/{group}", "out", 404),
    ("curator", "GET /people/groups/{group}", "in", 200),
    ("curator", "GET /people/groups/{group}", "out", 404),
    ("teacher", "GET /people/groups/{group}", "in", 200),
    ("teacher", "GET /people/groups/{group}", "out", 404),
    ("student", "GET /people/groups/{group}", "in", 404),
    ("student", "GET /people/groups/{group}", "out", 404),
    ("parent", "GET /people/groups/{group}", "in", 404),
    ("parent", "GET /people/groups/{group}", "out", 404),
    ("anonymous", "GET /people/groups/{group}", "in", 302),
    ("anonymous", "GET /people/groups/{group}", "out", 302),
    # GET /people/groups/{group}/accounts
    ("admin", "GET /people/groups/{group}/accounts", "in", 200),
    ("admin", "GET /people/groups/{group}/accounts", "out", 200),
    ("director", "GET /people/groups/{group}/accounts", "in", 404),
    ("director", "GET /people/groups/{group}/accounts", "out", 404),
    ("deputy", "GET /people/groups/{group}/accounts", "in", 404),
    ("deputy", "GET /people/groups/{group}/accounts", "out", 404),
    ("methodist", "GET /people/groups/{group}/accounts", "in", 404),
    ("methodist", "GET /people/groups/{group}/accounts", "out", 404),
    ("supervisor", "GET /people/groups/{group}/accounts", "in", 404),
    ("supervisor", "GET /people/groups/{group}/accounts", "out", 404),
    ("commission_head", "GET /people/groups/{group}/accounts", "in", 404),
    ("commission_head", "GET /people/groups/{group}/accounts", "out", 404),
    ("curator", "GET /people/groups/{group}/accounts", "in", 200),
    ("curator", "GET /people/groups/{group}/accounts", "out", 404),
    ("teacher", "GET /people/groups/{group}/accounts", "in", 404),
    ("teacher", "GET /people/groups/{group}/accounts", "out", 404),
    ("student", "GET /people/groups/{group}/accounts", "in", 404),
    ("student", "GET /people/groups/{group}/accounts", "out", 404),
    ("parent", "GET /people/groups/{group}/accounts", "in", 404),
    ("parent", "GET /people/groups/{group}/accounts", "out", 404),
    ("anonymous", "GET /people/groups/{group}/accounts", "in", 302),
    ("anonymous", "GET /people/groups/{group}/accounts", "out", 302),
    # GET /people/groups/{group}/data-check
    ("admin", "GET /people/groups/{group}/data-check", "in", 200),
    ("admin", "GET /people/groups/{group}/data-check", "out", 200),
    ("director", "GET /people/groups/{group}/data-check", "in", 404),
    ("director", "GET /people/groups/{group}/data-check", "out", 404),
    ("deputy", "GET /people/groups/{group}/data-check", "in", 404),
    ("deputy", "GET /people/groups/{group}/data-check", "out", 404),
    ("methodist", "GET /people/groups/{group}/data-check", "in", 404),
    ("methodist", "GET /people/groups/{group}/data-check", "out", 404),
    ("supervisor", "GET /people/groups/{group}/data-check", "in", 404),
    ("supervisor", "GET /people/groups/{group}/data-check", "out", 404),
    ("commission_head", "GET /people/groups/{group}/data-check", "in", 404),
    ("commission_head", "GET /people/groups/{group}/data-check", "out", 404),
    ("curator", "GET /people/groups/{group}/data-check", "in", 200),
    ("curator", "GET /people/groups/{group}/data-check", "out", 404),
    ("teacher", "GET /people/groups/{group}/data-check", "in", 404),
    ("teacher", "GET /people/groups/{group}/data-check", "out", 404),
    ("student", "GET /people/groups/{group}/data-check", "in", 404),
    ("student", "GET /people/groups/{group}/data-check", "out", 404),
    ("parent", "GET /people/groups/{group}/data-check", "in", 404),
    ("parent", "GET /people/groups/{group}/data-check", "out", 404),
    ("anonymous", "GET /people/groups/{group}/data-check", "in", 302),
    ("anonymous", "GET /people/groups/{group}/data-check", "out", 302),
    # GET /people/students/{student}
    ("admin", "GET /people/students/{student}", "in", 200),
    ("admin", "GET /people/students/{student}", "out", 200),
    ("director", "GET /people/students/{student}", "in", 200),
    ("director", "GET /people/students/{student}", "out", 200),
    ("deputy", "GET /people/students/{student}", "in", 200),
    ("deputy", "GET /people/students/{student}", "out", 200),
    ("methodist", "GET /people/students/{student}", "in", 200),
    ("methodist", "GET /people/students/{student}", "out", 200),
    ("supervisor", "GET /people/students/{student}", "in", 200),
    ("supervisor", "GET /people/students/{student}", "out", 404),
    ("commission_head", "GET /people/students/{student}", "in", 200),
    ("commission_head", "GET /people/students/{student}", "out", 404),
    ("curator", "GET /people/students/{student}", "in", 200),
    ("curator", "GET /people/students/{student}", "out", 404),
    ("teacher", "GET /people/students/{student}", "in", 200),
    ("teacher", "GET /people/students/{student}", "out", 404),
    ("student", "GET /people/students/{student}", "in", 200),
    ("student", "GET /people/students/{student}", "out", 404),
    ("parent", "GET /people/students/{student}", "in", 200),
    ("parent", "GET /people/students/{student}", "out", 404),
    ("anonymous", "GET /people/students/{student}", "in", 302),
    ("anonymous", "GET /people/students/{student}", "out", 302),
    # GET /people/students/{student}/contacts
    ("admin", "GET /people/students/{student}/contacts", "in", 200),
    ("admin", "GET /people/students/{student}/contacts", "out", 200),
    ("director", "GET /people/students/{student}/contacts", "in", 404),
    ("director", "GET /people/students/{student}/contacts", "out", 404),
    ("deputy", "GET /people/students/{student}/contacts", "in", 404),
    ("deputy", "GET /people/students/{student}/contacts", "out", 404),
    ("methodist", "GET /people/students/{student}/contacts", "in", 404),
    ("methodist", "GET /people/students/{student}/contacts", "out", 404),
    ("supervisor", "GET /people/students/{student}/contacts", "in", 404),
    ("supervisor", "GET /people/students/{student}/contacts", "out", 404),
    ("commission_head", "GET /people/students/{student}/contacts", "in", 404),
    ("commission_head", "GET /people/students/{student}/contacts", "out", 404),
    ("curator", "GET /people/students/{student}/contacts", "in", 200),
    ("curator", "GET /people/students/{student}/contacts", "out", 404),
    ("teacher", "GET /people/students/{student}/contacts", "in", 404),
    ("teacher", "GET /people/students/{student}/contacts", "out", 404),
    ("student", "GET /people/students/{student}/contacts", "in", 404),
    ("student", "GET /people/students/{student}/contacts", "out", 404),
    ("parent", "GET /people/students/{student}/contacts", "in", 404),
    ("parent", "GET /people/students/{student}/contacts", "out", 404),
    ("anonymous", "GET /people/students/{student}/contacts", "in", 302),
    ("anonymous", "GET /people/students/{student}/contacts", "out", 302),
    # GET /people/guardians/{guardian}/contacts
    ("admin", "GET /people/guardians/{guardian}/contacts", "in", 200),
    ("admin", "GET /people/guardians/{guardian}/contacts", "out", 200),
    ("director", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("director", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("deputy", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("deputy", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("methodist", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("methodist", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("supervisor", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("supervisor", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("commission_head", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("commission_head", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("curator", "GET /people/guardians/{guardian}/contacts", "in", 200),
    ("curator", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("teacher", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("teacher", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("student", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("student", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("parent", "GET /people/guardians/{guardian}/contacts", "in", 404),
    ("parent", "GET /people/guardians/{guardian}/contacts", "out", 404),
    ("anonymous", "GET /people/guardians/{guardian}/contacts", "in", 302),
    ("anonymous", "GET /people/guardians/{guardian}/contacts", "out", 302),
    # GET /people/students/{student}/movement
    ("admin", "GET /people/students/{student}/movement", "in", 200),
    ("admin", "GET /people/students/{student}/movement", "out", 200),
    ("director", "GET /people/students/{student}/movement", "in", 404),
    ("director", "GET /people/students/{student}/movement", "out", 404),
    ("deputy", "GET /people/students/{student}/movement", "in", 404),
    ("deputy", "GET /people/students/{student}/movement", "out", 404),
    ("methodist", "GET /people/students/{student}/movement", "in", 404),
    ("methodist", "GET /people/students/{student}/movement", "out", 404),
    ("supervisor", "GET /people/students/{student}/movement", "in", 404),
    ("supervisor", "GET /people/students/{student}/movement", "out", 404),
    ("commission_head", "GET /people/students/{student}/movement", "in", 404),
    ("commission_head", "GET /people/students/{student}/movement", "out", 404),
    ("curator", "GET /people/students/{student}/movement", "in", 404),
    ("curator", "GET /people/students/{student}/movement", "out", 404),
    ("teacher", "GET /people/students/{student}/movement", "in", 404),
    ("teacher", "GET /people/students/{student}/movement", "out", 404),
    ("student", "GET /people/students/{student}/movement", "in", 404),
    ("student", "GET /people/students/{student}/movement", "out", 404),
    ("parent", "GET /people/students/{student}/movement", "in", 404),
    ("parent", "GET /people/students/{student}/movement", "out", 404),
    ("anonymous", "GET /people/students/{student}/movement", "in", 302),
    ("anonymous", "GET /people/students/{student}/movement", "out", 302),
    # POST /people/accounts/{account}/reset-password
    ("admin", "POST /people/accounts/{account}/reset-password", "in", 200),
    ("admin", "POST /people/accounts/{account}/reset-password", "out", 200),
    ("director", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("director", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("deputy", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("deputy", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("methodist", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("methodist", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("supervisor", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("supervisor", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("commission_head", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("commission_head", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("curator", "POST /people/accounts/{account}/reset-password", "in", 200),
    ("curator", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("teacher", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("teacher", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("student", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("student", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("parent", "POST /people/accounts/{account}/reset-password", "in", 404),
    ("parent", "POST /people/accounts/{account}/reset-password", "out", 404),
    ("anonymous", "POST /people/accounts/{account}/reset-password", "in", 302),
    ("anonymous", "POST /people/accounts/{account}/reset-password", "out", 302),
    # GET /people/staff
    ("admin", "GET /people/staff", "-", 200),
    ("director", "GET /people/staff", "-", 404),
    ("deputy", "GET /people/staff", "-", 404),
    ("methodist", "GET /people/staff", "-", 404),
    ("supervisor", "GET /people/staff", "-", 404),
    ("commission_head", "GET /people/staff", "-", 404),
    ("curator", "GET /people/staff", "-", 404),
    ("teacher", "GET /people/staff", "-", 404),
    ("student", "GET /people/staff", "-", 404),
    ("parent", "GET /people/staff", "-", 404),
    ("anonymous", "GET /people/staff", "-", 302),
    # GET /people/staff/new
    ("admin", "GET /people/staff/new", "-", 200),
    ("director", "GET /people/staff/new", "-", 404),
    ("deputy", "GET /people/staff/new", "-", 404),
    ("methodist", "GET /people/staff/new", "-", 404),
    ("supervisor", "GET /people/staff/new", "-", 404),
    ("commission_head", "GET /people/staff/new", "-", 404),
    ("curator", "GET /people/staff/new", "-", 404),
    ("teacher", "GET /people/staff/new", "-", 404),
    ("student", "GET /people/staff/new", "-", 404),
    ("parent", "GET /people/staff/new", "-", 404),
    ("anonymous", "GET /people/staff/new", "-", 302),
    # GET /people/staff/{staff}
    ("admin", "GET /people/staff/{staff}", "-", 200),
    ("director", "GET /people/staff/{staff}", "-", 404),
    ("deputy", "GET /people/staff/{staff}", "-", 404),
    ("methodist", "GET /people/staff/{staff}", "-", 404),
    ("supervisor", "GET /people/staff/{staff}", "-", 404),
    ("commission_head", "GET /people/staff/{staff}", "-", 404),
    ("curator", "GET /people/staff/{staff}", "-", 404),
    ("teacher", "GET /people/staff/{staff}", "-", 404),
    ("student", "GET /people/staff/{staff}", "-", 404),
    ("parent", "GET /people/staff/{staff}", "-", 404),
    ("anonymous", "GET /people/staff/{staff}", "-", 302),
    # POST /people/staff/{staff}/active
    ("admin", "POST /people/staff/{staff}/active", "-", 302),
    ("director", "POST /people/staff/{staff}/active", "-", 404),
    ("deputy", "POST /people/staff/{staff}/active", "-", 404),
    ("methodist", "POST /people/staff/{staff}/active", "-", 404),
    ("supervisor", "POST /people/staff/{staff}/active", "-", 404),
    ("commission_head", "POST /people/staff/{staff}/active", "-", 404),
    ("curator", "POST /people/staff/{staff}/active", "-", 404),
    ("teacher", "POST /people/staff/{staff}/active", "-", 404),
    ("student", "POST /people/staff/{staff}/active", "-", 404),
    ("parent", "POST /people/staff/{staff}/active", "-", 404),
    ("anonymous", "POST /people/staff/{staff}/active", "-", 302),
    # GET /admin/audit
    ("admin", "GET /admin/audit", "-", 200),
    ("director", "GET /admin/audit", "-", 404),
    ("deputy", "GET /admin/audit", "-", 404),
    ("methodist", "GET /admin/audit", "-", 404),
    ("supervisor", "GET /admin/audit", "-", 404),
    ("commission_head", "GET /admin/audit", "-", 404),
    ("curator", "GET /admin/audit", "-", 404),
    ("teacher", "GET /admin/audit", "-", 404),
    ("student", "GET /admin/audit", "-", 404),
    ("parent", "GET /admin/audit", "-", 404),
    ("anonymous", "GET /admin/audit", "-", 302),
]

TARGETS = {
    "in": {"group": "g1", "student": "st1", "guardian": "gu1", "account": "student"},
    "out": {"group": "g2", "student": "st2", "guardian": "gu2", "account": "teacher"},
}


@pytest.fixture
def world(app, make_user):
    built = build_world(app, make_user)
    stub = open_teaching(app, built)
    yield built
    close_teaching(app, stub)


def _path(template: str, world, target: str) -> str:
    values = {"staff": world.users["teacher"].id}
    for name, key in TARGETS.get(target, TARGETS["in"]).items():
        values[name] = world.users[key].id if name == "account" else world.ids[key]
    return template.format(**values)


@pytest.mark.parametrize(("role", "endpoint", "target", "expected"), MATRIX,
                         ids=[f"{r}-{e}-{t}" for r, e, t, _s in MATRIX])
def test_scope_matrix(client, login, world, role, endpoint, target, expected):
    if role != "anonymous":
        login(world.users[role])
    method, template = endpoint.split(" ", 1)
    path = _path(template, world, target)
    data = {"active": "0"} if method == "POST" else None
    response = client.open(path, method=method, data=data)
    assert response.status_code == expected, (role, path, response.status_code)
    if expected == 404:
        assert "Такой страницы нет или она вам недоступна" in response.get_data(as_text=True)
