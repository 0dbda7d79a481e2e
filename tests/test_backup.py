"""Backups on two media and the restore drill, with the real restic, on the suite's database kind
(SQLite, or PostgreSQL through ``EJOURNAL_TEST_DATABASE_URL``)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from core import audit, migrate, settings
from core.backup import restic
from core.backup.destinations import destinations
from core.backup.models import FAILED, OK, BackupRun
from core.backup.restore import restore_check
from core.backup.runs import backup_daily, run_backup
from core.extensions import db
from core.people.roles import Role
from tests.backup_world import destinations as two_destinations
from tests.fixtures import TEST_DB_ENV, user_maker

pytestmark = pytest.mark.skipif(shutil.which("restic") is None, reason="restic is not installed")


def _server_admin(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture
def backup_app(make_app, tmp_path) -> Iterator[Flask]:
    """A migrated app of its own with two repositories: on a SQLite file, or on PostgreSQL
    (``EJOURNAL_TEST_DATABASE_URL``) in a database of its own on that server, made and dropped
    (a backup dumps a whole database; the suite's shared one holds every other test's rows)."""
    base = os.environ.get(TEST_DB_ENV)
    if base:
        url = make_url(base).set(database=f"{make_url(base).database}_backup_{os.getpid()}")
        admin = _server_admin(base)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        database = url.render_as_string(hide_password=False)
    else:
        admin = None
        database = f"sqlite:///{tmp_path / 'backed-up.sqlite3'}"
    app = make_app(DATABASE_URL=database, BACKUP_DESTINATIONS=two_destinations(tmp_path),
                   WORKER_WAKE=False)
    migrate.upgrade(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        admin.dispose()


def _some_data(app) -> None:
    user_maker(app)("backup.admin", roles=[Role.ADMIN], email="admin@college.example")
    with app.test_request_context():
        audit.record("test.backup", after={"note": "a row the drill must find"})
        db.session.commit()


def _snapshots(app, name: str) -> list[restic.Snapshot]:
    with app.app_context():
        return restic.snapshots(next(d for d in destinations() if d.name == name))


def test_a_backup_goes_to_both_destinations_and_the_drill_restores_and_checks_it(backup_app):
    _some_data(backup_app)
    with backup_app.test_request_context():
        rows = run_backup("cli")
        assert [(row.destination, row.status) for row in rows] == [("disk1", OK), ("disk2", OK)]
        assert all(row.snapshot_id and row.size_bytes > 0 and row.error is None for row in rows)
        report = restore_check("disk2")
    for name, row in zip(("disk1", "disk2"), rows, strict=True):
        [snapshot] = _snapshots(backup_app, name)
        assert snapshot.short_id == row.snapshot_id[:8]
    titles = {check.title: check for check in report.checks}
    assert report.ok, report.checks
    assert report.destination == "disk2"
    for title in ("Целостность хранилища", "Контрольная сумма копии", "Миграции актуальны",
                  "Число строк по манифесту", "ejournal audit verify"):
        assert titles[title].ok and not titles[title].skipped, titles[title]
    assert "проверено записей" in titles["ejournal audit verify"].detail


def test_the_drill_command_prints_its_report_and_exits_non_zero_on_a_failure(backup_app,
                                                                              tmp_path):
    _some_data(backup_app)
    runner = backup_app.test_cli_runner()
    made = runner.invoke(args=["backup"])
    assert made.exit_code == 0, made.output
    assert "disk1: сохранено, снимок" in made.output and "disk2: сохранено" in made.output
    drill = runner.invoke(args=["backup", "restore", "--check"])
    assert drill.exit_code == 0, drill.output
    assert "место «disk1»" in drill.output
    assert "[ok] Число строк по манифесту" in drill.output
    assert "Итог: копия восстанавливается и цела." in drill.output
    # bytes of the first medium's pack files changed (a disk failing): the drill on it fails and
    # says where (a pack deleted is found too, after restic's retries of a minute and more)
    for pack in (tmp_path / "disk1" / "data").rglob("*"):
        if pack.is_file():
            with pack.open("r+b") as file:
                file.seek(200)
                file.write(b"X" * 16)
    broken = runner.invoke(args=["backup", "restore", "--check", "--destination", "disk1"])
    assert broken.exit_code == 1, broken.output
    assert "[ОШИБКА] Целостность хранилища: «disk1»" in broken.output
    assert "Итог: проверка НЕ пройдена." in broken.output
    assert runner.invoke(args=["backup", "restore", "--check", "--destination", "disk2"]
                         ).exit_code == 0


def test_a_missing_medium_is_recorded_as_failed_and_the_other_still_gets_its_copy(backup_app,
                                                                                 tmp_path):
    with backup_app.test_request_context():
        assert {row.status for row in run_backup("cli")} == {OK}
    shutil.rmtree(tmp_path / "disk2")  # the second disk not mounted: never started afresh
    result = backup_app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1
    with backup_app.app_context():
        last = db.session.scalars(select(BackupRun).order_by(BackupRun.id.desc()).limit(2)).all()
    by_name = {row.destination: row for row in last}
    assert by_name["disk1"].status == OK
    assert by_name["disk2"].status == FAILED
    assert "не найден, хотя копии в него уже сохранялись" in by_name["disk2"].error
    assert not (tmp_path / "disk2").exists()
    drill = backup_app.test_cli_runner().invoke(
        args=["backup", "restore", "--check", "--destination", "disk2"])
    assert drill.exit_code == 1 and "[ОШИБКА]" in drill.output


def test_without_restic_every_destination_fails_in_russian_and_the_worker_job_returns(
        backup_app):
    backup_app.config["RESTIC_BINARY"] = "/nowhere/restic"
    with backup_app.test_request_context():
        rows = backup_daily()
    assert [row.status for row in rows] == [FAILED, FAILED]
    assert all("Программа restic не найдена" in row.error for row in rows)
    drill = backup_app.test_cli_runner().invoke(args=["backup", "restore", "--check"])
    assert drill.exit_code == 1 and "Программа restic не найдена" in drill.output


def test_without_destinations_the_command_says_so_and_the_daily_job_does_nothing(make_app):
    app = make_app(BACKUP_DESTINATIONS=[])
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 2
    assert "Не настроены места хранения резервных копий" in result.output
    with app.test_request_context():
        assert backup_daily() == []


def test_the_manifest_holds_revisions_row_counts_and_the_time(backup_app, clock, tmp_path):
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=UTC), tick=True)
    _some_data(backup_app)
    with backup_app.test_request_context():
        run_backup("cli")
        [target] = [d for d in destinations() if d.name == "disk1"]
        [snapshot] = restic.snapshots(target)
        restic.restore(target, snapshot.id, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["created_at"].startswith("2026-11-25T06:00")
    assert snapshot.time.startswith("2026-11-25T06:00")
    assert manifest["row_counts"]["core_user"] == 1
    assert manifest["row_counts"]["core_audit"] >= 1
    assert manifest["revisions"]["alembic_version"] and manifest["revisions"][
        "alembic_version_journal"]
    assert (tmp_path / "out" / manifest["database_file"]).stat().st_size == manifest["bytes"]


def test_retention_forgets_with_the_settings_keep_values(backup_app, clock):
    with backup_app.test_request_context():
        settings.put("backup.keep_daily", 2)
        settings.put("backup.keep_weekly", 0)
        settings.put("backup.keep_monthly", 0)
        db.session.commit()
    days = [datetime(2026, 11, day, 1, 0, tzinfo=UTC) for day in (20, 21, 22)]
    for day in days:
        clock.set(day, tick=True)
        with backup_app.test_request_context():
            assert {row.status for row in run_backup("worker")} == {OK}
    for name in ("disk1", "disk2"):
        kept = [snapshot.time[:10] for snapshot in _snapshots(backup_app, name)]
        assert kept == ["2026-11-21", "2026-11-22"], name


def test_last_success_ages_per_destination(backup_app, clock):
    start = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    clock.set(start, tick=True)
    with backup_app.test_request_context():
        from core.backup.status import last_success_ages

        assert last_success_ages() == {"disk1": None, "disk2": None}
        run_backup("cli")
        ages = last_success_ages(now=start + timedelta(hours=5))
    assert set(ages) == {"disk1", "disk2"}
    assert all(timedelta(hours=4, minutes=50) < age <= timedelta(hours=5) for age in ages.values())


def test_the_daily_job_is_scheduled_in_the_worker(app):
    with app.app_context():
        from core.plugins import hook

        jobs = {job.name: job for batch in hook().scheduled_jobs() for job in batch}
    assert jobs["backup_daily"].schedule == {"hour": "0", "minute": "40"}
    assert jobs["backup_stale_alert"].schedule == {"minute": "50"}


def test_default_destinations_are_two_repositories_in_the_instance_folder(make_app):
    app = make_app()
    with app.app_context():
        found = destinations()
    instance = Path(app.instance_path)
    assert [d.name for d in found] == ["local-1", "local-2"]
    assert {Path(d.repository).parent for d in found} == {instance / "backups"}
    assert found[0].password_file == instance / "backup_password"
    assert found[0].password_file.read_text().strip()
