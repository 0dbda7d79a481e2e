"""The administrator sees each destination's last good backup and is alerted (the backups page,
the home page, a mail through the outbox) when one is older than ``backup.stale_hours``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import settings
from core.backup.models import FAILED, OK, BackupRun
from core.backup.status import last_success_ages, send_alerts
from core.extensions import db
from core.people.roles import Role
from tests.backup_world import destinations
from tests.fixtures import signed_in, user_maker
from tests.mail import app_mailing_to, deliver

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def alert_app(make_app, tmp_path, smtp, clock):
    clock.set(NOW)
    _inbox, port = smtp
    app = app_mailing_to(make_app, tmp_path, port, WORKER_WAKE=False,
                         BACKUP_DESTINATIONS=destinations(tmp_path))
    with app.app_context():
        for name, status, hours_ago, error in (
                ("disk1", OK, 25, None),
                ("disk2", OK, 49, None),
                ("disk2", FAILED, 25, "«disk2»: restic backup завершился с ошибкой: no space")):
            at = NOW - timedelta(hours=hours_ago)
            db.session.add(BackupRun(destination=name, started_at=at - timedelta(seconds=3),
                                     status=status, finished_at=at, trigger="worker",
                                     snapshot_id="ab12cd34" if status == OK else None,
                                     size_bytes=1024 if status == OK else None,
                                     duration_ms=3000, error=error))
        db.session.commit()
    return app


def test_a_destination_older_than_the_setting_is_alerted_on_the_page_and_the_home_page(
        alert_app):
    admin = user_maker(alert_app)("backup.admin", roles=[Role.ADMIN], email="admin@college.example")
    web = signed_in(alert_app, admin)
    page = web.get("/admin/backups/").get_data(as_text=True)
    assert "«disk2»: последней удачной копии 2 сут. 1 ч (допустимо не больше 26 ч)" in page
    assert "«disk1»" not in page.split("alert-danger")[1].split("</div>")[0]
    assert "no space" in page  # the last attempt's error beside disk2
    assert "ab12cd34" in page
    home = web.get("/").get_data(as_text=True)
    assert "Резервные копии требуют внимания" in home
    assert "«disk2»: последней удачной копии" in home


def test_the_alert_mail_goes_once_a_day_through_the_outbox(alert_app, smtp):
    inbox, _port = smtp
    user_maker(alert_app)("backup.admin", roles=[Role.ADMIN], email="admin@college.example")
    user_maker(alert_app)("a.teacher", roles=[Role.TEACHER], email="teacher@college.example")
    with alert_app.test_request_context():
        assert send_alerts() == 1
        assert send_alerts() == 0  # the same college day: nothing more
    deliver(alert_app)
    [(recipients, mail)] = inbox.messages
    assert recipients == ["admin@college.example"]
    assert mail["Subject"] == "Резервные копии журнала устарели"
    assert "«disk2»: последней удачной копии 2 сут. 1 ч" in mail.get_body(("plain",)).get_content()


def test_within_the_setting_nothing_is_alerted(alert_app, clock):
    admin = user_maker(alert_app)("backup.admin", roles=[Role.ADMIN], email="admin@college.example")
    with alert_app.test_request_context():
        settings.put("backup.stale_hours", 50)
        db.session.commit()
        assert send_alerts() == 0
        ages = last_success_ages()
    assert ages == {"disk1": timedelta(hours=25), "disk2": timedelta(hours=49)}
    web = signed_in(alert_app, admin)
    assert "alert-danger" not in web.get("/admin/backups/").get_data(as_text=True)
    assert "Резервные копии требуют внимания" not in web.get("/").get_data(as_text=True)
    clock.set(NOW + timedelta(hours=2))  # disk2 passes 50 hours
    home = signed_in(alert_app, admin).get("/").get_data(as_text=True)
    assert "«disk2»: последней удачной копии 2 сут. 3 ч (допустимо не больше 50 ч)" in home


def test_only_the_administrator_sees_the_backups(alert_app):
    teacher = user_maker(alert_app)("a.teacher", roles=[Role.TEACHER])
    web = signed_in(alert_app, teacher)
    assert web.get("/admin/backups/").status_code == 404
    assert web.post("/admin/backups/run").status_code == 404
    assert "Резервные копии" not in web.get("/").get_data(as_text=True)


def test_back_up_now_hands_the_run_to_the_worker(alert_app, monkeypatch):
    admin = user_maker(alert_app)("backup.admin", roles=[Role.ADMIN])
    asked = []
    monkeypatch.setitem(alert_app.extensions["ejournal.worker_tasks"], "backup_now",
                        lambda: asked.append("backup_now"))
    web = signed_in(alert_app, admin)
    response = web.post("/admin/backups/run")
    assert response.status_code == 303 and asked == ["backup_now"]
    assert "поставлена в очередь" in web.get("/admin/backups/").get_data(as_text=True)


def test_the_oldest_last_copy_is_a_health_reading_and_a_gauge(alert_app, clock):
    """/metrics and the health page read the backups' age: disk2's last good copy is 49 h old,
    past the 26 h of ``backup.stale_hours``; a fresh copy of both brings it back."""
    from core.health import collect

    with alert_app.app_context():
        check = next(c for c in collect() if c.key == "backup_age_seconds")
        assert not check.ok and check.value == 49 * 3600
        for name in ("disk1", "disk2"):
            db.session.add(BackupRun(destination=name, started_at=NOW, status=OK,
                                     finished_at=NOW, trigger="worker", snapshot_id="ef56ab78",
                                     size_bytes=1024, duration_ms=1000))
        db.session.commit()
        check = next(c for c in collect() if c.key == "backup_age_seconds")
        assert check.ok and check.value == 0
    metrics = alert_app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert "ejournal_backup_age_seconds 0.0" in metrics.get_data(as_text=True)
