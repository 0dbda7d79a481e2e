"""The app factory, configuration order, error pages and /healthz."""

from __future__ import annotations

import pytest

from core import create_app


def test_configuration_order_defaults_instance_env_then_argument(tmp_path, monkeypatch, app_config):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text(
        'COLLEGE_NAME = "из instance"\nTIMEZONE = "Asia/Vladivostok"\nLOGIN_RATE_LIMIT = "1 per day"\n'
    )
    monkeypatch.setenv("EJOURNAL_TIMEZONE", "Europe/Samara")
    monkeypatch.setenv("EJOURNAL_LOGIN_RATE_LIMIT", "2 per day")
    config = {**app_config, "INSTANCE_PATH": str(instance), "LOGIN_RATE_LIMIT": "3 per day"}
    app = create_app(config)
    assert app.config["COLLEGE_NAME"] == "из instance"  # instance over defaults
    assert app.config["TIMEZONE"] == "Europe/Samara"  # environment over instance
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per day"  # argument over environment
    assert app.config["BABEL_DEFAULT_LOCALE"] == "ru"  # defaults stay


def test_secret_key_is_made_once_in_the_instance_folder(tmp_path, app_config):
    config = {**app_config, "INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": None}
    first = create_app(config).config["SECRET_KEY"]
    assert len(first) == 64
    assert create_app(config).config["SECRET_KEY"] == first


def test_healthz_reports_database_and_plugin_checks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    # the test world has no worker: the instance serves, degraded, and says why
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker_seen_age_seconds"] == {"ok": False, "detail": "не отмечался"}


def test_healthz_answers_503_when_the_database_is_unreachable(make_app):
    app = make_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"]["ok"] is False


@pytest.mark.parametrize("path", ["/no-such-page", "/admin/policy/unknown.key"])
def test_unknown_page_is_a_russian_404(client, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404 or "Вход" in response.get_data(as_text=True)


def test_404_page_is_in_russian(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Страница не найдена" in text
    assert '<html lang="ru">' in text


def test_json_clients_get_errors_as_json_with_a_russian_message(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": 404, "message": "Такой страницы нет или она вам недоступна."}


def test_method_not_allowed_is_answered_in_russian(client):
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert "Метод не поддерживается" in response.get_data(as_text=True)


def test_unexpected_error_is_a_russian_500_page(make_app):
    app = make_app()

    @app.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    assert "Внутренняя ошибка сервера" in response.get_data(as_text=True)


def test_every_page_carries_security_headers(client):
    response = client.get("/auth/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_login_page_is_russian_and_english_is_available(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Вход в электронный журнал" in page
    client.post("/lang/en", data={"next": "/auth/login"})
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in to the electronic journal" in page
    assert '<html lang="en">' in page


def test_bootstrap_is_served_from_the_package(client):
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap" in response.data[:200]
