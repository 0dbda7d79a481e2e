"""Role gates for pages: which roles may open a page at all (scope is ``scope.py``'s job)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from flask import abort
from flask_login import current_user, login_required

from core.people.permissions import can, declared
from core.people.roles import Role

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
    """Open the view only to users whose roles may do ``action`` (``permissions.can``); others
    get 404 (no leak). An undeclared action fails loudly at the first request."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(current_user, action):
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def role_allows(user: UserLike, action: str) -> bool | None:
    """Whether ``user``'s roles allow ``action``; ``None`` if nobody declared it (the core's
    policy rule asks this of every policy action, most of which are not role rights)."""
    if action not in declared():
        return None
    return can(user, action)
