"""Locale selection: Russian unless the user chose another language."""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    if not has_request_context():  # commands and the worker speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    locale = getattr(current_user, "locale", None) if current_user else None
    if locale in languages:
        return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
