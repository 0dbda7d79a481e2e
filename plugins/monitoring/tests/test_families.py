"""Families reached: signed in over the period, only followed a weekly digest's link (the
mail channel's landing records the open), or neither; and those who never signed in."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from core.extensions import db
from core.people.roles import Role
from plugins.monitoring import usage
from plugins.monitoring.models import DigestOpen
from plugins.monitoring.tests.world import sign_in_at
from plugins.notify_email import services

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _open_link(app, user_id: int, student_id: int) -> str:
    with app.test_request_context():
        return services.public_url("notify_email.open_digest",
                                   token=services.open_token(user_id, student_id))


def test_the_digests_link_records_the_open_and_leads_to_the_diary(app, world, client, clock):
    clock.set(NOW)
    url = _open_link(app, world.id("pa_unused"), world.ids["unused"])
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 302
    assert f"/diary/students/{world.ids['unused']}" in response.headers["Location"]
    with app.app_context():
        rows = db.session.execute(select(DigestOpen.user_id, DigestOpen.day)).all()
    assert rows == [(world.id("pa_unused"), date(2026, 11, 20))]
    assert client.get(f"/{path[:-4]}abcd").status_code == 404  # a forged token records nothing
    with app.app_context():
        assert len(db.session.execute(select(DigestOpen.id)).all()) == 1


def test_the_digest_links_to_the_landing(app, world):
    from core.people.models import Student, User
    from plugins.family import diary

    with app.test_request_context():
        user = db.session.get(User, world.id("pa_active"))
        student = db.session.get(Student, world.ids["active"])
        week = diary.build(student.id, diary.week_start(NOW.date()), user)
        _html, text = services.render_digest(user, [(student, week)], NOW.date())
    assert "/notify/open/" in text and "/diary/students/" not in text


def test_families_reached_over_a_period(app, world, client, clock):
    clock.set(NOW)
    sign_in_at(app, world, "st_active", datetime(2026, 11, 16, 11, 5, tzinfo=UTC))
    sign_in_at(app, world, "pa_active", datetime(2026, 11, 18, 18, 30, tzinfo=UTC))
    sign_in_at(app, world, "st_other", datetime(2026, 10, 5, 10, 0, tzinfo=UTC))  # before
    path = _open_link(app, world.id("pa_unused"), world.ids["unused"]).split("/", 3)[3]
    client.get(f"/{path}")
    client.get(f"/{path}")  # twice: one family
    active_path = _open_link(app, world.id("pa_active"), world.ids["active"]).split("/", 3)[3]
    client.get(f"/{active_path}")  # signed in as well: counted once, as signed in
    with app.app_context():
        reach = {r.role: r for r in usage.families_reached(date(2026, 11, 1), date(2026, 11, 30))}
    students, parents = reach[Role.STUDENT], reach[Role.PARENT]
    # st_active, st_unused, st_other; st_other signed in in October only (and never recorded
    # its last sign-in in the world)
    assert (students.accounts, students.signed_in, students.digest_only, students.not_reached,
            students.never) == (3, 1, 0, 2, 2)
    assert (parents.accounts, parents.signed_in, parents.digest_only, parents.not_reached,
            parents.never) == (3, 1, 1, 1, 2)


def test_the_usage_page_shows_the_families_reached(app, world, as_, clock):
    clock.set(NOW)
    sign_in_at(app, world, "pa_active", datetime(2026, 11, 18, 18, 30, tzinfo=UTC))
    html = as_("admin").get("/monitoring/?bucket=month").get_data(as_text=True)
    assert "Охват семей" in html and "Только открывали ссылку из рассылки" in html
