"""The audit log: `ejournal audit verify` names the first changed or removed row; the
administrator's audit page filters and pages the log."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from core import audit
from core.audit import AuditEntry
from core.extensions import db
from core.people.roles import Role
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


def test_verify_passes_on_an_intact_chain(app):
    ids = _write_rows(app)
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert "Журнал аудита цел" in result.output
    checked = int(result.output.rsplit(" ", 1)[1].rstrip(".\n"))
    assert checked >= len(ids)


def test_verify_fails_naming_a_row_changed_with_sql(app):
    first, middle, last = _write_rows(app)
    with app.app_context():
        db.session.execute(update(AuditEntry).where(AuditEntry.id == middle)
                           .values(note="подправлено"))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"запись {middle} изменена" in result.output


def test_verify_fails_when_a_middle_row_is_deleted(app):
    first, middle, last = _write_rows(app)
    with app.app_context():
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == middle))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"запись {last}: цепочка разорвана после записи {first}" in result.output


def test_verify_fails_when_the_last_row_is_deleted(app):
    first, middle, last = _write_rows(app)
    with app.app_context():
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == last))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"после записи {middle} удалены записи (последняя была {last})" in result.output


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
    assert f"Student:{world.ids['st1']}" in text

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
    assert first.count("<code>test.paged</code>") == 50
    second = client.get("/admin/audit?action=test.paged&page=2").get_data(as_text=True)
    assert second.count("<code>test.paged</code>") == 10
