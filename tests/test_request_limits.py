"""Limits on what a request may carry (ASVS 5.2.1): a body past MAX_CONTENT_LENGTH is refused
with 413 in Russian before it is read, for anyone, signed in or not."""

from __future__ import annotations

import io

MB = 1024 * 1024


def test_the_default_request_limit_is_16_mb(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * MB


def test_an_anonymous_upload_past_the_limit_to_the_sign_in_page_gets_a_russian_413(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)  # the CSRF check reads the form before any view
    response = app.test_client().post("/auth/login", data={
        "login": "x", "password": "y", "file": (io.BytesIO(b"x" * (17 * MB)), "big.bin")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "Слишком большой запрос" in text and "Запрос больше 16 МБ" in text
    assert '<html lang="ru">' in text


def test_a_json_client_gets_the_413_as_json(client):
    response = client.post("/auth/login", data=b"{" + b" " * (17 * MB) + b"}",
                           content_type="application/json")
    assert response.status_code == 413
    assert response.get_json() == {
        "error": 413, "message": "Запрос больше 16 МБ: сервер такие не принимает."}


def test_the_limit_is_the_configured_one(make_app):
    app = make_app(MAX_CONTENT_LENGTH=MB // 2)
    response = app.test_client().post("/auth/login", data={
        "file": (io.BytesIO(b"x" * MB), "big.bin")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Запрос больше 0,5 МБ" in response.get_data(as_text=True)
