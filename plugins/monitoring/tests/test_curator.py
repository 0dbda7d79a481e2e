"""A curator's list of the group's families (BTT 4.2.2): exactly their group's current students
and parents, the right last sign-in in the college's time, the never-signed-in markers, the
re-issue of credentials that ends the old ones, the printable list; another group is a 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from core.extensions import db
from core.people.models import User
from tests.fixtures import count_queries, signed_in

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _rows(html: str) -> dict[str, str]:
    """The list's rows by the login (or name) they are marked with: the row's text."""
    found = {}
    for key, body in re.findall(r'<tr class="[^"]*" data-member="([^"]+)">(.*?)</tr>', html, re.S):
        found[key] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()
    return found


def test_the_curator_sees_exactly_their_groups_families(app, world, as_, clock):
    clock.set(NOW)
    page = as_("curator").get(f"/monitoring/groups/{world.ids['group']}")
    assert page.status_code == 200
    rows = _rows(page.get_data(as_text=True))
    assert set(rows) == {"m.st_active", "m.pa_active", "m.st_unused", "m.pa_unused",
                         "Воронин Иван", "Воронина Ольга"}
    assert "16.11.2026 14:05" in rows["m.st_active"]  # 11:05 UTC, in Moscow
    assert "18.11.2026 21:30" in rows["m.pa_active"]
    for key in ("m.st_active", "m.pa_active"):
        assert "не входил(а) ни разу" not in rows[key] and "использованы" in rows[key]
    for key in ("m.st_unused", "m.pa_unused"):
        assert "не входил(а) ни разу" in rows[key] and "выданы, не использованы" in rows[key]
    for key in ("Воронин Иван", "Воронина Ольга"):
        assert "не выданы" in rows[key] and "не входил(а)" not in rows[key]
    html = page.get_data(as_text=True)
    assert "Ушедший" not in html and "Чернов" not in html  # left the group; another group


def test_the_curator_is_sent_to_their_only_group(app, world, as_):
    response = as_("curator").get("/monitoring/groups")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/monitoring/groups/{world.ids['group']}")


def test_another_curators_group_is_not_found(app, world, as_):
    client = as_("curator")
    for path in (f"/monitoring/groups/{world.ids['other']}",
                 f"/monitoring/groups/{world.ids['other']}/never", "/monitoring/groups/999999"):
        assert client.get(path).status_code == 404, path
    other_parent = world.id("pa_other")
    assert client.post(f"/people/accounts/{other_parent}/reset-password").status_code == 404


def test_teachers_and_families_have_no_group_page(app, world, as_):
    for key in ("teacher", "pa_active", "st_active", "director"):
        assert as_(key).get(f"/monitoring/groups/{world.ids['group']}").status_code == 404, key


def test_the_administrator_sees_any_group(app, world, as_):
    page = as_("admin").get(f"/monitoring/groups/{world.ids['other']}")
    assert page.status_code == 200
    assert set(_rows(page.get_data(as_text=True))) == {"m.st_other", "m.pa_other"}


def test_reissue_ends_the_old_credentials(app, world, as_, clock):
    clock.set(NOW)
    holder = world.users["pa_unused"]
    old_session = signed_in(app, holder)
    assert old_session.get("/").status_code == 200
    curator = as_("curator")
    page = curator.get(f"/monitoring/groups/{world.ids['group']}").get_data(as_text=True)
    action = f"/people/accounts/{holder.id}/reset-password"
    assert f'action="{action}"' in page  # the row's one-click button
    slip = curator.post(action)
    assert slip.status_code == 200
    password = re.search(r"Пароль: <code[^>]*>([^<]+)</code>", slip.get_data(as_text=True))[1]
    stale = old_session.get("/monitoring/groups")
    assert stale.status_code == 302 and "/auth/login" in stale.headers["Location"]
    refused = app.test_client().post("/auth/login", data={"login": holder.login,
                                                          "password": "secret-pass-1"})
    assert refused.status_code == 200  # the old password no longer works
    assert signed_in(app, holder, password=password).get("/").status_code in (200, 302)
    with app.app_context():
        assert db.session.get(User, holder.id).must_change_password


def test_the_printable_list_holds_only_those_never_signed_in(app, world, as_, clock):
    clock.set(NOW)
    page = as_("curator").get(f"/monitoring/groups/{world.ids['group']}/never")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for name in ("Белов Денис", "Белова Галина", "Воронин Иван", "Воронина Ольга"):
        assert name in html
    for name in ("Акимов Борис", "Акимова Вера", "Ушедший", "Чернов"):
        assert name not in html
    assert "на 20.11.2026" in html and "логин не выдан" in html
    assert "monitoring.css" in html  # its print rules


def test_the_group_page_makes_the_same_queries_for_a_bigger_group(app, world, as_, clock):
    from core.people.models import Group
    from tests import college

    clock.set(NOW)
    client = as_("curator")
    path = f"/monitoring/groups/{world.ids['group']}"
    client.get(path)
    with count_queries(app) as small:
        assert client.get(path).status_code == 200
    with app.app_context():
        group = db.session.get(Group, world.ids["group"])
        for n in range(15):
            user = college.add_user(f"m.more{n}", None, "Ещёв", f"Ученик{n}",
                                    last_login_at=NOW if n % 2 else None)
            student = college.add_student(group.id, NOW.date(), record_book_no=f"more-{n}",
                                          last_name="Ещёв", first_name=f"Ученик{n}",
                                          user_id=user.id)
            college.add_guardian(None, "Ещёва", f"Мама{n}", [student.id])
        db.session.commit()
    with count_queries(app) as big:
        page = client.get(path)
    assert page.status_code == 200 and "Ученик14" in page.get_data(as_text=True)
    assert big.count == small.count
