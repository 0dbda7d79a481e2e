"""Role gates for pages: which roles may open a page at all (scope is ``scope.py``'s job)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from flask import abort
from flask_login import current_user, login_required

from core.people.roles import Role
from core.plugins import hook
from core.plugins.types import Permission

if TYPE_CHECKING:
    from core.people.models import UserLike


def roles_required(*roles: Role) -> Callable:
    """Open the view only to users holding one of ``roles``; others get 404 (no leak)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def permission_required(action: str) -> Callable:
    """Open the view only to users whose roles may do ``action`` (declared through the
    ``permissions`` hook); others, and everyone for an undeclared action, get 404."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not role_allows(current_user, action):
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def declared_permissions() -> dict[str, Permission]:
    """Every action declared through the ``permissions`` hook, cached on the app."""
    from flask import current_app

    cache = current_app.extensions.get("ejournal.permissions")
    if cache is None:
        cache = {}
        for batch in hook().permissions():
            for permission in batch:
                cache[permission.action] = permission
        current_app.extensions["ejournal.permissions"] = cache
    return cache


def role_allows(user: UserLike, action: str) -> bool | None:
    """Whether ``user``'s roles allow a declared ``action``; ``None`` if nobody declared it."""
    permission = declared_permissions().get(action)
    if permission is None:
        return None
    return user.is_authenticated and user.has_role(*permission.roles)
