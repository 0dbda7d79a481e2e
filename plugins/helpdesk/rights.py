"""Who may do what with requests. Filing is anyone's who is signed in (the kinds each may file:
``services.kinds_for``); a request is seen by its author and by those who read or handle
requests (``helpdesk.read``: the director and the deputies read; ``helpdesk.handle``: the
administrator answers, changes statuses and applies). Nobody else learns a request exists."""

from __future__ import annotations

from core.people.permissions import can
from core.people.roles import Role

HANDLE = "helpdesk.handle"
READ = "helpdesk.read"
HANDLERS = frozenset({str(Role.ADMIN)})
READERS = frozenset({str(Role.ADMIN), str(Role.DIRECTOR), str(Role.DEPUTY)})


def may_handle(user) -> bool:
    return bool(user.is_authenticated) and can(user, HANDLE)


def may_read_all(user) -> bool:
    return bool(user.is_authenticated) and can(user, READ)


def may_view(user, request) -> bool:
    """The author, and whoever reads the administration's requests."""
    if not user.is_authenticated:
        return False
    return request.author_id == user.id or may_read_all(user)
