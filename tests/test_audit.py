"""The audit log: `ejournal audit verify` names the first changed or removed row, a forged seal
or head, and rows that only the anchors outside the database show to be gone; the database
refuses UPDATE and DELETE of the log; the administrator's audit page filters and pages the log.

The forgeries are those of someone with access to the database but neither the audit key nor
the anchor file (``tests/forger.py``): each of (a)–(d) passed `verify` before the log was keyed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from core import audit
from core.audit import AuditEntry, AuditHead
from core.extensions import db
from core.people.roles import Role
from tests import forger
from tests.people_world import build_world


def _write_rows(app, count=3) -> list[int]:
    """Append ``count`` rows to the chain (each its own commit); return their ids."""
    ids = []
    with app.app_context():
        for n in range(count):
            audit.record("test.row", ("Student", n + 1), after={"n": n}, note=f"строка {n}")
            db.session.commit()
            ids.append(db.session.scalar(select(func.max(AuditEntry.id))))
    return ids


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _refusal(app, statement: str, **params) -> str:
    """The database's message refusing ``statement`` (run in a savepoint, so the test goes on)."""
    with app.app_context(), pytest.raises(DBAPIError) as refused, db.session.begin_nested():
        db.session.execute(text(statement), params)
    return str(refused.value.orig)


@pytest.fixture
def anchors(app, monkeypatch, tmp_path):
    """This test's own anchor file (the shared app's would outlive the rolled-back rows)."""
    path = tmp_path / "audit-anchors.log"
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_PATH", str(path))
    return path


def test_verify_passes_on_an_intact_chain(app):
    ids = _write_rows(app)
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert "Журнал аудита цел" in result.output
    checked = int(result.output.rsplit(" ", 1)[1].rstrip(".\n"))
    assert checked >= len(ids)


def _tampered(app, statement) -> str:
    """The output of ``audit verify``, which must fail, after ``statement`` ran in SQL with the
    log's triggers dropped."""
    with app.app_context():
        forger.drop_triggers(db.session)
        db.session.execute(statement)
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    return result.output


def test_verify_fails_naming_a_row_changed_with_sql(app):
    first, middle, last = _write_rows(app)
    output = _tampered(app, update(AuditEntry).where(AuditEntry.id == middle)
                       .values(note="подправлено"))
    assert f"запись {middle} изменена" in output


def test_verify_fails_when_a_middle_row_is_deleted(app):
    first, middle, last = _write_rows(app)
    output = _tampered(app, delete(AuditEntry).where(AuditEntry.id == middle))
    assert f"запись {last}: цепочка разорвана после записи {first}" in output


def test_verify_fails_when_the_last_row_is_deleted(app):
    first, middle, last = _write_rows(app)
    output = _tampered(app, delete(AuditEntry).where(AuditEntry.id == last))
    assert f"после записи {middle} удалены записи (последняя была {last})" in output


# --- the database refuses ---------------------------------------------------------------------


def test_the_database_refuses_to_change_or_delete_audit_rows(app):
    first, middle, last = _write_rows(app)
    assert ("журнал аудита только дополняется: UPDATE в core_audit запрещён"
            in _refusal(app, "UPDATE core_audit SET note = 'x' WHERE id = :id", id=middle))
    assert ("журнал аудита только дополняется: DELETE в core_audit запрещён"
            in _refusal(app, "DELETE FROM core_audit WHERE id = :id", id=last))
    assert ("журнал аудита только дополняется: DELETE в core_audit_head запрещён"
            in _refusal(app, "DELETE FROM core_audit_head"))
    with app.app_context():
        dialect = db.session.connection().dialect.name
    if dialect == "postgresql":
        for table in ("core_audit", "core_audit_head"):
            assert (f"журнал аудита только дополняется: TRUNCATE в {table} запрещён"
                    in _refusal(app, f"TRUNCATE {table}"))
    else:  # SQLite's REPLACE deletes the old row without firing DELETE triggers
        assert "запись поверх существующей в core_audit запрещена" in _refusal(
            app, "INSERT OR REPLACE INTO core_audit (id, at, action, prev_hash, hash) "
            "SELECT id, at, 'x', prev_hash, 'forged' FROM core_audit WHERE id = :id", id=middle)
    _write_rows(app, 1)  # the log's own appends go on
    assert _verify(app).exit_code == 0


