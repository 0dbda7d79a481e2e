"""The typed settings store and its admin page; events after commit; CSRF."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import settings
from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.roles import Role
from tests.conftest import emitted


def test_a_setting_is_typed_and_audited(ctx, make_user):
    admin = make_user("settings-admin", roles=[Role.ADMIN])
    assert settings.get("college.name") == "Колледж"
    assert settings.set_setting("college.name", "ГБПОУ БТТ", actor=admin) is True
    assert settings.set_setting("college.name", "ГБПОУ БТТ", actor=admin) is False  # unchanged
    db.session.commit()
    assert settings.get("college.name") == "ГБПОУ БТТ"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "setting.change")).one()
    assert (entry.before, entry.after, entry.actor_login) == (None, "ГБПОУ БТТ", "settings-admin")


def test_a_setting_of_the_wrong_type_or_unknown_key_is_refused(ctx):
    with pytest.raises(DomainError, match="ожидается строка"):
        settings.set_setting("college.name", 5)
    with pytest.raises(DomainError, match="Неизвестная настройка «college.nmae»"):
        settings.set_setting("college.nmae", "x")


def test_settings_page_saves_and_shows_values(app, client, make_user, login):
    login(make_user("settings-page-admin", roles=[Role.ADMIN]))
    response = client.post("/admin/settings", data={
        "college__name": "  Колледж технологии и сервиса ", "college__director": "Склянчук В. Н.",
        "college__address": "Владивосток", "backup__keep_daily": "7", "backup__keep_weekly": "5",
        "backup__keep_monthly": "12", "backup__stale_hours": "26"})
    assert response.status_code == 302
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="Колледж технологии и сервиса"' in page
    history = client.get("/admin/settings/history").get_data(as_text=True)
    assert "Склянчук В. Н." in history


def test_settings_page_is_the_administrators_only(client, make_user, login):
    login(make_user("settings-teacher", roles=[Role.TEACHER]))
    assert client.get("/admin/settings").status_code == 404


def test_a_rolled_back_change_announces_nothing(plugin_app):
    assert emitted(plugin_app, ("never", "rollback"), ("kept", "commit")) == [
        ("in", "kept"), ("after", "kept")]


def test_a_form_without_csrf_token_is_refused_in_russian(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/auth/login", data={"login": "x", "password": "y"})
    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)
    response = app.test_client().post("/auth/login", json={"login": "x"})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("Форма устарела")
