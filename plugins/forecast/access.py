"""Who sees which groups' early warning and readiness lists: the administration (director,
deputy, administrator) every group, a curator (классный руководитель) their own groups; anyone
else nothing (the pages answer 404). Built on ``core.people.scope``: no rule of its own."""

from __future__ import annotations

from core.errors import NotFound
from core.people.permissions import can
from core.people.scope import curated_group_ids

#: who sees every group's list
OVERSEERS = ("admin", "director", "deputy")
NOT_FOUND = "Такой страницы нет или она вам недоступна."


def warning_groups(user) -> set[int] | None:
    """The groups whose lists ``user`` sees (``None``: every group); an empty set for a user
    without the right or without a group."""
    from plugins.forecast.hooks import WARNINGS

    if not user.is_authenticated or not can(user, WARNINGS):
        return set()
    if user.has_role(*OVERSEERS):
        return None
    return curated_group_ids(user)


def require_groups(user, group_id: int | None = None) -> set[int] | None:
    """The groups a page of ``user`` shows (``group_id`` alone when given); ``NotFound`` when
    it is outside their lists or they have none."""
    from flask_babel import gettext as _

    groups = warning_groups(user)
    if groups is not None and not groups:
        raise NotFound(_(NOT_FOUND))
    if group_id is None:
        return groups
    if groups is not None and group_id not in groups:
        raise NotFound(_(NOT_FOUND))
    return {group_id}