def test_the_head_moves_only_forward_to_a_row_whose_hash_it_names(app):
    first, middle, last = _write_rows(app)
    with app.app_context():
        hashes = dict(db.session.execute(select(AuditEntry.id, AuditEntry.hash)
                                         .where(AuditEntry.id.in_((first, last)))).all())
    refused = "отметка о последней записи (core_audit_head) одна и движется только вперёд"
    assert refused in _refusal(app, "UPDATE core_audit_head SET last_id = :id, last_hash = :hash",
                               id=first, hash=hashes[first])
    assert refused in _refusal(app, "UPDATE core_audit_head SET last_id = :id, last_hash = 'x'",
                               id=last + 1)
    assert refused in _refusal(app, "INSERT INTO core_audit_head (id, last_id, last_hash, mac) "
                               "VALUES (2, :id, :hash, 'x')", id=last, hash=hashes[last])


# --- the four forgeries -------------------------------------------------------------------------


def test_forgery_a_rows_deleted_and_the_head_moved_back_is_found_by_the_head_seal(app):
    first, middle, last = _write_rows(app)
    with app.app_context():
        forger.drop_triggers(db.session)
        db.session.execute(delete(AuditEntry).where(AuditEntry.id > first))
        first_hash = db.session.scalar(select(AuditEntry.hash).where(AuditEntry.id == first))
        db.session.execute(update(AuditHead).values(last_id=first, last_hash=first_hash))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1, result.output
    assert (f"отметка о последней записи журнала (запись {first}) подделана: печать не "
            "сходится с ключом журнала") in result.output


def test_forgery_b_with_the_triggers_in_place_a_row_cannot_be_changed_and_one_added_is_found(app):
    first, middle, last = _write_rows(app)
    assert "UPDATE в core_audit запрещён" in _refusal(
        app, "UPDATE core_audit SET note = 'x' WHERE id = :id", id=middle)
    # what is left is adding a row: a «correction» with a plain SHA-256 hash on the real chain,
    # and the head moved forward to it (the database allows that: forward, to its hash)
    with app.app_context():
        real = db.session.get(AuditEntry, last)
        values = {**forger.row_values(real), "action": "grade.edit", "target_type": "Mark",
                  "before": {"value": "2"}, "after": {"value": "5"}, "note": "исправлено"}
        forged = AuditEntry(**values, prev_hash=real.hash,
                            hash=forger.plain_hash(real.hash, values))
        db.session.add(forged)
        db.session.flush()
        db.session.execute(update(AuditHead).values(last_id=forged.id, last_hash=forged.hash))
        db.session.commit()
        forged_id = forged.id
    result = _verify(app)
    assert result.exit_code == 1, result.output
    assert (f"запись {forged_id} изменена или подделана (печать не сходится с ключом журнала)"
            in result.output)


def test_forgery_c_a_row_changed_and_every_hash_recomputed_is_found_by_the_key(app):
    first, middle, last = _write_rows(app)
    with app.app_context():
        forger.drop_triggers(db.session)
        end_id, end_hash = forger.rewrite_from(db.session, middle, note="подправлено")
        db.session.execute(update(AuditHead).values(last_id=end_id, last_hash=end_hash))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1, result.output
    assert (f"запись {middle} изменена или подделана (печать не сходится с ключом журнала)"
            in result.output)


