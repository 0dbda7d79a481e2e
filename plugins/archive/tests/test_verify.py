"""``ejournal archive verify``: every file against the manifest, the manifest against its seal,
the live data against the archived tables, naming what differs; a non-zero exit on failure; each
run recorded for the archive's page; the weekly run alerts the administrators by mail."""

from __future__ import annotations

from sqlalchemy import select, update

from core.extensions import db
from core.people.models import User
from plugins.archive import alerts, storage, verify
from plugins.archive.models import ArchivedPeriod, ArchiveFile
from plugins.archive.record_models import ArchiveVerification
from plugins.archive.tests import sealed
from tests.mail import deliver


def _flip_one_byte(app, path: str) -> None:
    with app.test_request_context():
        location = storage.storage().primary
        data = bytearray(location.get(path))
        data[len(data) // 2] ^= 0x01
        location.put(path, bytes(data))


def _file(period_id: int, kind: str) -> ArchiveFile:
    return db.session.scalars(select(ArchiveFile).where(
        ArchiveFile.period_id == period_id, ArchiveFile.kind == kind)).first()


def _verify(app, title: str):
    return app.test_cli_runner().invoke(args=["archive", "verify", title])


def test_verify_passes_then_fails_naming_the_file_whose_byte_changed(app):
    _world, period_id = sealed.build(app, "v1", with_data=False)
    with app.test_request_context():
        title = db.session.get(ArchivedPeriod, period_id).title
        path = _file(period_id, "statement_pdf").path
    result = _verify(app, title)
    assert result.exit_code == 0, result.output
    assert "архив цел" in result.output

    _flip_one_byte(app, path)
    result = _verify(app, title)
    assert result.exit_code == 1
    assert f"файл архива {path} изменён: SHA-256 не совпадает с манифестом" in result.output
    with app.test_request_context():
        runs = db.session.scalars(select(ArchiveVerification).where(
            ArchiveVerification.period_id == period_id).order_by(ArchiveVerification.id)).all()
        assert [run.ok for run in runs] == [True, False]
        assert runs[-1].trigger == "cli" and path in runs[-1].problems[0]


def test_a_changed_manifest_breaks_its_seal(app):
    _world, period_id = sealed.build(app, "v2", with_data=False)
    with app.test_request_context():
        period = db.session.get(ArchivedPeriod, period_id)
        manifest, title = period.manifest_path, period.title
    _flip_one_byte(app, manifest)
    result = _verify(app, title)
    assert result.exit_code == 1
    assert f"манифест {manifest} изменён" in result.output
    assert f"печать манифеста {manifest} не сходится с ключом журнала" in result.output


def test_an_unknown_period_is_an_error(app):
    result = _verify(app, "1999/2000")
    assert result.exit_code == 1 and "Нет архивированных периодов «1999/2000»" in result.output


def test_the_weekly_verification_alerts_the_administrators_by_mail(mail_app, smtp):
    inbox, _port = smtp
    world, period_id = sealed.build(mail_app, "vw", with_data=False)
    with mail_app.test_request_context():
        db.session.execute(update(User).where(User.id == world.users["admin"].id)
                           .values(email="admin@college.example"))
        db.session.commit()
        assert alerts.verify_weekly() == 0  # intact: nobody is mailed
        path = _file(period_id, "journal_pdf").path
    assert deliver(mail_app)["sent"] == 0

    _flip_one_byte(mail_app, path)
    with mail_app.test_request_context():
        assert alerts.verify_weekly() == 1
        last = db.session.scalars(select(ArchiveVerification).order_by(
            ArchiveVerification.id.desc())).first()
        assert last.trigger == "worker" and not last.ok
    assert deliver(mail_app)["sent"] == 1
    (to, mail), = inbox.messages
    assert to == ["admin@college.example"]
    assert mail["Subject"] == "Архив ЭЖ: проверка не пройдена"
    text = mail.get_body(("plain",)).get_content()
    assert f"файл архива {path} изменён" in text and "/archive/upkeep" in text
    with mail_app.test_request_context():  # the same failure is not mailed twice a run
        assert verify.last_runs([period_id])[period_id].id == last.id
