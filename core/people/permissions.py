"""Roles' rights to actions: "may this user do action X at all", asked in one place.

The core and every plugin declare their actions with the roles that may do them through the
``permissions`` hook; ``can(user, action)`` answers from those declarations, collected once per
app. An action nobody declared is a programming error and fails loudly (``UndeclaredAction``),
never a silent "no". Which groups, students or journals a user may reach is not a right to an
action but scope: ``core.people.scope`` answers that, after ``can``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from core.plugins import hook
from core.plugins.types import Permission

if TYPE_CHECKING:
    from core.people.models import UserLike

_CACHE_KEY = "ejournal.permissions"


class UndeclaredAction(LookupError):
    """``can`` was asked about an action no ``permissions`` implementation declares."""


class DuplicateAction(RuntimeError):
    """Two ``permissions`` implementations declare the same action."""


def declared() -> dict[str, Permission]:
    """Every declared action of the current app, by name (collected on first use)."""
    found = current_app.extensions.get(_CACHE_KEY)
    if found is None:
        found = {}
        for batch in hook().permissions():
            for permission in batch or ():
                if permission.action in found:
                    raise DuplicateAction(f"action {permission.action!r} is declared twice")
                found[permission.action] = permission
        current_app.extensions[_CACHE_KEY] = found
    return found


def can(user: UserLike, action: str) -> bool:
    """Whether ``user``'s roles allow ``action`` (declared through the ``permissions`` hook).

    Anonymous users may do nothing; an undeclared action raises ``UndeclaredAction``.
    """
    permission = declared().get(action)
    if permission is None:
        raise UndeclaredAction(f"no plugin declares the action {action!r} (permissions hook)")
    return bool(user.is_authenticated) and user.has_role(*permission.roles)
