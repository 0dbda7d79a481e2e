"""Wording and rights by policy (issue #13 item 6): the group's supervisor is titled as the preset
says everywhere; credential slips and the «Пароль» link follow whether the holder may change
their password; every slip names the journal's address and how the family is informed."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask

from core import migrate
from core.people.roles import Role
from tests.fixtures import signed_in, user_maker
from tests.people_world import PASSWORD, World, build_world

TITLES = {"btt": ("Классный руководитель", "Куратор группы"),
          "ktis": ("Куратор группы", "Классный руководитель")}
SLIP = re.compile(r'<div class="credential-slip">(.*?)\n</div>', re.S)


@dataclass
class College:
    app: Flask
    world: World

    def signed_in(self, who: str):
        return signed_in(self.app, self.world.users[who], PASSWORD)


@pytest.fixture(params=["btt", "ktis"])
def college(request, app, make_user, make_app, tmp_path) -> College:
    """The people world under each preset: BTT on the test database, KTIS on its own file."""
    if request.param == "btt":
        return College(app, build_world(app, make_user))
    ktis = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(ktis)
    return College(ktis, build_world(ktis, user_maker(ktis)))


def _preset(college: College) -> str:
    return college.app.extensions["ejournal.policy"].preset.name


def _assert_the_curator_titled_as_the_preset_does(college: College, *urls: str) -> None:
    title, other = TITLES[_preset(college)]
    admin = college.signed_in("admin")
    for url in urls:
        page = admin.get(url).get_data(as_text=True)
        assert title in page and other not in page, url


def test_group_pages_title_the_curator_as_the_preset_does(college):
    _assert_the_curator_titled_as_the_preset_does(
        college, "/people/groups", f"/people/groups/{college.world.ids['g1']}")


def test_the_year_opening_titles_the_curator_as_the_preset_does(college):
    _assert_the_curator_titled_as_the_preset_does(
        college, "/admin/year/", f"/admin/year/groups/{college.world.ids['g1']}/edit")


def test_role_titles_name_the_curator_as_the_preset_does(college):
    _assert_the_curator_titled_as_the_preset_does(college, "/people/staff", "/people/staff/new")


def _slips(client, college: College, *who: str) -> dict[str, str]:
    slips = {}
    for name in who:
        user_id = college.world.users[name].id
        response = client.post(f"/people/accounts/{user_id}/reset-password")
        assert response.status_code == 200
        [slips[name]] = SLIP.findall(response.get_data(as_text=True))
    return slips


def test_slips_tell_only_those_who_may_to_change_their_password(college):
    curator = college.signed_in("curator")
    slips = _slips(curator, college, "student", "parent")
    assert "придумайте свой" in slips["parent"]
    if _preset(college) == "btt":  # BTT 4.3.2: a student does not change the password
        assert "придумайте свой" not in slips["student"]
        assert "Пароль менять не нужно; если он забыт, новый выдаст классный руководитель" \
            in slips["student"]
    else:
        assert "придумайте свой" in slips["student"]


def test_every_slip_names_the_journal_address_and_the_familys_channels(college):
    channels = {"btt": "SMS, электронная почта", "ktis": "электронная почта, SMS"}
    address = college.app.config["PUBLIC_URL"]
    slips = _slips(college.signed_in("curator"), college, "student", "parent")
    for slip in slips.values():
        assert address in slip
        assert f"Семья получает уведомления: {channels[_preset(college)]}" in slip
    staff = college.signed_in("admin").post("/people/staff/new", data={
        "login": "new.teacher", "last_name": "Новикова", "first_name": "Анна",
        "middle_name": "", "email": "", "phone": "", "roles": ["teacher"], "department": 0,
        "commission": 0, "group": 0}).get_data(as_text=True)
    [staff_slip] = SLIP.findall(staff)
    assert address in staff_slip and "уведомления" not in staff_slip


def test_the_password_link_is_shown_only_to_those_who_may_change_it(college):
    may = _preset(college) == "ktis"
    student = college.signed_in("student")
    home = student.get("/").get_data(as_text=True)
    assert ('href="/auth/password"' in home) is may
    assert (student.get("/auth/password").status_code == 200) is may
    assert 'href="/auth/password"' in college.signed_in("parent").get("/").get_data(as_text=True)


def test_a_refused_password_change_names_who_issues_a_new_one(app, client, login, make_user):
    login(make_user("btt-student", roles=[Role.STUDENT]))
    refused = client.get("/auth/password")
    assert refused.status_code == 403
    assert "новый пароль выдаёт классный руководитель" in refused.get_data(as_text=True)
