"""The college's clock (``core.calendar.clock``): its zone, today and the day of an instant."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import render_template_string

from core.calendar.clock import (
    college_day,
    college_time,
    college_today,
    college_zone,
    college_zone_label,
)

LATE_EVENING_UTC = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # 01:30 on 2 March in Moscow


def test_the_college_zone_is_the_configured_timezone(app, ctx, monkeypatch):
    assert college_zone().key == "Europe/Moscow"  # the default (config TIMEZONE)
    monkeypatch.setitem(app.config, "TIMEZONE", "Asia/Vladivostok")
    assert college_zone().key == "Asia/Vladivostok"


def test_a_late_utc_evening_is_the_next_day_at_a_moscow_college(ctx):
    assert college_day(LATE_EVENING_UTC) == date(2026, 3, 2)
    assert college_time(LATE_EVENING_UTC).hour == 1
    assert college_day(datetime(2026, 3, 1, 20, 59, tzinfo=UTC)) == date(2026, 3, 1)


def test_a_naive_instant_is_read_as_utc_as_stored(ctx):
    assert college_day(LATE_EVENING_UTC.replace(tzinfo=None)) == date(2026, 3, 2)


def test_the_day_follows_the_configured_zone(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "TIMEZONE", "America/New_York")
    assert college_day(LATE_EVENING_UTC) == date(2026, 3, 1)


def test_today_is_the_college_day_of_the_clock(ctx, clock):
    clock.set(LATE_EVENING_UTC)
    assert datetime.now(UTC).date() == date(2026, 3, 1)
    assert college_today() == date(2026, 3, 2)
    clock.set(datetime(2026, 3, 1, 20, 0, tzinfo=UTC))
    assert college_today() == date(2026, 3, 1)


def test_the_localtime_filter_shows_college_time(ctx):
    shown = render_template_string("{{ at|localtime }}", at=LATE_EVENING_UTC)
    assert shown == "02.03.2026 01:30"


def test_the_zone_label_names_the_offset_of_college_time(app, ctx, monkeypatch):
    assert college_zone_label(LATE_EVENING_UTC) == "UTC+03:00"
    monkeypatch.setitem(app.config, "TIMEZONE", "America/New_York")
    assert college_zone_label(datetime(2026, 1, 15, tzinfo=UTC)) == "UTC-05:00"


def test_the_audit_log_heads_its_times_with_the_college_zone(app, client, login, make_user):
    from core.people.roles import Role

    login(make_user("admin.zone", [Role.ADMIN]))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Когда, время колледжа (UTC+03:00)" in page and "(UTC)" not in page
