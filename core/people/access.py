"""Role gates for pages: which roles may open a page at all (scope is ``scope.py``'s job)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from core.people.roles import Role


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
