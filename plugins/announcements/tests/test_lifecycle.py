"""When an announcement is shown: from its publication day to the end of its expiry day (an
event's by default: the day it takes place), in the college's zone, at a set clock; the event's
calendar file; formatting rendered harmless; the list's query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from core.extensions import db
from plugins.announcements import calendar_file
from plugins.announcements.models import Announcement
from plugins.announcements.tests.conftest import NOON
from plugins.announcements.tests.helpers import created_id, event_form, form, publish
from tests.fixtures import count_queries, signed_in


def _current(app, world, who: str) -> str:
    return signed_in(app, world.users[who]).get("/announcements/").get_data(as_text=True)


def _past(app, world, who: str) -> str:
    return signed_in(app, world.users[who]).get(
        "/announcements/?list=past").get_data(as_text=True)


def test_an_event_is_shown_until_the_end_of_its_day_then_it_is_past(app, world, clock):
    announcement_id = publish(app, world, "admin", "college:", "Концерт", kind="event",
                              event_day=date(2026, 10, 8), event_time=time(18, 0))
    with app.app_context():
        item = db.session.get(Announcement, announcement_id)
        assert item.starts_at == datetime(2026, 10, 8, 15, 0, tzinfo=UTC)  # 18:00 in Moscow
        assert item.expires_at == datetime(2026, 10, 8, 21, 0, tzinfo=UTC)  # its midnight
    clock.set(datetime(2026, 10, 8, 20, 59, tzinfo=UTC))  # 23:59 in Moscow
    assert "Концерт" in _current(app, world, "parent3")
    assert "08.10.2026 18:00" in _current(app, world, "parent3")  # shown in the college's zone
    clock.set(datetime(2026, 10, 8, 21, 0, tzinfo=UTC))  # the next day in Moscow
    assert "Концерт" not in _current(app, world, "parent3")
    assert "Концерт" not in signed_in(app, world.users["parent3"]).get("/").get_data(
        as_text=True)
    assert "Концерт" in _past(app, world, "parent3")
    assert signed_in(app, world.users["parent3"]).get(
        f"/announcements/{announcement_id}").status_code == 200  # a past one stays readable


def test_a_notice_is_shown_from_its_day_to_its_expiry_day_inclusive(app, world, clock):
    admin = signed_in(app, world.users["admin"])
    created_id(admin.post("/announcements/new", data=form(
        "college:", "Сбор макулатуры", publish_on="2026-10-07", expires_on="2026-10-09")))
    assert "Сбор макулатуры" not in _current(app, world, "parent2")
    assert "запланировано" in admin.get("/announcements/?list=manage").get_data(as_text=True)
    clock.set(datetime(2026, 10, 6, 21, 0, tzinfo=UTC))  # 7 October, 00:00 in Moscow
    assert "Сбор макулатуры" in _current(app, world, "parent2")
    clock.set(datetime(2026, 10, 9, 20, 59, tzinfo=UTC))
    assert "Сбор макулатуры" in _current(app, world, "parent2")
    clock.set(datetime(2026, 10, 9, 21, 0, tzinfo=UTC))
    assert "Сбор макулатуры" not in _current(app, world, "parent2")


def test_a_notice_without_an_expiry_date_is_shown_for_two_weeks(app, world):
    announcement_id = publish(app, world, "admin", "college:", "Без срока")
    with app.app_context():
        item = db.session.get(Announcement, announcement_id)
        assert NOON <= item.publish_at < NOON.replace(minute=5)
        assert item.expires_at == datetime(2026, 10, 19, 21, 0, tzinfo=UTC)


def test_an_event_needs_its_date_and_time_and_dates_in_order(app, world):
    admin = signed_in(app, world.users["admin"])
    response = admin.post("/announcements/new", data=form("college:", "Без даты", kind="event"))
    assert response.status_code == 422
    assert "Укажите дату и время мероприятия." in response.get_data(as_text=True)
    response = admin.post("/announcements/new", data=form(
        "college:", "Наоборот", publish_on="2026-10-10", expires_on="2026-10-09"))
    assert response.status_code == 422
    response = admin.post("/announcements/new", data=event_form(
        "college:", "Конец раньше", at="18:00", ends_time="17:00"))
    assert response.status_code == 422
    assert admin.get("/announcements/").get_data(as_text=True).count("list-group-item") == 0


def test_the_calendar_file_of_an_event(app, world):
    admin = signed_in(app, world.users["admin"])
    announcement_id = created_id(admin.post("/announcements/new", data=event_form(
        "college:", "Встреча; выпускников, 2026", day="2026-10-08", at="18:00",
        ends_time="20:30", place="Актовый зал, корпус 2",
        body="Первая строка\\с обратной чертой\n\nВторая: " + "очень длинный текст " * 10)))
    response = signed_in(app, world.users["parent3"]).get(
        f"/announcements/{announcement_id}/event.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="event-{announcement_id}.ics"'
    raw = response.get_data()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode().replace("\r\n ", "")  # unfolded
    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-2] == "END:VCALENDAR"
    assert f"UID:announcement-{announcement_id}@localhost" in lines
    assert "DTSTART:20261008T150000Z" in lines and "DTEND:20261008T173000Z" in lines
    assert "SUMMARY:Встреча\\; выпускников\\, 2026" in lines
    assert "LOCATION:Актовый зал\\, корпус 2" in lines
    assert any(line.startswith("DESCRIPTION:Первая строка\\\\с обратной чертой") for line in lines)
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert f"URL:http://localhost/announcements/{announcement_id}" in lines


def test_a_notice_has_no_calendar_file(app, world):
    announcement_id = publish(app, world, "admin", "college:", "Просто объявление")
    client = signed_in(app, world.users["parent"])
    assert client.get(f"/announcements/{announcement_id}/event.ics").status_code == 404
    assert "event.ics" not in client.get(f"/announcements/{announcement_id}").get_data(
        as_text=True)


def test_folding_never_cuts_a_character_and_escaping_is_rfc_5545():
    folded = calendar_file.fold("SUMMARY:" + "Ж" * 100)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == \
        "SUMMARY:" + "Ж" * 100
    assert calendar_file.escape("a;b,c\\d\r\ne\x07") == "a\\;b\\,c\\\\d\\ne"


def test_script_and_javascript_links_are_rendered_harmless(app, world):
    announcement_id = publish(
        app, world, "admin", "college:", "<script>alert('заголовок')</script>",
        body="<script>alert(1)</script>\n\n[нажми](javascript:alert(2)) "
             "<img src=x onerror=alert(3)> [сайт](https://example.org)")
    for who in ("admin", "parent2"):
        client = signed_in(app, world.users[who])
        for url in (f"/announcements/{announcement_id}", "/announcements/", "/"):
            page = client.get(url).get_data(as_text=True)
            assert "<script>alert" not in page, (who, url)
            assert 'href="javascript' not in page and "<img" not in page, (who, url)
        page = client.get(f"/announcements/{announcement_id}").get_data(as_text=True)
        assert "&lt;script&gt;alert(&#39;заголовок&#39;)&lt;/script&gt;" in page
        assert '<a href="https://example.org" target="_blank" ' \
               'rel="noopener noreferrer nofollow">сайт</a>' in page
        assert "[нажми](javascript:alert(2))" in page  # left as plain text


def test_the_list_takes_as_many_queries_for_many_announcements_as_for_few(app, world):
    def measure() -> int:
        client = signed_in(app, world.users["parent2"])
        client.get("/announcements/")
        with count_queries(app) as counted:
            assert client.get("/announcements/").status_code == 200
        with count_queries(app) as past:
            assert client.get("/announcements/?list=past").status_code == 200
        return counted.count, past.count

    for number in range(3):
        publish(app, world, "admin", "college:", f"Первое {number}")
    few = measure()
    for number in range(30):
        publish(app, world, "admin", f"group:{world.ids['isp']}" if number % 2 else "course:2",
                f"Ещё {number}", kind="event", event_day=date(2026, 10, 9),
                event_time=time(10, number))
    many = measure()
    assert many == few
    page = signed_in(app, world.users["parent2"]).get("/announcements/").get_data(as_text=True)
    assert 'href="/announcements/?list=current&amp;page=2"' in page  # 33: two pages
    assert "Ещё 0" in page  # events first, by their time
    second = signed_in(app, world.users["parent2"]).get(
        "/announcements/?page=2").get_data(as_text=True)
    assert "Первое 0" in second


def test_hook_diary_widgets(app, world):
    from core.people.models import User
    from core.plugins import hook

    publish(app, world, "admin", f"group:{world.ids['isp']}", "Для ИСП")
    publish(app, world, "admin", "staff:", "Для сотрудников")
    with app.test_request_context():
        parent = db.session.get(User, world.id("parent"))
        found = [w for batch in hook().diary_widgets(student_id=world.ids["petrov"], user=parent)
                 for w in batch]
        assert [row.title for w in found for row in w.context["rows"]] == ["Для ИСП"]
        found = [w for batch in hook().diary_widgets(student_id=world.ids["fedorova"],
                                                     user=parent) for w in batch]
        assert found == []


def test_an_edit_keeps_the_publication_instant_of_a_published_announcement(app, world, clock):
    announcement_id = publish(app, world, "admin", "college:", "Объявление")
    with app.app_context():
        published = db.session.get(Announcement, announcement_id).publish_at
    clock.set(datetime(2026, 10, 7, 9, 0, tzinfo=UTC))
    admin = signed_in(app, world.users["admin"])
    page = admin.get(f"/announcements/{announcement_id}/edit").get_data(as_text=True)
    assert 'value="2026-10-05"' in page  # the publication day as entered
    response = admin.post(f"/announcements/{announcement_id}/edit", data=form(
        "college:", "Исправленное", publish_on="2026-10-05", version="1"))
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Announcement, announcement_id)
        assert (item.title, item.publish_at, item.version) == ("Исправленное", published, 2)