def test_forgery_d_rows_removed_with_a_head_seen_before_are_found_by_the_anchors(
        app, clock, anchors, tmp_path):
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    _write_rows(app, 2)
    with app.app_context():
        seen = forger.head_row(db.session)  # a backup's, or watched
    _write_rows(app, 2)
    anchored = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert anchored.exit_code == 0, anchored.output
    with app.app_context():
        anchor_id = db.session.scalar(select(func.max(AuditEntry.id)))
    assert f"Отмечена запись {anchor_id} от 2026-03-02" in anchored.output
    _write_rows(app, 1)
    with app.app_context():
        forger.drop_triggers(db.session)
        db.session.execute(delete(AuditEntry).where(AuditEntry.id > seen["last_id"]))
        forger.set_head(db.session, **{k: v for k, v in seen.items() if k != "id"})
        db.session.commit()

    anchors.rename(tmp_path / "elsewhere.log")
    assert _verify(app).exit_code == 0  # the database alone is consistent again
    (tmp_path / "elsewhere.log").rename(anchors)
    result = _verify(app)
    assert result.exit_code == 1, result.output
    assert (f"после записи {seen['last_id']} удалены записи: отметка от 2026-03-02, строка 1 "
            f"файла {anchors}, называет запись {anchor_id}") in result.output


def test_audit_page_filters_by_who_action_target_and_dates(app, client, login, make_user):
    world = build_world(app, make_user)
    login(world.users["curator"])
    client.get(f"/people/students/{world.ids['st1']}")
    client.post("/auth/logout")
    login(world.users["admin"])

    page = client.get("/admin/audit?who=w.curator&action=people.student.view")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Найдено записей: 1." in text
    assert f"Обучающийся № {world.ids['st1']}" in text
    assert "Просмотр карточки обучающегося" in text

    page = client.get(f"/admin/audit?target=Student:{world.ids['st2']}&action=people.student.view")
    assert "Найдено записей: 0." in page.get_data(as_text=True)
    page = client.get("/admin/audit?who=w.curator&since=2001-01-01&until=2001-01-02")
    assert "Найдено записей: 0." in page.get_data(as_text=True)

    bad = client.get("/admin/audit?since=вчера")
    assert bad.status_code == 422
    assert "дата в формате ГГГГ-ММ-ДД" in bad.get_data(as_text=True)


def test_audit_page_is_paginated(app, client, login, make_user):
    admin = make_user("auditor", [Role.ADMIN])
    with app.app_context():
        for n in range(60):
            audit.record("test.paged", ("Group", n))
        db.session.commit()
    login(admin)
    first = client.get("/admin/audit?action=test.paged").get_data(as_text=True)
    assert "Найдено записей: 60." in first and "Страница 1 из 2" in first
    assert first.count(">test.paged</code>") == 50
    second = client.get("/admin/audit?action=test.paged&page=2").get_data(as_text=True)
    assert second.count(">test.paged</code>") == 10


def test_a_long_log_is_counted_no_further_than_its_counted_pages(app, client, login, make_user,
                                                                  monkeypatch):
    """The count stops at ``COUNTED_PAGES`` pages, so a log of seven years opens as fast as a
    new one; the pages still go on while there are rows."""
    from core.admin import audit_views
    from tests.fixtures import count_queries

    admin = make_user("auditor2", [Role.ADMIN])
    with app.app_context():
        for n in range(130):
            audit.record("test.capped", ("Group", n))
        db.session.commit()
    monkeypatch.setattr(audit_views, "COUNTED_PAGES", 2)
    login(admin)
    first = client.get("/admin/audit?action=test.capped").get_data(as_text=True)
    assert "Найдено записей: более 100." in first and "Страница 1" in first
    assert "Страница 1 из" not in first
    third = client.get("/admin/audit?action=test.capped&page=3").get_data(as_text=True)
    assert third.count(">test.capped</code>") == 30
    with count_queries(app) as small:
        client.get("/admin/audit?action=test.capped")
    with app.app_context():
        for n in range(400):
            audit.record("test.capped", ("Group", n))
        db.session.commit()
    with count_queries(app) as large:
        client.get("/admin/audit?action=test.capped")
    assert large.count == small.count
