"""The administrator's health page and the readings behind it (``core.health``): the same ones
``/healthz`` and ``/metrics`` report."""

from __future__ import annotations

from datetime import timedelta

from core import health, worker
from core.models import utcnow
from core.people.roles import Role
from tests.fixtures import user_maker


def _checks(app) -> dict:
    with app.test_request_context():
        return {check.key: check for check in health.collect()}


def test_the_administrator_sees_every_reading_in_russian(app, make_user, client, login):
    with app.test_request_context():
        admin = make_user("hp.admin", [Role.ADMIN])
    login(admin)
    response = client.get("/admin/health")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for label in ("База данных доступна", "Миграции базы данных применены",
                  "Фоновый обработчик (worker) на связи", "Уведомления в очереди",
                  "Недоставленные уведомления за 24 часа", "Непредвиденные ошибки (500)"):
        assert label in page, label
    assert "все истории на последней версии" in page  # the test database is migrated
    # no worker runs in the tests, and no backup has been made
    assert "Требуют внимания: 2" in page
    assert "Возраст резервной копии" in page and "Копий ещё нет: local-1, local-2" in page
    assert "Состояние системы" in client.get("/admin/").get_data(as_text=True)


def test_the_health_page_is_the_administrator_s_only(app, make_user, client, login):
    with app.test_request_context():
        director = make_user("hp.director", [Role.DIRECTOR])
    login(director)
    assert client.get("/admin/health").status_code == 404


def test_the_worker_is_alive_while_its_heartbeat_is_recent(make_app):
    app = make_app()  # a queue file of its own: the heartbeat stays in this test
    huey = app.extensions[worker.KEY]
    worker.note_alive(huey, at=utcnow() - timedelta(minutes=2))
    seen = _checks(app)["worker_seen_age_seconds"]
    assert seen.ok and 110 <= seen.value <= 200 and seen.detail == "последний раз 2 мин назад"
    worker.note_alive(huey, at=utcnow() - timedelta(minutes=12))
    assert not _checks(app)["worker_seen_age_seconds"].ok


def test_a_database_behind_its_migrations_is_reported(make_app, tmp_path):
    fresh = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    checks = _checks(fresh)
    assert checks["database"].ok
    assert not checks["migrations_pending"].ok
    assert "core" in checks["migrations_pending"].detail


def test_a_plugin_s_checks_join_the_page(plugin_app):
    admin = user_maker(plugin_app)("hp2.admin", [Role.ADMIN])
    client = plugin_app.test_client()
    client.post("/auth/login", data={"login": admin.login, "password": "secret-pass-1"})
    page = client.get("/admin/health").get_data(as_text=True)
    assert "Тестовая проверка" in page and "глубина 0" in page
