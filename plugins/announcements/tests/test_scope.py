"""Who writes for whom and who sees what: an announcement for a group reaches its families,
curator and teachers (home page, diary, list, its page and its calendar file), never another
group's; a curator writes only for their own group; the author or the administration edits and
withdraws, audited."""

from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.announcements.models import Announcement
from plugins.announcements.tests.helpers import created_id, event_form, form, publish, titles
from tests.fixtures import signed_in

HIDDEN = "Собрание только для ИСП"


def _sees(app, world, who: str, announcement_id: int, child: str | None = None) -> dict:
    client = signed_in(app, world.users[who])
    seen = {
        "home": HIDDEN in client.get("/").get_data(as_text=True),
        "list": HIDDEN in client.get("/announcements/").get_data(as_text=True),
        "detail": client.get(f"/announcements/{announcement_id}").status_code,
        "ics": client.get(f"/announcements/{announcement_id}/event.ics").status_code,
    }
    if child is not None:
        diary = client.get(f"/diary/students/{world.ids[child]}")
        assert diary.status_code == 200
        seen["diary"] = HIDDEN in diary.get_data(as_text=True)
    return seen


def test_an_announcement_for_group_a_is_not_shown_to_group_b(app, world):
    admin = signed_in(app, world.users["admin"])
    announcement_id = created_id(admin.post("/announcements/new", data=event_form(
        f"group:{world.ids['isp']}", HIDDEN)))
    shown = {"home": True, "list": True, "detail": 200, "ics": 200}
    hidden = {"home": False, "list": False, "detail": 404, "ics": 404}
    for who, child in (("parent2", "smirnova"), ("student2", "smirnova"), ("student", "petrov"),
                       ("parent", "petrov")):
        assert _sees(app, world, who, announcement_id, child) == {**shown, "diary": True}, who
    for who in ("curator", "teacher", "english"):
        assert _sees(app, world, who, announcement_id) == shown, who
    for who, child in (("parent3", "orlov"), ("student3", "fedorova")):
        assert _sees(app, world, who, announcement_id, child) == {**hidden, "diary": False}, who
    for who in ("curator2", "teacher2", "former"):
        assert _sees(app, world, who, announcement_id) == hidden, who


def test_a_parent_of_two_groups_sees_it_in_one_childs_diary_only(app, world):
    announcement_id = publish(app, world, "admin", f"group:{world.ids['isp']}", HIDDEN)
    client = signed_in(app, world.users["parent"])
    assert HIDDEN in client.get(f"/diary/students/{world.ids['petrov']}").get_data(as_text=True)
    assert HIDDEN not in client.get(
        f"/diary/students/{world.ids['fedorova']}").get_data(as_text=True)
    assert client.get(f"/announcements/{announcement_id}").status_code == 200


def test_course_staff_and_college_audiences(app, world):
    publish(app, world, "director", "course:2", "Для второго курса")  # ИСП-21 is course 2
    publish(app, world, "deputy", "staff:", "Педсовет")
    publish(app, world, "admin", "college:", "День открытых дверей")

    def home(who: str) -> str:
        return signed_in(app, world.users[who]).get("/").get_data(as_text=True)

    for who in ("parent2", "student", "curator", "teacher"):
        page = home(who)
        assert "Для второго курса" in page and "День открытых дверей" in page, who
    for who in ("parent3", "student3"):
        page = home(who)
        assert "Для второго курса" not in page and "День открытых дверей" in page, who
        assert "Педсовет" not in page, who
    for who in ("teacher2", "curator2", "supervisor"):
        page = home(who)
        assert "Педсовет" in page and "Для второго курса" not in page, who
    assert "Педсовет" not in signed_in(app, world.users["parent2"]).get(
        "/announcements/").get_data(as_text=True)


def test_a_curator_cannot_announce_to_another_group(app, world):
    curator = signed_in(app, world.users["curator"])
    page = curator.get("/announcements/new").get_data(as_text=True)
    assert f"group:{world.ids['isp']}" in page
    assert f"group:{world.ids['tm']}" not in page and "college:" not in page
    for audience in (f"group:{world.ids['tm']}", "college:", "staff:", "course:2",
                     "group:999999", "group:x", "nothing"):
        response = curator.post("/announcements/new", data=form(audience, "Чужое"))
        assert response.status_code == 404, audience
    assert titles(app) == []
    created_id(curator.post("/announcements/new", data=form(f"group:{world.ids['isp']}",
                                                            "Своё")))
    assert titles(app) == ["Своё"]


def test_who_may_not_write_at_all_gets_404(app, world):
    for who in ("teacher", "methodist", "parent", "student", "supervisor"):
        client = signed_in(app, world.users[who])
        assert client.get("/announcements/new").status_code == 404, who
        assert client.post("/announcements/new", data=form("college:")).status_code == 404, who
        assert client.get("/announcements/?list=manage").status_code == 404, who
    assert titles(app) == []


def test_the_author_or_the_administration_edits_and_withdraws_audited(app, world):
    announcement_id = publish(app, world, "curator", f"group:{world.ids['isp']}", "Собрание")
    for who in ("curator2", "teacher", "parent2", "methodist"):
        client = signed_in(app, world.users[who])
        assert client.get(f"/announcements/{announcement_id}/edit").status_code == 404, who
        assert client.post(f"/announcements/{announcement_id}/withdraw").status_code == 404, who
    curator = signed_in(app, world.users["curator"])
    page = curator.get(f"/announcements/{announcement_id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page
    response = curator.post(f"/announcements/{announcement_id}/edit", data=form(
        f"group:{world.ids['isp']}", "Собрание переносится", version="1"))
    assert response.status_code == 302
    stale = signed_in(app, world.users["director"]).post(
        f"/announcements/{announcement_id}/edit",
        data=form(f"group:{world.ids['isp']}", "Поздно", version="1"))
    assert stale.status_code == 409
    assert "уже изменили" in stale.get_data(as_text=True)
    assert titles(app) == ["Собрание переносится"]
    director = signed_in(app, world.users["director"])
    assert director.post(f"/announcements/{announcement_id}/withdraw").status_code == 302
    assert signed_in(app, world.users["parent2"]).get(
        f"/announcements/{announcement_id}").status_code == 404
    assert "Собрание переносится" not in signed_in(app, world.users["parent2"]).get(
        "/").get_data(as_text=True)
    assert curator.get(f"/announcements/{announcement_id}").status_code == 200  # the author
    with app.app_context():
        actions = [(a, actor) for a, actor in db.session.execute(
            select(AuditEntry.action, AuditEntry.actor_id).where(
                AuditEntry.target_type == "Announcement",
                AuditEntry.target_id == str(announcement_id)).order_by(AuditEntry.id))]
        assert actions == [("announcements.publish", world.id("curator")),
                           ("announcements.edit", world.id("curator")),
                           ("announcements.withdraw", world.id("director"))]
        assert db.session.get(Announcement, announcement_id).withdrawn_by_id == \
            world.id("director")


def test_a_curator_may_not_move_their_announcement_to_another_group(app, world):
    announcement_id = publish(app, world, "curator", f"group:{world.ids['isp']}", "Собрание")
    response = signed_in(app, world.users["curator"]).post(
        f"/announcements/{announcement_id}/edit",
        data=form(f"group:{world.ids['tm']}", "Собрание", version="1"))
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Announcement, announcement_id).group_id == world.ids["isp"]
