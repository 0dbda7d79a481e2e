"""The audit log's seals: the key kept outside the database, the chain written before the key
(sealed by the migration that brought it), and the anchor file (its lines sealed, every anchor
row in it, the worker's daily anchoring, a line lost in a crash written again)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text

from core import audit, audit_key, create_app, migrate
from core.audit import ANCHOR, GENESIS, KEYED, AuditEntry
from core.errors import StartupError
from core.extensions import db
from core.models import utcnow
from core.worker import KEY
from tests import forger
from tests.concurrency import _fresh_schema
from tests.fixtures import TEST_DB_ENV

SEALED = "9eee8b5cd666"  # the core's revision that brought the key


def _before_the_key(app) -> str:
    """The core's revision just before the key, whatever migrations are chained before it."""
    config = migrate.alembic_config(migrate.source(app, "core"))
    return ScriptDirectory.from_config(config).get_revision(SEALED).down_revision


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _anchor(app):
    result = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def anchors(app, monkeypatch, tmp_path):
    """This test's own anchor file (the shared app's would outlive the rolled-back rows)."""
    path = tmp_path / "audit-anchors.log"
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_PATH", str(path))
    return path


@pytest.fixture
def bare_app(make_app, tmp_path):
    """The core alone on a database of its own, not migrated: a PostgreSQL schema of the test
    database when the suite runs there, else an SQLite file."""
    url = os.environ.get(TEST_DB_ENV)
    schema = f"auditseal_{os.getpid()}"
    if url:
        _fresh_schema(url, schema)
        app = make_app(DATABASE_URL=url, PLUGINS=[], SQLALCHEMY_ENGINE_OPTIONS={
            "connect_args": {"options": f"-csearch_path={schema}"}})
    else:
        app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'legacy.sqlite3'}", PLUGINS=[])
    yield app
    with app.app_context():
        db.engine.dispose()
    if url:
        _fresh_schema(url, schema, drop_only=True)


# --- the key ------------------------------------------------------------------------------------


def test_the_audit_key_is_made_once_in_the_instance_folder_unless_given(app_config, tmp_path,
                                                                         monkeypatch):
    config = {**app_config, "PLUGINS": [], "INSTANCE_PATH": str(tmp_path / "instance"),
              "DATABASE_URL": f"sqlite:///{tmp_path / 'key.sqlite3'}"}
    del config["AUDIT_KEY"]
    made = create_app(config).config["AUDIT_KEY"]
    key_file = tmp_path / "instance" / "audit_key"
    assert made == key_file.read_text().strip() and len(made) == 64
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert create_app(config).config["AUDIT_KEY"] == made  # kept, not made again

    monkeypatch.setenv("EJOURNAL_AUDIT_KEY", "7" * 40)  # digits: parsed as a JSON number
    assert create_app(config).config["AUDIT_KEY"] == "7" * 40
    monkeypatch.setenv("EJOURNAL_AUDIT_KEY", "короткий")
    with pytest.raises(StartupError, match="AUDIT_KEY: не короче 32 символов"):
        create_app(config)


def test_a_seal_is_the_keys_and_its_purposes_own(app, monkeypatch):
    with app.app_context():
        seal = audit_key.mac(b"document", "archive")
        assert audit_key.matches(b"document", seal, "archive")
        assert not audit_key.matches(b"document!", seal, "archive")
        assert not audit_key.matches(b"document", seal, "anchor")  # a seal of another kind
        monkeypatch.setitem(app.config, "AUDIT_KEY", "другой-ключ-другой-ключ-другой-ключ")
        assert not audit_key.matches(b"document", seal, "archive")


# --- the chain written before the key -----------------------------------------------------------


def _legacy_rows(app, count: int) -> None:
    """Rows as the code before the key wrote them: plain SHA-256, a head without a seal."""
    with app.app_context():
        prev = GENESIS
        for number in range(count):
            values = {"at": utcnow(), "actor_id": None, "actor_login": "w.admin",
                      "action": "test.legacy", "target_type": "Student",
                      "target_id": str(number), "before": None, "after": {"n": number},
                      "ip": None, "note": None}
            entry = AuditEntry(**values, prev_hash=prev, hash=forger.plain_hash(prev, values))
            db.session.add(entry)
            db.session.flush()
            prev = entry.hash
        db.session.execute(text("INSERT INTO core_audit_head (id, last_id, last_hash) "
                                "VALUES (1, :id, :hash)"), {"id": entry.id, "hash": prev})
        db.session.commit()


