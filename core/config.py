"""Configuration: defaults here, then ``instance/config.py``, then ``EJOURNAL_*`` variables.

The ``config`` mapping given to :func:`core.create_app` is applied last (tests use it).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from core.audit_key import MIN_LENGTH
from core.errors import StartupError


class Defaults:
    """Values every installation starts from; a college overrides them in instance/config.py."""

    #: the policy preset (core/policy/presets/<name>.toml)
    POLICY = "btt"
    #: plugins to enable; ``None`` takes the preset's list
    PLUGINS: list[str] | None = None
    #: extra plugins by import path, for plugins not installed through entry points (tests)
    EXTRA_PLUGINS: dict[str, str] = {}
    #: log every hook call with its implementations and time (``EJOURNAL_TRACE_HOOKS=1``)
    TRACE_HOOKS = False
    #: SQLAlchemy URL; ``None`` means the embedded SQLite file in the instance folder
    DATABASE_URL: str | None = None
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    #: the key sealing the audit log (HMAC); ``None`` means ``instance/audit_key``, made once.
    #: Keep it out of the database and back it up apart from it (core/audit_key.py)
    AUDIT_KEY: str | None = None
    #: the file each day's audit head is appended to; ``None`` means
    #: ``instance/audit-anchors.log``. Best on another disk or host the database's admin cannot
    #: write (an append-only mount, a synced folder)
    AUDIT_ANCHOR_PATH: str | None = None
    #: how an SQLite transaction begins: IMMEDIATE serializes writers safely; DEFERRED lets
    #: readers run beside a long transaction (the test suite holds one per test)
    SQLITE_BEGIN_MODE = "IMMEDIATE"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: ``None``: on when PUBLIC_URL is https (the cookies then never travel over plain http)
    SESSION_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE: bool | None = None
    #: ``None``: the session's lifetime (no remember-me cookie is issued today)
    REMEMBER_COOKIE_DURATION: timedelta | int | None = None
    #: a signed-in session ends after this many minutes without a request: staff, and families
    #: (users whose only roles are student or parent)
    SESSION_IDLE_MINUTES_STAFF = 30
    SESSION_IDLE_MINUTES_FAMILY = 120
    #: a session's absolute lifetime from sign-in, however active (seconds or a timedelta);
    #: Flask also refuses a session cookie signed longer ago than this
    PERMANENT_SESSION_LIFETIME: timedelta | int = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None
    #: Flask-Compress: pages and JSON go compressed (zstd, br or gzip, as the browser accepts);
    #: files and streamed answers (exports, archives) as they are
    COMPRESS_MIMETYPES = ["text/html", "application/json", "text/csv", "text/calendar"]
    COMPRESS_STREAMS = False
    #: the largest request body, an upload included (an import file is at most 5 MB); a larger
    #: one is answered 413 before it is read
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    #: a form's text fields together (bytes) and its parts: Flask's own defaults, stated here
    MAX_FORM_MEMORY_SIZE = 500_000
    MAX_FORM_PARTS = 1_000
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ["ru", "en"]
    #: the college's time zone: "the day of the lesson" is a day in this zone
    TIMEZONE = "Europe/Moscow"
    COLLEGE_NAME = "Колледж"
    #: Flask-Limiter: memory by default, Redis when REDIS_URL is set
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "5 per minute"
    #: failed sign-ins under one login (any worker, any server) before it is locked for
    #: LOGIN_LOCK_SECONDS, doubled at each further failure up to LOGIN_LOCK_MAX_SECONDS
    LOGIN_LOCK_AFTER = 5
    LOGIN_LOCK_SECONDS = 60
    LOGIN_LOCK_MAX_SECONDS = 900
    #: reverse proxies in front of the app whose X-Forwarded-For / -Proto are believed (0: none)
    TRUSTED_PROXIES = 0
    REDIS_URL: str | None = None
    #: the college's name in a region served by one process (``core.region``); "" alone
    COLLEGE_NAME = ""
    #: the worker's queue (huey's name); colleges sharing one Redis each need their own
    WORKER_QUEUE = "ejournal"
    #: the journal's address as parents reach it, for the links in mails
    PUBLIC_URL = "http://127.0.0.1:5000"
    #: how SMS leave (notify_sms): "http" (a gateway, SMS_GATEWAY_*) or "smpp" (an SMSC, SMS_SMPP_*)
    SMS_ADAPTER = "http"
    #: the SMS gateway (notify_sms): its URL, GET or POST, the parameters with {phone}, {text},
    #: {id} and {sender} filled in, Basic (user, password) or Bearer (token) authentication
    SMS_GATEWAY_URL: str | None = None
    SMS_GATEWAY_METHOD = "POST"
    SMS_GATEWAY_PARAMS = {"to": "{phone}", "text": "{text}", "id": "{id}"}
    SMS_GATEWAY_USER: str | None = None
    SMS_GATEWAY_PASSWORD: str | None = None
    SMS_GATEWAY_TOKEN: str | None = None
    SMS_GATEWAY_JSON = False
    SMS_GATEWAY_ERROR_MARKER: str | None = None
    #: the SMSC (SMPP 3.4, a transmitter session): address, account, and the sender's name or
    #: number (SMS_SENDER when empty)
    SMS_SMPP_HOST: str | None = None
    SMS_SMPP_PORT = 2775
    SMS_SMPP_SYSTEM_ID = ""
    SMS_SMPP_PASSWORD = ""
    SMS_SMPP_SYSTEM_TYPE = ""
    SMS_SMPP_SOURCE = ""
    SMS_SENDER = ""
    SMS_QUIET_FROM = 21
    SMS_QUIET_UNTIL = 8
    SMS_DAILY_CAP = 5
    #: where ``ejournal backup`` stores the database (restic repositories, two media at least):
    #: ``[{"name": "disk2", "repository": "/mnt/disk2/ejournal", "password_file": "/etc/..."}]``;
    #: the password files stay outside the database (README «Резервные копии и восстановление»).
    #: ``None``: two repositories in ``instance/backups/`` (the database's own disk: a start only)
    BACKUP_DESTINATIONS: list[dict[str, str]] | None = None
    #: when the worker backs up daily (``huey.crontab`` arguments, UTC; 03:40 in Moscow)
    BACKUP_SCHEDULE = {"hour": "0", "minute": "40"}
    #: the restic program, and extra addresses for the stale-backup alert (besides the admins')
    RESTIC_BINARY = "restic"
    BACKUP_ALERT_EMAILS: list[str] = []
    #: the error tracker's address (Sentry's DSN); unset, no error leaves the server
    SENTRY_DSN: str | None = None
    SENTRY_ENVIRONMENT: str | None = None
    #: the share of requests traced for the tracker's performance view (0: none)
    SENTRY_TRACES_SAMPLE_RATE = 0.0
    #: who may read /metrics: addresses or networks ("10.0.0.0/8"), a list or one string
    #: separated by commas; loopback only by default
    METRICS_ALLOWED_IPS: list[str] | str = ["127.0.0.1", "::1"]
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = "ejournal@localhost"


#: settings that must be whole numbers, with the least each may be
_WHOLE_NUMBERS = {"TRUSTED_PROXIES": 0, "LOGIN_LOCK_AFTER": 1, "LOGIN_LOCK_SECONDS": 1,
                  "LOGIN_LOCK_MAX_SECONDS": 1}


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill ``app.config`` in the documented order and derive the values that depend on others."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(prefix="EJOURNAL")
    if overrides:
        app.config.update(overrides)
    _derive(app)


def _derive(app: Flask) -> None:
    config = app.config
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    url = config.get("DATABASE_URL") or f"sqlite:///{instance / 'ejournal.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        if config["SQLITE_BEGIN_MODE"] not in ("IMMEDIATE", "DEFERRED", "EXCLUSIVE"):
            raise StartupError(f"SQLITE_BEGIN_MODE: {config['SQLITE_BEGIN_MODE']!r} — "
                               "допустимо IMMEDIATE, DEFERRED или EXCLUSIVE")
        # pool_pre_ping is pointless for a file and costs a query per checkout
        options = {k: v for k, v in config["SQLALCHEMY_ENGINE_OPTIONS"].items()
                   if k != "pool_pre_ping"}
        options["execution_options"] = {
            **options.get("execution_options", {}),
            "sqlite_begin_mode": config["SQLITE_BEGIN_MODE"],
        }
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if config.get("SMS_ADAPTER") not in ("http", "smpp"):
        raise StartupError(f"SMS_ADAPTER: {config.get('SMS_ADAPTER')!r} — допустимо http или smpp")
    for name, least in _WHOLE_NUMBERS.items():
        value = config.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise StartupError(f"{name}: {value!r} — нужно целое число не меньше {least}")
    _derive_sessions(app)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(instance)
    _derive_audit(config, instance)
    if not config.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = config.get("REDIS_URL") or "memory://"


def _derive_sessions(app: Flask) -> None:
    config = app.config
    https = str(config.get("PUBLIC_URL") or "").lower().startswith("https://")
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if config.get(key) is None:
            config[key] = https
    for key in ("SESSION_IDLE_MINUTES_STAFF", "SESSION_IDLE_MINUTES_FAMILY"):
        value = config.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise StartupError(f"{key}: {value!r} — нужно положительное число минут")
    if app.permanent_session_lifetime <= timedelta(0):
        raise StartupError("PERMANENT_SESSION_LIFETIME: нужно положительное число секунд")
    if config.get("REMEMBER_COOKIE_DURATION") is None:
        config["REMEMBER_COOKIE_DURATION"] = app.permanent_session_lifetime


def _derive_audit(config, instance: Path) -> None:
    if not config.get("AUDIT_KEY"):
        config["AUDIT_KEY"] = _instance_secret(instance, "audit_key")
    # an environment value is parsed as JSON: a key of digits would arrive as a number
    config["AUDIT_KEY"] = str(config["AUDIT_KEY"])
    if len(config["AUDIT_KEY"]) < MIN_LENGTH:
        raise StartupError(f"AUDIT_KEY: не короче {MIN_LENGTH} символов")
    config["AUDIT_ANCHOR_PATH"] = str(config.get("AUDIT_ANCHOR_PATH")
                                      or instance / "audit-anchors.log")


def _instance_secret(instance: Path, name: str = "secret_key") -> str:
    """A secret key kept in the instance folder, made once, so it survives restarts.

    Written to a private temporary file and linked into place: two processes starting at once
    (gunicorn's workers) end up with the same key, never a half-written one, and no other user
    can read it even for a moment."""
    path = instance / name
    if not path.exists():
        descriptor, temporary = tempfile.mkstemp(dir=instance, prefix=f".{name}.")
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    return path.read_text().strip()
