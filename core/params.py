"""The one parser of values a request brings: ids, whole numbers, dates and months, from the
path, the query string, forms and JSON, each bounded to what the database and the calendar hold.

An id fits a 64-bit database integer (PostgreSQL's bigint, SQLite's integer): a larger one fails
in the database driver, so it is refused here as no such thing. A date lies in 1900–2200: at the
ends of Python's ``date``, arithmetic (``day + timedelta(days=6)`` at 9999-12-31) overflows.
Path ids are checked by the URL converter (404); query values fall back to the page's default;
``to_id``/``to_date``/``to_month`` raise ``ValueError`` for callers with their own message. A
text with a NUL character, which PostgreSQL cannot store or compare, is refused (400).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, ValidationError

from core.errors import DomainError
from core.web import error_response

MAX_ID = 2**63 - 1
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
#: a page number beyond this is no page of any list (and its offset would overflow)
MAX_PAGE = 10**6
#: what a user is told of a date outside them
CALENDAR_MESSAGE = lazy_gettext("Дата должна быть между 1900 и 2200 годом.")
NUL_MESSAGE = lazy_gettext("В запросе недопустимый символ (NUL).")


class OutOfCalendar(ValueError):
    """A well-formed date or month outside 1900–2200."""


_DIGITS = re.compile(r"[0-9]{1,19}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def to_id(value: Any) -> int:
    """``value`` (ASCII digits or an int; not a bool) as an id in 0..MAX_ID, else ``ValueError``.
    Also the ``coerce`` of the forms' id choices."""
    if isinstance(value, bool):
        raise ValueError("not an id")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value)
    else:
        raise ValueError("not an id")
    if not 0 <= number <= MAX_ID:
        raise ValueError("not an id")
    return number


def parse_id(value: Any) -> int | None:
    """``value`` as an id, or ``None`` when it is none (missing, malformed or too large)."""
    try:
        return to_id(value)
    except ValueError:
        return None


def in_calendar(day: date) -> date:
    """``day`` itself when it lies in 1900–2200, else ``OutOfCalendar``."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OutOfCalendar(day.isoformat())
    return day


def to_date(value: Any) -> date:
    """An ISO date («2026-11-25») in 1900–2200, else ``ValueError`` (``OutOfCalendar`` for a
    well-formed one outside)."""
    if not isinstance(value, str):
        raise ValueError("not a date")
    return in_calendar(date.fromisoformat(value.strip()))


def to_month(value: Any) -> date:
    """The first day of an ISO month («2026-11») in 1900–2200, else ``ValueError``
    (``OutOfCalendar`` for a well-formed one outside)."""
    match = _MONTH.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError("not a month")
    return in_calendar(date(int(match[1]), int(match[2]), 1))


def required_text(value: str | None, limit: int, empty: str, too_long: str) -> str:
    """A form's text stripped; a ``DomainError`` with ``empty`` when nothing is left, with
    ``too_long`` past ``limit`` characters."""
    text = (value or "").strip()
    if not text:
        raise DomainError(empty)
    if len(text) > limit:
        raise DomainError(too_long)
    return text


def _raw(name: str, args) -> Any:
    return (request.args if args is None else args).get(name)


def arg_id(name: str, default: int | None = None, args=None) -> int | None:
    """The query parameter ``name`` (or ``args[name]``) as an id or other whole number (a pair,
    a year's id); ``default`` when it is missing or no such number."""
    found = parse_id(_raw(name, args))
    return default if found is None else found


def arg_date(name: str, default: date | None, args=None) -> date | None:
    """The query parameter ``name`` as a date in 1900–2200; ``default`` otherwise."""
    try:
        return to_date(_raw(name, args))
    except ValueError:
        return default


def arg_month(name: str, default: date, args=None) -> date:
    """The query parameter ``name`` («2026-11») as its first day; ``default`` otherwise."""
    try:
        return to_month(_raw(name, args))
    except ValueError:
        return default


def arg_page(name: str = "page", args=None) -> int:
    """A list's page number from the query: 1 unless a number in 1..MAX_PAGE is asked."""
    found = arg_id(name, 1, args)
    return found if 1 <= found <= MAX_PAGE else 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in every route: an id beyond MAX_ID matches no route (404) instead of
    reaching the database."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_ID)):  # and never asks int() for thousands of digits
            raise ValidationError()
        return super().to_python(value)


View = TypeVar("View", bound=Callable)


def takes_json(view: View) -> View:
    """Mark a view that reads a JSON body (the grid's saves); every other view refuses one."""
    view.takes_json = True
    return view


def _refuse_unexpected_json():
    # Flask-WTF reads a JSON body as any form's data: a list or an object where a form expects
    # text broke the page (a 500); forms are posted as forms.
    if request.is_json and request.method not in ("GET", "HEAD", "OPTIONS"):
        view = current_app.view_functions.get(request.endpoint)
        if view is not None and not getattr(view, "takes_json", False):
            limit = request.max_content_length
            if limit is not None and (request.content_length or 0) > limit:
                raise RequestEntityTooLarge()  # the size is the first thing wrong with it
            return error_response(415)
    return None


def _refuse_nul():
    # PostgreSQL's text cannot hold a NUL character: the driver refuses the query (a 500)
    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            return error_response(400, str(NUL_MESSAGE))
    return None


def install(app: Flask) -> None:
    """Before any blueprint: every ``<int:...>`` of every route is bounded, a JSON body reaches
    only the views that take one, and a value with a NUL character none."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(_refuse_unexpected_json)
    app.before_request(_refuse_nul)