def test_rows_written_before_the_key_verify_and_cannot_be_rewritten_without_it(
        bare_app, monkeypatch):
    migrate.upgrade(bare_app, "core", _before_the_key(bare_app))
    _legacy_rows(bare_app, 3)
    migrate.upgrade(bare_app)
    with bare_app.app_context():
        marker = db.session.scalars(select(AuditEntry).where(AuditEntry.action == KEYED)).one()
        assert marker.id == 4
        audit.record("test.keyed", ("Student", 9))
        db.session.commit()
    result = _verify(bare_app)
    assert result.exit_code == 0, result.output
    assert "проверено записей 5" in result.output

    monkeypatch.setitem(bare_app.config, "AUDIT_KEY", "другой-ключ-другой-ключ-другой-ключ")
    assert ("запись 4 (начало цепочки с ключом) запечатана другим ключом: AUDIT_KEY не тот, "
            "с которым журнал вёлся") in _verify(bare_app).output
    monkeypatch.undo()

    with bare_app.app_context():
        forger.drop_triggers(db.session)
        forger.rewrite_from(db.session, 2, actor_login="w.someone")  # as far as the key
        db.session.commit()
    assert "запись 4 изменена или подделана (печать не сходится с ключом журнала)" in (
        _verify(bare_app).output)


def test_a_chain_rewritten_without_its_keyed_start_is_found(bare_app):
    migrate.upgrade(bare_app, "core", _before_the_key(bare_app))
    _legacy_rows(bare_app, 2)
    migrate.upgrade(bare_app)
    with bare_app.app_context():
        forger.drop_triggers(db.session)
        end_id, end_hash = forger.rewrite_from(db.session, 3, action="test.not_keyed")
        forger.set_head(db.session, last_id=end_id, last_hash=end_hash)
        db.session.commit()
    result = _verify(bare_app)
    assert result.exit_code == 1
    assert ("нет записи о начале цепочки с ключом (audit.keyed): журнал переписан без ключа"
            in result.output)


def test_an_emptied_log_is_found(bare_app):
    migrate.upgrade(bare_app)
    with bare_app.app_context():
        forger.drop_triggers(db.session)
        db.session.execute(text("DELETE FROM core_audit"))
        db.session.execute(text("DELETE FROM core_audit_head"))
        db.session.commit()
    assert "журнал аудита пуст" in _verify(bare_app).output


def test_downgrading_drops_the_triggers_and_the_head_seal_and_keeps_the_rows(bare_app):
    migrate.upgrade(bare_app)
    migrate.downgrade(bare_app, "core", _before_the_key(bare_app))
    with bare_app.app_context():
        assert "mac" not in {c["name"] for c in inspect(db.engine).get_columns("core_audit_head")}
        assert forger.drop_triggers(db.session) == []
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
    migrate.upgrade(bare_app)
    result = _verify(bare_app)
    assert result.exit_code == 0, result.output


# --- the anchor file ----------------------------------------------------------------------------


def test_a_forged_removed_or_missing_anchor_line_is_named(app, clock, anchors):
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    _anchor(app)
    with app.app_context():
        first = db.session.scalar(select(func.max(AuditEntry.id)))
    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    _anchor(app)
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert f"Отметок вне базы сверено: 2 (файл {anchors})." in result.output

    lines = anchors.read_text().splitlines()
    day, entry_id, hash_, mac = lines[0].split()
    anchors.write_text("\n".join([f"{day} {entry_id} {'0' * 64} {mac}", lines[1]]) + "\n")
    assert (f"строка 1 файла отметок {anchors} подделана: печать не сходится с ключом журнала"
            in _verify(app).output)

    anchors.write_text(lines[1] + "\n")
    assert (f"отметки от 2026-03-02 (запись {first}) нет в файле отметок {anchors}: строки "
            "удалены") in _verify(app).output

    anchors.unlink()
    assert (f"файл отметок {anchors} не найден, а журнал отмечал в нём голову (запись {first} "
            "от 2026-03-02)") in _verify(app).output


def test_an_anchor_line_lost_in_a_crash_is_written_by_the_next_anchoring(app, clock, anchors):
    clock.set(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    _anchor(app)
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with app.app_context():  # the row committed, then the process died before its line
        audit.record(ANCHOR, after={"date": "2026-03-02"})
        db.session.commit()
        lost = db.session.scalar(select(func.max(AuditEntry.id)))
    assert f"отметки от 2026-03-02 (запись {lost}) нет в файле отметок" in _verify(app).output
    output = _anchor(app)
    assert f"Отмечена запись {lost} от 2026-03-02" in output
    assert f"Отмечена запись {lost + 1} от 2026-03-02" in output
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert "Отметок вне базы сверено: 3" in result.output


def test_the_worker_anchors_the_head_once_a_college_day(app, clock, anchors):
    huey = app.extensions[KEY]

    def run_due(at: datetime) -> None:
        clock.set(at)
        for task in huey.read_periodic(at.replace(tzinfo=None)):
            if task.name == "anchor_audit_daily":
                huey.execute(task)

    run_due(datetime(2026, 3, 1, 21, 7, tzinfo=UTC))  # 00:07 on 2 March in Moscow
    run_due(datetime(2026, 3, 2, 8, 7, tzinfo=UTC))
    assert [line.split()[0] for line in anchors.read_text().splitlines()] == ["2026-03-02"]
    run_due(datetime(2026, 3, 2, 21, 7, tzinfo=UTC))
    assert [line.split()[0] for line in anchors.read_text().splitlines()] == [
        "2026-03-02", "2026-03-03"]
    assert _verify(app).exit_code == 0
