"""Exceptions the core raises on purpose."""


class StartupError(RuntimeError):
    """The app cannot start; the message is one line naming what is wrong."""


class DomainError(Exception):
    """A refused action, answered with ``status`` and a Russian message for the user."""

    status = 422

    def __init__(self, message: str, status: int | None = None, **details):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.details = details


class Conflict(DomainError):
    """A locked period or a stale edit: HTTP 409."""

    status = 409


class NotFound(DomainError):
    """Outside scope or absent: HTTP 404 (never tells which)."""

    status = 404
