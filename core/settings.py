"""Per-college settings stored in the database: typed, validated and audited.

Plugins declare settings with the ``settings_schema`` hook; policy overrides are stored here too
under ``policy.<key>``. Reads are cached per request (one query a request).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, g, has_request_context
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from core import audit
from core.errors import DomainError
from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.plugins import hook
from core.plugins.types import SettingSpec

if TYPE_CHECKING:
    from core.people.models import User


class Setting(db.Model):
    __tablename__ = "core_setting"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


def specs() -> dict[str, SettingSpec]:
    """Every declared setting by key, cached on the app."""
    cache = current_app.extensions.get("ejournal.setting_specs")
    if cache is None:
        cache = {spec.key: spec for batch in hook().settings_schema() for spec in batch}
        current_app.extensions["ejournal.setting_specs"] = cache
    return cache


def stored() -> dict[str, Any]:
    """All stored values, read once per request."""
    if has_request_context() and "ejournal_settings" in g:
        return g.ejournal_settings
    values = {key: value for key, value in db.session.execute(select(Setting.key, Setting.value))}
    if has_request_context():
        g.ejournal_settings = values
    return values


def get(key: str) -> Any:
    """The stored value of a declared setting, or its default."""
    spec = specs()[key]
    return stored().get(key, spec.default)


def coerce(spec: SettingSpec, value: Any) -> Any:
    """Check ``value`` against the setting's type; raise ``DomainError`` in Russian otherwise."""
    if spec.type is bool and not isinstance(value, bool):
        raise DomainError(f"«{spec.title}»: ожидается да или нет")
    if spec.type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise DomainError(f"«{spec.title}»: ожидается целое число")
    if spec.type is str and not isinstance(value, str):
        raise DomainError(f"«{spec.title}»: ожидается строка")
    return value


def put(key: str, value: Any, *, actor: User | None = None, action: str = "setting.change") -> bool:
    """Store ``value`` under ``key`` (already validated by the caller's schema) and audit it.

    Returns whether anything changed. The caller commits.
    """
    row = db.session.get(Setting, key)
    old = row.value if row else None
    if row is not None and old == value:
        return False
    if row is None:
        row = Setting(key=key)
        db.session.add(row)
    row.value = value
    row.updated_at = utcnow()
    row.updated_by_id = getattr(actor, "id", None)
    audit.record(action, ("Setting", key), before=old, after=value, actor=actor)
    if has_request_context():
        g.pop("ejournal_settings", None)
    return True


def remove(key: str, *, actor: User | None = None, action: str = "setting.reset") -> bool:
    """Forget the stored value of ``key`` (back to its default) and audit it."""
    row = db.session.get(Setting, key)
    if row is None:
        return False
    audit.record(action, ("Setting", key), before=row.value, after=None, actor=actor)
    db.session.delete(row)
    if has_request_context():
        g.pop("ejournal_settings", None)
    return True


def set_setting(key: str, value: Any, *, actor: User | None = None) -> bool:
    """Validate and store a declared setting."""
    spec = specs().get(key)
    if spec is None:
        raise DomainError(f"Неизвестная настройка «{key}»")
    return put(key, coerce(spec, value), actor=actor)
