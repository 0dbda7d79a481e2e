"""Helpers for views that change something through a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash

from core.errors import DomainError
from core.extensions import db

T = TypeVar("T")


def attempt(change: Callable[[], T], field: Any = None) -> tuple[bool, T | None]:
    """Run ``change`` and commit it: ``(True, its result)``. A refusal (``DomainError``) rolls
    back everything and puts its Russian reason on the form ``field`` (flashed when there is no
    field): ``(False, None)``. Nothing is half-saved either way."""
    try:
        result = change()
    except DomainError as exc:
        db.session.rollback()
        if field is not None:
            field.errors = [*field.errors, exc.message]
        else:
            flash(exc.message, "danger")
        return False, None
    db.session.commit()
    return True, result


def page_status(*forms: Any) -> int:
    """422 when a posted form was refused (so that clients and tests see it), else 200."""
    return 422 if any(form is not None and form.errors for form in forms) else 200
