"""An unexpected error as the user and the support see it: an incident number on the page, the
same number in the log line and in the error tracker, and no personal data in either.

The log line names the request by its method, URL rule and endpoint (never the path with its
values or the query string), the user by id only, and the error by its type and stack (the
exception's message may quote what was typed or a query's parameters, so it stays out).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import traceback

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user

from core import error_tracker, health

log = logging.getLogger(__name__)

#: no 0/O or 1/I, so a number read over the phone is not misheard
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: the endpoint of a «report a problem» form a plugin may provide (the core never imports it)
REPORT_ENDPOINT = "helpdesk.new"


def new_number() -> str:
    """A short incident number, ``XXXX-XXXX`` (40 bits: unique enough for a college's errors)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def user_id() -> int | None:
    """The signed-in user's id, or ``None``; never more of the user than that."""
    try:
        return current_user.id if current_user.is_authenticated else None
    except Exception:  # the error may be in loading the user itself
        return None


def stack(exc: BaseException) -> str:
    """Where ``exc`` was raised: its frames (files, lines, functions, code), without its message."""
    return "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__))).rstrip()


def record(app: Flask, exc: BaseException) -> str:
    """Log ``exc`` under a new incident number, send it to the error tracker when one is
    configured, count it; return the number."""
    number = new_number()
    g.incident = number
    with contextlib.suppress(AttributeError):  # the tracker's before_send tags from it
        exc.ejournal_incident = number
    health.count_error(app)
    who = user_id()
    rule = request.url_rule.rule if request.url_rule is not None else "?"
    log.error("incident %s: %s on %s %s (endpoint %s, user %s)\n%s", number,
              type(exc).__qualname__, request.method, rule, request.endpoint, who,
              stack(exc), extra={"incident": number, "user_id": who})
    error_tracker.capture(exc, number, who)
    return number


def report_url(number: str | None) -> str | None:
    """The «Сообщить о проблеме» link for ``number`` when a plugin provides the form."""
    if number is None or REPORT_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(REPORT_ENDPOINT, kind="problem", incident=number)
